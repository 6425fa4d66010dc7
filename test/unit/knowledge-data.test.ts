// The knowledge base holds itself to its own rules: every entry has sources that are URLs and a
// checked date; ports are real ports; host patterns are anchored and recognise the hosts they
// list; detection reads only variables the platform documents; provider replies match their own
// examples; and the stale-entry script says when an entry is due for a new look.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DETECTION_RULES, detectPlatform } from '../../lib/platform/detect.ts';
import { EGRESS_POLICIES as CORE_POLICIES, egressPolicyFor, POLICY_NAMES } from '../../lib/platform/egress-policies.ts';
import { detailedPolicy, POLICY_DETAILS } from '../../lib/platform/policy-details.ts';

const EGRESS_POLICIES = CORE_POLICIES.map(detailedPolicy);
import { PLATFORM_LABELS } from '../../lib/platform/labels.ts';
import { PROVIDERS as CORE_PROVIDERS, providerForHost } from '../../lib/providers/presets.ts';
import { PROVIDER_ERRORS, providerErrorFor } from '../../lib/providers/provider-errors.ts';
import { detailedProvider, PROVIDER_DETAILS } from '../../lib/providers/provider-details.ts';

const PROVIDERS = CORE_PROVIDERS.map(detailedProvider);
import { staleKnowledge } from '../../lib/providers/knowledge.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TODAY = new Date().toISOString().slice(0, 10);
const validPort = (p: number) => Number.isInteger(p) && p > 0 && p < 65536;
const isUrl = (s: string) => {
  const u = new URL(s);
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
};
const byId = (id: string) => detailedPolicy(egressPolicyFor(id) ?? expect.fail(`no policy ${id}`));

