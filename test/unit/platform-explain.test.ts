// `smtp-egress explain` through the real CLI entry: the text comes from lib's describe functions
// (the same the verdicts quote), names its sources, tells documented from reported, and unknown
// names are usage errors with a suggestion.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describePlatform, policyCause } from '../../lib/platform/describe.ts';
import { EGRESS_POLICIES, egressPolicyFor } from '../../lib/platform/egress-policies.ts';
import { POLICY_DETAILS } from '../../lib/platform/policy-details.ts';
import { describeProvider } from '../../lib/providers/describe.ts';
import { PROVIDERS } from '../../lib/providers/presets.ts';

describe('smtp-egress explain', () => {
  it('prints the platform text from lib, with every source URL', async () => {
    const r = await runCli(['explain', 'render']);
    expect(r.code).toBe(0);
    const policy = egressPolicyFor('render');
    expect(r.stdout).toBe(`${describePlatform(policy as NonNullable<typeof policy>).join('\n')}\n`);
    expect(r.stdout).toMatch(/blocks outbound 25, 465 and 587 on free web services since 2025-09-26/);
    expect(r.stdout).toMatch(/Errno 101/);
    expect(r.stdout).toMatch(/Shell on the affected plan: no/);
    for (const s of POLICY_DETAILS.render?.sources ?? []) expect(r.stdout).toContain(s.url);
    expect(POLICY_DETAILS.render?.sources.length).toBeGreaterThan(2);
  });

  it('says when an entry is not the platform\'s own word, and when a block cannot be lifted', async () => {
    const vultr = await runCli(['explain', 'vultr']);
    expect(vultr.stdout).toMatch(/reported by users and third-party guides, not documented by Vultr/);
    const netlify = await runCli(['explain', 'netlify']);
    expect(netlify.stdout).toMatch(/inferred from AWS's documented Lambda rule/);
    expect(netlify.stdout).toMatch(/Lifting it: not possible/);
    expect(netlify.stdout).toMatch(/Function time limit: 60 s/);
  });

  it('finds platforms by alias and providers by id, SMTP host or nodemailer service name', async () => {
    expect((await runCli(['explain', 'GCP'])).stdout).toMatch(/^Google Compute Engine \(google-compute-engine\)/);
    for (const name of ['gmail', 'smtp.gmail.com', 'Gmail']) {
      const r = await runCli(['explain', name]);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toBe(`${describeProvider(PROVIDERS.find((p) => p.id === 'gmail') as (typeof PROVIDERS)[number]).join('\n')}\n`);
    }
    expect((await runCli(['explain', 'email-smtp.eu-west-3.amazonaws.com'])).stdout).toMatch(/^Amazon SES \(ses\)/);
    const m365 = await runCli(['explain', 'microsoft365']);
    expect(m365.stdout).toMatch(/550 5\.7\.30 Basic authentication is not supported/);
    expect(m365.stdout).toMatch(/end of December 2026/);
  });

  it('prints the entry as data with --json, patterns as strings', async () => {
    const r = await runCli(['explain', 'mailjet', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; ports: { port: number }[]; hostPatterns: string[]; sources: { url: string }[] };
    expect(j.kind).toBe('provider');
    expect(j.ports.map((p) => p.port)).toContain(2525);
    expect(j.hostPatterns).toContain('^in\\.mailjet\\.com$');
    const p = JSON.parse((await runCli(['explain', 'railway', '--json'])).stdout) as { kind: string; envSignals: string[]; outboundIpv6: boolean };
    expect(p).toMatchObject({ kind: 'platform', outboundIpv6: false });
    expect(p.envSignals).toContain('RAILWAY_PROJECT_ID');
  });

  it('explains every known platform and provider', async () => {
    for (const name of [...EGRESS_POLICIES.map((p) => p.platform), ...PROVIDERS.map((p) => p.id)]) {
      const r = await runCli(['explain', name]);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(/\nSources:\n {2}\[1\] /);
    }
  });

  it('answers an unknown name with "did you mean" and exit 2, and a missing one with the usage', async () => {
    const typo = await runCli(['explain', 'sendgird']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/"sendgird" is not a platform or provider smtp-egress knows; did you mean sendgrid\?/);
    const far = await runCli(['explain', 'qqqqqqqqqqqq']);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toMatch(/did you mean/);
    const none = await runCli(['explain']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/explain takes one platform or provider name, e.g. smtp-egress explain render/);
    expect((await runCli(['explain', 'a', 'b'])).code).toBe(2);
    expect((await runCli(['explain', '--nope', 'render'])).code).toBe(2);
    expect((await runCli(['help'])).stdout).toMatch(/explain +what the tool knows/);
  });

  it('gives the verdicts one sentence per policy, attributed', () => {
    expect(policyCause(egressPolicyFor('render') as NonNullable<ReturnType<typeof egressPolicyFor>>)).toMatch(/^Render's free web services .* \(documented by Render: https:\/\/render\.com\/changelog\/.*, checked \d{4}-\d{2}-\d{2}\)\.$/);
    expect(policyCause(egressPolicyFor('vultr') as NonNullable<ReturnType<typeof egressPolicyFor>>)).toMatch(/reported by users/);
  });
});
