// Readers: Django EMAIL_* (from the environment or an env file), SMTP URLs (django-environ's
// EMAIL_URL, nodemailer's connection URL) and nodemailer transport options, each to MailSettings.
// A value that cannot be read becomes a finding naming the field, never an exception, and no
// message quotes a password or a URL that may carry one.
import type { Env } from '../platform/detect.ts';
import { parseDjangoBoolean, readDjangoMailSettings } from './django-env.ts';
import type { ConfigSource, Finding } from '../model/config-report.ts';
import { misnamedSentence, misnamedVariables, withoutLiteralQuotes } from './slips.ts';
import { DJANGO_FIELDS, DJANGO_SMTP_BACKEND, EMPTY_SETTINGS, finding, type MailSettings, type ReadResult, type SettingKey, type UrlDialect } from './mail-settings.ts';

const MAX_URL_LENGTH = 4096;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const nonEmpty = (v: string | undefined | null) => (v === undefined || v === null || v.trim() === '' ? null : v);

function awsFrom(env: Env) {
  return { accessKeyId: nonEmpty(env.AWS_ACCESS_KEY_ID)?.trim() ?? null, secretAccessKey: nonEmpty(env.AWS_SECRET_ACCESS_KEY)?.trim() ?? null };
}

function passwordFindings(password: string | null, field: string): Finding[] {
  if (password !== null && password !== password.trim()) {
    return [finding('warning', 'password_whitespace', field, `${field} starts or ends with whitespace, which is sent as part of the password (often a copy-paste accident)`, `remove the leading/trailing spaces from ${field}`)];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Django EMAIL_* settings
// ---------------------------------------------------------------------------------------------

/** Django's variables other than the password, where literal quotes cannot be meant. */
const UNQUOTED_KEYS = ['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_HOST_USER', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'SERVER_EMAIL', 'EMAIL_URL'];

/**
 * The slips Django reads in silence, as findings: literal quotes around a value (then read
 * without them, so the other rules judge what was meant) and variables under a name Django
 * does not read (EMAIL_USER for EMAIL_HOST_USER).
 */
function slipFindings(env: Env): { env: Env; findings: Finding[] } {
  const findings: Finding[] = [];
  const cleaned: Env = { ...env };
  for (const key of UNQUOTED_KEYS) {
    const v = env[key];
    const bare = v === undefined ? null : withoutLiteralQuotes(v);
    if (bare === null) continue;
    cleaned[key] = bare;
    const shown = key === 'EMAIL_URL' ? 'the URL' : bare;
    findings.push(finding('error', 'value_quoted', key, `${key} has literal quotes around it: the app receives them as part of the value`, `remove the quotes: ${key}=${key === 'EMAIL_URL' ? 'smtp+tls://...' : clip(shown)} (the dashboard or .env line should hold the value alone)`));
  }
  for (const m of misnamedVariables(env)) {
    findings.push(
      finding(
        'warning',
        'variable_misnamed',
        m.found,
        `${misnamedSentence(m)}, and ${m.reads} is not set, so ${m.found} is never used${m.reads === 'EMAIL_HOST_PASSWORD' || m.reads === 'EMAIL_HOST_USER' ? ' and no login is attempted' : ''}`,
        `rename ${m.found} to ${m.reads}, or read it in settings.py: ${m.reads} = os.environ["${m.found}"]`,
      ),
    );
  }
  return { env: cleaned, findings };
}

export function readDjangoEnv(rawEnv: Env, source: ConfigSource = 'django-env'): ReadResult {
  const slips = slipFindings(rawEnv);
  const read = readDjangoEnvAsIs(slips.env, source);
  const misnamedSecrets = misnamedVariables(rawEnv)
    .filter((m) => m.reads === 'EMAIL_HOST_PASSWORD')
    .map((m) => rawEnv[m.found] as string);
  return { ...read, findings: [...slips.findings, ...read.findings], secrets: [...read.secrets, ...misnamedSecrets] };
}

function readDjangoEnvAsIs(env: Env, source: ConfigSource): ReadResult {
  const aws = awsFrom(env);
  if (!nonEmpty(env.EMAIL_HOST) && nonEmpty(env.EMAIL_URL)) {
    // django-environ's EMAIL_URL carries host, port, TLS mode and credentials in one value.
    const fromUrl = readSmtpUrl(env.EMAIL_URL as string, { dialect: 'django-environ', base: 'EMAIL_URL', source });
    const d = readDjangoMailSettings(env);
    const findings = [...fromUrl.findings];
    if (d.invalid.EMAIL_TIMEOUT !== undefined) findings.push(invalidTimeout('EMAIL_TIMEOUT'));
    return {
      ...fromUrl,
      settings: { ...fromUrl.settings, backend: d.backend ?? fromUrl.settings.backend, timeout: d.timeout, from: d.from, serverEmail: d.serverEmail },
      fields: { ...fromUrl.fields, backend: 'EMAIL_BACKEND', timeout: 'EMAIL_TIMEOUT', from: 'DEFAULT_FROM_EMAIL', serverEmail: 'SERVER_EMAIL' },
      findings,
      secrets: [...fromUrl.secrets, ...(aws.secretAccessKey ? [aws.secretAccessKey] : [])],
      aws,
    };
  }

  const d = readDjangoMailSettings(env);
  const findings: Finding[] = [];
  for (const key of ['EMAIL_USE_TLS', 'EMAIL_USE_SSL'] as const) {
    if (d.invalid[key] !== undefined) {
      findings.push(
        finding(
          'error',
          'invalid_boolean',
          key,
          `${key} is "${clip(d.invalid[key] ?? '')}", which is not a boolean: settings.py's env.bool()/config(cast=bool) raises on it, and a plain os.environ.get() makes any non-empty text true`,
          `set ${key} to True or False`,
        ),
      );
    } else if (env[key] !== undefined && env[key]?.trim() !== '' && parseDjangoBoolean(env[key]) === false) {
      findings.push(
        finding(
          'info',
          'boolean_string_truthy',
          key,
          `${key} is "${clip(env[key] ?? '')}": read with env.bool() or config(cast=bool) that is False, but read with a plain os.environ.get() the non-empty string is true`,
          `make sure settings.py casts it: ${key} = env.bool("${key}", default=False)`,
        ),
      );
    }
  }
  if (d.invalid.EMAIL_PORT !== undefined) {
    findings.push(finding('error', 'invalid_port', 'EMAIL_PORT', `EMAIL_PORT is "${clip(d.invalid.EMAIL_PORT)}", not a port number from 1 to 65535: int() in settings.py raises on it`, 'set EMAIL_PORT to the number your provider gives, e.g. 587'));
  }
  if (d.invalid.EMAIL_TIMEOUT !== undefined) findings.push(invalidTimeout('EMAIL_TIMEOUT', d.invalid.EMAIL_TIMEOUT));
  findings.push(...passwordFindings(d.password, 'EMAIL_HOST_PASSWORD'));
  const settings: MailSettings = {
    backend: d.backend,
    host: d.host,
    port: d.port,
    useTls: d.useTls,
    useSsl: d.useSsl,
    user: d.user,
    password: d.password,
    timeout: d.timeout,
    from: d.from,
    serverEmail: d.serverEmail,
  };
  return {
    source,
    settings,
    fields: { ...DJANGO_FIELDS },
    findings,
    secrets: [d.password, aws.secretAccessKey].filter((s): s is string => Boolean(s)),
    aws,
  };
}

function invalidTimeout(field: string, raw?: string): Finding {
  // A URL's ?timeout= is fixed in the URL's own words, not as "set url (?timeout=)".
  const param = /^(.+) \((\?[\w-]+=)\)$/.exec(field);
  const fix = param ? `write ${param[2]}10 (a number of seconds) in ${param[1] === 'url' ? 'the URL' : param[1]}` : `set ${field} to a number of seconds, e.g. 10`;
  return finding('error', 'invalid_timeout', field, `${field}${raw === undefined ? '' : ` is "${clip(raw)}", which`} is not a positive number of seconds`, fix);
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s).replace(CONTROL, '?');

// ---------------------------------------------------------------------------------------------
// SMTP URLs
// ---------------------------------------------------------------------------------------------

const DJANGO_ENVIRON_NON_SMTP: Record<string, string> = {
  consolemail: 'django.core.mail.backends.console.EmailBackend',
  filemail: 'django.core.mail.backends.filebased.EmailBackend',
  memorymail: 'django.core.mail.backends.locmem.EmailBackend',
  dummymail: 'django.core.mail.backends.dummy.EmailBackend',
};

export interface UrlReadOptions {
  dialect: UrlDialect;
  /** How the URL is named in findings: url (the --url flag, the `url` field) or EMAIL_URL. */
  base?: string;
  source?: ConfigSource;
}

export function readSmtpUrl(text: string, opts: UrlReadOptions): ReadResult {
  const base = opts.base ?? 'url';
  const fields: Record<SettingKey, string> = {
    backend: `${base} (scheme)`,
    host: `${base} (host)`,
    port: `${base} (port)`,
    useTls: `${base} (scheme)`,
    useSsl: `${base} (scheme)`,
    user: `${base} (username)`,
    password: `${base} (password)`,
    timeout: `${base} (?timeout=)`,
    from: 'DEFAULT_FROM_EMAIL',
    serverEmail: 'SERVER_EMAIL',
  };
  const result: ReadResult = { source: opts.source ?? 'url', settings: { ...EMPTY_SETTINGS }, fields, findings: [], secrets: [], aws: { accessKeyId: null, secretAccessKey: null }, urlDialect: opts.dialect };
  const bad = (message: string) => {
    result.findings.push(finding('error', 'invalid_url', base, message, `write it as smtp+tls://USER:PASSWORD@HOST:587 (percent-encode @ : / # ? in the user and password)`));
    result.fatal = true;
    return result;
  };
  const raw = text.trim();
  if (raw === '') return bad(`${base} is empty`);
  if (raw.length > MAX_URL_LENGTH) return bad(`${base} is longer than ${MAX_URL_LENGTH} characters`);
  if (CONTROL.test(raw)) return bad(`${base} contains a control character (CR, LF, NUL or similar)`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (!scheme) return bad(`${base} does not start with a scheme such as smtp://`);

  // The raw user:password, kept so its exact spelling is redacted too.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
  // An @ after the first / ? or # means a user or password holds one unencoded: the URL parser
  // would cut the authority there and read part of the password as the host or port. Say so
  // without quoting any of it.
  const afterAuthority = raw.slice(raw.indexOf('//') + 2 + authority.length);
  if (!authority.includes('@') && afterAuthority.includes('@')) {
    result.secrets.push(raw.slice(raw.indexOf('//') + 2, raw.lastIndexOf('@')));
    return bad(`${base} does not parse: an @ comes after a /, ? or #, so the user or password holds one of these unencoded and the URL would be cut inside it; percent-encode the password (/ as %2F, ? as %3F, # as %23, @ as %40)`);
  }
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const colon = userinfo.indexOf(':');
  if (colon >= 0 && userinfo.length > colon + 1) result.secrets.push(userinfo.slice(colon + 1));
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  if (hostport.startsWith('[') && !hostport.includes(']')) return bad(`the IPv6 address in ${base} has no closing ]`);
  const portText = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostport)?.[1];
  if (portText !== undefined && portText !== '' && !(/^\d{1,5}$/.test(portText) && Number(portText) >= 1 && Number(portText) <= 65535)) {
    result.findings.push(finding('error', 'invalid_port', fields.port, at >= 0 ? `the port in ${base} is "${clip(portText)}", not a number from 1 to 65535` : `the port in ${base} is not a number from 1 to 65535 (not quoted: with no @ in the URL, it may be a password written as user:password with no host after it)`, 'put the port number after the host, e.g. smtp+tls://USER:PASSWORD@smtp.example.com:587'));
    result.fatal = true;
    return result;
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad(`${base} is not a valid URL (scheme ${scheme}://)`);
  }
  let user: string | null = null;
  let password: string | null = null;
  try {
    user = url.username ? decodeURIComponent(url.username) : null;
    password = url.password ? decodeURIComponent(url.password) : null;
  } catch {
    return bad(`the user or password in ${base} has a malformed %-escape`);
  }
  if (password) result.secrets.push(password, url.password);

  const s = result.settings;
  s.host = url.hostname ? url.hostname.replace(/^\[(.*)\]$/, '$1') : null;
  s.user = user;
  s.password = password;
  s.port = url.port ? Number(url.port) : null;

  if (opts.dialect === 'django-environ') {
    if (DJANGO_ENVIRON_NON_SMTP[scheme]) {
      s.backend = DJANGO_ENVIRON_NON_SMTP[scheme] as string;
      return result;
    }
    if (!['smtp', 'smtps', 'smtp+tls', 'smtp+ssl', 'submission'].includes(scheme)) return bad(`${base} has the scheme "${clip(scheme)}": django-environ reads smtp, smtps, smtp+tls and smtp+ssl`);
    s.backend = DJANGO_SMTP_BACKEND;
    s.useTls = scheme === 'smtps' || scheme === 'smtp+tls' || scheme === 'submission';
    s.useSsl = scheme === 'smtp+ssl';
    if (scheme === 'smtps') {
      result.findings.push(
        finding(
          'info',
          'url_scheme_ambiguous',
          fields.useTls,
          'django-environ reads smtps:// as STARTTLS (EMAIL_USE_TLS=True), while nodemailer and most other tools read it as TLS from the first byte (port 465)',
          'write smtp+tls:// for STARTTLS (587) or smtp+ssl:// for TLS from the first byte (465), so every reader agrees',
        ),
      );
    }
  } else {
    if (!['smtp', 'smtps', 'submission'].includes(scheme)) return bad(`${base} has the scheme "${clip(scheme)}": nodemailer reads smtp:// and smtps://`);
    s.useSsl = scheme === 'smtps';
    s.useTls = !s.useSsl;
    result.opportunisticTls = !s.useSsl;
    s.port ??= s.useSsl ? 465 : 587;
  }
  if (scheme === 'submission') s.port ??= 587;
  if (password) result.findings.push(...passwordFindings(password, fields.password));

  for (const [key, value] of url.searchParams) {
    const k = key.toLowerCase();
    const asBool = (field: 'useTls' | 'useSsl') => {
      const b = parseDjangoBoolean(value);
      if (b === 'invalid' || b === null) result.findings.push(finding('error', 'invalid_boolean', `${base} (?${key}=)`, `?${key}= is "${clip(value)}", not a boolean`, `write ?${key}=True or ?${key}=False`));
      else s[field] = b;
    };
    if (opts.dialect === 'django-environ' && (k === 'email_use_tls' || k === 'use_tls' || k === 'tls')) asBool('useTls');
    else if (opts.dialect === 'django-environ' && (k === 'email_use_ssl' || k === 'use_ssl' || k === 'ssl')) asBool('useSsl');
    else if (opts.dialect === 'nodemailer' && k === 'secure') asBool('useSsl');
    else if (k === 'timeout' || k === 'email_timeout' || k === 'connectiontimeout') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) result.findings.push(invalidTimeout(`${base} (?${key}=)`, value));
      else s.timeout = k === 'connectiontimeout' ? n / 1000 : n;
    } else {
      result.findings.push(finding('info', 'option_ignored', `${base} (?${key}=)`, `the query option "${clip(key)}" is not one this check reads; it is passed on or ignored by ${opts.dialect}`, null));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// nodemailer transport options
// ---------------------------------------------------------------------------------------------

/** A few of nodemailer's well-known services (lib/well-known/services.json): host, port, secure. */
const NODEMAILER_SERVICES: Record<string, { host: string; port: number; secure: boolean }> = {
  gmail: { host: 'smtp.gmail.com', port: 465, secure: true },
  googlemail: { host: 'smtp.gmail.com', port: 465, secure: true },
  sendgrid: { host: 'smtp.sendgrid.net', port: 587, secure: false },
  mailgun: { host: 'smtp.mailgun.org', port: 465, secure: true },
  ses: { host: 'email-smtp.us-east-1.amazonaws.com', port: 465, secure: true },
  outlook365: { host: 'smtp.office365.com', port: 587, secure: false },
  zoho: { host: 'smtp.zoho.com', port: 465, secure: true },
};

const NODEMAILER_KEYS = new Set([
  'host', 'port', 'secure', 'service', 'auth', 'authMethod', 'tls', 'requireTLS', 'ignoreTLS', 'opportunisticTLS', 'name', 'localAddress',
  'connectionTimeout', 'greetingTimeout', 'socketTimeout', 'dnsTimeout', 'logger', 'debug', 'pool', 'maxConnections', 'maxMessages',
  'rateDelta', 'rateLimit', 'proxy', 'url', 'from', 'defaults', 'transactionLog', 'lmtp', 'disableFileAccess', 'disableUrlAccess', 'family',
]);

const NODEMAILER_FIELDS: Record<SettingKey, string> = {
  backend: 'service',
  host: 'host',
  port: 'port',
  useTls: 'requireTLS',
  useSsl: 'secure',
  user: 'auth.user',
  password: 'auth.pass',
  timeout: 'connectionTimeout',
  from: 'from',
  serverEmail: 'from',
};

export function readNodemailer(input: unknown): ReadResult {
  const result: ReadResult = { source: 'nodemailer', settings: { ...EMPTY_SETTINGS }, fields: { ...NODEMAILER_FIELDS }, findings: [], secrets: [], aws: { accessKeyId: null, secretAccessKey: null } };
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      result.findings.push(finding('error', 'invalid_json', 'nodemailer', 'the nodemailer options are not valid JSON', 'give the object you pass to nodemailer.createTransport(), as JSON'));
      result.fatal = true;
      return result;
    }
  }
  if (typeof value === 'string') return readSmtpUrl(value, { dialect: 'nodemailer', base: 'nodemailer', source: 'nodemailer' });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    result.findings.push(finding('error', 'invalid_json', 'nodemailer', 'the nodemailer options must be a JSON object (or a connection URL string)', 'give the object you pass to nodemailer.createTransport(), e.g. {"host": "smtp.example.com", "port": 587}'));
    result.fatal = true;
    return result;
  }
  const o = value as Record<string, unknown>;
  const s = result.settings;
  const f = result.findings;

  if (typeof o.url === 'string') {
    const fromUrl = readSmtpUrl(o.url, { dialect: 'nodemailer', base: 'url', source: 'nodemailer' });
    Object.assign(s, fromUrl.settings);
    f.push(...fromUrl.findings);
    result.secrets.push(...fromUrl.secrets);
  }

  const unknown = Object.keys(o).filter((k) => !NODEMAILER_KEYS.has(k));
  if (unknown.length > 0) f.push(finding('info', 'option_ignored', unknown[0] as string, `nodemailer does not know the option${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).map((k) => `"${clip(k)}"`).join(', ')}: a typo?`, null));

  let service: (typeof NODEMAILER_SERVICES)[string] | undefined;
  if (o.service !== undefined) {
    if (typeof o.service !== 'string') f.push(finding('error', 'invalid_json', 'service', 'service must be a string such as "gmail"', null));
    else {
      service = NODEMAILER_SERVICES[o.service.toLowerCase().replace(/[^a-z0-9]/g, '')];
      if (!service) f.push(finding('info', 'option_ignored', 'service', `the service "${clip(o.service)}" is not in this check's table of nodemailer services: give host, port and secure explicitly to have them checked`, null));
    }
  }

  const bool = (key: 'secure' | 'requireTLS' | 'ignoreTLS'): boolean | null => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    f.push(
      finding(
        'error',
        'invalid_boolean',
        key,
        `${key} is ${JSON.stringify(v).slice(0, 40)}, not a boolean: JavaScript takes ${typeof v === 'string' ? 'any non-empty string (even "false")' : 'it'} as ${v ? 'true' : 'false'}`,
        `write ${key}: true or ${key}: false, without quotes`,
      ),
    );
    return Boolean(v);
  };

  if (o.host !== undefined) {
    if (typeof o.host === 'string') s.host = o.host.trim() || null;
    else f.push(finding('error', 'invalid_host', 'host', 'host must be a string such as "smtp.example.com"', null));
  }
  s.host ??= service?.host ?? null;

  const secure = bool('secure');
  const requireTLS = bool('requireTLS');
  const ignoreTLS = bool('ignoreTLS');
  if (secure !== null) s.useSsl = secure;
  else if (s.useSsl === null) s.useSsl = service?.secure ?? false;
  s.useTls = !s.useSsl && ignoreTLS !== true;
  result.opportunisticTls = s.useTls && requireTLS !== true;

  if (o.port !== undefined) {
    const p = typeof o.port === 'string' && /^\d+$/.test(o.port.trim()) ? Number(o.port) : o.port;
    if (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535) s.port = p;
    else f.push(finding('error', 'invalid_port', 'port', `port is ${JSON.stringify(o.port).slice(0, 40)}, not a port number from 1 to 65535`, 'write port: 587 (a number)'));
  }
  if (s.port === null && !f.some((x) => x.code === 'invalid_port')) s.port = service?.port ?? (s.useSsl ? 465 : 587);

  if (o.auth !== undefined) {
    if (o.auth === null || typeof o.auth !== 'object' || Array.isArray(o.auth)) f.push(finding('error', 'invalid_json', 'auth', 'auth must be an object {"user": ..., "pass": ...}', null));
    else {
      const a = o.auth as Record<string, unknown>;
      if (typeof a.user === 'string') s.user = a.user.trim() || null;
      if (typeof a.pass === 'string' && a.pass !== '') {
        s.password = a.pass;
        result.secrets.push(a.pass);
        f.push(...passwordFindings(a.pass, 'auth.pass'));
      }
      for (const k of ['accessToken', 'refreshToken', 'clientSecret', 'privateKey']) if (typeof a[k] === 'string') result.secrets.push(a[k] as string);
    }
  }

  if (o.connectionTimeout !== undefined) {
    const n = Number(o.connectionTimeout);
    if (typeof o.connectionTimeout === 'boolean' || !Number.isFinite(n) || n <= 0) f.push(invalidTimeout('connectionTimeout'));
    else s.timeout = n / 1000;
  }
  const tls = o.tls as Record<string, unknown> | undefined;
  if (tls && typeof tls === 'object' && tls.rejectUnauthorized === false) {
    f.push(finding('warning', 'tls_verification_disabled', 'tls.rejectUnauthorized', "tls.rejectUnauthorized is false: any certificate is accepted, so a machine in the path can read the password", 'remove tls.rejectUnauthorized: false; if the host name does not match the certificate, use the name the certificate is for'));
  }
  const defaults = o.defaults as Record<string, unknown> | undefined;
  const from = typeof o.from === 'string' ? o.from : defaults && typeof defaults.from === 'string' ? defaults.from : null;
  s.from = from?.trim() || null;
  return result;
}
