// Secrets (EMAIL_HOST_PASSWORD, the AWS secret, a URL's password) reach no report, text or
// snippet, in any form the redactor knows (plain, base64, percent-encoded).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkConfig, type ConfigInput } from '../../lib/diagnosis/config-check.ts';
import { redactDeep } from '../../lib/security/redact.ts';
import { renderConfigText } from '../../lib/render/config-text.ts';
import { createRedactor } from '../../lib/security/redact.ts';

const PASSWORD = 'Pa$$w0rd-#with/odd:chars@';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function everyOutput(input: ConfigInput, platform: string | null = 'render'): string {
  const { report } = checkConfig(input, { platform, platformHow: 'given' });
  return `${JSON.stringify(report)}\n${renderConfigText(report)}`;
}
function expectNoSecret(text: string, secret: string) {
  for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) expect(text).not.toContain(form);
}

describe('config-check output never holds a secret', () => {
  it.each([
    ['Django env', { kind: 'env', env: { EMAIL_HOST: 'smtp.example.com', EMAIL_HOST_USER: 'u@example.com', EMAIL_HOST_PASSWORD: PASSWORD, AWS_SECRET_ACCESS_KEY: AWS_SECRET } }],
    ['SES with the secret as password', { kind: 'env', env: { EMAIL_HOST: 'email-smtp.eu-west-3.amazonaws.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: 'AKIAIOSFODNN7EXAMPLE', EMAIL_HOST_PASSWORD: AWS_SECRET, AWS_SECRET_ACCESS_KEY: AWS_SECRET } }],
    ['env file', { kind: 'env-file', text: `EMAIL_HOST=smtp.example.com\nEMAIL_HOST_PASSWORD='${PASSWORD}'\nAWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n` }],
    ['URL', { kind: 'url', url: `smtp+tls://u:${encodeURIComponent(PASSWORD)}@smtp.example.com:587` }],
    ['URL, half-encoded', { kind: 'url', url: 'smtp+tls://u:Pa$$w0rd-%23with%2Fodd%3Achars%40@smtp.example.com:587' }],
    ['URL refused for its port', { kind: 'url', url: `smtp://u:${encodeURIComponent(PASSWORD)}@smtp.example.com:bad` }],
    ['nodemailer', { kind: 'nodemailer', options: { host: 'smtp.example.com', port: 465, secure: false, auth: { user: 'u', pass: PASSWORD } } }],
  ] as [string, ConfigInput][])('%s', (_name, input) => {
    const text = everyOutput(input);
    expectNoSecret(text, PASSWORD);
    expectNoSecret(text, AWS_SECRET);
    expectNoSecret(text, 'Pa$$w0rd-%23with%2Fodd%3Achars%40');
  });

  it('hides a password a message would otherwise quote (the host set to the password)', () => {
    const text = everyOutput({ kind: 'env', env: { EMAIL_HOST: 'secret-host-pw', EMAIL_HOST_PASSWORD: 'secret-host-pw' } });
    expect(text).not.toContain('secret-host-pw');
    expect(text).toContain('****');
  });

  it('redacts every string of a nested value', () => {
    const redact = createRedactor(['s3cret']);
    expect(redactDeep({ a: ['x s3cret y', { b: 's3cret' }], n: 1, z: null, s3cret: 'key' }, redact)).toEqual({ a: ['x **** y', { b: '****' }], n: 1, z: null, '****': 'key' });
  });

  it('never leaks a random password and never throws, whatever the env holds', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_HOST_USER', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'SERVER_EMAIL', 'EMAIL_BACKEND', 'EMAIL_URL'), fc.string({ maxLength: 60 })),
        fc.string({ minLength: 8, maxLength: 40 }).filter((s) => s.trim().length >= 8),
        fc.constantFrom(null, 'render', 'google-cloud', 'netlify'),
        (env, password, platform) => {
          const text = everyOutput({ kind: 'env', env: { ...env, EMAIL_HOST_PASSWORD: password } }, platform);
          expect(text).not.toContain(password);
        },
      ),
      { numRuns: 400 },
    );
  });
});
