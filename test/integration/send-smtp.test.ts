// send-test over SMTP against real smtp-server instances (STARTTLS, implicit TLS, AUTH, capture),
// run through the CLI entry (cli/main.ts main) with captured io. The captured message is the
// evidence: envelope, X-Smtp-Egress-* headers and body; failures leave nothing captured.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import type { Env } from '../../lib/platform/detect.ts';
import { SendResult } from '../../lib/model/send-report.ts';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';

const TO = 'inbox@example.test';
const FROM = 'App <app@example.test>';
let starttls: RunningServer;
let implicit: RunningServer;
let rcptReject: RunningServer;
let echoing: RunningServer;
let caFile: string;
const WRONG_PASSWORD = 'Wrong-Pass!word-77aa11';

beforeAll(async () => {
  const pki = testPki();
  starttls = await startSmtpServer({ tls: pki.valid, auth: true });
  implicit = await startSmtpServer({ tls: pki.valid, auth: true, secure: true });
  rcptReject = await startSmtpServer({
    tls: pki.valid,
    auth: true,
    extra: { onRcptTo: (_a, _s, cb) => cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 })) },
  });
  // A hostile server that echoes the password it was given in its refusal.
  echoing = await startSmtpServer({
    tls: pki.valid,
    auth: true,
    extra: { onAuth: (auth, _s, cb) => cb(Object.assign(new Error(`no such login ${auth.username}/${auth.password} (${Buffer.from(auth.password ?? '').toString('base64')})`), { responseCode: 535 })) },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'send-smtp-'));
  caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, pki.ca.cert);
});
afterAll(async () => {
  await Promise.all([starttls, implicit, rcptReject, echoing].map((s) => s?.close()));
});

function django(server: RunningServer, over: Env = {}): Env {
  return {
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(server.port),
    EMAIL_USE_TLS: 'True',
    EMAIL_USE_SSL: 'False',
    EMAIL_HOST_USER: TEST_USER,
    EMAIL_HOST_PASSWORD: TEST_PASSWORD,
    DEFAULT_FROM_EMAIL: FROM,
    SMTP_EGRESS_ALLOW_PRIVATE: '1',
    ...over,
  };
}

async function cli(argv: string[], env: Env) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, isTty: false, readStdin: async () => '' };
  const code = await main(['send-test', ...argv], io);
  return { code, ...out };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
function expectNoSecret(text: string, secret = TEST_PASSWORD) {
  expect(text).not.toContain(secret);
  expect(text).not.toContain(b64(secret));
  expect(text).not.toContain(b64(secret).replace(/=+$/, ''));
  expect(text).not.toContain(b64(`\u0000${TEST_USER}\u0000${secret}`));
}

