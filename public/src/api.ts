// Calls to a deployment's API: this site's own (same origin) or another deployment's (cross
// origin: that server must list this page's origin in SMTP_EGRESS_CORS_ORIGINS). Every answer
// becomes one of a few results the panels word for the user; nothing here touches the page.
import type { ProbeReport } from '../../lib/model/probe-report.ts';

/** A free Render service asleep takes about a minute to wake up; a probe itself takes up to 60 s. */
export const REMOTE_TIMEOUT_MS = 120_000;

export type ApiResult<T> =
  | { ok: true; value: T }
  /** The server answered with an API error (or a non-JSON error page). */
  | { ok: false; kind: 'refused'; status: number; code: string | null; field: string | null; message: string }
  /** The answer was not JSON: the URL is not an smtp-egress API. */
  | { ok: false; kind: 'not_api'; status: number; message: string }
  /** No answer: down, asleep, wrong address, or the browser refused it (CORS, mixed content). */
  | { ok: false; kind: 'unreachable'; message: string }
  | { ok: false; kind: 'cancelled' };

/** POSTs a JSON body to `base` + `path` with an optional bearer token. */
export async function postJson<T>(base: string, path: string, body: unknown, token: string | null, signal: AbortSignal): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal, credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return { ok: false, kind: 'cancelled' };
    if ((e as Error).name === 'TimeoutError') return { ok: false, kind: 'unreachable', message: `no answer within ${Math.round(REMOTE_TIMEOUT_MS / 1000)} s` };
    return { ok: false, kind: 'unreachable', message: (e as Error).message };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    if ((e as Error).name === 'AbortError') return { ok: false, kind: 'cancelled' };
    return { ok: false, kind: 'unreachable', message: `the answer broke off (${(e as Error).message})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const looksHtml = /^\s*</.test(text);
    return { ok: false, kind: 'not_api', status: res.status, message: `HTTP ${res.status}, ${looksHtml ? 'an HTML page' : 'not JSON'}` };
  }
  const err = (data as { error?: { code?: string; field?: string; message?: string } } | null)?.error;
  if (!res.ok || err) {
    return { ok: false, kind: 'refused', status: res.status, code: err?.code ?? null, field: err?.field ?? null, message: err?.message ?? `HTTP ${res.status}` };
  }
  return { ok: true, value: data as T };
}

export const postProbe = (base: string, body: unknown, token: string, signal: AbortSignal) => postJson<ProbeReport>(base, '/api/probe', body, token, signal);

/** The token was wrong (or missing): the caller forgets it. */
export const isUnauthorized = (r: ApiResult<unknown>) => !r.ok && r.kind === 'refused' && (r.status === 401 || r.code === 'unauthorized');

/** An abort signal that fires on the user's cancel or after `ms`. */
export function cancelOrTimeout(cancel: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([cancel, AbortSignal.timeout(ms)]);
}

/**
 * Another deployment's address as the user types it ("x.onrender.com", "https://x.onrender.com/",
 * ".../api/probe") -> its origin, or what is wrong with it.
 */
export function deploymentOrigin(input: string, pageOrigin: string, pageIsHttps: boolean): { origin: string } | { error: string } {
  let text = input.trim();
  if (!text) return { error: 'Enter the other deployment’s address, e.g. https://my-probe.onrender.com.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not quoted back: what was typed may hold a password.
    return { error: 'That is not a web address: enter it as https://my-probe.onrender.com.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `Use an https:// address (got ${url.protocol}).` };
  if (url.username || url.password) return { error: 'Leave the user name and password out of the address: the token goes in its own field.' };
  if (pageIsHttps && url.protocol === 'http:') return { error: 'Use the https:// address: a page served over HTTPS may not call an http:// one.' };
  if (url.origin === pageOrigin) return { error: 'That is this site: enter the other deployment (for example your Render probe service).' };
  return { origin: url.origin };
}
