// Readers: Django env, env files, SMTP URLs, nodemailer options -> one normalised form, and a
// finding (never an exception) for every value that cannot be read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDjangoBoolean, readDjangoMailSettings } from '../../lib/settings/django-env.ts';
import { parseEnvFile } from '../../lib/settings/env-file.ts';
import { readDjangoEnv, readNodemailer, readSmtpUrl } from '../../lib/settings/readers.ts';

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('Django env', () => {
  it('keeps the exports lib/smtp/options.ts relies on', () => {
    expect(parseDjangoBoolean('True')).toBe(true);
    expect(parseDjangoBoolean('false')).toBe(false);
    expect(parseDjangoBoolean(undefined)).toBeNull();
    expect(parseDjangoBoolean('Ture')).toBe('invalid');
    const d = readDjangoMailSettings({ EMAIL_HOST: ' h.example ', EMAIL_PORT: '587', EMAIL_HOST_PASSWORD: ' p ' });
    expect(d).toMatchObject({ host: 'h.example', port: 587, password: ' p ', useTls: null, invalid: {} });
  });

  it.each([
    ['True', true],
    ['true', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['False', false],
    ['false', false],
    ['0', false],
    ['', false],
  ])('reads EMAIL_USE_TLS=%j as %s, like env.bool()', (text, value) => {
    const r = readDjangoEnv({ EMAIL_USE_TLS: text });
    expect(r.settings.useTls).toBe(value);
    expect(codes(r)).not.toContain('invalid_boolean');
  });

  it('flags a boolean Django would choke on, naming the field', () => {
    const r = readDjangoEnv({ EMAIL_USE_SSL: 'Ture' });
    expect(r.findings).toEqual([expect.objectContaining({ level: 'error', code: 'invalid_boolean', field: 'EMAIL_USE_SSL' })]);
    expect(r.settings.useSsl).toBeNull();
  });

  it('notes that "False" is truthy when settings.py does not cast it', () => {
    expect(readDjangoEnv({ EMAIL_USE_SSL: 'False' }).findings).toEqual([expect.objectContaining({ level: 'info', code: 'boolean_string_truthy', field: 'EMAIL_USE_SSL' })]);
    expect(codes(readDjangoEnv({ EMAIL_USE_SSL: '' }))).toEqual([]);
  });

  it.each(['abc', '0', '65536', '58 7', '-1', '587.0'])('flags EMAIL_PORT=%j', (port) => {
    const r = readDjangoEnv({ EMAIL_PORT: port });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'invalid_port', field: 'EMAIL_PORT', level: 'error' })]);
    expect(r.settings.port).toBeNull();
  });

  it.each(['never', '0', '-5'])('flags EMAIL_TIMEOUT=%j', (t) => {
    expect(readDjangoEnv({ EMAIL_TIMEOUT: t }).findings).toEqual([expect.objectContaining({ code: 'invalid_timeout', field: 'EMAIL_TIMEOUT' })]);
  });

  it('reads every EMAIL_* variable and the AWS keys', () => {
    const r = readDjangoEnv({
      EMAIL_BACKEND: 'django.core.mail.backends.smtp.EmailBackend',
      EMAIL_HOST: 'smtp.example.com',
      EMAIL_PORT: '465',
      EMAIL_USE_SSL: 'True',
      EMAIL_HOST_USER: 'u@example.com',
      EMAIL_HOST_PASSWORD: 'pw pw',
      EMAIL_TIMEOUT: '7.5',
      DEFAULT_FROM_EMAIL: 'A <u@example.com>',
      SERVER_EMAIL: 'errors@example.com',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-key-value',
    });
    expect(r.settings).toEqual({
      backend: 'django.core.mail.backends.smtp.EmailBackend',
      host: 'smtp.example.com',
      port: 465,
      useTls: null,
      useSsl: true,
      user: 'u@example.com',
      password: 'pw pw',
      timeout: 7.5,
      from: 'A <u@example.com>',
      serverEmail: 'errors@example.com',
    });
    expect(r.aws).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret-key-value' });
    expect(r.secrets).toEqual(expect.arrayContaining(['pw pw', 'secret-key-value']));
  });

  it('flags a password with leading or trailing whitespace', () => {
    expect(readDjangoEnv({ EMAIL_HOST_PASSWORD: 'secret\t' }).findings).toEqual([expect.objectContaining({ code: 'password_whitespace', field: 'EMAIL_HOST_PASSWORD' })]);
  });

  it('reads EMAIL_URL when EMAIL_HOST is not set (django-environ)', () => {
    const r = readDjangoEnv({ EMAIL_URL: 'smtp+ssl://me%40example.com:p%23w@smtp.example.com:465', DEFAULT_FROM_EMAIL: 'me@example.com', EMAIL_TIMEOUT: '5' });
    expect(r.settings).toMatchObject({ host: 'smtp.example.com', port: 465, useSsl: true, useTls: false, user: 'me@example.com', password: 'p#w', timeout: 5, from: 'me@example.com' });
    expect(r.fields.port).toBe('EMAIL_URL (port)');
    expect(r.fields.timeout).toBe('EMAIL_TIMEOUT');
  });
});

