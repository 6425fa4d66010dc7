// End to end through the real Netlify runtime: `netlify functions:serve --offline` (Node 22 from
// .tools/) serves functions/ and every function is called through its URL, as a user would.
// Two instances: one configured (token, private targets allowed, the test CA trusted) and one
// without SMTP_EGRESS_TOKEN for the 503 path. Real smtp-servers on loopback sit behind them.
//
// Adding a route: add its path to CASES below with the requests a user would make and what they
// must get back; the coverage test fails until every function's config.path has cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTools, startNetlifyFunctions, freePort, type NetlifyServer } from './netlify-cli.ts';
import { functionRoutes, readmeRoutes } from './routes.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';
import { testPki } from '../helpers/certs.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { ROUTES } from '../../lib/http/routes.ts';
import { CompareReport } from '../../lib/model/compare-report.ts';
import { SendResult } from '../../lib/model/send-report.ts';
import { ConfigReport } from '../../lib/model/config-report.ts';
import { LogsReport } from '../../lib/model/logs-report.ts';
import { netlifyAndRender, probeReport } from './report-fixtures.ts';

const TOKEN = 'e2e-token-4f1c9a7be2d8456c03a9e17b';
const ALLOWED = 'allowed@example.test';
const IN_CI = process.env.CI === 'true';

// ---------------------------------------------------------------------------------------------
// The cases, by route. `on: 'unconfigured'` sends to the instance without SMTP_EGRESS_TOKEN.

interface Ctx {
  starttls: RunningServer;
  implicit: RunningServer;
  auth: RunningServer;
  closedPort: number;
}
interface Req {
  method?: string;
  /** Query parameters (GET). */
  query?: Record<string, string>;
  /** A JSON body (POST unless method says otherwise). */
  json?: unknown;
  /** A raw body with its content type. */
  raw?: { type: string; body: string };
  /** `good` (default), `wrong` or `none`. */
  auth?: 'good' | 'wrong' | 'none';
}
interface Case {
  name: string;
  on?: 'configured' | 'unconfigured';
  req: (ctx: Ctx) => Req;
  status: number;
  check?: (body: unknown, res: Response, ctx: Ctx) => void;
}

/** The error body every handler answers with: {error:{code, field?, message}}, nothing else. */
function expectError(body: unknown, code: string, field?: string) {
  const b = body as { error?: { code?: unknown; field?: unknown; message?: unknown } };
  expect(Object.keys(b)).toEqual(['error']);
  expect(b.error?.code).toBe(code);
  if (field !== undefined) expect(b.error?.field).toBe(field);
  expect(typeof b.error?.message).toBe('string');
  expect(String(b.error?.message).length).toBeGreaterThan(10);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+|stack/);
}

const probeQuery = (ctx: Ctx) => ({
  host: '127.0.0.1',
  ports: `${ctx.starttls.port}:starttls,${ctx.implicit.port}:implicit-tls,${ctx.closedPort}:plain`,
  connectTimeoutMs: '2000',
  timeoutMs: '8000',
});

