// Every finding code, with a case that raises it and one that must not; the seed's settings give
// no false error; every report matches the smtp-egress/config@1 schema.
import { describe, expect, it } from 'vitest';
import { checkConfig, type ConfigInput } from '../../lib/diagnosis/config-check.ts';
import { ConfigReport, FINDING_CODES, type Finding } from '../../lib/model/config-report.ts';
import { sesSmtpPassword } from '../../lib/providers/ses-smtp-password.ts';
import type { Env } from '../../lib/platform/detect.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

const CLEAN: Env = {
  EMAIL_HOST: 'smtp.example.com',
  EMAIL_PORT: '587',
  EMAIL_USE_TLS: 'True',
  EMAIL_HOST_USER: 'app@example.com',
  EMAIL_HOST_PASSWORD: 'pw-123456',
  EMAIL_TIMEOUT: '10',
  DEFAULT_FROM_EMAIL: 'App <app@example.com>',
  SERVER_EMAIL: 'app@example.com',
};
const SES: Env = { ...CLEAN, EMAIL_HOST: 'email-smtp.eu-west-3.amazonaws.com', EMAIL_HOST_USER: KEY_ID, EMAIL_HOST_PASSWORD: sesSmtpPassword(SECRET, 'eu-west-3') };
const SEED: Env = {
  EMAIL_HOST: 'mail55.lwspanel.com',
  EMAIL_PORT: '587',
  EMAIL_USE_TLS: 'True',
  EMAIL_USE_SSL: 'False',
  EMAIL_HOST_USER: 'no-replay@ci-habiko.com',
  EMAIL_HOST_PASSWORD: 'seed-password-1',
  DEFAULT_FROM_EMAIL: 'HABIKO <no-replay@ci-habiko.com>',
};

const env = (e: Env): ConfigInput => ({ kind: 'env', env: e });
function run(input: ConfigInput, platform: string | null = null) {
  const { report } = checkConfig(input, { platform, platformHow: platform ? 'given' : 'none' });
  expect(() => ConfigReport.parse(report)).not.toThrow();
  return report;
}
const find = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

interface Case {
  code: (typeof FINDING_CODES)[number];
  name: string;
  input: ConfigInput;
  platform?: string;
  level: Finding['level'];
  field?: string;
  /** A near miss that must not raise the code. */
  not?: ConfigInput;
  notPlatform?: string;
}

