// Bearer-token check for the functions that make connections or send mail. The comparison is
// constant-time over SHA-256 digests, so neither the content nor the length of the token leaks
// through timing; failures are counted without the token. A configured token that is short or
// patterned is refused (503 saying why): it would be guessed. A client that keeps sending wrong
// tokens is slowed down: after a few misses it gets 429 with Retry-After, its next token not
// even compared, for a time that doubles with each further miss.
import { createHash, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { SmtpEgressError } from '../model/errors.ts';
import type { Env } from '../platform/detect.ts';
import { TOKEN_ADVICE, tokenWeakness } from '../security/token-strength.ts';
import { hextets } from '../security/address-policy.ts';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Wrong tokens a client may send before it is slowed down. */
export const FREE_TOKEN_FAILURES = 5;
/** The first pause after the free misses; it doubles with each further miss, up to the maximum. */
export const TOKEN_BACKOFF_BASE_MS = 5_000;
export const TOKEN_BACKOFF_MAX_MS = 5 * 60_000;
/** A client that has not missed for this long starts again from nothing. */
const TOKEN_FAILURE_MEMORY_MS = 15 * 60_000;
/** Clients remembered at once (the oldest is forgotten first): memory stays bounded. */
const MAX_TRACKED_CLIENTS = 10_000;

let failures = 0;
/** Failed token checks since start (logged as a count; the token is never logged). */
export const authFailures = () => failures;

interface Misses {
  count: number;
  last: number;
  blockedUntil: number;
}
const misses = new Map<string, Misses>();

/** Forgets every client's misses (tests). */
export const resetTokenFailures = () => misses.clear();

/**
 * The key a client's misses are counted under: its address, an IPv6 one cut to its /64 (one
 * subscriber holds a whole /64, so counting single addresses would not slow anyone down).
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const h = net.isIP(a) === 6 ? hextets(a) : null;
  return h ? `${h.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64` : a;
}

export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function requireToken(req: Request, env: Env, client?: string): void {
  const expected = env.SMTP_EGRESS_TOKEN;
  if (!expected) {
    throw new SmtpEgressError(
      'token_not_configured',
      'this deployment has no SMTP_EGRESS_TOKEN: set it (Netlify: Site configuration > Environment variables, scope Functions; Render: the service Environment) to a long random value, then call with Authorization: Bearer <token>',
    );
  }
  const weak = tokenWeakness(expected);
  if (weak) throw new SmtpEgressError('token_not_configured', `${weak}, so this deployment refuses to use it: ${TOKEN_ADVICE}`, { field: 'SMTP_EGRESS_TOKEN' });

  const key = clientKey(client);
  const now = Date.now();
  let m = misses.get(key);
  if (m && now - m.last > TOKEN_FAILURE_MEMORY_MS) {
    misses.delete(key);
    m = undefined;
  }
  if (m && m.blockedUntil > now) {
    throw new SmtpEgressError('too_many_requests', `too many wrong tokens from this client: wait ${Math.ceil((m.blockedUntil - now) / 1000)} s before trying again`, {
      field: 'authorization',
      retryAfterS: (m.blockedUntil - now) / 1000,
    });
  }
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match?.[1] && tokensEqual(match[1].trim(), expected)) {
    if (m) misses.delete(key);
    return;
  }
  failures += 1;
  console.warn(`smtp-egress: rejected a request with ${match ? 'a wrong' : 'no'} bearer token (${failures} so far)`);
  const refused = new SmtpEgressError('unauthorized', 'missing or wrong token: send Authorization: Bearer <SMTP_EGRESS_TOKEN>', { field: 'authorization' });
  // No token guesses nothing: only a wrong one counts towards the slow-down.
  if (!match) throw refused;
  if (!m) {
    if (misses.size >= MAX_TRACKED_CLIENTS) misses.delete(misses.keys().next().value as string);
    m = { count: 0, last: now, blockedUntil: 0 };
  }
  misses.delete(key); // re-inserted last: the map's order is the order of last misses
  m.count += 1;
  m.last = now;
  if (m.count > FREE_TOKEN_FAILURES) m.blockedUntil = now + Math.min(TOKEN_BACKOFF_MAX_MS, TOKEN_BACKOFF_BASE_MS * 2 ** (m.count - FREE_TOKEN_FAILURES - 1));
  misses.set(key, m);
  throw refused;
}