describe('env files (util.parseEnv)', () => {
  it('follows dotenv conventions: export, quotes, comments, multi-line values', () => {
    const { env, findings } = parseEnvFile(
      ['# mail', 'export EMAIL_HOST=smtp.example.com', "EMAIL_HOST_USER='u@example.com'", 'DEFAULT_FROM_EMAIL="HABIKO <no-replay@ci-habiko.com>" # inline', 'KEY="line1', 'line2"', 'EMAIL_PORT=587', ''].join('\r\n'),
    );
    expect(env).toMatchObject({ EMAIL_HOST: 'smtp.example.com', EMAIL_HOST_USER: 'u@example.com', DEFAULT_FROM_EMAIL: 'HABIKO <no-replay@ci-habiko.com>', KEY: 'line1\nline2', EMAIL_PORT: '587' });
    expect(findings).toEqual([]);
  });

  it('flags lines it ignores without echoing them', () => {
    const { findings } = parseEnvFile('EMAIL_HOST=a.example\nEMAIL_HOST_PASSWORD hunter2-secret\n', 'prod.env');
    expect(findings).toEqual([expect.objectContaining({ code: 'env_file_line_ignored', field: 'prod.env:2', level: 'warning' })]);
    expect(JSON.stringify(findings)).not.toContain('hunter2');
  });

  it('flags an unquoted value cut at #, without echoing it', () => {
    const { env, findings } = parseEnvFile('EMAIL_HOST_PASSWORD=abc#def\nOK="a#b"\n');
    expect(env.EMAIL_HOST_PASSWORD).toBe('abc');
    expect(findings).toEqual([expect.objectContaining({ code: 'env_value_truncated', field: 'EMAIL_HOST_PASSWORD' })]);
    expect(JSON.stringify(findings)).not.toContain('def');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseEnvFile(text);
        expect(Array.isArray(r.findings)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SMTP URLs', () => {
  it.each([
    ['smtp://h.example:25', { useTls: false, useSsl: false, port: 25 }],
    ['smtps://h.example:587', { useTls: true, useSsl: false, port: 587 }],
    ['smtp+tls://h.example:587', { useTls: true, useSsl: false, port: 587 }],
    ['smtp+ssl://h.example:465', { useTls: false, useSsl: true, port: 465 }],
    ['submission://h.example', { useTls: true, useSsl: false, port: 587 }],
    ['SMTP+SSL://h.example:465', { useTls: false, useSsl: true, port: 465 }],
  ])('django-environ reads %s', (url, expected) => {
    expect(readSmtpUrl(url, { dialect: 'django-environ' }).settings).toMatchObject({ host: 'h.example', ...expected });
  });

  it('says smtps:// means STARTTLS to django-environ but implicit TLS to nodemailer', () => {
    expect(codes(readSmtpUrl('smtps://h.example:587', { dialect: 'django-environ' }))).toContain('url_scheme_ambiguous');
    expect(readSmtpUrl('smtps://h.example', { dialect: 'nodemailer' }).settings).toMatchObject({ useSsl: true, useTls: false, port: 465 });
    expect(readSmtpUrl('smtp://h.example', { dialect: 'nodemailer' }).settings).toMatchObject({ useSsl: false, useTls: true, port: 587 });
  });

  it('decodes percent-encoded user and password and records both spellings as secrets', () => {
    const r = readSmtpUrl('smtp+tls://user%40example.com:p%40ss%3Aw%2Fd@smtp.example.com:587', { dialect: 'django-environ' });
    expect(r.settings).toMatchObject({ user: 'user@example.com', password: 'p@ss:w/d' });
    expect(r.secrets).toEqual(expect.arrayContaining(['p@ss:w/d', 'p%40ss%3Aw%2Fd']));
  });

  it('reads query options and flags the ones it cannot read', () => {
    const r = readSmtpUrl('smtp://h.example:587?email_use_tls=True&timeout=5&foo=1&ssl=maybe', { dialect: 'django-environ' });
    expect(r.settings).toMatchObject({ useTls: true, timeout: 5 });
    expect(codes(r)).toEqual(expect.arrayContaining(['option_ignored', 'invalid_boolean']));
    expect(codes(readSmtpUrl('smtp://h.example:587?timeout=-1', { dialect: 'django-environ' }))).toEqual(['invalid_timeout']);
  });

  it('maps non-SMTP django-environ schemes to their backends', () => {
    expect(readSmtpUrl('consolemail://', { dialect: 'django-environ' }).settings.backend).toBe('django.core.mail.backends.console.EmailBackend');
  });

  it.each([
    ['', 'invalid_url'],
    ['   ', 'invalid_url'],
    ['smtp.example.com:587', 'invalid_url'],
    ['http://smtp.example.com', 'invalid_url'],
    ['smtp://user:p%ZZ@h.example:587', 'invalid_url'],
    ['smtp://h.example:99999', 'invalid_port'],
    ['smtp://h.example:abc', 'invalid_port'],
    ['smtp://h.example:587\r\nRCPT TO:<x@y>', 'invalid_url'],
    [`smtp://${'a'.repeat(5000)}.example`, 'invalid_url'],
    ['smtp://[::1', 'invalid_url'],
  ])('flags %j as %s without echoing a password', (url, code) => {
    const r = readSmtpUrl(url, { dialect: 'django-environ' });
    expect(codes(r)).toContain(code);
    expect(r.findings.every((f) => f.level === 'error')).toBe(true);
  });

  it('never echoes the password of a URL it refuses', () => {
    const r = readSmtpUrl('smtp://user:TopSecretPw1@h.example:abc', { dialect: 'django-environ' });
    expect(JSON.stringify(r.findings)).not.toContain('TopSecretPw1');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.webUrl().map((u) => u.replace(/^https?/, 'smtp'))), (text) => {
        readSmtpUrl(text, { dialect: 'django-environ' });
        readSmtpUrl(text, { dialect: 'nodemailer' });
      }),
      { numRuns: 300 },
    );
  });
});

