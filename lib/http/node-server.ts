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
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { ROUTES, type Handler } from './routes.ts';
import { nodeHandlerContext, type HandlerContext } from './context.ts';
import { errorResponse } from './respond.ts';
import { corsOriginsFrom, withCors } from './cors.ts';
import { SmtpEgressError } from '../model/errors.ts';
import type { Env } from '../platform/detect.ts';
import { TOOL_VERSION } from '../model/version.ts';
import { limitsFromEnv, type ServeLimits } from './limits.ts';
import { AttemptGate } from './attempt-gate.ts';

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
  /** Connection, time, body and probe limits; default: limitsFromEnv(env). */
  limits?: ServeLimits;
}

export interface RunningNodeServer {
  /** http://HOST:PORT as bound (0.0.0.0 stays 0.0.0.0: see localUrl for a browser). */
  url: string;
  /** http://localhost:PORT when bound to every interface, else url. */
  localUrl: string;
  port: number;
  server: http.Server;
  limits: ServeLimits;
  gate: AttemptGate;
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

/** What @hono/node-server passes next to the Request: the Node objects, for the peer address. */
interface NodeBindings {
  incoming?: { socket: { remoteAddress?: string } };
}

/** The Web-side of the server: route table, then static files. Usable without a socket. */
export function createFetchHandler(
  options: Pick<NodeServerOptions, 'env' | 'publicDir' | 'runnerFile' | 'routes' | 'limits'> & { gate?: AttemptGate },
): (req: Request, bindings?: NodeBindings) => Promise<Response> {
  const routes = options.routes ?? ROUTES;
  const base: HandlerContext = { ...nodeHandlerContext(options.env), limits: options.limits, gate: options.gate };
  const publicRoot = options.publicDir ? path.resolve(options.publicDir) : null;
  // CORS (SMTP_EGRESS_CORS_ORIGINS) wraps everything, so preflights never reach a handler.
  const inner = async (req: Request, bindings?: NodeBindings) => {
    const url = new URL(req.url);
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    try {
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        const handler = Object.hasOwn(routes, pathname) ? routes[pathname] : undefined;
        if (!handler) {
          throw new SmtpEgressError('not_found', `no endpoint at ${pathname.slice(0, 100)}: this server answers ${Object.keys(routes).join(', ')}`, { field: 'path' });
        }
        // The socket's peer, never a header: X-Forwarded-For is whatever the caller writes.
        return await handler(req, { ...base, client: bindings?.incoming?.socket.remoteAddress });
      }
      return await serveStatic(req, url.pathname, publicRoot, options.runnerFile ?? null);
    } catch (err) {
      return errorResponse(err);
    }
  };
  const origins = corsOriginsFrom(options.env);
  return (req: Request, bindings?: NodeBindings) => withCors((r) => inner(r, bindings), origins)(req);
}

/** The path of a request target for the log: an absolute-form target's userinfo and host dropped. */
export function loggedPath(target: string | undefined): string {
  let p = (target ?? '/').split(/[?#]/)[0] ?? '/';
  if (!p.startsWith('/')) {
    try {
      p = new URL(p).pathname;
    } catch {
      p = '(not a path)';
    }
  }
  return p.slice(0, 200);
}

/** How long a connection refused mid-body lingers (unread) before it is closed for good. */
const LINGER_MS = 1_000;

/** Connections Node itself lets in past the cap, to be closed by the eviction below. */
const CONNECTION_HEADROOM = 16;

/** The runner is fetched by every `curl | node` install: cached for an hour, revalidated by ETag. */
const RUNNER_CACHE = 'public, max-age=3600';

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
  const info = await stat(chosen);
  // A weak validator from size and modification time: no need to read the file to answer 304.
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const type = CONTENT_TYPES[path.extname(chosen).toLowerCase()] ?? 'application/octet-stream';
  const cacheControl = relative === '/smtp-egress.mjs' ? RUNNER_CACHE : 'no-cache';
  const headers: Record<string, string> = { ...STATIC_HEADERS, 'content-type': type, etag, 'cache-control': cacheControl };
  const match = req.headers.get('if-none-match');
  if (match && match.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return new Response(null, { status: 304, headers });
  headers['content-length'] = String(info.size);
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers });
  // Streamed, not read whole: a 1.3 MB runner per request would otherwise sit in memory per client.
  return new Response(Readable.toWeb(createReadStream(chosen)) as ReadableStream<Uint8Array>, { status: 200, headers });
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
  const limits = options.limits ?? limitsFromEnv(options.env);
  const gate = new AttemptGate({ maxSlots: limits.maxProbeAttempts, maxQueued: limits.maxQueuedProbes, maxWaitMs: limits.maxQueueWaitMs });
  const fetchHandler = createFetchHandler({ ...options, limits, gate });
  // overrideGlobalObjects: false leaves the process's own Request/Response alone.
  const listener = getRequestListener(fetchHandler, { overrideGlobalObjects: false });

  const active = new Set<http.ServerResponse>();
  let closing = false;
  const server = http.createServer(
    {
      // Slow headers and slow bodies are cut off (408) rather than held for Node's defaults
      // (60 s and 300 s); the check runs every second so the limits hold to about a second.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      const started = performance.now();
      active.add(res);
      busy(req.socket);
      if (closing) res.setHeader('connection', 'close');
      res.on('finish', () => {
        // Answered before its body was read (413, 408, 503): stop reading the rest, which would
        // otherwise be parsed and thrown away, then close. The pause keeps unread bytes in the
        // kernel, so the close is a FIN after our answer, not a reset that could lose it.
        if (!req.complete) {
          req.socket.pause();
          req.socket.end();
          setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
        }
      });
      res.on('close', () => {
        active.delete(res);
        idleAgain(req.socket);
        log(`${req.method} ${loggedPath(req.url)} ${res.statusCode}${res.writableFinished ? '' : ' (aborted)'} ${Math.round(performance.now() - started)} ms`);
        // While shutting down, a connection whose last response is done is closed at once.
        if (closing) server.closeIdleConnections();
      });
      void listener(req, res);
    },
  );
  // The connection cap. A new connection past it closes the oldest connection that has no
  // request in progress (one still sending its headers, or idle between keep-alive requests):
  // slow or idle clients cannot keep a new client out, and the descriptors held stay bounded.
  // Only when every connection is busy with a request is the new one closed instead.
  const idle = new Map<Socket, true>(); // insertion order: the oldest first
  let open = 0;
  let evicted = 0;
  const busy = (socket: Socket) => idle.delete(socket);
  const idleAgain = (socket: Socket) => {
    if (socket.destroyed) return;
    idle.delete(socket);
    idle.set(socket, true);
  };
  server.on('connection', (socket: Socket) => {
    open += 1;
    idle.set(socket, true);
    socket.once('close', () => {
      open -= 1;
      idle.delete(socket);
    });
    if (open <= limits.maxConnections) return;
    const oldest = idle.keys().next().value;
    (oldest && oldest !== socket ? oldest : socket).destroy();
    evicted += 1;
    if (evicted === 1 || evicted % 1000 === 0) log(`connection cap (${limits.maxConnections}) reached: ${evicted} connection(s) closed to make room so far`);
  });
  // A backstop Node enforces before any of this runs, should a burst outpace the closing.
  server.maxConnections = limits.maxConnections + CONNECTION_HEADROOM;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;

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

  return { url, localUrl, port: address.port, server, limits, gate, inFlight: () => active.size, shutdown };
}
