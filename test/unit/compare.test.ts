// compare on hand-built reports: rows, findings, verdicts naming the platforms, and the errors for
// reports that cannot be compared. (Reports from real probes: test/egress/compare-egress.test.ts.)
import { describe, expect, it } from 'vitest';
import { compareInputs, compareIsClean, compareReports, compareRows, CompareReport, loadProbeReport } from '../../lib/compare/compare.ts';
import { renderCompareText } from '../../lib/render/compare-text.ts';
import { computeVerdict } from '../../lib/diagnosis/verdict.ts';
import type { Attempt, Family, Outcome, Platform, ProbeReport } from '../../lib/model/probe-report.ts';
import { isSmtpEgressError, type SmtpEgressError } from '../../lib/model/errors.ts';

const NETLIFY: Platform = { name: 'netlify', region: 'us-east-2', runtime: 'node v20', deployContext: 'deploy-preview' };
const RENDER: Platform = { name: 'render', region: 'oregon', runtime: 'node v20', deployContext: null };
const LOCAL: Platform = { name: 'local', region: null, runtime: 'node v20', deployContext: null };

const CONNECTS: Outcome[] = ['ok', 'auth_failed', 'smtp_rejected', 'tls_failed', 'greeting_timeout', 'starttls_unavailable', 'tls_mode_mismatch'];

function attempt(port: number, family: Family | null, outcome: Outcome, extra: Partial<Attempt> = {}): Attempt {
  const conn = CONNECTS.includes(outcome);
  const tlsUp = conn && outcome !== 'greeting_timeout' && outcome !== 'smtp_rejected' && port !== 2525;
  return {
    port,
    mode: port === 465 ? 'implicit-tls' : port === 587 ? 'starttls' : 'starttls-optional',
    detectedMode: null,
    address: family === 'ipv6' ? '2001:db8::25' : family === 'ipv4' ? '192.0.2.25' : null,
    family,
    outcome,
    errno: outcome === 'connect_timeout' ? 'ETIMEDOUT' : outcome === 'network_unreachable' ? 'ENETUNREACH' : outcome === 'connection_refused' ? 'ECONNREFUSED' : null,
    message: outcome === 'ok' ? 'ok' : `${outcome.replace(/_/g, ' ')} on ${port}`,
    phases: conn ? { dns: 1, connect: 20, greeting: 30, ehlo: 5 } : { dns: 1 },
    banner: conn ? '220 smtp-4.mail.example.com ESMTP ready 2026-11-03T10:00:00Z id=abc123' : null,
    capabilities: conn ? ['PIPELINING', 'AUTH PLAIN LOGIN'] : [],
    tls: tlsUp
      ? { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true, error: null, errorDetail: null, cert: { subject: 'CN=smtp.mail.example.com', issuer: 'CN=Example CA', validTo: '2027-01-01', altNames: ['DNS:smtp.mail.example.com'] } }
      : null,
    auth: null,
    transcript: [],
    ...extra,
  };
}

function report(platform: Platform, attempts: Attempt[], host = 'smtp.mail.example.com'): ProbeReport {
  const addresses = [...new Map(attempts.filter((a) => a.address).map((a) => [a.address, { address: a.address as string, family: a.family as Family }])).values()];
  return {
    schema: 'smtp-egress/probe@2',
    id: `${platform.name}-report`,
    tool: { name: 'smtp-egress', version: '0.1.0' },
    platform,
    startedAt: '2026-11-03T10:00:00.000Z',
    durationMs: 1234,
    target: { host, addresses, source: 'argument' },
    attempts,
    verdict: computeVerdict(attempts, platform, host),
  };
}

const caught = (fn: () => unknown): SmtpEgressError => {
  try {
    fn();
  } catch (e) {
    if (isSmtpEgressError(e)) return e;
    throw e;
  }
  throw new Error('expected an SmtpEgressError');
};