describe('send-test over SMTP (nodemailer)', () => {
  it('sends through STARTTLS with a login; the captured message carries the envelope, the id header and the platform', async () => {
    const before = starttls.messages.length;
    const r = await cli(['--to', TO, '--ca-file', caFile, '--subject', 'hello from the test', '--text', 'extra line', '--json'], django(starttls, { RAILWAY_ENVIRONMENT_NAME: 'production', RAILWAY_REPLICA_REGION: 'us-west2' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ schema: 'smtp-egress/send@2', transport: 'smtp', sent: true, outcome: 'ok', accepted: [TO], rejected: [], dryRun: false });
    expect(result.target).toMatchObject({ transport: 'smtp', host: '127.0.0.1', port: starttls.port, mode: 'starttls', address: '127.0.0.1', family: 'ipv4', source: 'django-env', user: TEST_USER });
    expect(result.response).toMatch(/^250 /);
    expect(result.messageId).toMatch(/^<.+@example\.test>$/);
    expect(result.timings.total).toBeGreaterThanOrEqual(0);
    expect(result.verdict.code).toBe('sent');
    expect(result.platform).toMatchObject({ name: 'railway', region: 'us-west2' });

    expect(starttls.messages.length).toBe(before + 1);
    const msg = starttls.messages[starttls.messages.length - 1]!;
    expect(msg.from).toBe('app@example.test');
    expect(msg.to).toEqual([TO]);
    expect(msg.data).toMatch(new RegExp(`^X-Smtp-Egress-Id: ${result.id}\\r?$`, 'im'));
    expect(msg.data).toMatch(/^X-Smtp-Egress-Platform: Railway \(us-west2\)/im);
    expect(msg.data).toMatch(/^X-Smtp-Egress-Version: smtp-egress \d+\.\d+\.\d+/im);
    expect(msg.data).toMatch(/^Subject: hello from the test\r?$/im);
    expect(msg.data).toMatch(/^From: App <app@example\.test>\r?$/im);
    expect(msg.data).toMatch(/^To: inbox@example\.test\r?$/im);
    const body = msg.data.replace(/=\r?\n/g, ''); // quoted-printable soft line breaks
    expect(body).toContain('Sent from: Railway (us-west2)');
    expect(body).toContain(`Id:        ${result.id}`);
    expect(body).toContain('extra line');
    expect(starttls.logins.at(-1)).toEqual({ user: TEST_USER, ok: true });
    expectNoSecret(r.stdout);
  });

  it('prints a human summary without --json', async () => {
    const r = await cli(['--to', TO, '--ca-file', caFile], django(starttls));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('smtp-egress send-test');
    expect(r.stdout).toMatch(/outcome\s+sent/);
    expect(r.stdout).toMatch(/response\s+250 /);
    expectNoSecret(r.stdout);
  });

  it('implicit TLS (EMAIL_USE_SSL=True) works against a 465-style server', async () => {
    const before = implicit.messages.length;
    const r = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(implicit, { EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).target.mode).toBe('implicit-tls');
    expect(implicit.messages.length).toBe(before + 1);
  });

  it('a wrong password -> auth_failed with the probe verdict, exit 1, nothing captured, no secret anywhere', async () => {
    const before = starttls.messages.length;
    const r = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(starttls, { EMAIL_HOST_PASSWORD: WRONG_PASSWORD }));
    expect(r.code).toBe(1);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ sent: false, outcome: 'auth_failed', accepted: [] });
    expect(result.errno).toBe('EAUTH');
    expect(result.response).toMatch(/^535/);
    expect(result.verdict.code).toBe('auth_failed');
    expect(result.verdict.fixes.join(' ')).toMatch(/EMAIL_HOST_PASSWORD/);
    expect(starttls.messages.length).toBe(before);
    expectNoSecret(r.stdout, WRONG_PASSWORD);
  });

  it('a server that echoes the password (plain and base64) in its reply: redacted in JSON and text output', async () => {
    const json = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(echoing));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).outcome).toBe('auth_failed');
    expect(json.stdout).toContain('****');
    expectNoSecret(json.stdout);
    const text = await cli(['--to', TO, '--ca-file', caFile], django(echoing));
    expectNoSecret(text.stdout + text.stderr);
    expect(echoing.messages.length).toBe(0);
  });

  it('a refused recipient -> recipient_rejected with the server reply', async () => {
    const r = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(rcptReject));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ outcome: 'recipient_rejected', command: 'RCPT TO', rejected: [TO], sent: false });
    expect(result.response).toMatch(/^550/);
    expect(result.verdict.code).toBe('recipient_rejected');
    expect(rcptReject.messages.length).toBe(0);
  });

  it('implicit TLS configured against a STARTTLS port -> tls_mode_mismatch, detected starttls', async () => {
    const r = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(starttls, { EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.outcome).toBe('tls_mode_mismatch');
    expect(result.verdict.code).toBe('tls_misconfigured');
    expect(result.verdict.fixes.join(' ')).toMatch(/EMAIL_USE_TLS=True/);
  });

  it('a certificate from an unknown CA -> tls_failed with the reason, nothing sent', async () => {
    const before = starttls.messages.length;
    const r = await cli(['--to', TO, '--json'], django(starttls));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.outcome).toBe('tls_failed');
    expect(['untrusted', 'self_signed']).toContain(result.tls.error);
    expect(starttls.messages.length).toBe(before);
  });

  it('a closed port -> connection_refused with the errno, quickly', async () => {
    const closed = await startSmtpServer();
    const port = closed.port;
    await closed.close();
    const t0 = Date.now();
    const r = await cli(['--to', TO, '--json'], django(starttls, { EMAIL_PORT: String(port) }));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.outcome).toBe('connection_refused');
    expect(result.errno).toBe('ESOCKET/ECONNREFUSED');
    expect(result.message).toMatch(/Errno 111/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a server that goes silent after its greeting is cut by the overall deadline (timeout), not by nodemailer defaults', async () => {
    const silent = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('220 silent.test ESMTP\r\n');
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const t0 = Date.now();
      const r = await cli(['--to', TO, '--connect-timeout', '300', '--command-timeout', '5000', '--timeout', '600', '--json'], django(starttls, { EMAIL_PORT: String(port) }));
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout);
      expect(result.outcome).toBe('timeout');
      expect(result.message).toMatch(/overall deadline of 600 ms/);
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });

  it('a server that never greets -> greeting_timeout, bounded by the connect timeout', async () => {
    const mute = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (mute.address() as AddressInfo).port;
      const r = await cli(['--to', TO, '--connect-timeout', '300', '--json'], django(starttls, { EMAIL_PORT: String(port) }));
      const result = JSON.parse(r.stdout);
      expect(result.outcome).toBe('greeting_timeout');
      expect(result.message).toMatch(/within 300 ms/);
      expect(result.verdict.code).toBe('server_unresponsive');
    } finally {
      mute.close();
    }
  });

  it('--dry-run validates and renders without connecting', async () => {
    const before = { m: starttls.messages.length, l: starttls.logins.length };
    const r = await cli(['--to', TO, '--dry-run', '--json'], django(starttls, { EMAIL_PORT: '1' }));
    expect(r.code).toBe(0);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ dryRun: true, sent: false, outcome: 'ok', accepted: [] });
    expect(result.target).toMatchObject({ address: null, port: 1 });
    expect(result.rendered.preview).toMatch(new RegExp(`^X-Smtp-Egress-I[dD]: ${result.id}$`, 'm'));
    expect(result.rendered.preview).toMatch(/^Subject: smtp-egress test from this machine/m);
    expect(starttls.messages.length).toBe(before.m);
    expect(starttls.logins.length).toBe(before.l);
    expectNoSecret(r.stdout);
  });

  it('loopback targets are refused without SMTP_EGRESS_ALLOW_PRIVATE: blocked_by_policy, nothing sent', async () => {
    const before = starttls.messages.length;
    const r = await cli(['--to', TO, '--ca-file', caFile, '--json'], django(starttls, { SMTP_EGRESS_ALLOW_PRIVATE: '' }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).outcome).toBe('blocked_by_policy');
    expect(starttls.messages.length).toBe(before);
  });

  it('usage errors exit 2 and name the flag; the allow-list applies when set', async () => {
    expect((await cli([], django(starttls))).code).toBe(2);
    const bad = await cli(['--to', 'a@example.test, b@example.test'], django(starttls));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to.*one recipient per call/);
    const injected = await cli(['--to', TO, '--subject', 'x\r\nBcc: victim@example.com'], django(starttls));
    expect(injected.code).toBe(2);
    expect(injected.stderr).toMatch(/--subject/);
    const fenced = await cli(['--to', TO, '--ca-file', caFile], django(starttls, { SMTP_EGRESS_ALLOWED_RECIPIENTS: '@other.test' }));
    expect(fenced.code).toBe(1);
    expect(fenced.stderr).toMatch(/not in SMTP_EGRESS_ALLOWED_RECIPIENTS/);
    const help = await cli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:\n {2}smtp-egress send-test --to ADDRESS/);
  });
});
