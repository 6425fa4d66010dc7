// Issue 15, points 1 and 3: the deployment's EMAIL_HOST_USER/EMAIL_HOST_PASSWORD go to its own
// host, on its own port, in its own mode or a stricter one, over verified TLS only; and the probe
// never mixes the env's credentials with the request's (no oracle for guessing the password).
// Real smtp-servers on loopback record every login they see: "nothing was sent" is checked there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSendTest } from '../../lib/http/send-test.ts';
import { handleProbe } from '../../lib/http/probe.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { resetTokenFailures } from '../../lib/http/auth.ts';
import { testPki } from '../helpers/certs.ts';
import { runCli } from '../helpers/cli.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';
import { counter, recordStats } from './support.ts';

const TOKEN = 'fence-token-3c9e1a7b5d2f8064e1c3a5b7';
const TO = 'ops@allowed.test';
const stats = counter();
let tlsServer: RunningServer;
let plainServer: RunningServer;

beforeAll(async () => {
  tlsServer = await startSmtpServer({ tls: testPki().valid, auth: true });
  // A plain server that accepts AUTH in clear text: where a downgraded password would land.
  plainServer = await startSmtpServer({ noStarttls: true, auth: true, extra: { allowInsecureAuth: true } });
});
afterAll(async () => {
  await Promise.all([tlsServer?.close(), plainServer?.close()]);
  recordStats('credential-fence', stats.n);
});

const deployment = (over: Record<string, string> = {}) => ({
  SMTP_EGRESS_TOKEN: TOKEN,
  SMTP_EGRESS_ALLOW_PRIVATE: '1',
  SMTP_EGRESS_EXTRA_CA: testPki().ca.cert,
  SMTP_EGRESS_ALLOWED_RECIPIENTS: '@allowed.test',
  EMAIL_HOST: '127.0.0.1',
  EMAIL_PORT: String(tlsServer.port),
  EMAIL_USE_TLS: 'True',
  EMAIL_USE_SSL: 'False',
  EMAIL_HOST_USER: TEST_USER,
  EMAIL_HOST_PASSWORD: TEST_PASSWORD,
  DEFAULT_FROM_EMAIL: 'noreply@allowed.test',
  ...over,
});

async function call(handler: typeof handleSendTest, env: Record<string, string>, body: unknown, client = '192.0.2.10') {
  resetTokenFailures();
  const req = new Request('http://localhost/api/x', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const res = await handler(req, { ...nodeHandlerContext(env), client });
  const text = await res.text();
  expect(text).not.toContain(TEST_PASSWORD);
  return { status: res.status, body: JSON.parse(text) as { error?: { code: string; field?: string; message: string }; outcome?: string } };
}

const logins = () => plainServer.logins.length + tlsServer.logins.length;

describe('send-test: the deployment credentials are fenced (HTTP)', () => {
  it.each([
    ['another port, plain mode (the reported downgrade)', () => ({ port: plainServer.port, mode: 'plain' })],
    ['another port, its own mode', () => ({ port: plainServer.port })],
    ['its own port, plain mode', () => ({ mode: 'plain' })],
    ['its own port, opportunistic STARTTLS', () => ({ mode: 'starttls-optional' })],
  ])('%s: 403, no login anywhere', async (_name, extra) => {
    stats.add('downgradesTried');
    const before = logins();
    const r = await call(handleSendTest, deployment(), { to: TO, ...extra() });
    expect(r.status).toBe(403);
    expect(r.body.error?.code).toBe('forbidden');
    expect(r.body.error?.message).toMatch(/EMAIL_HOST_PASSWORD are only sent/);
    expect(logins()).toBe(before);
  });

  it('EMAIL_USE_TLS=False with a password: refused, the password never goes out in clear text', async () => {
    const before = logins();
    const r = await call(handleSendTest, deployment({ EMAIL_PORT: String(plainServer.port), EMAIL_USE_TLS: 'False' }), { to: TO });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'forbidden', field: 'EMAIL_USE_TLS' });
    expect(r.body.error?.message).toMatch(/verified TLS/);
    expect(logins()).toBe(before);
  });

  it('its own port and mode, or a caller bringing a whole login of its own: allowed', async () => {
    const ok = await call(handleSendTest, deployment(), { to: TO });
    expect(ok.status).toBe(200);
    expect(ok.body.outcome).toBe('ok');
    expect(tlsServer.logins.at(-1)).toEqual({ user: TEST_USER, ok: true });
    const own = await call(handleSendTest, deployment(), { to: TO, port: plainServer.port, mode: 'plain', user: 'caller@allowed.test', password: 'callers-own-password' });
    expect(own.status).toBe(200);
    expect(plainServer.logins.at(-1)).toEqual({ user: 'caller@allowed.test', ok: false });
  });
});

describe('send-test: the same fence from the CLI', () => {
  it('--port X --mode plain with the env login: refused, exit 1, no login', async () => {
    const before = logins();
    const r = await runCli(['send-test', '--to', TO, '--port', String(plainServer.port), '--mode', 'plain'], deployment());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--port: .*only sent to EMAIL_HOST on its own port/);
    expect(r.stdout + r.stderr).not.toContain(TEST_PASSWORD);
    expect(logins()).toBe(before);
  });
});

describe('probe: credentials come whole from one place (no guessing oracle)', () => {
  it.each([
    ['a password only: would test EMAIL_HOST_USER with a guess', { password: 'guess-1' }],
    ['a user only: would send EMAIL_HOST_PASSWORD as any user', { user: 'attacker@evil.test' }],
  ])('%s -> 400, no login', async (_name, body) => {
    stats.add('oracleTried');
    const before = logins();
    const r = await call(handleProbe, deployment(), { ...body, ports: `${tlsServer.port}:starttls`, timeoutMs: 3000 });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toMatch(/never mixed/);
    expect(logins()).toBe(before);
  });

  it("the env's login on another port (loginPort) -> 403, no login", async () => {
    const before = logins();
    const r = await call(handleProbe, deployment(), { loginPort: plainServer.port, ports: `${plainServer.port}:starttls`, timeoutMs: 3000 });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'forbidden', field: 'loginPort' });
    expect(logins()).toBe(before);
  });
});
