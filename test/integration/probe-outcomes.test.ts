// One test per attempt outcome that loopback can produce, against real servers started here:
// smtp-server for well-behaved SMTP, a scripted TCP server for misbehaviour. (Outcomes that need
// a network fault — connect_timeout, network_unreachable, host_unreachable, dns_failed — are in
// test/egress, inside network namespaces.)
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe as probe } from '../../lib/diagnosis/probe.ts';
import type { Attempt, ProbeReport } from '../../lib/model/probe-report.ts';
import { ProbeReport as ProbeReportSchema } from '../../lib/model/probe-report.ts';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';
import { answerCommands, greetAndOfferStarttls, startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.ts';
import { testProbeOptions } from '../helpers/probe-options.ts';

const pki = testPki();
const servers: { close: () => Promise<void> }[] = [];
const keep = <T extends { close: () => Promise<void> }>(s: T) => (servers.push(s), s);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function only(report: Promise<ProbeReport>): Promise<Attempt> {
  const r = await report;
  expect(ProbeReportSchema.safeParse(r).success).toBe(true);
  expect(r.attempts).toHaveLength(1);
  return r.attempts[0] as Attempt;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let starttls: RunningServer;
let implicit: RunningServer;
beforeAll(async () => {
  starttls = keep(await startSmtpServer({ tls: pki.valid, auth: true }));
  implicit = keep(await startSmtpServer({ tls: pki.valid, secure: true, auth: true }));
});

describe('probe outcomes on loopback', () => {
  it('ok: STARTTLS with a trusted certificate, capabilities and TLS details recorded', async () => {
    const a = await only(probe(testProbeOptions('localhost', [{ port: starttls.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('ok');
    expect(a.detectedMode).toBe('starttls');
    expect(a.banner).toMatch(/^220 /);
    expect(a.capabilities).toContain('AUTH PLAIN LOGIN');
    expect(a.tls).toMatchObject({ authorized: true, error: null });
    expect(a.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(a.tls?.cert?.altNames).toContain('DNS:localhost');
    expect(a.tls?.cert?.issuer).toContain('smtp-egress test CA');
    for (const phase of ['connect', 'greeting', 'ehlo', 'tls'] as const) expect(a.phases[phase]).toBeTypeOf('number');
    expect(a.transcript.map((l) => l.line)).toContain('STARTTLS');
    expect(a.transcript.at(-1)).toMatchObject({ dir: 'client', line: 'QUIT' });
  });

  it('ok: implicit TLS, and a login test that succeeds', async () => {
    const a = await only(probe(testProbeOptions('localhost', [{ port: implicit.port, mode: 'implicit-tls' }], { credentials: { user: TEST_USER, password: TEST_PASSWORD } })));
    expect(a.outcome).toBe('ok');
    expect(a.detectedMode).toBe('implicit-tls');
    expect(a.auth).toMatchObject({ result: 'ok', mechanisms: ['PLAIN', 'LOGIN'] });
    expect(a.phases.auth).toBeTypeOf('number');
    expect(JSON.stringify(a)).not.toContain(TEST_PASSWORD);
    expect(a.transcript.map((l) => l.line)).toContain('AUTH PLAIN ****');
  });

  it('auth_failed: a wrong password gets the server reply 535, and neither password nor its base64 is recorded', async () => {
    const wrong = 'Wrong-Password-42';
    const r = await probe(testProbeOptions('localhost', [{ port: starttls.port, mode: 'starttls' }], { credentials: { user: TEST_USER, password: wrong } }));
    const a = r.attempts[0] as Attempt;
    expect(a.outcome).toBe('auth_failed');
    expect(a.auth?.response).toMatch(/^535/);
    const text = JSON.stringify(r);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(Buffer.from(wrong).toString('base64'));
    expect(text).not.toContain(Buffer.from(`\0${TEST_USER}\0${wrong}`).toString('base64'));
    expect(r.verdict.code).toBe('auth_failed');
  });

  it('auth_failed over AUTH LOGIN (server offers only LOGIN)', async () => {
    const s = keep(await startSmtpServer({ tls: pki.valid, auth: true, extra: { authMethods: ['LOGIN'] } }));
    const a = await only(probe(testProbeOptions('localhost', [{ port: s.port, mode: 'starttls' }], { credentials: { user: TEST_USER, password: 'nope-nope' } })));
    expect(a.outcome).toBe('auth_failed');
    expect(a.auth?.mechanisms).toEqual(['LOGIN']);
    expect(a.transcript.filter((l) => l.dir === 'client').map((l) => l.line)).toEqual(expect.arrayContaining(['AUTH LOGIN', '****']));
  });

  it('auth_unavailable: the server offers no AUTH', async () => {
    const s = keep(await startSmtpServer({ tls: pki.valid, extra: { disabledCommands: ['AUTH'] } }));
    const a = await only(probe(testProbeOptions('localhost', [{ port: s.port, mode: 'starttls' }], { credentials: { user: TEST_USER, password: TEST_PASSWORD } })));
    expect(a.outcome).toBe('auth_unavailable');
  });

  it('connection_refused: nothing listens', async () => {
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: await closedPort(), mode: 'starttls' }])));
    expect(a.outcome).toBe('connection_refused');
    expect(a.errno).toBe('ECONNREFUSED');
    expect(a.message).toContain('Errno 111');
  });

  it('connection_reset: RST right after accept', async () => {
    const s = keep(await startScriptedServer((c) => c.reset()));
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('connection_reset');
  });

  it('greeting_timeout: the server accepts and stays silent (and is not a TLS server either)', async () => {
    const s = keep(await startScriptedServer(() => new Promise<void>(() => undefined)));
    const t0 = performance.now();
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('greeting_timeout');
    expect(a.errno).toBe('ETIMEDOUT');
    expect(performance.now() - t0).toBeLessThan(4_000 + 1_000);
  });

  it('smtp_rejected: a 554 greeting (blocklisted IP)', async () => {
    const s = keep(await startScriptedServer((c) => c.write('554 5.7.1 Your IP is listed at a blocklist\r\n')));
    const r = await probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }]));
    const a = r.attempts[0] as Attempt;
    expect(a.outcome).toBe('smtp_rejected');
    expect(a.banner).toContain('554 5.7.1');
    expect(r.verdict.code).toBe('server_rejected');
    expect(r.verdict.causes.join(' ')).toMatch(/blocklist/);
  });

  it('EHLO refused with 502: the probe falls back to HELO, as smtplib and nodemailer do, and the port is ok', async () => {
    const s = keep(
      await startScriptedServer(async (c) => {
        c.write('220 old.example ESMTP\r\n');
        for (let i = 0; i < 4; i += 1) {
          const line = await c.readLine(2000);
          if (line === null) return;
          if (/^EHLO/i.test(line)) c.write('502 5.5.2 EHLO not implemented\r\n');
          else if (/^HELO/i.test(line)) c.write('250 old.example\r\n');
          else if (/^QUIT/i.test(line)) return c.write('221 bye\r\n');
        }
      }),
    );
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'plain' }])));
    expect(a.outcome).toBe('ok');
    expect(s.received.filter((l) => /^(EHLO|HELO)/i.test(l)).map((l) => l.slice(0, 4))).toEqual(['EHLO', 'HELO']);
    expect(a.transcript.some((t) => /falling back to HELO/.test(t.line))).toBe(true);
  });

  it('EHLO and HELO both refused: smtp_rejected, naming HELO', async () => {
    const s = keep(
      await startScriptedServer(async (c) => {
        c.write('220 picky.example ESMTP\r\n');
        for (let i = 0; i < 3; i += 1) {
          const line = await c.readLine(2000);
          if (line === null) return;
          c.write('550 5.7.1 go away\r\n');
        }
      }),
    );
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'plain' }])));
    expect(a.outcome).toBe('smtp_rejected');
    expect(a.message).toMatch(/HELO/);
  });

  it('smtp_rejected: garbage instead of SMTP', async () => {
    const s = keep(await startScriptedServer((c) => c.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'plain' }])));
    expect(a.outcome).toBe('smtp_rejected');
    expect(a.message).toMatch(/not SMTP/);
  });

  it('tls_mode_mismatch: implicit TLS expected, the port speaks STARTTLS', async () => {
    const r = await probe(testProbeOptions('localhost', [{ port: starttls.port, mode: 'implicit-tls' }]));
    const a = r.attempts[0] as Attempt;
    expect(a.outcome).toBe('tls_mode_mismatch');
    expect(a.detectedMode).toBe('starttls');
    expect(r.verdict.code).toBe('tls_misconfigured');
    expect(r.verdict.fixes.join(' ')).toMatch(/EMAIL_USE_TLS=True, EMAIL_USE_SSL=(,|\.|$)/);
  });

  it('tls_mode_mismatch: STARTTLS expected, the port speaks implicit TLS', async () => {
    const r = await probe(testProbeOptions('localhost', [{ port: implicit.port, mode: 'starttls' }]));
    const a = r.attempts[0] as Attempt;
    expect(a.outcome).toBe('tls_mode_mismatch');
    expect(a.detectedMode).toBe('implicit-tls');
    expect(r.verdict.fixes.join(' ')).toMatch(/EMAIL_USE_TLS=, EMAIL_USE_SSL=True/);
  });

  it('starttls_unavailable: STARTTLS required but not offered', async () => {
    const s = keep(await startSmtpServer({ noStarttls: true }));
    const a = await only(probe(testProbeOptions('localhost', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('starttls_unavailable');
    expect(a.detectedMode).toBe('plain');
  });

  it('starttls-optional on a plain server is ok, reported as plain', async () => {
    const s = keep(await startSmtpServer({ noStarttls: true }));
    const a = await only(probe(testProbeOptions('localhost', [{ port: s.port, mode: 'starttls-optional' }])));
    expect(a.outcome).toBe('ok');
    expect(a.detectedMode).toBe('plain');
  });

  it('starttls_unavailable: STARTTLS offered, then answered 454', async () => {
    const s = keep(
      await startScriptedServer(async (c) => {
        await greetAndOfferStarttls(c);
        c.write('454 4.7.0 TLS not available due to temporary reason\r\n');
        await answerCommands(c);
      }),
    );
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('starttls_unavailable');
    expect(a.message).toContain('454');
  });

  it.each([
    ['self_signed', pki.selfSigned],
    ['cert_expired', pki.expired],
    ['hostname_mismatch', pki.wrongHost],
  ] as const)('tls_failed with reason %s', async (reason, pem) => {
    const s = keep(await startSmtpServer({ tls: pem, auth: true }));
    const a = await only(probe(testProbeOptions('localhost', [{ port: s.port, mode: 'starttls' }], { credentials: { user: TEST_USER, password: TEST_PASSWORD } })));
    expect(a.outcome).toBe('tls_failed');
    expect(a.tls?.error).toBe(reason);
    expect(a.tls?.authorized).toBe(false);
    // Credentials never go to a server whose certificate failed.
    expect(s.logins).toHaveLength(0);
    expect(a.auth).toBeNull();
  });

  it('tls_failed (handshake): STARTTLS accepted, then garbage instead of a TLS handshake', async () => {
    const s = keep(
      await startScriptedServer(async (c) => {
        await greetAndOfferStarttls(c);
        c.write('220 go ahead\r\n');
        await new Promise((r) => setTimeout(r, 50));
        c.write('this is not a TLS record at all\r\n');
        c.close();
      }),
    );
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('tls_failed');
    expect(a.tls?.error).toBe('handshake');
  });

  it('timeout: greeting fine, then no answer to EHLO', async () => {
    const s = keep(await startScriptedServer((c) => c.write('220 scripted ESMTP\r\n')));
    const a = await only(probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }])));
    expect(a.outcome).toBe('timeout');
    expect(a.message).toContain('EHLO');
  });

  it('blocked_by_policy: loopback refused when private targets are not allowed, and no connection is made', async () => {
    const s: ScriptedServer = keep(await startScriptedServer((c) => c.write('220 x\r\n')));
    const r = await probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'starttls' }], { policy: { allowPrivate: false, allowedHosts: [] } }));
    expect(r.attempts[0]?.outcome).toBe('blocked_by_policy');
    expect(r.verdict.code).toBe('blocked_by_policy');
    expect(s.connections()).toBe(0);
  });

  it('blocked_by_policy: a host outside SMTP_EGRESS_ALLOWED_HOSTS is not even resolved', async () => {
    const r = await probe(testProbeOptions('localhost', [{ port: 25, mode: 'starttls' }], { policy: { allowPrivate: true, allowedHosts: ['*.example.com'] } }));
    expect(r.attempts[0]?.outcome).toBe('blocked_by_policy');
    expect(r.target.addresses).toEqual([]);
  });

  it('runs ports concurrently: four silent ports cost one greeting timeout, not four', async () => {
    const silent = await Promise.all([1, 2, 3, 4].map(() => startScriptedServer(() => new Promise<void>(() => undefined))));
    silent.forEach(keep);
    const t0 = performance.now();
    const r = await probe(testProbeOptions('127.0.0.1', silent.map((s) => ({ port: s.port, mode: 'implicit-tls' as const })), { timeouts: { connectMs: 1000, greetingMs: 300, commandMs: 300, tlsMs: 400, totalMs: 4000 } }));
    expect(r.attempts.map((a) => a.outcome)).toEqual(['tls_failed', 'tls_failed', 'tls_failed', 'tls_failed']);
    expect(performance.now() - t0).toBeLessThan(4 * 400);
  });

  it('the overall deadline cuts a slow dialogue: never more than a second past it', async () => {
    const s = keep(await startScriptedServer(() => new Promise<void>(() => undefined)));
    const t0 = performance.now();
    const r = await probe(testProbeOptions('127.0.0.1', [{ port: s.port, mode: 'plain' }], { timeouts: { connectMs: 1000, greetingMs: 5000, commandMs: 5000, tlsMs: 5000, totalMs: 400 } }));
    const took = performance.now() - t0;
    expect(r.attempts[0]?.outcome).toBe('timeout');
    expect(took).toBeLessThan(400 + 1000);
  });
});
