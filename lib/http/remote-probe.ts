// The remote half of `smtp-egress compare URL...` and `probe --compare URL`: ask a deployed probe
// function (Netlify's /api/probe, or `smtp-egress serve` on Render) for the same probe the CLI
// runs locally, with that deployment's own bearer token. The login test is never forwarded: the
// password stays on this machine. Failures become one `remote_failed` error whose message names
// the URL and says what to check; a report of another schema version stays `incompatible_reports`.
import net from 'node:net';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../model/errors.ts';
import { blockedReason, embeddedIpv4 } from '../security/address-policy.ts';
import { createRedactor } from '../security/redact.ts';
import type { ProbeOptions } from '../smtp/probe.ts';
import type { ProbeReport } from '../model/probe-report.ts';
import { loadProbeReport } from '../compare/compare.ts';

/** How much longer than the probe's own deadline the remote may take (cold start, network). */
export const REMOTE_MARGIN_MS = 15_000;
const MAX_REMOTE_BYTES = 4 * 1024 * 1024;

/**
 * Validates the URL: https, or http to a loopback address only (the token would travel in
 * clear text otherwise: a "private" range is no promise the path stays private, and NAT64
 * 64:ff9b::/96 or 6to4 addresses route to the internet); no credentials in it. A bare origin
 * gets /api/probe.
 */
export function remoteProbeUrl(raw: string, flag = '--compare', opts: { allowPrivate?: boolean } = {}): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw inputError(flag, `${flag} "${raw.slice(0, 200)}" is not a URL: give the probe function's address, e.g. https://SITE.netlify.app/api/probe`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw inputError(flag, `${flag} must be an https:// URL (got ${u.protocol})`);
  if (u.username || u.password) throw inputError(flag, `${flag} must not carry credentials: the token is read from the environment, never from the command line`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (u.protocol === 'http:' && !isLoopback(host) && !(opts.allowPrivate && isLabAddress(host))) {
    throw inputError(
      flag,
      `${flag} ${u.origin} is plain http to an address that is not loopback: use https (the bearer token would travel in clear text)${opts.allowPrivate ? '' : '; for a lab network of private addresses, add --allow-private'}`,
    );
  }
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/api/probe';
  // A query or fragment could carry a secret into messages and reports: the probe takes none.
  if (u.search || u.hash) throw inputError(flag, `${flag} ${u.origin}${u.pathname} must have no query (?...) or fragment (#...): give the probe function's address only`);
  return u;
}

/**
 * The variable that holds a remote's token: SMTP_EGRESS_TOKEN_ + the host's first label
 * (my-probe.onrender.com -> SMTP_EGRESS_TOKEN_MY_PROBE), or the whole address for an IP
 * (10.0.0.5 -> SMTP_EGRESS_TOKEN_10_0_0_5), upper-cased, every other character as _.
 */
export function remoteTokenVariable(u: URL): string {
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const label = net.isIP(host) !== 0 ? host : (host.split('.')[0] ?? host);
  return `SMTP_EGRESS_TOKEN_${label.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** localhost, 127.0.0.0/8 or ::1, in any spelling the URL parser leaves (::ffff:127.0.0.1 too). */
function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = net.isIP(host);
  if (family === 4) return host.startsWith('127.');
  if (family !== 6) return false;
  if (host === '::1') return true;
  return /^::ffff:(127\.|7f[0-9a-f]{2}:)/i.test(host);
}

/**
 * A private address that stays on a private network (10/8, 192.168/16, fc00::/7...), for
 * --allow-private labs. Addresses that translate or tunnel to the internet never count:
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4, Teredo, IPv4 written inside IPv6.
 */
function isLabAddress(host: string): boolean {
  if (net.isIP(host) === 0 || blockedReason(host) === null) return false;
  if (net.isIP(host) === 6 && (embeddedIpv4(host) !== null || /NAT64|Teredo/.test(blockedReason(host) ?? ''))) return false;
  return true;
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
  /** Where the token came from (a variable's name), for the hint on a 401. */
  tokenFrom?: string;
  /** The option errors are filed under (default --compare). */
  field?: string;
  input: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

export async function fetchRemoteProbe(o: RemoteProbeOptions): Promise<ProbeReport> {
  // The remote's answer is quoted in messages: a hostile or broken one may echo our token back.
  const redact = createRedactor([o.token]);
  const fail = (message: string, cause?: unknown) => new SmtpEgressError('remote_failed', redact(message), { field: o.field ?? '--compare', stage: 'remote', cause });
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
  const tooBig = () => fail(`${where(o.url)} answered with more than ${MAX_REMOTE_BYTES} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > MAX_REMOTE_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig();
  }
  let text: string;
  try {
    text = await readCappedBody(res, MAX_REMOTE_BYTES);
  } catch (e) {
    if (e === TOO_BIG) throw tooBig();
    throw fail(`${where(o.url)} broke off its answer: ${(e as Error).message}`, e);
  }
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
        ? ` Check that ${o.tokenFrom ?? 'SMTP_EGRESS_TOKEN'} here holds the token that deployment has (its SMTP_EGRESS_TOKEN).`
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
    if (isSmtpEgressError(e)) throw new SmtpEgressError(e.code, redact(e.message), { field: o.field ?? '--compare', stage: 'remote', cause: e });
    throw e;
  }
}

const TOO_BIG = Symbol('too big');

/** The body as text, counted while it streams in: reading stops at the cap, not after it. */
async function readCappedBody(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw TOO_BIG;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