const CASES: Record<string, Case[]> = {
  '/api/health': [
    {
      name: 'GET answers who and where, never the token',
      req: () => ({ auth: 'none' }),
      status: 200,
      check: (body, res) => {
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(body).toMatchObject({ ok: true, tool: { name: 'smtp-egress' }, platform: { name: 'netlify' }, tokenConfigured: true, allowPrivate: true });
        expect((body as { platform: { runtime: string } }).platform.runtime).toMatch(/^node v2[2-9]\./);
      },
    },
    { name: 'GET without a token configured says so', on: 'unconfigured', req: () => ({ auth: 'none' }), status: 200, check: (body) => expect(body).toMatchObject({ ok: true, tokenConfigured: false }) },
    { name: 'POST is refused with 405', req: () => ({ method: 'POST', json: {} }), status: 405, check: (body) => expectError(body, 'method_not_allowed') },
  ],
  '/api/probe': [
    {
      name: 'GET probes STARTTLS, implicit TLS and a closed port: 200 with the report',
      req: (ctx) => ({ query: probeQuery(ctx) }),
      status: 200,
      check: (body, res, ctx) => {
        expect(res.headers.get('cache-control')).toBe('no-store');
        const report = ProbeReport.parse(body);
        expect(report.platform.name).toBe('netlify');
        expect(report.target.host).toBe('127.0.0.1');
        const outcome = (port: number) => report.attempts.find((a) => a.port === port && a.family === 'ipv4')?.outcome;
        expect(outcome(ctx.starttls.port)).toBe('ok');
        expect(outcome(ctx.implicit.port)).toBe('ok');
        expect(outcome(ctx.closedPort)).toBe('connection_refused');
        const tls = report.attempts.find((a) => a.port === ctx.starttls.port)?.tls;
        expect(tls?.authorized).toBe(true);
        expect(report.verdict.code).not.toBe('');
        expect(report.verdict.fixes.length).toBeGreaterThan(0);
      },
    },
    {
      name: 'POST JSON with a login test: auth ok, the password never comes back',
      req: (ctx) => ({ json: { host: '127.0.0.1', ports: [`${ctx.auth.port}:starttls`], user: TEST_USER, password: TEST_PASSWORD, loginPort: ctx.auth.port, timeoutMs: 8000 } }),
      status: 200,
      check: (body, _res, ctx) => {
        const report = ProbeReport.parse(body);
        const a = report.attempts.find((x) => x.port === ctx.auth.port);
        expect(a?.outcome).toBe('ok');
        expect(a?.auth?.result).toBe('ok');
        expect(JSON.stringify(body)).not.toContain(TEST_PASSWORD);
        expect(JSON.stringify(body)).not.toContain(Buffer.from(`\0${TEST_USER}\0${TEST_PASSWORD}`).toString('base64'));
        expect(ctx.auth.logins).toContainEqual({ user: TEST_USER, ok: true });
      },
    },
    {
      name: 'a wrong token is 401 with WWW-Authenticate',
      req: (ctx) => ({ query: probeQuery(ctx), auth: 'wrong' }),
      status: 401,
      check: (body, res) => {
        expectError(body, 'unauthorized', 'authorization');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      },
    },
    { name: 'no token is 401', req: (ctx) => ({ query: probeQuery(ctx), auth: 'none' }), status: 401, check: (body) => expectError(body, 'unauthorized', 'authorization') },
    { name: 'bad ports are 400 naming the field', req: () => ({ query: { host: '127.0.0.1', ports: 'abc' } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'ports') },
    { name: 'an unknown field is 400', req: () => ({ json: { host: '127.0.0.1', bogus: 1 } }), status: 400, check: (body) => expectError(body, 'unknown_field', 'bogus') },
    { name: 'a password in the query string is refused', req: () => ({ query: { host: '127.0.0.1', password: 'x' } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'password') },
    { name: 'a body that is not JSON is 415', req: () => ({ raw: { type: 'text/plain', body: 'host=x' } }), status: 415, check: (body) => expectError(body, 'unsupported_media_type') },
    {
      name: 'without SMTP_EGRESS_TOKEN on the deployment: 503 saying what to set',
      on: 'unconfigured',
      req: (ctx) => ({ query: probeQuery(ctx) }),
      status: 503,
      check: (body) => {
        expectError(body, 'token_not_configured');
        expect(JSON.stringify(body)).toContain('SMTP_EGRESS_TOKEN');
      },
    },
  ],
  '/api/send-test': [
    {
      name: 'POST sends one message over STARTTLS with a login',
      req: (ctx) => ({ json: { to: ALLOWED, from: 'probe@example.test', host: '127.0.0.1', port: ctx.auth.port, mode: 'starttls', user: TEST_USER, password: TEST_PASSWORD, timeoutMs: 10000 } }),
      status: 200,
      check: (body, _res, ctx) => {
        const result = SendResult.parse(body);
        expect(result).toMatchObject({ sent: true, outcome: 'ok', dryRun: false, transport: 'smtp', platform: { name: 'netlify' } });
        expect(JSON.stringify(body)).not.toContain(TEST_PASSWORD);
        const got = ctx.auth.messages.find((m) => m.data.includes(result.id));
        expect(got?.to).toEqual([ALLOWED]);
      },
    },
    {
      name: 'a dry run renders the message and sends nothing',
      req: (ctx) => ({ json: { to: ALLOWED, from: 'probe@example.test', host: '127.0.0.1', port: ctx.starttls.port, mode: 'starttls', dryRun: true } }),
      status: 200,
      check: (body, _res, ctx) => {
        const result = SendResult.parse(body);
        expect(result).toMatchObject({ sent: false, dryRun: true });
        expect(ctx.starttls.messages).toEqual([]);
      },
    },
    { name: 'a recipient not on the allow-list is 403', req: () => ({ json: { to: 'someone@else.test', from: 'probe@example.test', host: '127.0.0.1', port: 25 } }), status: 403, check: (body) => expectError(body, 'forbidden', 'to') },
    { name: 'a header injection in the subject is 400', req: () => ({ json: { to: ALLOWED, from: 'probe@example.test', host: '127.0.0.1', port: 25, subject: 'hi\r\nBcc: x@evil.test' } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'subject') },
    { name: 'settings in the query string are refused', req: () => ({ query: { to: ALLOWED }, json: { to: ALLOWED } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'to') },
    { name: 'GET is 405', req: () => ({}), status: 405, check: (body) => expectError(body, 'method_not_allowed') },
    { name: 'a wrong token is 401', req: () => ({ json: { to: ALLOWED }, auth: 'wrong' }), status: 401, check: (body) => expectError(body, 'unauthorized', 'authorization') },
    { name: 'without SMTP_EGRESS_TOKEN on the deployment: 503', on: 'unconfigured', req: () => ({ json: { to: ALLOWED } }), status: 503, check: (body) => expectError(body, 'token_not_configured') },
  ],
  '/api/compare': [
    {
      name: 'POST two reports (no token needed): rows and a verdict naming the platforms',
      req: () => {
        const { netlify, render } = netlifyAndRender();
        return { json: { a: netlify, b: render }, auth: 'none' };
      },
      status: 200,
      check: (body) => {
        const cmp = CompareReport.parse(body);
        expect(cmp.rows.map((r) => [r.port, r.finding])).toEqual([
          [465, 'egress_blocked'],
          [587, 'egress_blocked'],
          [2525, 'same'],
        ]);
        expect(cmp.verdict.code).toBe('egress_blocked');
        expect(cmp.verdict.blocks.map((b) => b.column)).toEqual(['B']);
        expect(cmp.verdict.summary).toContain('Render');
      },
    },
    {
      name: 'reports of two different hosts are 400',
      req: () => ({ json: { a: probeReport('netlify', [{ port: 587, family: 'ipv4', outcome: 'ok' }], 'a.example.com'), b: probeReport('render', [{ port: 587, family: 'ipv4', outcome: 'ok' }], 'b.example.com') } }),
      status: 400,
      check: (body) => expectError(body, 'incompatible_reports'),
    },
    { name: 'a missing report is 400 naming it', req: () => ({ json: { a: netlifyAndRender().netlify } }), status: 400, check: (body) => expectError(body, 'missing_field', 'b') },
    { name: 'something that is not a report is 400', req: () => ({ json: { a: { hello: 1 }, b: netlifyAndRender().render } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'a.schema') },
    { name: 'GET is 405', req: () => ({ auth: 'none' }), status: 405, check: (body) => expectError(body, 'method_not_allowed') },
  ],
  '/api/config-check': [
    {
      name: 'POST Django settings (no token needed): 587 with SSL and TLS both on is an error, the password never comes back',
      req: () => ({ json: { env: { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'True', EMAIL_HOST_USER: 'app@example.com', EMAIL_HOST_PASSWORD: 'hunter2-e2e-secret' }, platform: 'render' }, auth: 'none' }),
      status: 200,
      check: (body) => {
        const report = ConfigReport.parse(body);
        expect(report.findings).toContainEqual(expect.objectContaining({ level: 'error', code: 'tls_and_ssl_both_true' }));
        expect(report.findings.map((f) => f.code)).toContain('port_blocked_on_platform');
        expect(JSON.stringify(body)).not.toContain('hunter2-e2e-secret');
      },
    },
    {
      name: 'POST an SMTP URL',
      req: () => ({ json: { url: 'smtp+ssl://user:pw-e2e-secret@smtp.example.com:465' } }),
      status: 200,
      check: (body) => {
        const report = ConfigReport.parse(body);
        expect(report.source).toBe('url');
        expect(report.settings).toMatchObject({ host: 'smtp.example.com', port: 465, useSsl: true });
        expect(JSON.stringify(body)).not.toContain('pw-e2e-secret');
      },
    },
    {
      name: "GET checks the deployment's own env (token required)",
      req: () => ({}),
      status: 200,
      check: (body) => {
        const report = ConfigReport.parse(body);
        expect(report.platform).toMatchObject({ name: 'netlify', how: 'detected' });
        expect(JSON.stringify(body)).not.toContain(TOKEN);
      },
    },
    { name: 'GET with a wrong token is 401', req: () => ({ auth: 'wrong' }), status: 401, check: (body) => expectError(body, 'unauthorized', 'authorization') },
    { name: 'GET without SMTP_EGRESS_TOKEN on the deployment: 503', on: 'unconfigured', req: () => ({}), status: 503, check: (body) => expectError(body, 'token_not_configured') },
    { name: 'two inputs at once are 400', req: () => ({ json: { url: 'smtp://smtp.example.com', env: {} } }), status: 400, check: (body) => expectError(body, 'invalid_input') },
    { name: 'an unknown platform is 400', req: () => ({ json: { url: 'smtp://smtp.example.com', platform: 'mars' } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'platform') },
  ],
  '/api/classify-logs': [
    {
      name: "POST a Django traceback (no token needed): Errno 101 and a 535 are recognised",
      req: () => ({ json: { logs: "OSError: [Errno 101] Network is unreachable\nsmtplib.SMTPAuthenticationError: (535, b'5.7.8 Authentication failed')\nGET / 200" }, auth: 'none' }),
      status: 200,
      check: (body) => {
        const report = LogsReport.parse(body);
        expect(report.matches.map((m) => [m.line, m.outcome])).toEqual([
          [1, 'network_unreachable'],
          [2, 'auth_failed'],
        ]);
        expect(report.lines).toMatchObject({ total: 3, recognised: 2, unrecognised: 1 });
      },
    },
    { name: 'no logs field is 400', req: () => ({ json: {} }), status: 400, check: (body) => expectError(body, 'missing_field', 'logs') },
    { name: 'logs that are not a string are 400', req: () => ({ json: { logs: 42 } }), status: 400, check: (body) => expectError(body, 'invalid_input', 'logs') },
    { name: 'GET is 405', req: () => ({}), status: 405, check: (body) => expectError(body, 'method_not_allowed') },
  ],
};

// ---------------------------------------------------------------------------------------------

async function call(server: NetlifyServer, path: string, r: Req): Promise<{ res: Response; text: string; body: unknown }> {
  const url = new URL(path, server.url);
  for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const auth = r.auth ?? 'good';
  if (auth !== 'none') headers.authorization = `Bearer ${auth === 'good' ? TOKEN : 'not-the-token'}`;
  let body: string | undefined;
  if (r.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(r.json);
  } else if (r.raw) {
    headers['content-type'] = r.raw.type;
    body = r.raw.body;
  }
  const method = r.method ?? (body === undefined ? 'GET' : 'POST');
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(25_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* left as text: the assertion on the status or body will say what came back */
  }
  return { res, text, body: parsed };
}

const tools = ensureTools();
if (!tools.ok) {
  const msg = `NETLIFY E2E NOT RUN: Node >= 22.13 + netlify-cli could not be installed into .tools/ (${tools.detail}). Run scripts/ensure-netlify-cli.sh and look at its output.`;
  console.warn(`\n${'!'.repeat(100)}\n!! ${msg}\n${'!'.repeat(100)}\n`);
  if (IN_CI) {
    it('has the Netlify CLI (CI=true: a missing tool is a failure)', () => {
      throw new Error(msg);
    });
  }
}

describe.skipIf(!tools.ok)(`Netlify functions through \`netlify functions:serve\` (${tools.detail})`, () => {
  const ctx = {} as Ctx;
  const servers = {} as Record<'configured' | 'unconfigured', NetlifyServer>;

  beforeAll(async () => {
    const pki = testPki();
    const base = { SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_EXTRA_CA: pki.ca.cert };
    const [configured, unconfigured, starttls, implicit, auth, closedPort] = await Promise.all([
      startNetlifyFunctions({ ...base, SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOWED_RECIPIENTS: ALLOWED }),
      startNetlifyFunctions(base),
      startSmtpServer({ tls: pki.valid }),
      startSmtpServer({ tls: pki.valid, secure: true }),
      startSmtpServer({ tls: pki.valid, auth: true }),
      freePort(),
    ]);
    Object.assign(servers, { configured, unconfigured });
    Object.assign(ctx, { starttls, implicit, auth, closedPort });
    console.info(`netlify functions:serve ready in ${configured.startupMs} ms and ${unconfigured.startupMs} ms (two side by side)`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([servers.configured?.stop(), servers.unconfigured?.stop(), ctx.starttls?.close(), ctx.implicit?.close(), ctx.auth?.close()]);
  });

  it('has cases for every function, and each config.path is a route of lib/http/routes.ts', () => {
    const fns = functionRoutes();
    expect(fns.length).toBeGreaterThan(0);
    for (const f of fns) {
      expect(f.paths, `${f.file} declares no config.path`).not.toEqual([]);
      for (const p of f.paths) {
        expect(Object.keys(CASES), `test/e2e/netlify-functions.test.ts has no cases for ${p} (${f.file})`).toContain(p);
        expect(Object.keys(ROUTES), `${p} (${f.file}) is not in lib/http/routes.ts`).toContain(p);
      }
    }
  });

  it("config.path of every function matches the README's route table", () => {
    const readme = readmeRoutes();
    const declared = functionRoutes().flatMap((f) => f.paths).sort();
    if (readme === null) {
      const msg = 'README.md has no route table (rows starting with | `/api/...`): the config.path check against it did not run';
      console.warn(`\n!! ${msg}\n`);
      if (IN_CI) throw new Error(msg);
      return;
    }
    const missing = declared.filter((p) => !readme.includes(p));
    const extra = readme.filter((p) => !declared.includes(p));
    expect({ missingFromReadme: missing, inReadmeButNoFunction: extra }, 'README.md route table vs functions/*.mts config.path').toEqual({ missingFromReadme: [], inReadmeButNoFunction: [] });
  });

  it('an unknown /api path is 404', async () => {
    const { res } = await call(servers.configured, '/api/no-such-function', { auth: 'none' });
    expect(res.status).toBe(404);
  });

  for (const [path, cases] of Object.entries(CASES)) {
    describe(path, () => {
      for (const c of cases) {
        it(`${c.name} (${c.status})`, async () => {
          const server = servers[c.on ?? 'configured'];
          const { res, text, body } = await call(server, path, c.req(ctx));
          expect(res.status, `${path}: ${text.slice(0, 800)}\n--- CLI log ---\n${server.log().slice(-2000)}`).toBe(c.status);
          expect(text).not.toContain(TOKEN);
          c.check?.(body, res, ctx);
        });
      }
    });
  }
});