const CASES: Case[] = [
  { code: 'tls_and_ssl_both_true', name: 'TLS and SSL both True', input: env({ ...CLEAN, EMAIL_USE_SSL: 'True' }), level: 'error', field: 'EMAIL_USE_SSL', not: env(CLEAN) },
  { code: 'ssl_on_starttls_port', name: 'SSL on 587', input: env({ ...CLEAN, EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }), level: 'error', field: 'EMAIL_USE_SSL', not: env({ ...CLEAN, EMAIL_PORT: '465', EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }) },
  { code: 'ssl_on_starttls_port', name: 'SSL with no port (Django uses 25)', input: env({ ...CLEAN, EMAIL_PORT: '', EMAIL_USE_TLS: '', EMAIL_USE_SSL: 'True' }), level: 'error' },
  { code: 'ssl_on_starttls_port', name: 'nodemailer secure on 587', input: { kind: 'nodemailer', options: { host: 'smtp.example.com', port: 587, secure: true } }, level: 'error', field: 'secure' },
  { code: 'tls_on_implicit_port', name: 'TLS on 465', input: env({ ...CLEAN, EMAIL_PORT: '465' }), level: 'error', field: 'EMAIL_USE_TLS', not: env({ ...CLEAN, EMAIL_PORT: '465', EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'True' }) },
  { code: 'tls_on_implicit_port', name: 'nodemailer secure:false on 465', input: { kind: 'nodemailer', options: { host: 'smtp.example.com', port: 465, secure: false } }, level: 'error', field: 'secure' },
  { code: 'no_encryption', name: 'no TLS with a password', input: env({ ...CLEAN, EMAIL_USE_TLS: 'False' }), level: 'error', field: 'EMAIL_USE_TLS', not: env({ ...CLEAN, EMAIL_HOST: 'localhost', EMAIL_USE_TLS: 'False' }) },
  { code: 'no_encryption', name: 'no TLS without a login', input: env({ ...CLEAN, EMAIL_USE_TLS: 'False', EMAIL_HOST_USER: '', EMAIL_HOST_PASSWORD: '' }), level: 'warning' },
  { code: 'invalid_port', name: 'EMAIL_PORT text', input: env({ ...CLEAN, EMAIL_PORT: 'five-eight-seven' }), level: 'error', field: 'EMAIL_PORT', not: env(CLEAN) },
  { code: 'invalid_boolean', name: 'EMAIL_USE_TLS Ture', input: env({ ...CLEAN, EMAIL_USE_TLS: 'Ture' }), level: 'error', field: 'EMAIL_USE_TLS', not: env({ ...CLEAN, EMAIL_USE_TLS: 'true' }) },
  { code: 'invalid_timeout', name: 'EMAIL_TIMEOUT words', input: env({ ...CLEAN, EMAIL_TIMEOUT: 'ten' }), level: 'error', field: 'EMAIL_TIMEOUT', not: env(CLEAN) },
  { code: 'invalid_host', name: 'scheme in EMAIL_HOST', input: env({ ...CLEAN, EMAIL_HOST: 'smtp://smtp.example.com' }), level: 'error', field: 'EMAIL_HOST', not: env(CLEAN) },
  { code: 'invalid_host', name: 'host:port in EMAIL_HOST', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.example.com:587' }), level: 'error' },
  { code: 'invalid_host', name: 'spaces in EMAIL_HOST', input: env({ ...CLEAN, EMAIL_HOST: 'smtp example com' }), level: 'error' },
  { code: 'invalid_url', name: 'not a URL', input: { kind: 'url', url: 'smtp.example.com:587' }, level: 'error', field: 'url', not: { kind: 'url', url: 'smtp+tls://a%40example.com:pw@smtp.example.com:587' } },
  { code: 'invalid_json', name: 'not JSON', input: { kind: 'nodemailer', options: '{host:' }, level: 'error', field: 'nodemailer', not: { kind: 'nodemailer', options: '{"host":"smtp.example.com"}' } },
  { code: 'boolean_string_truthy', name: '"False" uncast', input: env({ ...CLEAN, EMAIL_USE_SSL: 'False' }), level: 'info', field: 'EMAIL_USE_SSL', not: env(CLEAN) },
  { code: 'env_file_line_ignored', name: 'a stray line', input: { kind: 'env-file', text: 'EMAIL_HOST=smtp.example.com\nnonsense here\n' }, level: 'warning', not: { kind: 'env-file', text: '# comment\nEMAIL_HOST=smtp.example.com\n' } },
  { code: 'env_value_truncated', name: 'unquoted #', input: { kind: 'env-file', text: 'EMAIL_HOST_PASSWORD=ab#cd\n' }, level: 'warning', field: 'EMAIL_HOST_PASSWORD', not: { kind: 'env-file', text: 'EMAIL_HOST_PASSWORD="ab#cd"\n' } },
  { code: 'env_value_truncated', name: 'a comment after a value is not advised to be quoted', input: { kind: 'env-file', text: 'EMAIL_HOST_PASSWORD=ab#cd\n' }, level: 'warning', not: { kind: 'env-file', text: 'EMAIL_USE_SSL=False # comment\n' } },
  { code: 'value_quoted', name: 'literal quotes around EMAIL_HOST', input: env({ ...SEED, EMAIL_HOST: '"mail55.lwspanel.com"' }), level: 'error', field: 'EMAIL_HOST', not: env(SEED) },
  { code: 'value_quoted', name: 'single quotes around EMAIL_PORT', input: env({ ...CLEAN, EMAIL_PORT: "'587'" }), level: 'error', field: 'EMAIL_PORT' },
  { code: 'variable_misnamed', name: 'EMAIL_USER instead of EMAIL_HOST_USER', input: env({ ...CLEAN, EMAIL_HOST_USER: undefined, EMAIL_USER: 'app@example.com' }), level: 'warning', field: 'EMAIL_USER', not: env({ ...CLEAN, EMAIL_USER: 'app@example.com' }) },
  { code: 'variable_misnamed', name: 'EMAIL_PASSWORD instead of EMAIL_HOST_PASSWORD', input: env({ ...CLEAN, EMAIL_HOST_PASSWORD: undefined, EMAIL_PASSWORD: 'pw-123456' }), level: 'warning', field: 'EMAIL_PASSWORD' },
  { code: 'option_ignored', name: 'unknown URL option', input: { kind: 'url', url: 'smtp+tls://smtp.example.com:587?frobnicate=1' }, level: 'info', not: { kind: 'url', url: 'smtp+tls://smtp.example.com:587?timeout=5' } },
  { code: 'missing_field', name: 'no EMAIL_HOST', input: env({ ...CLEAN, EMAIL_HOST: '' }), level: 'error', field: 'EMAIL_HOST', not: env(CLEAN) },
  { code: 'missing_field', name: 'no EMAIL_PORT', input: env({ ...CLEAN, EMAIL_PORT: '' }), level: 'warning', field: 'EMAIL_PORT' },
  { code: 'missing_field', name: 'no DEFAULT_FROM_EMAIL', input: env({ ...CLEAN, DEFAULT_FROM_EMAIL: '' }), level: 'warning', field: 'DEFAULT_FROM_EMAIL' },
  { code: 'credentials_missing', name: 'user without password', input: env({ ...CLEAN, EMAIL_HOST_PASSWORD: '' }), level: 'error', field: 'EMAIL_HOST_PASSWORD', not: env(CLEAN) },
  { code: 'credentials_missing', name: 'no login at a provider', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: '', EMAIL_HOST_PASSWORD: '' }), level: 'error', field: 'EMAIL_HOST_USER' },
  { code: 'timeout_unset', name: 'no EMAIL_TIMEOUT', input: env({ ...CLEAN, EMAIL_TIMEOUT: '' }), level: 'warning', field: 'EMAIL_TIMEOUT', not: env(CLEAN) },
  { code: 'timeout_unset', name: 'no connectionTimeout', input: { kind: 'nodemailer', options: { host: 'smtp.example.com', auth: { user: 'a', pass: 'b' } } }, level: 'warning', field: 'connectionTimeout' },
  { code: 'password_whitespace', name: 'trailing space', input: env({ ...CLEAN, EMAIL_HOST_PASSWORD: 'pw-123456 ' }), level: 'warning', not: env(CLEAN) },
  { code: 'from_unparseable', name: 'no angle brackets', input: env({ ...CLEAN, DEFAULT_FROM_EMAIL: 'App app@example.com' }), level: 'error', field: 'DEFAULT_FROM_EMAIL', not: env({ ...CLEAN, DEFAULT_FROM_EMAIL: '"App, Inc." <app@example.com>' }) },
  { code: 'from_unparseable', name: 'header injection', input: env({ ...CLEAN, DEFAULT_FROM_EMAIL: 'app@example.com\r\nBcc: x@y.example' }), level: 'error' },
  { code: 'from_unparseable', name: 'localhost sender', input: env({ ...CLEAN, SERVER_EMAIL: 'root@localhost' }), level: 'error', field: 'SERVER_EMAIL' },
  { code: 'from_domain_mismatch', name: 'other domain', input: env({ ...CLEAN, DEFAULT_FROM_EMAIL: 'App <app@other.example>' }), level: 'warning', field: 'DEFAULT_FROM_EMAIL', not: env({ ...CLEAN, DEFAULT_FROM_EMAIL: 'App <app@mail.example.com>' }) },
  { code: 'port_blocked_on_platform', name: 'Render free blocks 587', input: env(CLEAN), platform: 'render', level: 'warning', field: 'EMAIL_PORT', not: env({ ...CLEAN, EMAIL_PORT: '2525' }), notPlatform: 'render' },
  { code: 'port_blocked_on_platform', name: 'Google Cloud blocks 25', input: env({ ...CLEAN, EMAIL_PORT: '25' }), platform: 'google-cloud', level: 'error', not: env(CLEAN), notPlatform: 'google-cloud' },
  { code: 'platform_no_outbound_ipv6', name: 'Render has no IPv6', input: env(CLEAN), platform: 'render', level: 'info', not: env(CLEAN), notPlatform: 'vercel' },
  { code: 'provider_detected', name: 'Gmail', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.gmail.com' }), level: 'info', field: 'EMAIL_HOST', not: env(CLEAN) },
  { code: 'unknown_provider_port', name: 'SES on 2525', input: env({ ...SES, EMAIL_PORT: '2525' }), level: 'error', field: 'EMAIL_PORT', not: env({ ...SES, EMAIL_PORT: '2587' }) },
  { code: 'sendgrid_user_not_apikey', name: 'SendGrid account name', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: 'me@example.com', EMAIL_HOST_PASSWORD: 'SG.abc' }), level: 'error', field: 'EMAIL_HOST_USER', not: env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: 'apikey', EMAIL_HOST_PASSWORD: 'SG.abc' }) },
  { code: 'sendgrid_password_not_api_key', name: 'SendGrid account password', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: 'apikey' }), level: 'warning', not: env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: 'apikey', EMAIL_HOST_PASSWORD: 'SG.x' }) },
  { code: 'provider_username_mismatch', name: 'Resend user', input: env({ ...CLEAN, EMAIL_HOST: 'smtp.resend.com' }), level: 'error', field: 'EMAIL_HOST_USER', not: env({ ...CLEAN, EMAIL_HOST: 'smtp.resend.com', EMAIL_HOST_USER: 'resend' }) },
  { code: 'ses_password_is_secret_key', name: 'the secret itself', input: env({ ...SES, EMAIL_HOST_PASSWORD: SECRET, AWS_SECRET_ACCESS_KEY: SECRET }), level: 'error', field: 'EMAIL_HOST_PASSWORD', not: env(SES) },
  { code: 'ses_password_is_secret_key', name: 'secret-shaped, no secret at hand', input: env({ ...SES, EMAIL_HOST_PASSWORD: 'abcdEFGHijklMNOPqrstUVWXyz0123456789+/AB' }), level: 'error' },
  { code: 'ses_region_mismatch', name: 'derived for us-east-1', input: env({ ...SES, EMAIL_HOST_PASSWORD: sesSmtpPassword(SECRET, 'us-east-1'), AWS_SECRET_ACCESS_KEY: SECRET }), level: 'error', field: 'EMAIL_HOST_PASSWORD', not: env({ ...SES, AWS_SECRET_ACCESS_KEY: SECRET }) },
  { code: 'ses_password_malformed', name: 'a Gmail-style password', input: env({ ...SES, EMAIL_HOST_PASSWORD: 'abcd efgh ijkl mnop' }), level: 'error', not: env(SES) },
  { code: 'ses_password_legacy_v2', name: 'v2 password', input: env({ ...SES, EMAIL_HOST_PASSWORD: 'An60U4ZD3sd4fg+FvXUjayOipTt8LO4rUUmhpdX6ctDy' }), level: 'warning', not: env(SES) },
  { code: 'ses_password_mismatch', name: 'from another secret', input: env({ ...SES, AWS_SECRET_ACCESS_KEY: 'Another/Secret/Key/Of/Forty/Characters12', AWS_ACCESS_KEY_ID: KEY_ID }), level: 'error', not: env({ ...SES, AWS_SECRET_ACCESS_KEY: SECRET }) },
  { code: 'ses_password_mismatch', name: 'from another key pair', input: env({ ...SES, AWS_SECRET_ACCESS_KEY: 'Another/Secret/Key/Of/Forty/Characters12', AWS_ACCESS_KEY_ID: 'AKIAOTHERKEY00000000' }), level: 'warning' },
  { code: 'ses_password_verified', name: 'right region', input: env({ ...SES, AWS_SECRET_ACCESS_KEY: SECRET }), level: 'info', not: env(SES) },
  { code: 'ses_password_unverified', name: 'no secret at hand', input: env(SES), level: 'info', not: env({ ...SES, AWS_SECRET_ACCESS_KEY: SECRET }) },
  { code: 'ses_user_not_access_key', name: 'email as SES user', input: env({ ...SES, EMAIL_HOST_USER: 'app@example.com' }), level: 'warning', not: env(SES) },
  { code: 'ses_user_not_access_key', name: 'temporary key', input: env({ ...SES, EMAIL_HOST_USER: 'ASIAIOSFODNN7EXAMPLE' }), level: 'warning' },
  { code: 'ses_unknown_region', name: 'unknown region', input: env({ ...SES, EMAIL_HOST: 'email-smtp.xx-nowhere-9.amazonaws.com' }), level: 'warning', not: env(SES) },
  { code: 'host_is_ip_address', name: 'IPv4 host', input: env({ ...CLEAN, EMAIL_HOST: '203.0.113.5' }), level: 'warning', field: 'EMAIL_HOST', not: env(CLEAN) },
  { code: 'host_is_ip_address', name: 'IPv6 host', input: env({ ...CLEAN, EMAIL_HOST: '2001:db8::25' }), level: 'warning' },
  { code: 'backend_not_smtp', name: 'console backend', input: env({ ...CLEAN, EMAIL_BACKEND: 'django.core.mail.backends.console.EmailBackend' }), level: 'warning', field: 'EMAIL_BACKEND', not: env({ ...CLEAN, EMAIL_BACKEND: 'django.core.mail.backends.smtp.EmailBackend' }) },
  { code: 'backend_https_api', name: 'anymail', input: env({ ...CLEAN, EMAIL_BACKEND: 'anymail.backends.amazon_ses.EmailBackend' }), level: 'info', not: env(CLEAN) },
  { code: 'starttls_not_required', name: 'opportunistic STARTTLS', input: { kind: 'nodemailer', options: { host: 'smtp.example.com', auth: { user: 'a', pass: 'b' } } }, level: 'info', not: { kind: 'nodemailer', options: { host: 'smtp.example.com', requireTLS: true, auth: { user: 'a', pass: 'b' } } } },
  { code: 'tls_verification_disabled', name: 'rejectUnauthorized false', input: { kind: 'nodemailer', options: { host: 'smtp.example.com', tls: { rejectUnauthorized: false } } }, level: 'warning', not: { kind: 'nodemailer', options: { host: 'smtp.example.com' } } },
  { code: 'url_scheme_ambiguous', name: 'smtps:// in EMAIL_URL', input: { kind: 'url', url: 'smtps://smtp.example.com:587' }, level: 'info', not: { kind: 'url', url: 'smtp+tls://smtp.example.com:587' } },
];

