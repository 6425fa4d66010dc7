// CORS for `smtp-egress serve`, so the page on another site (the Netlify deployment) can ask this
// service for a probe: only origins listed in SMTP_EGRESS_CORS_ORIGINS (comma-separated, exact,
// e.g. "https://my-site.netlify.app") get Access-Control-* headers, preflight included; every
// other origin gets none, so a browser keeps other sites out. Hand-written rather than
// hono/cors: that middleware answers a preflight from any origin with the allowed methods and
// headers; here an unlisted origin learns nothing.
import type { Env } from '../platform/detect.ts';

export const CORS_ORIGINS_VAR = 'SMTP_EGRESS_CORS_ORIGINS';
const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type';
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_S = 600;

export interface CorsOrigins {
  allowed: ReadonlySet<string>;
  /** Entries that are not an http(s) origin (ignored; `serve` says so at start). */
  invalid: string[];
}

/** The listed origins, each normalised to scheme://host[:port] (no path, no trailing slash). */
export function corsOriginsFrom(env: Env): CorsOrigins {
  const allowed = new Set<string>();
  const invalid: string[] = [];
  for (const raw of (env[CORS_ORIGINS_VAR] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let origin: string | null = null;
    try {
      const u = new URL(raw);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username) origin = u.origin;
    } catch {
      /* below */
    }
    if (origin) allowed.add(origin);
    else invalid.push(raw.slice(0, 100));
  }
  return { allowed, invalid };
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  const h = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'vary') h.append('vary', v);
    else h.set(k, v);
  }
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: h });
}

/** Wraps a fetch handler: preflights of listed origins answered here, their responses marked. */
export function withCors(handler: (req: Request) => Promise<Response>, origins: CorsOrigins): (req: Request) => Promise<Response> {
  if (origins.allowed.size === 0) return handler;
  return async (req) => {
    const origin = req.headers.get('origin');
    const listed = origin !== null && origins.allowed.has(origin);
    if (listed && req.method === 'OPTIONS' && req.headers.has('access-control-request-method')) {
      return new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': ALLOW_METHODS,
          'access-control-allow-headers': ALLOW_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
          vary: 'Origin',
        },
      });
    }
    const res = await handler(req);
    // Vary on every answer: a cache must not hand a listed origin's answer to another origin.
    return withHeaders(res, listed ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' });
  };
}