describe('platform entries', () => {
  it.each(EGRESS_POLICIES.map((p) => [p.platform, p] as const))('%s has URL sources, a checked date and valid ports', (_, p) => {
    expect(p.sources.length).toBeGreaterThan(0);
    for (const s of p.sources) {
      expect(isUrl(s.url), s.url).toBe(true);
      expect(s.title.length).toBeGreaterThan(5);
    }
    expect(p.source).toBe(p.sources[0]?.url);
    expect(p.checked).toMatch(DATE);
    expect(p.checked <= TODAY).toBe(true);
    if (p.since !== null) expect(p.since).toMatch(DATE);
    expect(p.label).toBe(PLATFORM_LABELS[p.platform]);
    expect(p.note.length).toBeGreaterThan(20);
    expect(p.planRules.length).toBeGreaterThan(0);
    const union = [...new Set(p.planRules.flatMap((r) => r.blockedPorts))].sort((a, b) => a - b);
    expect([...p.blockedPorts].sort((a, b) => a - b)).toEqual(union);
    for (const port of union) expect(validPort(port), String(port)).toBe(true);
    if (p.allPlans) for (const r of p.planRules) expect(r.blockedPorts.length, r.plan).toBeGreaterThan(0);
    if (p.blockedPorts.length > 0) expect(p.liftable || p.lift === null || p.lift.length > 0).toBe(true);
    if (p.liftable) expect(p.lift, 'a liftable block says how').toBeTruthy();
    if (p.functionTimeLimitS !== null) expect(p.functionTimeLimitS).toBeGreaterThan(0);
  });

  it('says where an entry rests on users or inference rather than the platform', () => {
    for (const p of EGRESS_POLICIES.filter((x) => !x.documented)) {
      expect(p.basis !== undefined || /report/i.test(p.note), `${p.platform}: ${p.note}`).toBe(true);
    }
  });

  it('has the detail of every policy and of nothing else', () => {
    expect(Object.keys(POLICY_DETAILS).sort()).toEqual(CORE_POLICIES.map((p) => p.platform).sort());
  });

  it('gives every id and alias to one platform only', () => {
    const names = EGRESS_POLICIES.flatMap((p) => [p.platform, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
    expect(POLICY_NAMES).toEqual(names);
  });
});

describe('detection', () => {
  it('reads only the variables each platform documents', () => {
    for (const rule of DETECTION_RULES) {
      const signals = byId(rule.platform).envSignals;
      for (const k of [...rule.when.flat(), ...rule.region, ...rule.contextKeys]) expect(signals, `${rule.platform} reads ${k}`).toContain(k);
    }
  });

  it('has a rule exactly for the platforms with documented variables, and says why for the rest', () => {
    const detected = new Set(DETECTION_RULES.map((r) => r.platform));
    for (const p of EGRESS_POLICIES) {
      expect(detected.has(p.platform), p.platform).toBe(p.envSignals.length > 0);
      if (!detected.has(p.platform)) expect(p.detection).toMatch(/^not detected: /);
    }
  });

  it.each(DETECTION_RULES.flatMap((r) => r.when.map((set) => [r.platform, set] as const)))('%s is detected from %j alone', (platform, set) => {
    expect(detectPlatform(Object.fromEntries(set.map((k) => [k, 'x']))).name).toBe(platform);
  });
});

// Hosts written with a placeholder stand for a family: fill one in to test the pattern.
const sampleHost = (h: string) => h.replace('<region>', 'eu-west-1').replace('<N>', '12');

describe('provider entries', () => {
  it.each(PROVIDERS.map((p) => [p.id, p] as const))('%s has URL sources, a date, valid ports and hosts its patterns recognise', (_, p) => {
    for (const s of p.sources) expect(isUrl(s.url), s.url).toBe(true);
    expect(p.source).toBe(p.sources[0]?.url);
    expect(p.checked).toMatch(DATE);
    expect(p.checked <= TODAY).toBe(true);
    expect(p.ports.length).toBeGreaterThan(0);
    for (const port of p.ports) {
      expect(validPort(port.port)).toBe(true);
      expect(['starttls', 'implicit-tls']).toContain(port.mode);
    }
    expect(new Set(p.ports.map((x) => x.port)).size).toBe(p.ports.length);
    for (const re of p.hosts) expect(re.source, 'anchored').toMatch(/^\^.*\$$/);
    expect(p.hostNames.length).toBeGreaterThan(0);
    for (const h of p.hostNames) expect(providerForHost(sampleHost(h))?.provider.id, h).toBe(p.id);
    if (p.fixedUsername) expect(p.username).toContain(p.fixedUsername);
    if (p.httpsApi) expect(p.httpsApi).toMatch(/^https:\/\//);
    expect(p.username.length).toBeGreaterThan(10);
  });

  it('has the detail of every provider and of nothing else, and replies only of known providers', () => {
    expect(Object.keys(PROVIDER_DETAILS).sort()).toEqual(CORE_PROVIDERS.map((p) => p.id).sort());
    for (const id of Object.keys(PROVIDER_ERRORS)) expect(CORE_PROVIDERS.map((p) => p.id)).toContain(id);
  });

  it('matches each provider reply against its own example, and distinctive ones with no provider known', () => {
    for (const p of PROVIDERS) {
      for (const e of p.errors) {
        expect(e.match.test(e.example), e.id).toBe(true);
        expect(providerErrorFor(e.example, CORE_PROVIDERS.find((c) => c.id === p.id) ?? null)?.error.id).toBe(e.id);
        if (e.distinctive) expect(providerErrorFor(e.example, null)).toMatchObject({ provider: { id: p.id }, error: { id: e.id } });
      }
    }
    expect(new Set(PROVIDERS.flatMap((p) => p.errors.map((e) => e.id))).size).toBe(PROVIDERS.flatMap((p) => p.errors).length);
    expect(providerErrorFor('535 5.7.8 Authentication credentials invalid', null)).toBeNull();
  });

  // nodemailer's well-known services are what users type (service: 'Gmail'): each one we name
  // must exist there, and its host and port must be among the ones we know for that provider.
  it("agrees with nodemailer's well-known services where it names one", () => {
    const services = createRequire(import.meta.url)('nodemailer/lib/well-known/services.json') as Record<string, { host?: string; port?: number; aliases?: string[] }>;
    let compared = 0;
    for (const p of PROVIDERS.filter((x) => x.nodemailerService)) {
      const names = (p.nodemailerService as string).split(/[,()]|\band\b/).map((s) => s.trim()).filter((s) => s in services);
      expect(names.length, `${p.id}: ${p.nodemailerService}`).toBeGreaterThan(0);
      for (const n of names) {
        const s = services[n] as { host?: string; port?: number };
        expect(providerForHost(s.host ?? null)?.provider.id, `${n} ${s.host}`).toBe(p.id);
        expect(p.ports.map((x) => x.port), `${n} port ${s.port}`).toContain(s.port);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });
});

// Judged against the checked dates themselves, not the clock, so the test does not start failing
// by itself: the script is the gate that says when the knowledge is due.
const checkedDates = [...EGRESS_POLICIES.map((p) => p.checked), ...PROVIDERS.map((p) => p.checked)].sort();
const earliest = checkedDates[0] as string;
const latest = checkedDates.at(-1) as string;

describe('stale entries', () => {
  it('lists nothing on the day of the oldest check and everything seven months after the newest', () => {
    expect(staleKnowledge(new Date(`${earliest}T00:00:00Z`))).toEqual([]);
    const later = new Date(`${latest}T00:00:00Z`);
    later.setUTCMonth(later.getUTCMonth() + 7);
    expect(staleKnowledge(later)).toHaveLength(EGRESS_POLICIES.length + PROVIDERS.length);
    const justInside = new Date(`${latest}T00:00:00Z`);
    justInside.setUTCMonth(justInside.getUTCMonth() + 6);
    expect(staleKnowledge(justInside).some((e) => e.checked === latest)).toBe(false);
  });

  it('npm run knowledge:stale exits 1 and names the stale entries, 0 when none, 2 on bad usage', async () => {
    const run = promisify(execFile);
    const script = ['node_modules/.bin/tsx', 'scripts/stale-knowledge.ts'];
    const ok = await run(script[0] as string, [script[1] as string, '--today', earliest], { timeout: 30_000 });
    expect(ok.stdout).toMatch(/every entry was checked/);
    const stale = await run(script[0] as string, [script[1] as string, '--today', '2099-01-01'], { timeout: 30_000 }).catch((e: { code: number; stdout: string }) => e);
    expect(stale).toMatchObject({ code: 1 });
    expect((stale as { stdout: string }).stdout).toMatch(/platform render .*checked \d{4}-\d{2}-\d{2}\s+https:\/\/render\.com\//);
    const bad = await run(script[0] as string, [script[1] as string, '--today', 'soon'], { timeout: 30_000 }).catch((e: { code: number }) => e);
    expect(bad).toMatchObject({ code: 2 });
  }, 60_000);
});
