// Redaction at record time: every string that may reach a report, a log or an error passes
// through a Redactor built from the secrets of that request. It hides each secret in the forms a
// protocol or a hostile server could echo it in: plain, base64 (AUTH LOGIN), the AUTH PLAIN
// blob, and percent-encoded (URLs).

export const REDACTED = '****';

export type Redactor = (text: string) => string;

/** Secrets shorter than this are not searched for: hiding every "a" would shred the report. */
const MIN_SECRET_LENGTH = 3;

export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(Buffer.from(secret, 'utf8').toString('base64'));
  forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  forms.add(encodeURIComponent(secret));
  return [...forms];
}

export function createRedactor(secrets: readonly (string | undefined | null)[], user?: string | null): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const f of secretForms(secret)) forms.add(f);
    // AUTH PLAIN sends base64("\0user\0password"): the password hides inside that blob.
    if (user != null) {
      for (const f of secretForms(`\u0000${user}\u0000${secret}`)) forms.add(f);
      for (const f of secretForms(`${user}\u0000${user}\u0000${secret}`)) forms.add(f);
    }
  }
  // Longest first, so a form that contains another is hidden whole.
  const ordered = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  };
}

/** The secrets a deployment's (or a shell's) env holds: hidden from every message built from input. */
export const SECRET_ENV_KEYS = ['EMAIL_HOST_PASSWORD', 'EMAIL_PASSWORD', 'EMAIL_PASS', 'EMAIL_HOST_PASS', 'SMTP_EGRESS_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'SES_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'SES_SESSION_TOKEN'] as const;

export function envSecrets(env: Record<string, string | undefined>): string[] {
  return SECRET_ENV_KEYS.map((k) => env[k]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * Masks text shaped like a credential, for places that echo what a caller pasted (log lines)
 * and cannot know the secrets: `password=...`, `"token": "..."`, `Bearer ...`, AUTH payloads,
 * and the password in a URL's userinfo. Redacting the deployment's own secrets there instead
 * would let anyone confirm a guessed secret by pasting it.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(/\b([a-z][\w+.-]*:\/\/[^:\s/@]*):[^@\s/]+@/gi, `$1:${REDACTED}@`)
    // A quoted value is masked to its closing quote; an unquoted one to the end of the line,
    // since a password may hold spaces and nothing says where it ends.
    .replace(/\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key)["']?\s*[:=]\s*)(["'])(?:(?!\2)[^\n])*\2/gi, `$1$2${REDACTED}$2`)
    .replace(/\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key)\s*[:=]\s*)[^"'\s][^\n]*/gi, `$1${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`)
    .replace(/\b(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5))\s+[A-Za-z0-9+/=]{4,}/gi, `$1 ${REDACTED}`);
}

/** Redacts every string in a plain-data value (objects, arrays), keys included: a secret can be a key too. */
export function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  }
  return value;
}
