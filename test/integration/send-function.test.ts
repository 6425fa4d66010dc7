// The send-test function called through its default export, as Netlify calls it: the fences
// (token, recipient allow-list, header injection, body only) answer with the right status and
// send nothing; an allowed request sends one message, captured by a real smtp-server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from '@netlify/functions';
import sendFn, { config } from '../../functions/send-test.mts';
import { ROUTES } from '../../lib/http/routes.ts';
import { handleSendTest } from '../../lib/http/send-test.ts';
import { SendResult } from '../../lib/model/send-report.ts';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';

const TOKEN = 'send-token-0123456789abcdef-8b2d64f0';
const TO = 'ops@allowed.test';
const ctx = { deploy: { context: 'production' }, server: { region: 'us-east-2' } } as unknown as Context;
let server: RunningServer;
let open: RunningServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startSmtpServer({ tls: testPki().valid, auth: true });
  open = await startSmtpServer({ tls: testPki().valid });
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([server?.close(), open?.close()]);
});
beforeEach(() => {
  process.env = {
    ...saved,
    SMTP_EGRESS_TOKEN: TOKEN,
    SMTP_EGRESS_ALLOW_PRIVATE: '1',
    SMTP_EGRESS_EXTRA_CA: testPki().ca.cert,
    SMTP_EGRESS_ALLOWED_RECIPIENTS: 'someone@else.test, @allowed.test',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(server.port),
    EMAIL_USE_TLS: 'True',
    EMAIL_USE_SSL: 'False',
    EMAIL_HOST_USER: TEST_USER,
    EMAIL_HOST_PASSWORD: TEST_PASSWORD,
    DEFAULT_FROM_EMAIL: 'noreply@allowed.test',
  };
});

function post(body: unknown, opts: { token?: string | null; url?: string; method?: string; type?: string } = {}) {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const method = opts.method ?? 'POST';
  return sendFn(new Request(`http://localhost${opts.url ?? '/api/send-test'}`, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body) }), ctx);
}

const nothingSent = (before: { m: number; l: number }) => {
  expect(server.messages.length).toBe(before.m);
  expect(server.logins.length).toBe(before.l);
};
const snapshot = () => ({ m: server.messages.length, l: server.logins.length });

function expectNoSecret(text: string) {
  expect(text).not.toContain(TEST_PASSWORD);
  expect(text).not.toContain(Buffer.from(TEST_PASSWORD).toString('base64'));
  expect(text).not.toContain(Buffer.from(`\u0000${TEST_USER}\u0000${TEST_PASSWORD}`).toString('base64'));
}

