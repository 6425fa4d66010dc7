// The diagnosis on hand-built evidence: the configured path decides the verdict, settings mistakes
// outrank the network, a refusal is not an egress block, a way out is offered only when the
// evidence proves it (in full settings), and the client model predicts what the app will see.
// The truth suite (test/truth) checks the same predictions against real Django and nodemailer.
import { describe, expect, it } from 'vitest';
import { computeVerdict, verdictPasses } from '../../lib/diagnosis/verdict.ts';
import type { Attempt, Outcome, Platform } from '../../lib/model/probe-report.ts';
import type { AppPath } from '../../lib/model/diagnosis.ts';

const local: Platform = { name: 'local', region: null, runtime: 'node', deployContext: null };
const render: Platform = { name: 'render', region: 'oregon', runtime: 'node', deployContext: null };
const V4 = '192.0.2.10';
const V6 = '2001:db8::10';
const addresses = [
  { address: V4, family: 'ipv4' as const },
  { address: V6, family: 'ipv6' as const },
];

function at(port: number, outcome: Outcome, extra: Partial<Attempt> = {}): Attempt {
  const mode = extra.mode ?? (port === 465 || port === 2465 ? 'implicit-tls' : 'starttls');
  const connectedOk = !['connect_timeout', 'network_unreachable', 'connection_refused', 'host_unreachable'].includes(outcome);
  return {
    port,
    mode,
    detectedMode: connectedOk ? mode : null,
    address: extra.family === 'ipv6' ? V6 : V4,
    family: 'ipv4',
    outcome,
    errno: null,
    message: outcome,
    phases: { connect: outcome === 'connect_timeout' ? undefined : 20 },
    banner: connectedOk ? '220 mail.example ESMTP' : null,
    capabilities: connectedOk ? ['STARTTLS', 'AUTH PLAIN LOGIN'] : [],
    tls: null,
    auth: null,
    transcript: [],
    ...extra,
  };
}
const authOk = { auth: { mechanisms: ['PLAIN'], result: 'ok' as const, response: '235 ok' } };
const app = (p: Partial<AppPath> = {}): AppPath => ({ port: 587, mode: 'starttls', login: true, timeoutS: 10, client: 'django', source: 'django-env', useTls: true, useSsl: false, ...p });

