import { describe, expect, it } from 'vitest';
import { createRedactor, maskCredentials } from '../../lib/security/redact.ts';

describe('createRedactor', () => {
  const secret = 'p@ss w0rd/é';
  const redact = createRedactor([secret], 'me@example.test');
  it.each([
    ['plain', secret],
    ['base64', Buffer.from(secret).toString('base64')],
    ['url-encoded', encodeURIComponent(secret)],
    ['AUTH PLAIN blob', Buffer.from(`\0me@example.test\0${secret}`).toString('base64')],
  ])('hides the %s form', (_name, form) => {
    const out = redact(`535 you sent ${form} which is wrong`);
    expect(out).not.toContain(form);
    expect(out).toContain('****');
  });
  it('leaves text without secrets alone, and ignores empty secrets', () => {
    expect(redact('250 OK')).toBe('250 OK');
    expect(createRedactor(['', undefined, null])('abc')).toBe('abc');
  });
});

describe('maskCredentials (for echoed log lines)', () => {
  it.each([
    ['EMAIL_HOST_PASSWORD=hunter2 secret &more', 'EMAIL_HOST_PASSWORD=****'],
    ['{"password": "hunter2-secret", "user": "me"}', '{"password": "****", "user": "me"}'],
    ['EMAIL_URL=smtp://me%40x.test:hunter2-secret@smtp.x.test:587', 'EMAIL_URL=smtp://me%40x.test:****@smtp.x.test:587'],
    ['Authorization: Bearer abcdef0123456789', 'Authorization: Bearer ****'],
    ['C: AUTH PLAIN AG1lAGh1bnRlcjI=', 'C: AUTH PLAIN ****'],
    ["api_key='SG.abc.def'", "api_key='****'"],
  ])('%s', (input, expected) => {
    expect(maskCredentials(input)).toBe(expected);
  });
  it('leaves ordinary error lines alone', () => {
    const line = 'OSError: [Errno 101] Network is unreachable (connect to smtp.x.test:587)';
    expect(maskCredentials(line)).toBe(line);
  });
});
