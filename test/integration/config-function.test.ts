// /api/config-check through the Netlify function's own default export: POST checks what is sent
// (no token), GET checks the deployment's env (token), bad input is a 400 naming the field, and no
// response ever holds a secret.
import type { Context } from '@netlify/functions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fn, { config } from '../../functions/config-check.mts';
import { ConfigReport } from '../../lib/model/config-report.ts';
import { ROUTES } from '../../lib/http/routes.ts';

const URL_ = 'http://localhost/api/config-check';
const TOKEN = 'test-token-0123456789abcdef-5e7a91c3';
const PASSWORD = 'Hunter2-Very-Secret!';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fn(new Request(URL_, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }), {} as Context);
const get = (query = '', headers: Record<string, string> = {}) => fn(new Request(`${URL_}${query}`, { headers }), {} as Context);

const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (/^(EMAIL_|DEFAULT_FROM|SERVER_EMAIL|AWS_|SMTP_EGRESS_|RENDER|NETLIFY)/.test(k)) delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
});

describe('/api/config-check', () => {
  it('is wired at /api/config-check in the function and the route table', () => {
    expect(config.path).toBe('/api/config-check');
    expect(ROUTES['/api/config-check']).toBeTypeOf('function');
  });

  it('POST {env} checks the settings sent, without a token', async () => {
    const res = await post({ env: { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '465', EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: 'u@example.com', EMAIL_HOST_PASSWORD: PASSWORD, DEFAULT_FROM_EMAIL: 'u@example.com' }, platform: 'render' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    const report = ConfigReport.parse(JSON.parse(text));
    expect(report).toMatchObject({ schema: 'smtp-egress/config@1', source: 'django-env', platform: { name: 'render', how: 'given' }, settings: { host: 'smtp.example.com', port: 465, password: '****' } });
    expect(report.findings.map((f) => f.code)).toContain('tls_on_implicit_port');
  });

  it('POST {url} and POST {nodemailer} check those forms', async () => {
    const u = ConfigReport.parse(await (await post({ url: `smtp+ssl://u:${encodeURIComponent(PASSWORD)}@smtp.example.com:587` })).json());
    expect(u.source).toBe('url');
    expect(u.platform).toEqual({ name: null, how: 'none' });
    expect(u.findings.map((f) => f.code)).toContain('ssl_on_starttls_port');
    const n = ConfigReport.parse(await (await post({ nodemailer: { host: 'smtp.example.com', port: 587, secure: 'false', auth: { user: 'u', pass: PASSWORD } } })).json());
    expect(n.source).toBe('nodemailer');
    expect(n.findings.map((f) => f.code)).toContain('invalid_boolean');
    const s = ConfigReport.parse(await (await post({ nodemailer: '{"host": "smtp.example.com"' })).json());
    expect(s.findings.map((f) => f.code)).toEqual(['invalid_json']);
  });

  it('never echoes a secret sent to it, in any field', async () => {
    for (const body of [
      { env: { EMAIL_HOST: PASSWORD, EMAIL_HOST_PASSWORD: PASSWORD } },
      { env: { EMAIL_HOST: 'email-smtp.eu-west-3.amazonaws.com', EMAIL_HOST_PASSWORD: AWS_SECRET, AWS_SECRET_ACCESS_KEY: AWS_SECRET, EMAIL_PORT: '587' } },
      { url: `smtp://u:${encodeURIComponent(PASSWORD)}@smtp.example.com:not-a-port` },
      { nodemailer: { host: 'smtp.example.com', auth: { user: 'u', pass: PASSWORD }, tls: { rejectUnauthorized: false } } },
    ]) {
      const text = await (await post(body)).text();
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
      expect(text).not.toContain(AWS_SECRET);
    }
  });

  it.each([
    ['no source', {}, 400, 'env'],
    ['two sources', { env: {}, url: 'smtp://h.example' }, 400, 'url'],
    ['an unknown field', { env: {}, pasword: 'x' }, 400, 'pasword'],
    ['a non-string env value', { env: { EMAIL_PORT: 587 } }, 400, 'env.EMAIL_PORT'],
    ['env as an array', { env: ['EMAIL_HOST=x'] }, 400, 'env'],
    ['url as a number', { url: 5 }, 400, 'url'],
    ['an unknown platform', { env: {}, platform: 'mars' }, 400, 'platform'],
    ['a huge url', { url: `smtp://${'a'.repeat(5000)}` }, 400, 'url'],
  ])('POST with %s is a %i naming the field', async (_name, body, status, field) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(error.field).toBe(field);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it('refuses bodies that are not a JSON object', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('{"env":{}}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(JSON.stringify({ env: { X: 'y'.repeat(70_000) } }))).status).toBe(413);
  });

  it('GET checks the deployment env, with the token', async () => {
    expect((await get()).status).toBe(503);
    process.env.SMTP_EGRESS_TOKEN = TOKEN;
    expect((await get()).status).toBe(401);
    expect((await get('', { authorization: 'Bearer wrong' })).status).toBe(401);
    Object.assign(process.env, { EMAIL_HOST: 'smtp.gmail.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: 'me@gmail.com', EMAIL_HOST_PASSWORD: PASSWORD, DEFAULT_FROM_EMAIL: 'me@gmail.com', EMAIL_TIMEOUT: '10' });
    const res = await get('', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(PASSWORD);
    const report = ConfigReport.parse(JSON.parse(text));
    expect(report.platform).toEqual({ name: 'netlify', how: 'detected' });
    expect(report.settings.host).toBe('smtp.gmail.com');
    expect(report.counts.error).toBe(0);
    const onRender = ConfigReport.parse(await (await get('?platform=render', { authorization: `Bearer ${TOKEN}` })).json());
    expect(onRender.platform).toEqual({ name: 'render', how: 'given' });
    expect(onRender.findings.map((f) => f.code)).toContain('port_blocked_on_platform');
  });

  it('GET refuses unknown and secret query fields', async () => {
    process.env.SMTP_EGRESS_TOKEN = TOKEN;
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await get('?host=x', auth)).status).toBe(400);
    expect((await get('?password=x', auth)).status).toBe(400);
    expect((await get('?platform=mars', auth)).status).toBe(400);
  });

  it('answers 405 to other methods', async () => {
    const res = await fn(new Request(URL_, { method: 'PUT' }), {} as Context);
    expect(res.status).toBe(405);
  });
});
