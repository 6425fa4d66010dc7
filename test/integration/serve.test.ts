// `smtp-egress serve` as Render runs it: a child process (`node --import tsx cli/bin.ts serve`)
// on port 0, called over real HTTP: the API from the one route table (health, probe against a
// real smtp-server, classify-logs), static files with no way out of their folder, JSON 404s,
// and SIGTERM with a request in flight. The built bundle serves too, alone in an empty folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { LogsReport } from '../../lib/model/logs-report.ts';
import { runCli } from '../helpers/cli.ts';
import { ROUTES } from '../../lib/http/routes.ts';

const TOKEN = 'serve-test-token-0123456789abcdef';
const SECRET = 'this-file-is-outside-public';

interface Served {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

async function serve(command: string[], env: Record<string, string>, cwd = process.cwd()): Promise<Served> {
  const child = spawn(process.execPath, command, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await waitFor(() => /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(out)?.[1], 20_000, () => out);
  // The start-up banner is two lines, which may arrive in two chunks: wait for the second too.
  await waitFor(() => /running on .*; token /.test(out), 5_000, () => out);
  return { child, base: `http://127.0.0.1:${port}`, output: () => out, exited };
}

async function waitFor<T>(probe: () => T | undefined | null | false, ms: number, what: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A raw GET on a fresh connection, path sent exactly as given (fetch would normalise `..`). */
function rawGet(base: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function postJson(base: string, path: string, body: unknown, token: string | null = TOKEN): Promise<{ status: number; json: unknown; headers: http.IncomingHttpHeaders }> {
  const { hostname, port } = new URL(base);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, path, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** A TCP server that accepts and never says a word: a greeting that never comes. */
async function startSilentServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections += 1;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let smtp: RunningServer;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let publicDir: string;
let main: Served;

const apiEnv = () => ({ SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_EXTRA_CA: testPki().ca.cert });

beforeAll(async () => {
  smtp = await startSmtpServer({ tls: testPki().valid });
  silent = await startSilentServer();
  const root = mkdtempSync(join(tmpdir(), 'se-serve-'));
  publicDir = join(root, 'public');
  mkdirSync(join(publicDir, 'docs'), { recursive: true });
  writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>smtp-egress</title><p>the page</p>\n');
  writeFileSync(join(publicDir, 'smtp-egress.mjs'), '#!/usr/bin/env node\nconsole.log("runner");\n');
  writeFileSync(join(publicDir, 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(publicDir, 'docs', 'index.html'), '<p>docs</p>\n');
  writeFileSync(join(publicDir, '.env'), `SMTP_EGRESS_TOKEN=${SECRET}\n`);
  writeFileSync(join(root, 'secret.txt'), `${SECRET}\n`);
  symlinkSync(join(root, 'secret.txt'), join(publicDir, 'escape.txt'));
  main = await serve(['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--public', publicDir], apiEnv());
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await smtp?.close();
  await silent?.close();
});

describe('smtp-egress serve (child process)', () => {
  it('prints where it listens and whether a token is set', () => {
    expect(main.output()).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+ \(http:\/\/localhost:\d+\)/);
    expect(main.output()).toMatch(/token configured/);
  });

  it('GET /api/health', async () => {
    const res = await fetch(`${main.base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, tool: { name: 'smtp-egress' }, platform: { name: 'local' }, tokenConfigured: true });
  });

  it('POST /api/probe with the token probes a real SMTP server', async () => {
    const res = await postJson(main.base, '/api/probe', { host: 'localhost', ports: [`${smtp.port}:starttls`], family: 'ipv4', timeoutMs: 5000 });
    expect(res.status).toBe(200);
    const report = ProbeReport.parse(res.json);
    expect(report.platform.name).toBe('local');
    expect(report.attempts[0]).toMatchObject({ port: smtp.port, outcome: 'ok', detectedMode: 'starttls' });
  });

  it('POST /api/probe without the token: 401', async () => {
    const res = await postJson(main.base, '/api/probe', { host: 'localhost', ports: [String(smtp.port)] }, null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/Bearer/);
    expect(res.json).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('POST /api/classify-logs needs no token', async () => {
    const logs = '2026-11-20T10:00:31.000Z OSError: [Errno 101] Network is unreachable\n==> Your service is live\n';
    const res = await postJson(main.base, '/api/classify-logs', { logs }, null);
    expect(res.status).toBe(200);
    const report = LogsReport.parse(res.json);
    expect(report).toMatchObject({ platform: { name: 'render', from: 'logs' }, lines: { total: 2, recognised: 1, unrecognised: 1 } });
    expect(report.summary.mostLikely?.outcome).toBe('network_unreachable');
  });

  it('serves the page, the runner and other static files with their content types', async () => {
    const page = await rawGet(main.base, '/');
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(page.body).toContain('the page');
    const runner = await fetch(`${main.base}/smtp-egress.mjs`);
    expect(runner.status).toBe(200);
    expect(runner.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(runner.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await runner.text()).toContain('runner');
    expect(await rawGet(main.base, '/app.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect((await rawGet(main.base, '/docs/')).body).toContain('docs');
    expect((await rawGet(main.base, '/docs')).body).toContain('docs');
    const head = await rawGet(main.base, '/index.html', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/docs/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/escape.txt', '/.env', '/%00index.html'])('no way out of public/: %s is 404', async (path) => {
    const res = await rawGet(main.base, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('unknown /api paths answer a JSON 404; unknown files a 404; POST on a file 405', async () => {
    const res = await rawGet(main.base, '/api/nope');
    expect(res.status).toBe(404);
    expect(res.type).toMatch(/^application\/json/);
    const body = JSON.parse(res.body);
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('/api/health');
    expect((await rawGet(main.base, '/api')).status).toBe(404);
    expect((await rawGet(main.base, '/nope.html')).status).toBe(404);
    expect((await rawGet(main.base, '/index.html', 'POST')).status).toBe(405);
  });

  it('logs one line per request, without query strings', async () => {
    await fetch(`${main.base}/api/health?secret=1`);
    await waitFor(() => main.output().includes('GET /api/health 200'), 2000);
    expect(main.output()).not.toContain('secret=1');
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM: stops accepting, lets the request in flight finish, exits 0', async () => {
    // The port comes from PORT, as Render sets it.
    const s = await serve(['--import', 'tsx', 'cli/bin.ts', 'serve', '--public', publicDir], { ...apiEnv(), PORT: '0' });
    const before = silent.connections();
    const inFlight = postJson(s.base, '/api/probe', { host: 'localhost', ports: [`${silent.port}:starttls`], family: 'ipv4', greetingTimeoutMs: 1500 });
    await waitFor(() => silent.connections() > before, 10_000);
    s.child.kill('SIGTERM');
    await waitFor(() => s.output().includes('SIGTERM: no new connections'), 5000, s.output);
    await expect(rawGet(s.base, '/api/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(ProbeReport.parse(res.json).attempts[0]?.outcome).toBe('greeting_timeout');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.output()).toMatch(/waiting for 1 request\(s\) in flight/);
    expect(s.output()).toMatch(/POST \/api\/probe 200/);
    expect(s.output()).toMatch(/stopped\n/);
  });

  it('the wait is bounded: --shutdown-timeout cuts a request that runs on, and the process still exits 0', async () => {
    const s = await serve(['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--shutdown-timeout', '300'], apiEnv());
    const before = silent.connections();
    const inFlight = postJson(s.base, '/api/probe', { host: 'localhost', ports: [`${silent.port}:starttls`], family: 'ipv4', greetingTimeoutMs: 20_000 });
    inFlight.catch(() => undefined);
    await waitFor(() => silent.connections() > before, 10_000);
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    await expect(inFlight).rejects.toThrow();
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.output()).toMatch(/still running after 300 ms/);
  });
});

describe('serve options', () => {
  it.each([
    [['serve', '--port', 'abc'], {}, /--port must be a port/],
    [['serve', '--port', '70000'], {}, /--port must be a port/],
    [['serve'], { PORT: 'eighty' }, /PORT must be a port/],
    [['serve', '--public', '/nonexistent/dir'], {}, /--public .* is not a directory/],
    [['serve', 'extra'], {}, /serve takes no arguments/],
  ])('%j %j -> exit 2', async (argv, env, message) => {
    const r = await runCli(argv, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('render.yaml', () => {
  it('builds the bundle, starts `serve`, checks a real route, and asks for the token instead of holding it', () => {
    const yaml = readFileSync('render.yaml', 'utf8');
    expect(yaml).toMatch(/^\s+buildCommand: npm ci && npm run build$/m);
    expect(yaml).toMatch(/^\s+startCommand: node dist\/smtp-egress\.mjs serve$/m);
    const health = /^\s+healthCheckPath: (\S+)$/m.exec(yaml)?.[1];
    expect(health && Object.hasOwn(ROUTES, health)).toBe(true);
    expect(yaml).toMatch(/- key: SMTP_EGRESS_TOKEN\n\s+sync: false/);
    expect(yaml).not.toMatch(/- key: (?:SMTP_EGRESS_TOKEN|EMAIL_HOST_PASSWORD)\n\s+value:/);
  });
});

// Built when missing, never skipped: a renamed or broken build must fail here.
describe('the built bundle serves, alone in an empty folder', () => {
  beforeAll(() => {
    if (!existsSync('dist/smtp-egress.mjs')) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore', timeout: 120_000 });
  }, 150_000);

  it('node smtp-egress.mjs serve: health, the runner itself at /smtp-egress.mjs, SIGTERM exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-serve-bundle-'));
    copyFileSync('dist/smtp-egress.mjs', join(dir, 'smtp-egress.mjs'));
    const s = await serve(['smtp-egress.mjs', 'serve', '--port', '0'], { SMTP_EGRESS_TOKEN: TOKEN }, dir);
    expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
    const runner = await rawGet(s.base, '/smtp-egress.mjs');
    expect(runner).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(runner.body.startsWith('#!/usr/bin/env node')).toBe(true);
    const page = await rawGet(s.base, '/');
    expect(page.status).toBe(404);
    expect(page.body).toMatch(/page is not deployed/);
    const logs = await postJson(s.base, '/api/classify-logs', { logs: 'Error: Greeting never received' }, null);
    expect(LogsReport.parse(logs.json).summary.mostLikely?.outcome).toBe('greeting_timeout');
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
  });
});
