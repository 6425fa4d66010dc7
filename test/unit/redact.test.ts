import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../lib/security/redact.ts';

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