describe('functions/send-test.mts', () => {
  it('is routed at /api/send-test, in the route table too', () => {
    expect(config.path).toBe('/api/send-test');
    expect(ROUTES['/api/send-test']).toBe(handleSendTest);
  });

  it('an allowed recipient: 200, one message captured, the Netlify platform in result and headers, no secret', async () => {
    const before = server.messages.length;
    const res = await post({ to: TO, subject: 'deploy check' });
    const text = await res.text();
    expect(res.status).toBe(200);
    const result = SendResult.parse(JSON.parse(text));
    expect(result).toMatchObject({ sent: true, outcome: 'ok', accepted: [TO], platform: { name: 'netlify', region: 'us-east-2', deployContext: 'production' } });
    expect(server.messages.length).toBe(before + 1);
    const msg = server.messages.at(-1)!;
    expect(msg.to).toEqual([TO]);
    expect(msg.from).toBe('noreply@allowed.test');
    expect(msg.data).toMatch(new RegExp(`^X-Smtp-Egress-Id: ${result.id}\\r?$`, 'im'));
    expect(msg.data).toMatch(/^X-Smtp-Egress-Platform: Netlify \(us-east-2\), production\r?$/im);
    expectNoSecret(text);
  });

  it('no SMTP_EGRESS_TOKEN in the deployment -> 503 naming it; nothing sent', async () => {
    delete process.env.SMTP_EGRESS_TOKEN;
    const before = snapshot();
    const res = await post({ to: TO });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('token_not_configured');
    expect(body.error.message).toMatch(/SMTP_EGRESS_TOKEN/);
    nothingSent(before);
  });

  it('a missing or wrong token -> 401; nothing sent', async () => {
    const before = snapshot();
    expect((await post({ to: TO }, { token: null })).status).toBe(401);
    const res = await post({ to: TO }, { token: 'wrong-token' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    nothingSent(before);
  });

  it('no SMTP_EGRESS_ALLOWED_RECIPIENTS -> 503 saying what to set; nothing sent, not even a dry run', async () => {
    delete process.env.SMTP_EGRESS_ALLOWED_RECIPIENTS;
    const before = snapshot();
    for (const body of [{ to: TO }, { to: TO, dryRun: true }]) {
      const res = await post(body);
      expect(res.status).toBe(503);
      const err = (await res.json()).error;
      expect(err).toMatchObject({ code: 'not_configured', field: 'SMTP_EGRESS_ALLOWED_RECIPIENTS' });
      expect(err.message).toMatch(/set it to the addresses/);
    }
    nothingSent(before);
  });

  it('a recipient not on the allow-list -> 403; nothing sent (subdomains and look-alikes too)', async () => {
    const before = snapshot();
    for (const to of ['victim@example.com', 'ops@sub.allowed.test', 'ops@allowed.test.evil.com', 'someone@else.test.x']) {
      const res = await post({ to });
      expect(res.status, to).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: 'forbidden', field: 'to' });
    }
    // Exact entries match case-insensitively.
    expect((await post({ to: 'SomeOne@Else.test', dryRun: true })).status).toBe(200);
    nothingSent(before);
  });

  it.each([
    ['subject', { subject: 'hi\r\nBcc: victim@example.com' }],
    ['subject', { subject: 'hi\nX-Injected: 1' }],
    ['to', { to: 'ops@allowed.test\r\nRCPT TO:<victim@example.com>' }],
    ['from', { from: 'a@allowed.test\nBcc: victim@example.com' }],
    ['user', { host: '127.0.0.1', port: 25, user: 'u\r\nAUTH', password: 'p' }],
    ['text', { text: 'nul \u0000 byte' }],
    ['to', { to: 'ops@allowed.test, victim@example.com' }],
    ['to', { to: ['ops@allowed.test', 'victim@example.com'] }],
    ['subject', { subject: 'x'.repeat(201) }],
    ['text', { text: 'x'.repeat(4001) }],
    ['endpoint', { transport: 'ses', endpoint: 'http://169.254.169.254' }],
    ['host', { transport: 'ses', host: 'smtp.example.com' }],
  ])('bad %s -> 400 naming the field; nothing sent', async (field, over) => {
    const before = snapshot();
    const res = await post({ to: TO, ...over });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe(field);
    nothingSent(before);
  });

  it('settings in a query string, GET, or a non-JSON body are refused; nothing sent', async () => {
    const before = snapshot();
    const q = await post({ to: TO }, { url: '/api/send-test?password=x' });
    expect(q.status).toBe(400);
    expect((await q.json()).error.field).toBe('password');
    expect((await post(null, { method: 'GET' })).status).toBe(405);
    expect((await post({ to: TO }, { type: 'text/plain' })).status).toBe(415);
    expect((await post({})).status).toBe(400);
    nothingSent(before);
  });

  it("the deployment's password never goes to a host named in the request", async () => {
    const res = await post({ to: TO, host: '127.0.0.1', port: open.port, mode: 'starttls' });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result).toMatchObject({ sent: true, target: { source: 'request', user: null } });
    expect(open.logins).toEqual([]);
    expect(open.messages.length).toBe(1);
  });

  it('a wrong password in the body -> 200 with auth_failed (the outcome is data); neither password appears', async () => {
    const before = server.messages.length;
    const res = await post({ to: TO, host: '127.0.0.1', port: server.port, user: TEST_USER, password: 'Body-Wrong-Password-42' });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).outcome).toBe('auth_failed');
    expect(text).not.toContain('Body-Wrong-Password-42');
    expectNoSecret(text);
    expect(server.messages.length).toBe(before);
  });

  it('dryRun: 200 with the rendered message, no connection', async () => {
    const before = snapshot();
    const res = await post({ to: TO, dryRun: true });
    expect(res.status).toBe(200);
    const result = SendResult.parse(await res.json());
    expect(result).toMatchObject({ dryRun: true, sent: false, verdict: { code: 'dry_run' } });
    expect(result.rendered.preview).toContain('To: ops@allowed.test');
    nothingSent(before);
  });
});
