// The config-check report: the public contract (README, "Check the settings"). Types are inferred
// from these zod schemas, like the probe report (lib/model/probe-report.ts). Finding codes are a
// contract too: tests, the page and other tools match on these strings.
import { z } from './zod.ts';

export const CONFIG_SCHEMA_ID = 'smtp-egress/config@1';

export const FINDING_LEVELS = ['error', 'warning', 'info'] as const;
export const FindingLevel = z.enum(FINDING_LEVELS);
export type FindingLevel = z.infer<typeof FindingLevel>;

export const FINDING_CODES = [
  // settings that contradict each other or the port
  'tls_and_ssl_both_true',
  'ssl_on_starttls_port',
  'tls_on_implicit_port',
  'no_encryption',
  // values that cannot be read
  'invalid_port',
  'invalid_boolean',
  'invalid_timeout',
  'invalid_host',
  'invalid_url',
  'invalid_json',
  'boolean_string_truthy',
  'env_file_line_ignored',
  'env_value_truncated',
  'option_ignored',
  'value_quoted',
  'variable_misnamed',
  // missing pieces
  'missing_field',
  'credentials_missing',
  'timeout_unset',
  'password_whitespace',
  // sender
  'from_unparseable',
  'from_domain_mismatch',
  // platform
  'port_blocked_on_platform',
  'platform_no_outbound_ipv6',
  // providers
  'provider_detected',
  'unknown_provider_port',
  'sendgrid_user_not_apikey',
  'sendgrid_password_not_api_key',
  'provider_username_mismatch',
  'ses_password_is_secret_key',
  'ses_region_mismatch',
  'ses_password_malformed',
  'ses_password_legacy_v2',
  'ses_password_mismatch',
  'ses_password_verified',
  'ses_password_unverified',
  'ses_user_not_access_key',
  'ses_unknown_region',
  'host_is_ip_address',
  // backend and transport options
  'backend_not_smtp',
  'backend_https_api',
  'starttls_not_required',
  'tls_verification_disabled',
  'url_scheme_ambiguous',
] as const;
export const FindingCode = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z.object({
  level: FindingLevel,
  code: FindingCode,
  /** The setting as the source names it: EMAIL_USE_SSL, url.scheme, secure, --platform. */
  field: z.string(),
  message: z.string(),
  /** What to change, in the source's own terms; null when there is nothing to change. */
  fix: z.nullable(z.string()),
});
export type Finding = z.infer<typeof Finding>;

export const CONFIG_SOURCES = ['django-env', 'env-file', 'url', 'nodemailer'] as const;
export const ConfigSource = z.enum(CONFIG_SOURCES);
export type ConfigSource = z.infer<typeof ConfigSource>;

/** The normalised settings as reported: the password is never included, only whether it is set. */
export const ReportedSettings = z.object({
  backend: z.nullable(z.string()),
  host: z.nullable(z.string()),
  port: z.nullable(z.number().check(z.int())),
  /** STARTTLS (Django EMAIL_USE_TLS, nodemailer secure:false + STARTTLS). */
  useTls: z.nullable(z.boolean()),
  /** TLS from the first byte (Django EMAIL_USE_SSL, nodemailer secure:true). */
  useSsl: z.nullable(z.boolean()),
  user: z.nullable(z.string()),
  password: z.nullable(z.literal('****')),
  /** Seconds. */
  timeout: z.nullable(z.number()),
  from: z.nullable(z.string()),
  serverEmail: z.nullable(z.string()),
});
export type ReportedSettings = z.infer<typeof ReportedSettings>;

export const ConfigReport = z.object({
  schema: z.literal(CONFIG_SCHEMA_ID),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  checkedAt: z.string(),
  source: ConfigSource,
  platform: z.object({
    name: z.nullable(z.string()),
    /** detected from the runtime env, given by the caller, or none (no platform rules ran). */
    how: z.enum(['detected', 'given', 'none']),
  }),
  settings: ReportedSettings,
  provider: z.nullable(z.object({
      id: z.string(),
      name: z.string(),
      region: z.nullable(z.string()),
      httpsApi: z.nullable(z.string()),
      source: z.string(),
      checked: z.string(),
    })),
  findings: z.array(Finding),
  counts: z.object({ error: z.number().check(z.int()), warning: z.number().check(z.int()), info: z.number().check(z.int()) }),
  /** Corrected settings in the source's own format, when the fixes are known. Never a secret. */
  snippet: z.nullable(z.string()),
});
export type ConfigReport = z.infer<typeof ConfigReport>;