describe('the configured path decides', () => {
  it('LWS user: 587 and the login work, 2525 (not served by LWS) refused -> configured_ok, exit 0, the refusal a note', () => {
    const attempts = [at(587, 'ok', authOk), at(465, 'ok'), at(25, 'connection_refused', { mode: 'starttls-optional' }), at(2525, 'connection_refused', { mode: 'starttls-optional' })];
    const v = computeVerdict(attempts, local, 'mail55.lwspanel.com', { app: app(), addresses });
    expect(v.code).toBe('configured_ok');
    expect(verdictPasses(v)).toBe(true);
    const note = v.findings.find((f) => f.ports.includes(2525));
    expect(note?.level).toBe('info');
    expect(v.findings.some((f) => f.code === 'egress_blocked')).toBe(false);
  });

  it('a wrong password on the configured port is the verdict, even with other ports refused', () => {
    const attempts = [at(587, 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535 5.7.8 Error: authentication failed' } }), at(2525, 'connection_refused', { mode: 'starttls-optional' })];
    const v = computeVerdict(attempts, local, 'mail55.lwspanel.com', { app: app(), addresses });
    expect(v.code).toBe('auth_failed');
    expect(v.prediction?.error).toMatch(/^smtplib\.SMTPAuthenticationError: \(535/);
    expect(verdictPasses(v)).toBe(false);
  });

  it('Render free: the IPv4 SYN dropped, no IPv6 route -> Django waits EMAIL_TIMEOUT, then raises [Errno 101]; the way out is the verified 2525 in full settings', () => {
    const attempts = [
      at(587, 'connect_timeout'),
      at(587, 'network_unreachable', { family: 'ipv6', address: V6, phases: { connect: 0 } }),
      at(465, 'connect_timeout'),
      at(2525, 'ok', { mode: 'starttls-optional', detectedMode: 'starttls', ...authOk }),
    ];
    const v = computeVerdict(attempts, render, 'smtp.sendgrid.net', { app: app({ timeoutS: 2 }), addresses });
    expect(v.code).toBe('egress_blocked');
    expect(v.prediction).toMatchObject({ sends: false, error: 'OSError: [Errno 101] Network is unreachable', hangMs: 2000 });
    expect(v.prediction?.steps.map((s) => s.family)).toEqual(['ipv4', 'ipv6']);
    expect(v.summary).toMatch(/last address's error/);
    const [fix] = v.findings[0]?.fixes ?? [];
    expect(fix).toMatchObject({ id: 'use-port', verified: 'this_run' });
    expect(fix?.settings).toEqual([
      { name: 'EMAIL_PORT', value: '2525' },
      { name: 'EMAIL_USE_TLS', value: 'True' },
      { name: 'EMAIL_USE_SSL', value: '' },
    ]);
    expect(v.causes.join(' ')).toMatch(/2025-09-26/);
  });

  it('no way out proven: LWS serves nothing Render lets out and has no HTTPS API -> switch provider, or a paid instance', () => {
    const attempts = [at(587, 'connect_timeout'), at(465, 'connect_timeout'), at(2525, 'connection_refused', { mode: 'starttls-optional' })];
    const v = computeVerdict(attempts, render, 'mail55.lwspanel.com', { app: app(), addresses: addresses.slice(0, 1) });
    expect(v.code).toBe('egress_blocked');
    const ids = v.findings[0]?.fixes.map((f) => f.id);
    expect(ids).toContain('switch-provider');
    expect(ids).toContain('paid-plan');
    expect(ids).not.toContain('use-port');
  });

  it('a port that connected and then failed (554, silence, failed login) is never offered as a way out', () => {
    const attempts = [
      at(587, 'connect_timeout'),
      at(2525, 'smtp_rejected', { mode: 'starttls-optional' }),
      at(465, 'greeting_timeout'),
      at(2587, 'auth_failed', { auth: { mechanisms: ['PLAIN'], result: 'failed', response: '535 no' } }),
    ];
    const v = computeVerdict(attempts, render, 'smtp.example.com', { app: app(), addresses: addresses.slice(0, 1) });
    expect(v.findings.flatMap((f) => f.fixes).filter((f) => f.id === 'use-port')).toEqual([]);
  });

  it('a refusal on the configured port is not an egress block when another port of the address answers', () => {
    const attempts = [at(2587, 'connection_refused'), at(587, 'ok')];
    const v = computeVerdict(attempts, local, 'mail.example.com', { app: app({ port: 2587, login: false }), addresses: addresses.slice(0, 1) });
    expect(v.code).toBe('port_refused');
    expect(v.summary).toMatch(/refuses connections while port 587 of the same address answers/);
    expect(v.findings[0]?.fixes[0]).toMatchObject({ id: 'use-port', verified: 'evidence' });
  });

  it('an IPv6 failure the client falls back from is a cost note; the configured path works', () => {
    const attempts = [at(587, 'ok', authOk), at(587, 'connect_timeout', { family: 'ipv6', address: V6 })];
    const v6first = [addresses[1], addresses[0]] as typeof addresses;
    const v = computeVerdict(attempts, local, 'mail.example.com', { app: app({ timeoutS: 5 }), addresses: v6first });
    expect(v.code).toBe('configured_ok');
    expect(v.prediction).toMatchObject({ sends: true, hangMs: 5000 });
    const cost = v.findings.find((f) => f.code === 'ipv6_fallback_cost');
    expect(cost?.level).toBe('warning');
    expect(cost?.fixes.map((f) => f.text).join(' ')).not.toMatch(/EMAIL_HOST=\d|IP address of the host/);
  });
});

describe('settings mistakes outrank the network', () => {
  it('both TLS flags true: settings_conflict first, even when the probe of 465 works; the fix sets one flag and leaves the other empty', () => {
    const v = computeVerdict([at(465, 'ok', authOk)], local, 'smtp.example.com', { app: app({ port: 465, mode: 'implicit-tls', useTls: true, useSsl: true }), addresses });
    expect(v.code).toBe('settings_conflict');
    expect(verdictPasses(v)).toBe(false);
    expect(v.findings[0]?.fixes[0]?.settings).toEqual([
      { name: 'EMAIL_PORT', value: '465' },
      { name: 'EMAIL_USE_TLS', value: '' },
      { name: 'EMAIL_USE_SSL', value: 'True' },
    ]);
  });

  it('a login on a plain port: plaintext_login, not all_ok', () => {
    const v = computeVerdict([at(25, 'ok', { mode: 'plain', detectedMode: 'plain', capabilities: ['SIZE'] })], local, 'smtp.example.com', { app: app({ port: 25, mode: 'plain', useTls: false, useSsl: false }), addresses });
    expect(v.code).toBe('plaintext_login');
    expect(v.summary).toMatch(/SMTP AUTH extension not supported/);
  });

  it('EMAIL_USE_SSL=False: a warning that naive os.environ.get() code reads it as true; no snippet ever writes "False"', () => {
    const v = computeVerdict([at(587, 'ok', authOk)], local, 'smtp.example.com', { app: app(), addresses, rawBooleans: { EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'False' } });
    const w = v.findings.find((f) => f.code === 'boolean_misread');
    expect(w?.level).toBe('warning');
    expect(w?.fixes[0]?.settings).toEqual([{ name: 'EMAIL_USE_SSL', value: '' }]);
    const all = v.findings.flatMap((f) => f.fixes).flatMap((f) => f.settings ?? []);
    expect(all.some((s) => /^false$/i.test(s.value))).toBe(false);
  });
});

describe('the client model', () => {
  it('nodemailer 10: happy eyeballs, IPv6 first; a dropped IPv4 after an unroutable IPv6 ends in "Connection timeout" after connectionTimeout', () => {
    const attempts = [at(587, 'connect_timeout'), at(587, 'network_unreachable', { family: 'ipv6', address: V6, phases: { connect: 0 } })];
    const v = computeVerdict(attempts, render, 'smtp.example.com', { app: app({ client: 'nodemailer', source: 'nodemailer', timeoutS: 2 }), addresses });
    expect(v.prediction?.steps.map((s) => s.family)).toEqual(['ipv6', 'ipv4']);
    expect(v.prediction).toMatchObject({ sends: false, hangMs: 2000 });
    expect(v.prediction?.error).toMatch(/Connection timeout/);
  });

  it('no EMAIL_TIMEOUT on a dropped port: Django waits the kernel\'s ~127 s per address, and the verdict says to set one', () => {
    const v = computeVerdict([at(587, 'connect_timeout'), at(2525, 'ok', { mode: 'starttls-optional', detectedMode: 'starttls' })], render, 'smtp.example.com', { app: app({ timeoutS: null, login: false }), addresses: addresses.slice(0, 1) });
    expect(v.prediction?.hangMs).toBe(127_000);
    expect(v.prediction?.error).toBe('TimeoutError: [Errno 110] Connection timed out');
    expect(v.findings.some((f) => f.code === 'timeout_unset')).toBe(true);
  });
});
