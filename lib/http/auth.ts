// Bearer-token check for the functions that make connections or send mail. The comparison is
// constant-time over SHA-256 digests, so neither the content nor the length of the token leaks
// through timing; failures are counted without the token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SmtpEgressError } from '../model/errors.ts';
import type { Env } from '../platform/detect.ts';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

let failures = 0;
/** Failed token checks since start (logged as a count; the token is never logged). */
export const authFailures = () => failures;

export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function requireToken(req: Request, env: Env): void {
  const expected = env.SMTP_EGRESS_TOKEN;
  if (!expected) {
    throw new SmtpEgressError(
      'token_not_configured',
      'this deployment has no SMTP_EGRESS_TOKEN: set it (Netlify: Site configuration > Environment variables, scope Functions; Render: the service Environment) to a long random value, then call with Authorization: Bearer <token>',
    );
  }
  const header = req.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m?.[1] || !tokensEqual(m[1].trim(), expected)) {
    failures += 1;
    console.warn(`smtp-egress: rejected a request with ${m ? 'a wrong' : 'no'} bearer token (${failures} so far)`);
    throw new SmtpEgressError('unauthorized', 'missing or wrong token: send Authorization: Bearer <SMTP_EGRESS_TOKEN>', { field: 'authorization' });
  }
}
