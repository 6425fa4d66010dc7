// `smtp-egress serve`: the same lib/http handlers the Netlify functions run, on a Node HTTP
// server, so the runner can be a Render web service. Routes come from the one table in
// routes.ts; everything else is a static file from public/ (the page, and the runner itself at
// /smtp-egress.mjs), or a JSON 404 under /api.
//
// Node's http speaks IncomingMessage/ServerResponse, the handlers speak Web Request/Response.
// The bridge is @hono/node-server's getRequestListener: the well-kept adapter Hono maintains for
// exactly this (streaming bodies both ways, client aborts reaching req.signal), rather than one
// written here. Nothing else of a framework is used.
import http from 'node:http';
import path from 'node:path';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { ROUTES, type Handler } from './routes.ts';
import { nodeHandlerContext, type HandlerContext } from './context.ts';
import { errorResponse } from './respond.ts';
import { corsOriginsFrom, withCors } from './cors.ts';
import { SmtpEgressError } from '../model/errors.ts';
import type { Env } from '../platform/detect.ts';
import { TOOL_VERSION } from '../model/version.ts';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '0.0.0.0';
/** In-flight requests get this long after SIGTERM (Render waits 30 s before it kills). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

export interface NodeServerOptions {
  port: number;
  host: string;
  env: Env;
  /** Static files (the page); null serves none. */
  publicDir: string | null;
  /** Served at /smtp-egress.mjs when publicDir has no copy (the bundle that is running). */
  runnerFile?: string | null;
  /** Defaults to the table every adapter uses. */
  routes?: Readonly<Record<string, Handler>>;
  /** One line per request and per lifecycle event; nothing when absent. */
  log?: (line: string) => void;
}

export interface RunningNodeServer {
  /** http://HOST:PORT as bound (0.0.0.0 stays 0.0.0.0: see localUrl for a browser). */
  url: string;
  /** http://localhost:PORT when bound to every interface, else url. */
  localUrl: string;
  port: number;
  server: http.Server;
  inFlight: () => number;
  /**
   * Stops accepting connections, lets requests in flight finish for at most graceMs, then
   * closes what is left. Resolves true when every request finished within the grace period.
   */
  shutdown: (graceMs?: number) => Promise<boolean>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

const STATIC_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...STATIC_HEADERS, ...headers } });

/** The Web-side of the server: route table, then static files. Usable without a socket. */
export function createFetchHandler(options: Pick<NodeServerOptions, 'env' | 'publicDir' | 'runnerFile' | 'routes'>): (req: Request) => Promise<Response> {
  const routes = options.routes ?? ROUTES;
  const ctx: HandlerContext = nodeHandlerContext(options.env);
  const publicRoot = options.publicDir ? path.resolve(options.publicDir) : null;
  // CORS (SMTP_EGRESS_CORS_ORIGINS) wraps everything, so preflights never reach a handler.
  return withCors(async (req: Request) => {
    const url = new URL(req.url);
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    try {
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        const handler = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
        if (!handler) {
          throw new SmtpEgressError('not_found', `no endpoint at ${pathname.slice(0, 100)}: this server answers ${Object.keys(routes).join(', ')}`, { field: 'path' });
        }
        return await handler(req, ctx);
      }
      return await serveStatic(req, url.pathname, publicRoot, options.runnerFile ?? null);
    } catch (err) {
      return errorResponse(err);
    }
  }, corsOriginsFrom(options.env));
}

async function serveStatic(req: Request, rawPath: string, root: string | null, runnerFile: string | null): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(`${req.method} is not supported for static files: use GET\n`, 405, { allow: 'GET, HEAD' });
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return text('bad path\n', 400);
  }
  const segments = decoded.split('/');
  // Every way out of the folder is refused before the file system sees it: `..` (also as
  // %2e%2e, which URL parsing leaves alone), backslashes, NUL, and hidden files.
  if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s === '..' || (s.startsWith('.') && s !== ''))) {
    return text('not found\n', 404);
  }
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const file = root ? await safeFile(root, relative) : null;
  const chosen = file ?? (relative === '/smtp-egress.mjs' && runnerFile ? runnerFile : null);
  if (!chosen) {
    if (relative === '/index.html') {
      return text(`smtp-egress ${TOOL_VERSION}: the page is not deployed with this server (no public/index.html). The API answers at /api/health, /api/probe and the other /api paths.\n`, 404);
    }
    return text('not found\n', 404);
  }
  const body = await readFile(chosen);
  const type = CONTENT_TYPES[path.extname(chosen).toLowerCase()] ?? 'application/octet-stream';
  const headers = { 'content-type': type, 'content-length': String(body.byteLength), ...STATIC_HEADERS };
  return new Response(req.method === 'HEAD' ? null : body, { status: 200, headers });
}

/** The regular file at root + relative, if it is one and (links resolved) stays inside root. */
async function safeFile(root: string, relative: string): Promise<string | null> {
  const candidate = path.resolve(root, `.${relative}`);
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  try {
    let real = await realpath(candidate);
    const realRoot = await realpath(root);
    if (!real.startsWith(realRoot + path.sep)) return null;
    if ((await stat(real)).isDirectory()) {
      real = await realpath(path.join(real, 'index.html'));
      if (!real.startsWith(realRoot + path.sep)) return null;
    }
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

export async function startNodeServer(options: NodeServerOptions): Promise<RunningNodeServer> {
  const log = options.log ?? (() => undefined);
  const fetchHandler = createFetchHandler(options);
  // overrideGlobalObjects: false leaves the process's own Request/Response alone.
  const listener = getRequestListener(fetchHandler, { overrideGlobalObjects: false });

  const active = new Set<http.ServerResponse>();
  let closing = false;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    active.add(res);
    if (closing) res.setHeader('connection', 'close');
    res.on('close', () => {
      active.delete(res);
      const route = (req.url ?? '/').split('?')[0]?.slice(0, 200);
      log(`${req.method} ${route} ${res.statusCode}${res.writableFinished ? '' : ' (aborted)'} ${Math.round(performance.now() - started)} ms`);
      // While shutting down, a connection whose last response is done is closed at once.
      if (closing) server.closeIdleConnections();
    });
    void listener(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new SmtpEgressError('internal', `cannot listen on ${options.host}:${options.port}: ${err.code ?? err.message}${err.code === 'EADDRINUSE' ? ' (the port is in use: pick another with --port)' : ''}`));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${err.message}`));

  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  const everywhere = address.address === '0.0.0.0' || address.address === '::';
  const localUrl = everywhere ? `http://localhost:${address.port}` : url;

  let shutdownPromise: Promise<boolean> | null = null;
  const shutdown = (graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<boolean> => {
    if (shutdownPromise) return shutdownPromise;
    closing = true;
    shutdownPromise = new Promise<boolean>((resolve) => {
      let inTime = true;
      const timer = setTimeout(() => {
        inTime = false;
        log(`shutdown: ${active.size} request(s) still running after ${graceMs} ms: closing their connections`);
        server.closeAllConnections();
      }, graceMs);
      // close() stops accepting and resolves once every connection has ended.
      server.close(() => {
        clearTimeout(timer);
        resolve(inTime);
      });
      for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
      server.closeIdleConnections();
    });
    return shutdownPromise;
  };

  return { url, localUrl, port: address.port, server, inFlight: () => active.size, shutdown };
}