describe('compare: rows and findings', () => {
  it('587 ok from Netlify, connect_timeout from Render: egress_blocked_b, the verdict names both and the fixes', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'connect_timeout'), attempt(2525, 'ipv4', 'ok')]);
    const c = compareReports(a, b);
    expect(CompareReport.parse(c)).toEqual(c);
    expect(c.schema).toBe('smtp-egress/compare@1');
    expect(c.rows.map((r) => [r.port, r.family, r.a?.outcome, r.b?.outcome, r.finding])).toEqual([
      [587, 'ipv4', 'ok', 'connect_timeout', 'egress_blocked_b'],
      [2525, 'ipv4', 'ok', 'ok', 'same'],
    ]);
    expect(c.a.label).toBe('Netlify (us-east-2)');
    expect(c.b.label).toBe('Render (oregon)');
    expect(c.verdict.code).toBe('egress_blocked_b');
    expect(c.verdict.summary).toContain('Port 587 gets out of Netlify (us-east-2) but times out from Render (oregon)');
    expect(c.verdict.summary).toContain("Render's egress blocks it.");
    expect(c.verdict.summary).toMatch(/Use port 2525 \(.*your provider serves it\), an HTTPS mail API, or a paid Render plan\./);
    expect(c.verdict.fixes[0]).toMatch(/^Use port 2525 from Render \(oregon\)/);
    expect(c.verdict.fixes.join('\n')).toMatch(/HTTPS mail API/);
    expect(c.verdict.fixes.join('\n')).toMatch(/paid Render plan/);
    expect(c.verdict.fixes.join('\n')).toMatch(/EMAIL_TIMEOUT/);
    expect(c.verdict.causes.join('\n')).toMatch(/render\.com\/changelog\//);
    expect(compareIsClean(c)).toBe(false);
  });

  it('is symmetric: swapping the reports gives egress_blocked_a', () => {
    const a = report(RENDER, [attempt(465, 'ipv4', 'network_unreachable'), attempt(587, 'ipv4', 'connection_refused'), attempt(2525, 'ipv4', 'ok')]);
    const b = report(NETLIFY, [attempt(465, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const c = compareReports(a, b);
    expect(c.rows.map((r) => r.finding)).toEqual(['egress_blocked_a', 'egress_blocked_a', 'same']);
    expect(c.verdict.code).toBe('egress_blocked_a');
    expect(c.verdict.summary).toContain("Ports 465 and 587 get out of Netlify (us-east-2) but fail from Render (oregon) (465: network unreachable, 587: connection refused): Render's egress blocks them");
  });

  it('no working port on the blocked side: suggests an alternative port instead of one that does not get out', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports(a, b);
    expect(c.verdict.code).toBe('egress_blocked_b');
    expect(c.verdict.summary).toContain('Ports 25 and 587 get out of Netlify (us-east-2) but time out from Render (oregon)');
    expect(c.verdict.summary).toContain('an alternative port if your provider serves one (2525, 2587 or 2465)');
    expect(c.verdict.fixes[0]).toMatch(/None of the ports compared gets out of Render/);
  });

  it('IPv6 blocked where IPv4 gets out (Render has no outbound IPv6): ipv6_blocked_b and the force-IPv4 fix', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'network_unreachable')]);
    const c = compareReports(a, b);
    expect(c.rows.map((r) => [r.family, r.finding])).toEqual([
      ['ipv4', 'same'],
      ['ipv6', 'egress_blocked_b'],
    ]);
    expect(c.verdict.code).toBe('ipv6_blocked_b');
    expect(c.verdict.summary).toContain('Errno 101');
    expect(c.verdict.fixes[0]).toMatch(/force IPv4/);
    expect(c.verdict.causes[0]).toMatch(/no outbound IPv6/);
  });

  it('both sides blocking different ports: egress_blocked_both, one sentence per side', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports(a, b);
    expect(c.verdict.code).toBe('egress_blocked_both');
    expect(c.verdict.summary).toContain('Port 25 gets out of Render (oregon) but times out from Netlify (us-east-2)');
    expect(c.verdict.summary).toContain('Port 587 gets out of Netlify (us-east-2) but times out from Render (oregon)');
  });

  it('everything the same and ok: same, exit-clean', () => {
    const mk = (p: Platform) => report(p, [attempt(465, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const c = compareReports(mk(NETLIFY), mk(RENDER));
    expect(c.rows.every((r) => r.finding === 'same')).toBe(true);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('mail gets out of both');
    expect(compareIsClean(c)).toBe(true);
  });

  it('the same failure on both sides: same, but the cause is the server or the settings', () => {
    const mk = (p: Platform) => report(p, [attempt(587, 'ipv4', 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535 5.7.8 bad credentials' } })]);
    const c = compareReports(mk(NETLIFY), mk(RENDER));
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('587 auth_failed');
    expect(c.verdict.summary).toContain('not one platform');
    expect(c.verdict.fixes.join('\n')).toMatch(/EMAIL_HOST_PASSWORD/);
    expect(compareIsClean(c)).toBe(false);
  });

  it('same platform on both sides: labels say A and B', () => {
    const c = compareReports(report(LOCAL, [attempt(587, 'ipv4', 'ok')]), report(LOCAL, [attempt(587, 'ipv4', 'connect_timeout')]));
    expect([c.a.label, c.b.label]).toEqual(['this machine (A)', 'this machine (B)']);
    expect(c.verdict.summary).toContain('gets out of this machine (A) but times out from this machine (B)');
  });

  it('banners: another host of the same pool is the same; another server name differs', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    const pool = report(RENDER, [attempt(587, 'ipv4', 'ok', { banner: '220 smtp-9.mail.example.com ESMTP ready 2026-11-03T10:00:07Z id=zz99' })]);
    expect(compareRows(a, pool)[0]?.finding).toBe('same');
    const proxy = report(RENDER, [attempt(587, 'ipv4', 'ok', { banner: '220 egress-proxy.internal ESMTP Postfix' })]);
    const row = compareRows(a, proxy)[0];
    expect(row?.finding).toBe('differs');
    expect(row?.differences.map((d) => d.field)).toEqual(['banner']);
    expect(compareReports(a, proxy).verdict.causes.join('\n')).toMatch(/different server answers/);
  });

  it('TLS differences: protocol and certificate (interception) make the row differ', () => {
    const a = report(NETLIFY, [attempt(465, 'ipv4', 'ok')]);
    const base = attempt(465, 'ipv4', 'ok');
    const b = report(RENDER, [{ ...base, tls: { ...(base.tls as NonNullable<Attempt['tls']>), protocol: 'TLSv1.2', cert: { subject: 'CN=smtp.mail.example.com', issuer: 'CN=Corp Inspection CA', validTo: '2027-01-01', altNames: [] } } }]);
    const c = compareReports(a, b);
    expect(c.rows[0]?.finding).toBe('differs');
    expect(c.rows[0]?.differences.map((d) => d.field)).toEqual(['tls.protocol', 'tls.cert']);
    expect(c.verdict.code).toBe('differs');
    expect(c.verdict.summary).toContain('tls.protocol TLSv1.3 from Netlify (us-east-2) vs TLSv1.2 from Render (oregon)');
    expect(c.verdict.causes.join('\n')).toMatch(/TLS-intercepting middlebox/);
  });

  it('the server rejects one side (blocklisted IP): differs, with the blocklist cause', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'smtp_rejected', { banner: '554 smtp-4.mail.example.com your IP is listed' })]);
    const c = compareReports(a, b);
    expect(c.rows[0]?.finding).toBe('differs');
    expect(c.verdict.code).toBe('differs');
    expect(c.verdict.causes.join('\n')).toMatch(/rejects Render's IP address/);
  });

  it('a login tried from one side only is not a difference; tried on both with different results is', () => {
    const ok = { mechanisms: ['PLAIN'], result: 'ok' as const, response: '235 ok' };
    const a = report(LOCAL, [attempt(587, 'ipv4', 'ok', { auth: ok })]);
    const b = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    expect(compareRows(a, b)[0]?.finding).toBe('same');
    const bad = report(NETLIFY, [attempt(587, 'ipv4', 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535' } })]);
    const row = compareRows(a, bad)[0];
    expect(row?.finding).toBe('differs');
    expect(row?.differences.map((d) => d.field)).toEqual(['outcome', 'auth']);
  });

  it('rows present on one side only: only_a / only_b, mentioned in the verdict', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok'), attempt(465, 'ipv4', 'ok')]);
    const c = compareReports(a, b);
    expect(c.rows.map((r) => [r.port, r.family, r.finding])).toEqual([
      [465, 'ipv4', 'only_b'],
      [587, 'ipv4', 'same'],
      [587, 'ipv6', 'only_a'],
      [2525, 'ipv4', 'only_a'],
    ]);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('587 IPv6 and 2525 IPv4 were probed only from Netlify (us-east-2)');
    expect(compareIsClean(c)).toBe(false);
  });

  it('a DNS failure (no family) on one side is matched against every family of the other', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const b = report(RENDER, [attempt(587, null, 'dns_failed', { errno: 'ENOTFOUND', message: 'the name does not exist' })]);
    const c = compareReports(a, b);
    expect(c.rows.map((r) => [r.family, r.b?.outcome, r.finding])).toEqual([
      ['ipv4', 'dns_failed', 'differs'],
      ['ipv6', 'dns_failed', 'differs'],
    ]);
    expect(c.verdict.causes.join('\n')).toMatch(/does not resolve from Render/);
    const both = compareReports(report(NETLIFY, [attempt(587, null, 'dns_failed')]), report(RENDER, [attempt(587, null, 'dns_failed')]));
    expect(both.rows).toHaveLength(1);
    expect(both.rows[0]).toMatchObject({ family: null, finding: 'same' });
  });

  it('both sides fail to connect: "gets out of neither" next to the main finding', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports(a, b);
    expect(c.verdict.code).toBe('egress_blocked_b');
    expect(c.verdict.summary).toContain('Port 25 gets out of neither (connect timeout from both)');
  });

  it('renders a table with both platforms, the findings and the verdict', () => {
    const c = compareReports(report(NETLIFY, [attempt(587, 'ipv4', 'ok')]), report(RENDER, [attempt(587, 'ipv4', 'connect_timeout')]));
    const text = renderCompareText(c, undefined, { width: 120 });
    expect(text).toContain('smtp-egress compare smtp.mail.example.com');
    expect(text).toMatch(/A: Netlify \(us-east-2\)/);
    expect(text).toMatch(/587\s+ipv4\s+ok 20ms\s+connect_timeout\s+egress_blocked_b\s+B: connect timeout on 587/);
    expect(text).toContain('Verdict egress_blocked_b:');
    expect(text).toContain('Fixes');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b\[/);
  });
});

