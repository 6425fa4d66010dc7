// Django's EMAIL_* settings as the app reads them from its environment. Booleans follow what
// projects feed Django through env helpers (django-environ, python-decouple): True/true/1/yes/on.
// Values that cannot be read are kept as text and flagged, never thrown (config-check reports them).
import type { Env } from '../platform/detect.ts';
import type { MailSettings } from './mail-settings.ts';

/** The normalised settings, plus the raw port text and the values that could not be read. */
export interface DjangoMailSettings extends MailSettings {
  portText: string | null;
  /** Fields present but unreadable: name -> raw text. */
  invalid: Record<string, string>;
}

const TRUE = /^(true|1|yes|on|t|y)$/i;
const FALSE = /^(false|0|no|off|f|n|)$/i;

export function parseDjangoBoolean(text: string | undefined): boolean | null | 'invalid' {
  if (text === undefined) return null;
  const t = text.trim();
  if (TRUE.test(t)) return true;
  if (FALSE.test(t)) return false;
  return 'invalid';
}

export function readDjangoMailSettings(env: Env): DjangoMailSettings {
  const invalid: Record<string, string> = {};
  const text = (k: string) => {
    const v = env[k];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const bool = (k: string) => {
    const b = parseDjangoBoolean(env[k]);
    if (b === 'invalid') {
      invalid[k] = env[k] ?? '';
      return null;
    }
    return b;
  };
  const portText = text('EMAIL_PORT');
  let port: number | null = null;
  if (portText !== null) {
    if (/^\d{1,5}$/.test(portText) && Number(portText) >= 1 && Number(portText) <= 65535) port = Number(portText);
    else invalid.EMAIL_PORT = portText;
  }
  const timeoutText = text('EMAIL_TIMEOUT');
  let timeout: number | null = null;
  if (timeoutText !== null) {
    const n = Number(timeoutText);
    if (Number.isFinite(n) && n > 0) timeout = n;
    else invalid.EMAIL_TIMEOUT = timeoutText;
  }
  return {
    backend: text('EMAIL_BACKEND'),
    host: text('EMAIL_HOST'),
    port,
    portText,
    useTls: bool('EMAIL_USE_TLS'),
    useSsl: bool('EMAIL_USE_SSL'),
    user: text('EMAIL_HOST_USER'),
    // A password is taken exactly as given: spaces can be part of it.
    password: env.EMAIL_HOST_PASSWORD ? env.EMAIL_HOST_PASSWORD : null,
    timeout,
    from: text('DEFAULT_FROM_EMAIL'),
    serverEmail: text('SERVER_EMAIL'),
    invalid,
  };
}
