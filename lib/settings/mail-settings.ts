// The one normalised form every reader produces (Django env, env file, SMTP URL, nodemailer
// options), with the name each setting has in its source so findings speak the user's language.
import type { ConfigSource, Finding } from '../model/config-report.ts';

export interface MailSettings {
  backend: string | null;
  host: string | null;
  port: number | null;
  /** STARTTLS after connecting (Django EMAIL_USE_TLS). */
  useTls: boolean | null;
  /** TLS from the first byte (Django EMAIL_USE_SSL, nodemailer secure). */
  useSsl: boolean | null;
  user: string | null;
  password: string | null;
  /** Seconds; null when unset (Django's default: wait forever). */
  timeout: number | null;
  from: string | null;
  serverEmail: string | null;
}

export type SettingKey = keyof MailSettings;

/** Django's SMTP backend: the only EMAIL_BACKEND that sends with the EMAIL_* settings. */
export const DJANGO_SMTP_BACKEND = 'django.core.mail.backends.smtp.EmailBackend';

export const EMPTY_SETTINGS: MailSettings = {
  backend: null,
  host: null,
  port: null,
  useTls: null,
  useSsl: null,
  user: null,
  password: null,
  timeout: null,
  from: null,
  serverEmail: null,
};

export const DJANGO_FIELDS: Record<SettingKey, string> = {
  backend: 'EMAIL_BACKEND',
  host: 'EMAIL_HOST',
  port: 'EMAIL_PORT',
  useTls: 'EMAIL_USE_TLS',
  useSsl: 'EMAIL_USE_SSL',
  user: 'EMAIL_HOST_USER',
  password: 'EMAIL_HOST_PASSWORD',
  timeout: 'EMAIL_TIMEOUT',
  from: 'DEFAULT_FROM_EMAIL',
  serverEmail: 'SERVER_EMAIL',
};

export type UrlDialect = 'django-environ' | 'nodemailer';

export interface ReadResult {
  source: ConfigSource;
  settings: MailSettings;
  /** How the source names each setting (EMAIL_PORT, url.port, port). */
  fields: Record<SettingKey, string>;
  /** Findings about values the reader could not take as they are. */
  findings: Finding[];
  /** Every secret seen while reading (the password, its raw URL form, AWS keys): redacted from all output. */
  secrets: string[];
  /** AWS credentials seen next to the mail settings, for the SES password check. Never reported. */
  aws: { accessKeyId: string | null; secretAccessKey: string | null };
  /** The input could not be read at all (not JSON, not a URL): no rule runs on it. */
  fatal?: boolean;
  /** How an SMTP URL was read, when one was. */
  urlDialect?: UrlDialect;
  /** The nodemailer default for opportunistic STARTTLS (secure: false without requireTLS). */
  opportunisticTls?: boolean;
}

export function finding(level: Finding['level'], code: Finding['code'], field: string, message: string, fix: string | null): Finding {
  return { level, code, field, message, fix };
}
