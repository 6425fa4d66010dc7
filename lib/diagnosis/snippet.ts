// The corrected settings, in the source's own format (Django env lines, an EMAIL_URL, nodemailer
// options), when at least one finding knows the value to set. Passwords are never written: the
// snippet says where the password comes from instead.
import type { RuleFinding } from './settings-rules.ts';
import type { MailSettings, ReadResult } from '../settings/mail-settings.ts';

// False is written as an empty value: Django's env helpers read it as false, and so does a
// settings.py that reads it with plain os.environ.get() (which takes "False" for true).
const py = (b: boolean | null) => (b ? 'True' : '');
const envValue = (v: string) => (/[\s#"'$\\]/.test(v) ? `"${v.replace(/(["\\$])/g, '\\$1')}"` : v);

export function correctedSettings(r: ReadResult, findings: readonly RuleFinding[]): MailSettings | null {
  const patches = findings.filter((f) => f.patch);
  if (patches.length === 0) return null;
  const s: MailSettings = { ...r.settings };
  for (const f of patches) Object.assign(s, f.patch);
  return s;
}

export function correctedSnippet(r: ReadResult, findings: readonly RuleFinding[]): string | null {
  const s = correctedSettings(r, findings);
  if (!s) return null;
  const derive = findings.find((f) => f.derivePasswordFor)?.derivePasswordFor;
  const password = s.password === null ? null : derive ? `<the SES SMTP password for ${derive}: smtp-egress ses-smtp-password --region ${derive}>` : '<unchanged>';

  if (r.source === 'nodemailer') {
    const o: Record<string, unknown> = { host: s.host, port: s.port, secure: s.useSsl === true };
    if (!s.useSsl && s.useTls) o.requireTLS = true;
    if (!s.useSsl && s.useTls === false) o.ignoreTLS = true;
    if (s.user !== null || password !== null) o.auth = { user: s.user, pass: password };
    if (s.timeout !== null) o.connectionTimeout = Math.round(s.timeout * 1000);
    if (s.from !== null) o.from = s.from;
    return `${JSON.stringify(o, null, 2)}\n`;
  }

  const lines: string[] = [];
  // A port the findings call blocked, with no unblocked one to move to, is not kept as if it
  // were corrected: the line says why it is left out (the fix is an HTTPS API or another plan).
  const blocked = s.port !== null && findings.some((f) => f.code === 'port_blocked_on_platform' && f.patch?.port === undefined) ? s.port : null;
  if (blocked !== null) lines.push(`# port ${blocked} is blocked on this platform: see the fix above`);
  if (s.backend) lines.push(`EMAIL_BACKEND=${s.backend}`);
  if (r.urlDialect === 'django-environ') {
    const scheme = s.useSsl ? 'smtp+ssl' : s.useTls ? 'smtp+tls' : 'smtp';
    const auth = s.user !== null ? `${encodeURIComponent(s.user)}${password !== null ? `:${password}` : ''}@` : '';
    lines.push(`EMAIL_URL=${scheme}://${auth}${s.host ?? 'HOST'}${s.port !== null && blocked === null ? `:${s.port}` : ''}`);
  } else {
    lines.push(`EMAIL_HOST=${s.host ?? 'smtp.example.com'}`);
    if (s.port !== null && blocked === null) lines.push(`EMAIL_PORT=${s.port}`);
    lines.push(`EMAIL_USE_TLS=${py(s.useTls)}`, `EMAIL_USE_SSL=${py(s.useSsl)}`);
    if (s.user !== null) lines.push(`EMAIL_HOST_USER=${envValue(s.user)}`);
    if (password !== null) lines.push(`EMAIL_HOST_PASSWORD=${password}`);
  }
  if (s.timeout !== null) lines.push(`EMAIL_TIMEOUT=${s.timeout}`);
  if (s.from !== null) lines.push(`DEFAULT_FROM_EMAIL=${envValue(s.from)}`);
  if (s.serverEmail !== null) lines.push(`SERVER_EMAIL=${envValue(s.serverEmail)}`);
  return `${lines.join('\n')}\n`;
}