describe('finding codes', () => {
  it('has at least one case for every code', () => {
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(FINDING_CODES));
  });

  it.each(CASES.map((c) => [`${c.code}: ${c.name}`, c] as const))('%s', (_name, c) => {
    const report = run(c.input, c.platform ?? null);
    const hits = find(report.findings, c.code);
    expect(hits.length, JSON.stringify(report.findings, null, 1)).toBeGreaterThan(0);
    expect(hits.map((h) => h.level)).toContain(c.level);
    if (c.field) expect(hits.map((h) => h.field)).toContain(c.field);
    for (const h of hits) {
      expect(h.message.length).toBeGreaterThan(10);
      if (h.level !== 'info') expect(h.fix).toBeTruthy();
    }
    if (c.not) expect(find(run(c.not, c.notPlatform ?? c.platform ?? null).findings, c.code)).toEqual([]);
  });
});

describe('whole configurations', () => {
  it('finds nothing in a clean configuration', () => {
    const r = run(env(CLEAN), 'vercel');
    expect(r.findings).toEqual([]);
    expect(r.snippet).toBeNull();
    // Netlify functions run on Lambda outside a VPC: no outbound IPv6 (inferred), said as info only.
    expect(run(env(CLEAN), 'netlify').findings.map((f) => `${f.level} ${f.code}`)).toEqual(['info platform_no_outbound_ipv6']);
  });

  it("gives the seed's settings (LWS, 587, TLS on, SSL off) no error", () => {
    const plain = run(env(SEED));
    expect(plain.counts.error).toBe(0);
    expect(plain.findings.map((f) => f.code).sort()).toEqual(['boolean_string_truthy', 'missing_field', 'provider_detected', 'timeout_unset']);
    expect(plain.provider?.id).toBe('lws');
    const onRender = run(env(SEED), 'render');
    expect(onRender.counts.error).toBe(0);
    const blocked = find(onRender.findings, 'port_blocked_on_platform')[0];
    expect(blocked?.message).toContain('2025-09-26');
    expect(blocked?.fix).toMatch(/HTTPS API/);
  });

  it('suggests an alternative port the provider serves when the platform blocks the configured one', () => {
    const r = run(env(SES), 'render');
    expect(find(r.findings, 'port_blocked_on_platform')[0]?.fix).toContain('2587');
    expect(r.snippet).toContain('EMAIL_PORT=2587');
  });

  it('writes a corrected Django snippet with every known fix and no password; false is left empty, never "False"', () => {
    const r = run(env({ ...CLEAN, EMAIL_PORT: '465', EMAIL_TIMEOUT: '', DEFAULT_FROM_EMAIL: 'App, Inc. <app@example.com>' }));
    expect(r.snippet).toBe(
      [
        'EMAIL_HOST=smtp.example.com',
        'EMAIL_PORT=465',
        'EMAIL_USE_TLS=',
        'EMAIL_USE_SSL=True',
        'EMAIL_HOST_USER=app@example.com',
        'EMAIL_HOST_PASSWORD=<unchanged>',
        'EMAIL_TIMEOUT=10',
        'DEFAULT_FROM_EMAIL="\\"App, Inc.\\" <app@example.com>"',
        'SERVER_EMAIL=app@example.com',
        '',
      ].join('\n'),
    );
  });

  it('points the snippet at the SES derivation instead of writing a password', () => {
    const r = run(env({ ...SES, EMAIL_HOST_PASSWORD: SECRET, AWS_SECRET_ACCESS_KEY: SECRET, EMAIL_TIMEOUT: '' }));
    expect(r.snippet).toContain('EMAIL_HOST_PASSWORD=<the SES SMTP password for eu-west-3: smtp-egress ses-smtp-password --region eu-west-3>');
    expect(r.snippet).not.toContain(SECRET);
  });

  it('writes the snippet as an EMAIL_URL or nodemailer options for those sources', () => {
    const url = run({ kind: 'url', url: 'smtps://apikey:SG.secret-key@smtp.sendgrid.net:465' });
    expect(url.snippet).toContain('EMAIL_URL=smtp+ssl://apikey:<unchanged>@smtp.sendgrid.net:465');
    const nm = run({ kind: 'nodemailer', options: { host: 'smtp.example.com', port: 587, secure: true, auth: { user: 'a', pass: 'pass-secret' } } });
    expect(JSON.parse(nm.snippet ?? '{}')).toEqual({ host: 'smtp.example.com', port: 587, secure: false, requireTLS: true, auth: { user: 'a', pass: '<unchanged>' }, connectionTimeout: 10000 });
  });

  it('stops at the backend when Django would not send over SMTP', () => {
    const r = run(env({ EMAIL_BACKEND: 'django.core.mail.backends.console.EmailBackend', DEFAULT_FROM_EMAIL: 'a@example.com' }));
    expect(r.findings.map((f) => f.code)).toContain('backend_not_smtp');
    expect(r.findings.map((f) => f.code)).not.toContain('timeout_unset');
    expect(r.findings.map((f) => f.code)).not.toContain('credentials_missing');
  });

  it('names a URL field in the URL and nodemailer options by their keys', () => {
    expect(find(run({ kind: 'url', url: 'smtp+tls://smtp.example.com:465' }).findings, 'tls_on_implicit_port')[0]?.field).toBe('url (scheme)');
    expect(find(run({ kind: 'nodemailer', options: { host: 'smtp.example.com', port: 'x' } }).findings, 'invalid_port')[0]?.field).toBe('port');
  });
});