describe('nodemailer options', () => {
  it('reads host, port, secure, auth, connectionTimeout and from', () => {
    const r = readNodemailer({ host: 'smtp.example.com', port: 465, secure: true, auth: { user: 'u', pass: 'p4ss' }, connectionTimeout: 5000, defaults: { from: 'a@example.com' } });
    expect(r.settings).toMatchObject({ host: 'smtp.example.com', port: 465, useSsl: true, useTls: false, user: 'u', password: 'p4ss', timeout: 5, from: 'a@example.com' });
    expect(r.findings).toEqual([]);
  });

  it("defaults the port the way nodemailer does and knows STARTTLS is opportunistic", () => {
    const r = readNodemailer('{"host":"smtp.example.com"}');
    expect(r.settings).toMatchObject({ port: 587, useSsl: false, useTls: true });
    expect(r.opportunisticTls).toBe(true);
    expect(readNodemailer({ host: 'h.example', requireTLS: true }).opportunisticTls).toBe(false);
    expect(readNodemailer({ host: 'h.example', ignoreTLS: true }).settings.useTls).toBe(false);
    expect(readNodemailer({ host: 'h.example', secure: true }).settings.port).toBe(465);
  });

  it('expands well-known services', () => {
    expect(readNodemailer({ service: 'Gmail' }).settings).toMatchObject({ host: 'smtp.gmail.com', port: 465, useSsl: true });
    expect(codes(readNodemailer({ service: 'NoSuchMail' }))).toEqual(['option_ignored']);
  });

  it('takes a connection URL string (nodemailer dialect) or a url option', () => {
    expect(readNodemailer('"smtps://u:p@smtp.example.com"').settings).toMatchObject({ host: 'smtp.example.com', port: 465, useSsl: true });
    expect(readNodemailer({ url: 'smtp://smtp.example.com:2525' }).settings).toMatchObject({ host: 'smtp.example.com', port: 2525, useSsl: false });
  });

  it('flags a string where a boolean belongs: "false" is truthy', () => {
    const r = readNodemailer({ host: 'h.example', port: 587, secure: 'false' });
    expect(r.findings).toEqual([expect.objectContaining({ code: 'invalid_boolean', field: 'secure', level: 'error' })]);
    expect(r.settings.useSsl).toBe(true);
  });

  it.each([
    ['{not json', 'invalid_json'],
    ['[1,2]', 'invalid_json'],
    ['null', 'invalid_json'],
    ['42', 'invalid_json'],
    ['{"host": 5}', 'invalid_host'],
    ['{"host": "h.example", "port": "abc"}', 'invalid_port'],
    ['{"host": "h.example", "port": 0}', 'invalid_port'],
    ['{"host": "h.example", "auth": "u:p"}', 'invalid_json'],
    ['{"host": "h.example", "connectionTimeout": "soon"}', 'invalid_timeout'],
    ['{"host": "h.example", "hots": "x"}', 'option_ignored'],
    ['{"host": "h.example", "tls": {"rejectUnauthorized": false}}', 'tls_verification_disabled'],
  ])('flags %s as %s', (text, code) => {
    expect(codes(readNodemailer(text))).toContain(code);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        readNodemailer(value);
        readNodemailer(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });
});
