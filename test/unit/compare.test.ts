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
    const c = compareReports([a, b]);
    expect(CompareReport.parse(c)).toEqual(c);
    expect(c.schema).toBe('smtp-egress/compare@2');
    expect(c.rows.map((r) => [r.port, r.family, r.cells[0]?.outcome, r.cells[1]?.outcome, r.finding, r.blocked])).toEqual([
      [587, 'ipv4', 'ok', 'connect_timeout', 'egress_blocked', ['B']],
      [2525, 'ipv4', 'ok', 'ok', 'same', []],
    ]);
    expect(c.columns.map((x) => [x.id, x.label])).toEqual([
      ['A', 'Netlify (us-east-2)'],
      ['B', 'Render (oregon)'],
    ]);
    expect(c.verdict.blocks).toEqual([{ column: 'B', label: 'Render (oregon)', family: 'ipv4', ports: [587], ownLimit: true }]);
    expect(c.verdict.code).toBe('egress_blocked');
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

  it('is symmetric: swapping the reports blocks column A', () => {
    const a = report(RENDER, [attempt(465, 'ipv4', 'network_unreachable'), attempt(587, 'ipv4', 'connection_refused'), attempt(2525, 'ipv4', 'ok')]);
    const b = report(NETLIFY, [attempt(465, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const c = compareReports([a, b]);
    expect(c.rows.map((r) => [r.finding, r.blocked])).toEqual([
      ['egress_blocked', ['A']],
      ['egress_blocked', ['A']],
      ['same', []],
    ]);
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.summary).toContain("Ports 465 and 587 get out of Netlify (us-east-2) but fail from Render (oregon) (465: network unreachable, 587: connection refused): Render's egress blocks them");
  });

  it('no working port on the blocked side: suggests an alternative port instead of one that does not get out', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports([a, b]);
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.summary).toContain('Ports 25 and 587 get out of Netlify (us-east-2) but time out from Render (oregon)');
    expect(c.verdict.summary).toContain('an alternative port if your provider serves one (2525, 2587 or 2465)');
    expect(c.verdict.fixes[0]).toMatch(/None of the ports compared gets out of Render/);
  });

  it('IPv6 blocked where IPv4 gets out (Render has no outbound IPv6): ipv6_blocked and the force-IPv4 fix', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'network_unreachable')]);
    const c = compareReports([a, b]);
    expect(c.rows.map((r) => [r.family, r.finding])).toEqual([
      ['ipv4', 'same'],
      ['ipv6', 'egress_blocked'],
    ]);
    expect(c.verdict.code).toBe('ipv6_blocked');
    expect(c.verdict.summary).toContain('Errno 101');
    expect(c.verdict.fixes[0]).toMatch(/force IPv4/);
    expect(c.verdict.causes[0]).toMatch(/no outbound IPv6/);
  });

  it('both sides blocking different ports: one sentence per network, Netlify 25 named as its own limit', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports([a, b]);
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.blocks.map((b) => [b.column, b.ports, b.ownLimit])).toEqual([
      ['A', [25], true],
      ['B', [587], true],
    ]);
    expect(c.verdict.summary).toContain('Port 25 gets out of Render (oregon) but times out from Netlify (us-east-2)');
    expect(c.verdict.summary).toContain('Port 587 gets out of Netlify (us-east-2) but times out from Render (oregon)');
  });

  it('everything the same and ok: same, exit-clean', () => {
    const mk = (p: Platform) => report(p, [attempt(465, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const c = compareReports([mk(NETLIFY), mk(RENDER)]);
    expect(c.rows.every((r) => r.finding === 'same')).toBe(true);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('mail gets out of both');
    expect(compareIsClean(c)).toBe(true);
  });

  it('the same failure on both sides: same, but the cause is the server or the settings', () => {
    const mk = (p: Platform) => report(p, [attempt(587, 'ipv4', 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535 5.7.8 bad credentials' } })]);
    const c = compareReports([mk(NETLIFY), mk(RENDER)]);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('587 auth_failed');
    expect(c.verdict.summary).toContain('not one platform');
    expect(c.verdict.fixes.join('\n')).toMatch(/EMAIL_HOST_PASSWORD/);
    expect(compareIsClean(c)).toBe(false);
  });

  it('same platform on both sides: labels say A and B', () => {
    const c = compareReports([report(LOCAL, [attempt(587, 'ipv4', 'ok')]), report(LOCAL, [attempt(587, 'ipv4', 'connect_timeout')])]);
    expect(c.columns.map((x) => x.label)).toEqual(['this machine (A)', 'this machine (B)']);
    expect(c.verdict.summary).toContain('gets out of this machine (A) but times out from this machine (B)');
  });

  it('banners: another host of the same pool is the same; another server name differs', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    const pool = report(RENDER, [attempt(587, 'ipv4', 'ok', { banner: '220 smtp-9.mail.example.com ESMTP ready 2026-11-03T10:00:07Z id=zz99' })]);
    expect(compareRows([a, pool])[0]?.finding).toBe('same');
    const proxy = report(RENDER, [attempt(587, 'ipv4', 'ok', { banner: '220 egress-proxy.internal ESMTP Postfix' })]);
    const row = compareRows([a, proxy])[0];
    expect(row?.finding).toBe('differs');
    expect(row?.differences.map((d) => d.field)).toEqual(['banner']);
    expect(compareReports([a, proxy]).verdict.causes.join('\n')).toMatch(/different server answers/);
  });

  it('TLS differences: protocol and certificate (interception) make the row differ', () => {
    const a = report(NETLIFY, [attempt(465, 'ipv4', 'ok')]);
    const base = attempt(465, 'ipv4', 'ok');
    const b = report(RENDER, [{ ...base, tls: { ...(base.tls as NonNullable<Attempt['tls']>), protocol: 'TLSv1.2', cert: { subject: 'CN=smtp.mail.example.com', issuer: 'CN=Corp Inspection CA', validTo: '2027-01-01', altNames: [] } } }]);
    const c = compareReports([a, b]);
    expect(c.rows[0]?.finding).toBe('differs');
    expect(c.rows[0]?.differences.map((d) => d.field)).toEqual(['tls.protocol', 'tls.cert']);
    expect(c.verdict.code).toBe('differs');
    expect(c.verdict.summary).toContain('tls.protocol TLSv1.3 from Netlify (us-east-2) vs TLSv1.2 from Render (oregon)');
    expect(c.verdict.causes.join('\n')).toMatch(/TLS-intercepting middlebox/);
  });

  it('the server rejects one side (blocklisted IP): differs, with the blocklist cause', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'smtp_rejected', { banner: '554 smtp-4.mail.example.com your IP is listed' })]);
    const c = compareReports([a, b]);
    expect(c.rows[0]?.finding).toBe('differs');
    expect(c.verdict.code).toBe('differs');
    expect(c.verdict.causes.join('\n')).toMatch(/rejects Render's IP address/);
  });

  it('a login tried from one side only is not a difference; tried on both with different results is', () => {
    const ok = { mechanisms: ['PLAIN'], result: 'ok' as const, response: '235 ok' };
    const a = report(LOCAL, [attempt(587, 'ipv4', 'ok', { auth: ok })]);
    const b = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    expect(compareRows([a, b])[0]?.finding).toBe('same');
    const bad = report(NETLIFY, [attempt(587, 'ipv4', 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535' } })]);
    const row = compareRows([a, bad])[0];
    expect(row?.finding).toBe('differs');
    expect(row?.differences.map((d) => d.field)).toEqual(['outcome', 'auth']);
  });

  it('rows present from one network only: not_compared, mentioned in the verdict', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok'), attempt(465, 'ipv4', 'ok')]);
    const c = compareReports([a, b]);
    expect(c.rows.map((r) => [r.port, r.family, r.finding])).toEqual([
      [465, 'ipv4', 'not_compared'],
      [587, 'ipv4', 'same'],
      [587, 'ipv6', 'not_compared'],
      [2525, 'ipv4', 'not_compared'],
    ]);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('465 IPv4 was not probed from Netlify (us-east-2)');
    expect(c.verdict.summary).toContain('587 IPv6 and 2525 IPv4 were not probed from Render (oregon)');
    expect(compareIsClean(c)).toBe(false);
  });

  it('a DNS failure (no family) on one side is matched against every family of the other', () => {
    const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok')]);
    const b = report(RENDER, [attempt(587, null, 'dns_failed', { errno: 'ENOTFOUND', message: 'the name does not exist' })]);
    const c = compareReports([a, b]);
    expect(c.rows.map((r) => [r.family, r.cells[1]?.outcome, r.finding])).toEqual([
      ['ipv4', 'dns_failed', 'differs'],
      ['ipv6', 'dns_failed', 'differs'],
    ]);
    expect(c.verdict.causes.join('\n')).toMatch(/does not resolve from Render/);
    const both = compareReports([report(NETLIFY, [attempt(587, null, 'dns_failed')]), report(RENDER, [attempt(587, null, 'dns_failed')])]);
    expect(both.rows).toHaveLength(1);
    expect(both.rows[0]).toMatchObject({ family: null, finding: 'same' });
  });

  it('both sides fail to connect on 25: named as each network\'s own limit, next to the main finding', () => {
    const a = report(NETLIFY, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok')]);
    const b = report(RENDER, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'connect_timeout')]);
    const c = compareReports([a, b]);
    expect(c.verdict.code).toBe('egress_blocked');
    // Both are the networks' own limits (Lambda and Render free block 25): not blamed on the server.
    expect(c.verdict.summary).toContain('Port 25 gets out of neither network, as their own limits predict (Netlify blocks 25; Render blocks 25)');
    expect(c.verdict.blocks.map((x) => [x.column, x.ports, x.ownLimit])).toEqual([
      ['A', [25], true],
      ['B', [25, 587], true],
    ]);
    // Where nothing predicts the failure, the server may not listen: 2526 is nobody's limit.
    const d = compareReports([report(NETLIFY, [attempt(2526, 'ipv4', 'connection_refused')]), report(RENDER, [attempt(2526, 'ipv4', 'connection_refused')])]);
    expect(d.verdict.code).toBe('same');
    expect(d.verdict.summary).toContain('what fails, fails from both networks, so the cause is the server or the settings');
  });

  it('renders a table with both platforms, the findings and the verdict', () => {
    const c = compareReports([report(NETLIFY, [attempt(587, 'ipv4', 'ok')]), report(RENDER, [attempt(587, 'ipv4', 'connect_timeout')])]);
    const text = renderCompareText(c, undefined, { width: 120 });
    expect(text).toContain('smtp-egress compare smtp.mail.example.com');
    expect(text).toMatch(/A: Netlify \(us-east-2\)/);
    expect(text).toMatch(/587\s+ipv4\s+ok 20ms\s+connect_timeout \(own limit\)\s+blocked from B\s+B: connect timeout on 587/);
    expect(text).toMatch(/B: Render \(oregon\) .*\n\s+own limits: port 25\/465\/587 blocked \(documented\); no outbound IPv6 \(inferred\)/);
    expect(text).toMatch(/A: Netlify \(us-east-2\) .*\n\s+own limits: port 25 blocked \(inferred\); no outbound IPv6 \(inferred\); 60 s per request/);
    expect(text).toContain('Verdict egress_blocked:');
    expect(text).toContain('Fixes');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b\[/);
  });
});

describe('compare: reports that cannot be compared', () => {
  const a = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);

  it('different targets: incompatible_reports naming both hosts', () => {
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok')], 'smtp.other.example');
    const e = caught(() => compareInputs([a, b], ['netlify.json', 'render.json']));
    expect(e.code).toBe('incompatible_reports');
    expect(e.message).toContain('netlify.json probed smtp.mail.example.com, render.json probed smtp.other.example');
  });

  it('host names differing only in case or a trailing dot are the same target', () => {
    const b = report(RENDER, [attempt(587, 'ipv4', 'ok')], 'SMTP.Mail.Example.com.');
    expect(compareInputs([a, b]).rows[0]?.finding).toBe('same');
  });

  it('reads the previous report version: a probe@1 report compares with a probe@2 one; an unknown version is refused by name', () => {
    const old = { ...structuredClone(a), schema: 'smtp-egress/probe@1', verdict: { code: 'egress_blocked', summary: 'old words', causes: [], fixes: [] } };
    const c = compareInputs([old, report(RENDER, [attempt(587, 'ipv4', 'ok')]), old], ['a.json', 'b.json', 'c.json']);
    expect(c.columns).toHaveLength(3);
    expect(c.rows[0]?.finding).toBe('same');
    const future = { ...structuredClone(a), schema: 'smtp-egress/probe@9' };
    const e = caught(() => compareInputs([future, a], ['a.json', 'b.json']));
    expect(e.code).toBe('incompatible_reports');
    expect(e.message).toMatch(/a\.json is a smtp-egress\/probe@9 report.*smtp-egress\/probe@1 and smtp-egress\/probe@2/);
  });

  it('not a probe report, or an invalid one: invalid_input naming the input and the field', () => {
    expect(caught(() => loadProbeReport([], 'x.json')).message).toMatch(/x\.json is not a probe report/);
    expect(caught(() => loadProbeReport({ hello: 1 }, 'x.json')).message).toMatch(/x\.json is not an smtp-egress probe report: its "schema" is missing/);
    const c = compareReports([a, a]);
    expect(caught(() => loadProbeReport(c, 'x.json')).message).toMatch(/already a comparison/);
    const broken = structuredClone(a) as unknown as { attempts: { outcome: string }[] };
    (broken.attempts[0] as { outcome: string }).outcome = 'exploded';
    const e = caught(() => compareInputs([a, broken], ['a.json', 'b.json']));
    expect(e.code).toBe('invalid_input');
    expect(e.field).toBe('b.json.attempts.0.outcome');
    expect(e.message).toMatch(/^b\.json is not a valid smtp-egress\/probe@2 report: attempts\.0\.outcome: /);
  });
});

