// The remote half of `smtp-egress probe --compare URL`: ask a deployed probe function (Netlify's
// /api/probe, or `smtp-egress serve` on Render) for the same probe the CLI runs locally, with the
// deployment's bearer token. The login test is never forwarded: the password stays on this
// machine. Failures become one `remote_failed` error whose message says what to check.
import net from 'node:net';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../model/errors.ts';
import { blockedReason } from '../security/address-policy.ts';
import { createRedactor } from '../security/redact.ts';
import type { ProbeOptions } from '../smtp/probe.ts';
import type { ProbeReport } from '../model/probe-report.ts';
import { loadProbeReport } from '../compare/compare.ts';

/** How much longer than the probe's own deadline the remote may take (cold start, network). */
export const REMOTE_MARGIN_MS = 15_000;
const MAX_REMOTE_BYTES = 4 * 1024 * 1024;

/**
 * Validates the URL: https, or http to a loopback/private address only (the token would cross
 * the internet in clear text otherwise); no credentials in it. A bare origin gets /api/probe.
 */
export function remoteProbeUrl(raw: string, flag = '--compare'): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw inputError(flag, `${flag} "${raw.slice(0, 200)}" is not a URL: give the probe function's address, e.g. https://SITE.netlify.app/api/probe`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw inputError(flag, `${flag} must be an https:// URL (got ${u.protocol})`);
  if (u.username || u.password) throw inputError(flag, `${flag} must not carry credentials: the token is read from SMTP_EGRESS_TOKEN`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const privateHost = host === 'localhost' || (net.isIP(host) !== 0 && blockedReason(host) !== null);
  if (u.protocol === 'http:' && !privateHost) {
    throw inputError(flag, `${flag} ${u.origin} is plain http to a public host: use https (the bearer token would travel in clear text)`);
  }
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/api/probe';
  return u;
}

/** The probe request the remote gets: the same target, ports, modes, family and timeouts. */
export function remoteProbeInput(options: ProbeOptions, ehloName?: string): Record<string, unknown> {
  const input: Record<string, unknown> = {
    host: options.host,
    ports: options.ports.map((p) => `${p.port}:${p.mode}`).join(','),
    connectTimeoutMs: options.timeouts.connectMs,
    greetingTimeoutMs: options.timeouts.greetingMs,
    commandTimeoutMs: options.timeouts.commandMs,
    tlsTimeoutMs: options.timeouts.tlsMs,
    timeoutMs: options.timeouts.totalMs,
  };
  if (options.family) input.family = options.family;
  if (ehloName !== undefined) input.ehloName = ehloName;
  return input;
}

const where = (u: URL) => `${u.origin}${u.pathname}`;

export interface RemoteProbeOptions {
  url: URL;
  token: string;
  input: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

export async function fetchRemoteProbe(o: RemoteProbeOptions): Promise<ProbeReport> {
  // The remote's answer is quoted in messages: a hostile or broken one may echo our token back.
  const redact = createRedactor([o.token]);
  const fail = (message: string, cause?: unknown) => new SmtpEgressError('remote_failed', redact(message), { field: '--compare', stage: 'remote', cause });
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([timeout, o.signal]) : timeout;
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(o.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(o.input),
      redirect: 'manual',
      signal,
    });
  } catch (e) {
    if (timeout.aborted) throw fail(`${where(o.url)} did not answer within ${Math.round(o.timeoutMs / 1000)} s`, e);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw fail(`cannot reach ${where(o.url)}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, e);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw fail(`${where(o.url)} redirects (${res.status}) to ${res.headers.get('location') ?? 'somewhere else'}: give that URL instead`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw fail(`${where(o.url)} broke off its answer: ${(e as Error).message}`, e);
  }
  if (text.length > MAX_REMOTE_BYTES) throw fail(`${where(o.url)} answered with more than ${MAX_REMOTE_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw fail(`${where(o.url)} answered ${res.status} without JSON (${(res.headers.get('content-type') ?? 'no content type').slice(0, 60)}): is it the smtp-egress probe function (…/api/probe)?`);
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    const hint =
      res.status === 401
        ? ' Check that SMTP_EGRESS_TOKEN here is the token the deployment has.'
        : res.status === 404
          ? ' Is the URL the probe function (…/api/probe)?'
          : '';
    // Only the remote's words are redacted: our own hint names SMTP_EGRESS_TOKEN and the word
    // "token", which a short token (say "token") would otherwise turn into ****.
    const quoted = redact(`${where(o.url)} answered ${res.status}${err?.code ? ` ${err.code}` : ''}: ${(err?.message ?? text).slice(0, 400)}.`).replace(/\.\.$/, '.');
    throw new SmtpEgressError('remote_failed', `${quoted}${hint}`, { field: '--compare', stage: 'remote' });
  }
  try {
    return loadProbeReport(body, `the report from ${where(o.url)}`);
  } catch (e) {
    if (isSmtpEgressError(e) && e.code === 'invalid_input') throw fail(e.message, e);
    throw e;
  }
}