describe('compare: reports that cannot be compared', () => {
  const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);

  it('different targets: incompatible_reports naming both hosts', () => {
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok')], 'smtp.other.example');
    const e = caught(() => compareInputs(a, b, ['netlify.json', 'render.json']));
    expect(e.code).toBe('incompatible_reports');
    expect(e.message).toContain('netlify.json probed smtp.mail.example.com, render.json probed smtp.other.example');
  });

  it('host names differing only in case or a trailing dot are the same target', () => {
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok')], 'SMTP.Mail.Example.com.');
    expect(compareInputs(a, b).rows[0]?.finding).toBe('same');
  });

  it('reads the previous report version: a probe@1 report compares with a probe@2 one; an unknown version is refused by name', () => {
    const old = { ...structuredClone(a), schema: 'smtp-egress/probe@1', verdict: { code: 'egress_blocked', summary: 'old words', causes: [], fixes: [] } };
    const c = compareInputs(old, report(RENDER, [attempt(587, 'ipv4', 'ok')]), ['a.json', 'b.json']);
    expect(c.rows.length).toBeGreaterThan(0);
    const future = { ...structuredClone(a), schema: 'smtp-egress/probe@9' };
    const e = caught(() => compareInputs(future, a, ['a.json', 'b.json']));
    expect(e.code).toBe('incompatible_reports');
    expect(e.message).toMatch(/a\.json is a smtp-egress\/probe@9 report.*smtp-egress\/probe@1 and smtp-egress\/probe@2/);
  });

  it('not a probe report, or an invalid one: invalid_input naming the input and the field', () => {
    expect(caught(() => loadProbeReport([], 'x.json')).message).toMatch(/x\.json is not a probe report/);
    expect(caught(() => loadProbeReport({ hello: 1 }, 'x.json')).message).toMatch(/x\.json is not an smtp-egress probe report: its "schema" is missing/);
    const c = compareReports(a, a);
    expect(caught(() => loadProbeReport(c, 'x.json')).message).toMatch(/already a comparison/);
    const broken = structuredClone(a) as unknown as { attempts: { outcome: string }[] };
    (broken.attempts[0] as { outcome: string }).outcome = 'exploded';
    const e = caught(() => compareInputs(a, broken, ['a.json', 'b.json']));
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('b.json.attempts.0.outcome');
    expect(e.message).toMatch(/^b\.json is not a valid smtp-egress\/probe@2 report: attempts\.0\.outcome: /);
  });
});