describe('compare: three or more networks', () => {
  it('Netlify, Render and this machine: one column each; each block named for its network, own limits as such', () => {
    const netlify = report(NETLIFY, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'network_unreachable'), attempt(2525, 'ipv4', 'ok')]);
    const render = report(RENDER, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'connect_timeout'), attempt(587, 'ipv6', 'network_unreachable'), attempt(2525, 'ipv4', 'ok')]);
    const local = report(LOCAL, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', 'ok'), attempt(2525, 'ipv4', 'ok')]);
    const c = compareReports([netlify, render, local]);
    expect(CompareReport.parse(c)).toEqual(c);
    expect(c.columns.map((x) => `${x.id}:${x.label}`)).toEqual(['A:Netlify (us-east-2)', 'B:Render (oregon)', 'C:this machine']);
    expect(c.rows.map((r) => [r.port, r.family, r.cells.map((x) => x?.limit ?? null), r.finding, r.blocked])).toEqual([
      [25, 'ipv4', ['port_blocked', 'port_blocked', null], 'egress_blocked', ['A', 'B']],
      [587, 'ipv4', [null, 'port_blocked', null], 'egress_blocked', ['B']],
      [587, 'ipv6', ['no_ipv6', 'no_ipv6', null], 'egress_blocked', ['A', 'B']],
      [2525, 'ipv4', [null, null, null], 'same', []],
    ]);
    expect(c.verdict.code).toBe('egress_blocked');
    // Netlify: 25 and IPv6 are its own limits; the IPv6 one is marked inferred.
    expect(c.verdict.summary).toContain('Port 25 gets out of this machine but times out from Netlify (us-east-2)');
    expect(c.verdict.summary).toContain("Port 25 and port 587 over IPv4 get out of this machine but time out from Render (oregon): Render's egress blocks them.");
    expect(c.verdict.causes.join('\n')).toMatch(/That is Netlify's own limit: .*port 25 is blocked/);
    expect(c.columns[0]?.limits.find((l) => l.kind === 'no_ipv6')).toMatchObject({ basis: 'inferred' });
    expect(c.columns[0]?.limits.find((l) => l.kind === 'time_limit')).toMatchObject({ seconds: 60 });
    expect(c.verdict.blocks.map((b) => [b.column, b.family, b.ports, b.ownLimit])).toEqual([
      ['A', 'ipv4', [25], true],
      ['A', 'ipv6', [587], true],
      ['B', 'ipv4', [25, 587], true],
      ['B', 'ipv6', [587], true],
    ]);
    const text = renderCompareText(c, undefined, { width: 160 });
    expect(text).toMatch(/PORT\s+FAMILY\s+A: Netlify \(us-east-2\)\s+B: Render \(oregon\)\s+C: this machine\s+FINDING/);
    expect(text).toMatch(/25\s+ipv4\s+connect_timeout \(own limit\)\s+connect_timeout \(own limit\)\s+ok 20ms\s+blocked from A, B/);
    expect(compareIsClean(c)).toBe(false);
  });

  it('IPv6 unreachable from Netlify and Render, IPv4 the same everywhere: the own limits, not the server', () => {
    const mk = (p: Platform, v6: Outcome) => report(p, [attempt(587, 'ipv4', 'ok'), attempt(587, 'ipv6', v6)]);
    const c = compareReports([mk(NETLIFY, 'network_unreachable'), mk(RENDER, 'connect_timeout')]);
    expect(c.rows.map((r) => r.finding)).toEqual(['same', 'differs']);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('Port 587 over IPv6 gets out of neither network, as their own limits predict (Netlify has no outbound IPv6; Render has no outbound IPv6)');
    expect(c.verdict.summary).not.toMatch(/server may not listen/);
    expect(c.verdict.causes.join('\n')).toMatch(/Netlify \(us-east-2\): Netlify has no outbound IPv6 \(inferred: https:\/\/\S+\)/);
  });

  it('two to sixteen reports; one or seventeen is a usage error', () => {
    const r = report(NETLIFY, [attempt(587, 'ipv4', 'ok')]);
    expect(caught(() => compareInputs([r])).message).toMatch(/two or more reports \(got 1\)/);
    expect(caught(() => compareInputs(Array.from({ length: 17 }, () => r))).code).toBe('invalid_input');
    expect(compareInputs(Array.from({ length: 16 }, () => r)).columns.at(-1)?.label).toBe('Netlify (us-east-2) (P)');
  });
});

describe('compare: the way out is the platform\'s own', () => {
  it('AWS Lambda blocking 25: a support request, never "a paid AWS Lambda plan"', () => {
    const lambda: Platform = { name: 'aws-lambda', region: 'eu-west-1', runtime: 'node v20', deployContext: null };
    const c = compareReports([report(LOCAL, [attempt(25, 'ipv4', 'ok'), attempt(587, 'ipv4', 'ok')]), report(lambda, [attempt(25, 'ipv4', 'connect_timeout'), attempt(587, 'ipv4', 'ok')])]);
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.summary).not.toMatch(/paid/);
    expect(c.verdict.fixes.join('\n')).toMatch(/Or attach the function to a VPC, .* ask AWS to remove the port 25 restriction/);
  });
});
