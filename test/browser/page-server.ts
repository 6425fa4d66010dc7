// Serves the page and the API on loopback for the browser test. `smtp-egress serve` is what a
// user runs, so it is used when it exists; otherwise a few lines of node:http serve public/ and
// hand /api/* to the same handlers (lib/http/routes.ts ROUTES) the functions wire.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../../lib/http/routes.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PUBLIC = join(ROOT, 'public');

export interface PageServer {
  url: string;
  kind: string;
  /** What the server printed so far (serve logs one line per request: "POST /api/probe 200 12 ms"). */
  output: () => string;
  stop: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The fallback: public/ and ROUTES behind node:http. */
export async function startTestServer(env: Record<string, string>): Promise<PageServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const handler = ROUTES[url.pathname];
      if (handler) {
        const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
        const ac = new AbortController();
        res.on('close', () => ac.abort());
        const r = await handler(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body, signal: ac.signal }), nodeHandlerContext(env));
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
        return;
      }
      const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
      const file = join(PUBLIC, rel);
      if (!file.startsWith(PUBLIC + sep) || !existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    })().catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: 'test server (public/ + lib/http/routes.ts)',
    output: () => '',
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface ServeWhere {
  /** The address to bind (default 127.0.0.1). */
  host?: string;
  /** Run inside this network namespace (`ip netns exec`), with its egress firewall. */
  netns?: string;
}

/** `smtp-egress serve` as a user runs it (from source, with tsx), on a free port of `where.host`. */
export async function startSmtpEgressServe(env: Record<string, string>, readyTimeoutMs = 30_000, where: ServeWhere = {}): Promise<PageServer> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(SMTP_EGRESS_|EMAIL_|AWS_|RENDER|NETLIFY|PORT$|NODE_OPTIONS$|VITEST)/.test(k)) childEnv[k] = v;
  Object.assign(childEnv, env);
  const args = ['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--host', where.host ?? '127.0.0.1', '--public', 'public'];
  // `ip netns exec` execs node in place, so the child's pid is node's and signals reach it.
  const [cmd, argv] = where.netns ? ['ip', ['netns', 'exec', where.netns, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`smtp-egress serve did not say where it listens within ${readyTimeoutMs} ms:\n${out}`)), readyTimeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[0-9a-f.:[\]]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`smtp-egress serve exited (${code}) before it listened:\n${out}`));
    });
  });
  return {
    url,
    kind: 'smtp-egress serve',
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** `smtp-egress serve` when the project has it, else the test server. */
export function startPageServer(env: Record<string, string>): Promise<PageServer> {
  return existsSync(join(ROOT, 'cli/commands/serve.ts')) ? startSmtpEgressServe(env) : startTestServer(env);
}
