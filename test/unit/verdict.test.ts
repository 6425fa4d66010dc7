// The verdict from hand-built attempts: each rule, the platform knowledge it quotes, and how
// findings combine. (Real probes feed the same function in test/integration and test/egress.)
import { describe, expect, it } from 'vitest';
import { computeVerdict, verdictPasses } from '../../lib/diagnosis/verdict.ts';
import type { Attempt, Outcome, Platform } from '../../lib/model/probe-report.ts';

const local: Platform = { name: 'local', region: null, runtime: 'node', deployContext: null };
const render: Platform = { name: 'render', region: 'oregon', runtime: 'node', deployContext: null };

function at(port: number, outcome: Outcome, extra: Partial<Attempt> = {}): Attempt {
  return {
    port,
    mode: port === 465 ? 'implicit-tls' : 'starttls',
    detectedMode: null,
    address: extra.family === 'ipv6' ? '2001:db8::1' : '192.0.2.1',
    family: 'ipv4',
    outcome,
    errno: null,
    message: outcome,
    phases: {},
    banner: null,
    capabilities: [],
    tls: null,
    auth: null,
    transcript: [],
    ...extra,
  };
}

describe('computeVerdict', () => {
  it('all_ok', () => {
    const v = computeVerdict([at(587, 'ok'), at(465, 'ok')], local, 'mail.test');
    expect(v.code).toBe('all_ok');
    expect(v.summary).toContain('465 and 587');
  });

  it('egress_blocked names the port that gets through and, on Render, its free-plan block', () => {
    const v = computeVerdict([at(25, 'connect_timeout'), at(465, 'connect_timeout'), at(587, 'connect_timeout'), at(2525, 'ok')], render, 'mail.test');
    expect(v.code).toBe('egress_blocked');
    expect(v.summary).toMatch(/25, 465 and 587 are blocked from Render \(oregon\).*2525 gets through/);
    expect(v.causes.join(' ')).toContain('2025-09-26');
    expect(v.fixes[0]).toContain('Use port 2525');
    expect(v.fixes.join(' ')).toMatch(/HTTPS mail API/);
    expect(v.fixes.join(' ')).toMatch(/paid instance type/);
  });

  it('egress_blocked_all when nothing connects', () => {
    const v = computeVerdict([at(587, 'network_unreachable'), at(465, 'connect_timeout')], local, 'mail.test');
    expect(v.code).toBe('egress_blocked_all');
    expect(v.fixes[0]).toMatch(/alternative port/);
  });

  it('ipv6_only_failure: IPv6 unreachable while IPv4 connects on the same port', () => {
    const v = computeVerdict([at(587, 'ok'), at(587, 'network_unreachable', { family: 'ipv6' })], render, 'mail.test');
    expect(v.code).toBe('ipv6_only_failure');
    expect(v.summary).toContain('Errno 101');
    expect(v.summary).toMatch(/mail still gets out/);
    // An immediate IPv6 failure every client falls back from is a note, not a failure.
    expect(v.findings[0]?.level).toBe('info');
    expect(verdictPasses(v)).toBe(true);
    expect(v.causes.join(' ')).toMatch(/no outbound IPv6/);
  });

  it('an IPv6 failure is not IPv6-only when IPv4 fails too', () => {
    const v = computeVerdict([at(587, 'connect_timeout'), at(587, 'network_unreachable', { family: 'ipv6' })], local, 'mail.test');
    expect(v.code).toBe('egress_blocked_all');
  });

  it('tls_misconfigured says which Django setting fits each port', () => {
    const v = computeVerdict([at(465, 'tls_mode_mismatch', { detectedMode: 'starttls' }), at(587, 'tls_mode_mismatch', { mode: 'starttls', detectedMode: 'implicit-tls' })], local, 'mail.test');
    expect(v.code).toBe('tls_misconfigured');
    expect(v.fixes).toEqual(expect.arrayContaining([expect.stringContaining('Port 465 speaks STARTTLS: EMAIL_PORT=465, EMAIL_USE_TLS=True, EMAIL_USE_SSL='), expect.stringContaining('Port 587 speaks implicit TLS (SSL): EMAIL_PORT=587, EMAIL_USE_TLS=, EMAIL_USE_SSL=True')]));
  });

  it('tls_certificate with hostname mismatch points at the certificate names', () => {
    const v = computeVerdict([at(587, 'tls_failed', { tls: { protocol: null, cipher: null, authorized: false, error: 'hostname_mismatch', errorDetail: 'ERR_TLS_CERT_ALTNAME_INVALID', cert: null } })], local, 'mail.test');
    expect(v.code).toBe('tls_certificate');
    expect(v.fixes[0]).toMatch(/altNames/);
  });

  it('combines findings: a blocked port and a failed login are both reported', () => {
    const v = computeVerdict([at(465, 'connect_timeout'), at(587, 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535 5.7.8 bad credentials' } })], local, 'mail.test');
    expect(v.code).toBe('egress_blocked');
    expect(v.summary).toContain('535 5.7.8');
    expect(v.fixes.join(' ')).toMatch(/EMAIL_HOST_PASSWORD/);
  });

  it.each([
    ['dns_failed', 'dns_failed'],
    ['blocked_by_policy', 'blocked_by_policy'],
    ['smtp_rejected', 'server_rejected'],
    ['starttls_unavailable', 'starttls_unavailable'],
    ['auth_unavailable', 'auth_unavailable'],
    ['greeting_timeout', 'server_unresponsive'],
  ] as const)('%s -> %s', (outcome, code) => {
    expect(computeVerdict([at(587, outcome)], local, 'mail.test').code).toBe(code);
  });
});
