// The optional login test: AUTH PLAIN or AUTH LOGIN with the given credentials, over TLS only.
// The transcript records "AUTH PLAIN ****" — never the payload — and every server reply passes
// through the redactor in case a hostile server echoes the password back.
import type { SmtpSession } from './session.ts';
import { replyText } from './reply-parser.ts';
import { StepFailure } from './step-failure.ts';
import { REDACTED } from '../security/redact.ts';

export interface Credentials {
  user: string;
  password: string;
}

export function authMechanisms(capabilities: readonly string[]): string[] {
  const mechs = new Set<string>();
  for (const cap of capabilities) {
    const m = /^AUTH[ =](.*)$/i.exec(cap.trim());
    if (m?.[1]) for (const mech of m[1].trim().split(/\s+/)) if (mech) mechs.add(mech.toUpperCase());
  }
  return [...mechs];
}

export type AuthResult = { result: 'ok' | 'failed'; response: string };

/** Runs the login. Resolves with the result; rejects only when the dialogue itself breaks. */
export async function authenticate(session: SmtpSession, mechanisms: readonly string[], creds: Credentials, timeoutMs: number): Promise<AuthResult> {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  let reply;
  if (mechanisms.includes('PLAIN')) {
    reply = await session.command(`AUTH PLAIN ${b64(`\u0000${creds.user}\u0000${creds.password}`)}`, timeoutMs, 'AUTH PLAIN', `AUTH PLAIN ${REDACTED}`);
  } else if (mechanisms.includes('LOGIN')) {
    reply = await session.command('AUTH LOGIN', timeoutMs, 'AUTH LOGIN');
    if (reply.code === 334) {
      reply = await session.command(b64(creds.user), timeoutMs, 'AUTH LOGIN user name', REDACTED);
      if (reply.code === 334) reply = await session.command(b64(creds.password), timeoutMs, 'AUTH LOGIN password', REDACTED);
    }
  } else {
    throw new StepFailure('auth_unavailable', `the server offers no login mechanism this probe speaks (offered: ${mechanisms.join(' ') || 'none'}; spoken: PLAIN, LOGIN)`);
  }
  if (reply.code === 334) {
    // A server still asking after the password: end the exchange so QUIT is understood.
    session.send('*');
    await session.read(timeoutMs, 'AUTH cancel').catch(() => undefined);
  }
  return { result: reply.code === 235 ? 'ok' : 'failed', response: replyText(reply) };
}