describe('fixes in the words of their source', () => {
  it('a URL is fixed as a URL: ?timeout=10, not "set url (?timeout=)=10"', () => {
    const unset = run({ kind: 'url', url: 'smtp+tls://app%40example.com:pw@smtp.example.com:587' });
    expect(find(unset.findings, 'timeout_unset')[0]?.fix).toBe('add ?timeout=10 to the URL');
    const bad = run({ kind: 'url', url: 'smtp+tls://app%40example.com:pw@smtp.example.com:587?timeout=0' });
    expect(find(bad.findings, 'invalid_timeout')[0]?.fix).toBe('write ?timeout=10 (a number of seconds) in the URL');
    for (const r of [unset, bad]) for (const f of r.findings) expect(f.fix ?? '').not.toMatch(/\(\?\w+=\)=/);
  });

  it('the corrected snippet never keeps a port the findings call blocked', () => {
    // No EMAIL_TIMEOUT: its fix makes a snippet, which must not carry the blocked port.
    const r = run(env({ ...CLEAN, EMAIL_HOST: 'smtp.gmail.com', EMAIL_PORT: '25', EMAIL_TIMEOUT: '' }), 'digitalocean');
    expect(find(r.findings, 'port_blocked_on_platform')).not.toEqual([]);
    // DigitalOcean blocks 25, 465 and 587: no EMAIL_PORT line keeps any of them.
    expect(r.snippet).not.toMatch(/^EMAIL_PORT=(25|465|587)$/m);
    expect(r.snippet).toMatch(/^# port \d+ is blocked on this platform/m);
    // With an open port to move to, the snippet moves there.
    const moved = run(env({ ...CLEAN, EMAIL_HOST: 'smtp.sendgrid.net', EMAIL_HOST_USER: 'apikey', EMAIL_HOST_PASSWORD: 'SG.x', EMAIL_PORT: '587' }), 'digitalocean');
    expect(moved.snippet).toMatch(/^EMAIL_PORT=2525$/m);
  });
});
