// The probe and health functions called through their default exports, as Netlify calls them:
// a Web Request and a Context. (The Netlify CLI run of the same functions is in test/e2e.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from '@netlify/functions';
import probeFn, { config as probeConfig } from '../../functions/probe.mts';
import healthFn, { config as healthConfig } from '../../functions/health.mts';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';

const TOKEN = 'test-token-0123456789abcdef-5e7a91c3';
const fakeContext = { deploy: { context: 'deploy-preview' }, server: { region: 'us-east-2' } } as unknown as Context;
let server: RunningServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startSmtpServer({ tls: testPki().valid, auth: true });
  process.env.SMTP_EGRESS_TOKEN = TOKEN;
  process.env.SMTP_EGRESS_ALLOW_PRIVATE = '1';
  process.env.SMTP_EGRESS_EXTRA_CA = testPki().ca.cert;
});
afterAll(async () => {
  process.env = saved;
  await server.close();
});

const call = (url: string, init: RequestInit = {}, token: string | null = TOKEN) =>
  probeFn(new Request(`http://localhost${url}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) } }), fakeContext);

describe('functions/probe.mts', () => {
  it('is routed at /api/probe and health at /api/health', () => {
    expect(probeConfig.path).toBe('/api/probe');
    expect(healthConfig.path).toBe('/api/health');
  });

  it('GET with query parameters returns a valid report with the Netlify platform from the Context', async () => {
    const res = await call(`/api/probe?host=localhost&ports=${server.port}:starttls&family=ipv4&timeoutMs=5000`);
    expect(res.status).toBe(200);
    const report = ProbeReport.parse(await res.json());
    expect(report.platform).toMatchObject({ name: 'netlify', region: 'us-east-2', deployContext: 'deploy-preview' });
    expect(report.attempts[0]).toMatchObject({ port: server.port, outcome: 'ok', detectedMode: 'starttls' });
    expect(report.verdict.code).toBe('all_ok');
  });

  it('POST JSON with credentials runs the login test; the password is nowhere in the response', async () => {
    const res = await call('/api/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'localhost', ports: [`${server.port}:starttls`], family: 'ipv4', user: TEST_USER, password: TEST_PASSWORD }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).attempts[0].auth.result).toBe('ok');
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain(Buffer.from(TEST_PASSWORD).toString('base64'));
  });

  it('with no host, probes the Django EMAIL_* settings of the deployment', async () => {
    Object.assign(process.env, { EMAIL_HOST: 'localhost', EMAIL_PORT: String(server.port), EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'False', EMAIL_HOST_USER: TEST_USER, EMAIL_HOST_PASSWORD: TEST_PASSWORD });
    try {
      const res = await call('/api/probe?family=ipv4&connectTimeoutMs=500&timeoutMs=3000&ports=1');
      const report = ProbeReport.parse(await res.json());
      expect(report.target).toMatchObject({ host: 'localhost', source: 'django-env' });
      expect(report.attempts.map((a) => a.port)).toEqual([1, server.port]);
      const configured = report.attempts.find((a) => a.port === server.port);
      expect(configured).toMatchObject({ mode: 'starttls', outcome: 'ok', auth: { result: 'ok' } });
    } finally {
      for (const k of ['EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD']) delete process.env[k];
    }
  });

  it('401 with a wrong or missing token, and the failure is logged without the token', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const wrong = await call('/api/probe?host=localhost', {}, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await wrong.json()).error.code).toBe('unauthorized');
    expect((await call('/api/probe?host=localhost', {}, null)).status).toBe(401);
    expect(warn).toHaveBeenCalled();
    expect(JSON.stringify(warn.mock.calls)).not.toContain('not-the-token');
    warn.mockRestore();
  });

  it('503 naming SMTP_EGRESS_TOKEN when the deployment has none', async () => {
    delete process.env.SMTP_EGRESS_TOKEN;
    try {
      const res = await call('/api/probe?host=localhost');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.error.code).toBe('token_not_configured');
      expect(body.error.message).toContain('SMTP_EGRESS_TOKEN');
    } finally {
      process.env.SMTP_EGRESS_TOKEN = TOKEN;
    }
  });

  it.each([
    ['/api/probe?host=localhost&ports=70000', 'ports', /outside 1-65535/],
    ['/api/probe?host=local%0d%0ahost', 'host', /control character/],
    ['/api/probe?host=localhost&timeoutMs=999999', 'timeoutMs', /at most 55000/],
    ['/api/probe?host=localhost&password=x', 'password', /query string/],
    ['/api/probe?host=localhost&colour=blue', 'colour', /unknown field/],
  ])('400 naming the field: %s', async (url, field, message) => {
    const res = await call(url);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.field).toBe(field);
    expect(body.error.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack
  });

  it('415 for a body that is not JSON, 413 for one that is too large', async () => {
    const notJson = await call('/api/probe', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'host=x' });
    expect(notJson.status).toBe(415);
    const big = await call('/api/probe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ host: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(413);
  });
});

describe('functions/health.mts', () => {
  it('answers version and platform without auth and without secrets', async () => {
    const res = await healthFn(new Request('http://localhost/api/health'), fakeContext);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body).toMatchObject({ ok: true, tool: { name: 'smtp-egress' }, platform: { name: 'netlify', region: 'us-east-2' }, tokenConfigured: true });
    expect(text).not.toContain(TOKEN);
  });
});
