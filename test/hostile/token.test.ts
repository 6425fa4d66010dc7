// The bearer token: compared in constant time (SHA-256 digests of both sides, then
// timingSafeEqual on two 32-byte buffers, whatever the lengths), never echoed, failures counted
// and logged without it. A statistical timing test would be flaky: the implementation property
// is asserted, plus a coarse sanity check that a near miss costs what a far miss does.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '@netlify/functions';
import { counter, recordStats } from './support.ts';

const compared: [number, number][] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    default: real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { tokensEqual, requireToken, authFailures } = await import('../../lib/http/auth.ts');
const probeFn = (await import('../../functions/probe.mts')).default;

const TOKEN = 'tok_9c1f4e7a2b8d6053e1f0a9b8c7d6e5f4';
const stats = counter();
const saved = process.env.SMTP_EGRESS_TOKEN;
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  if (saved === undefined) delete process.env.SMTP_EGRESS_TOKEN;
  else process.env.SMTP_EGRESS_TOKEN = saved;
  recordStats('token', stats.n);
});

describe('constant-time comparison', () => {
  const candidates = ['', 'x', TOKEN.slice(0, -1), `${TOKEN}x`, `${TOKEN.slice(0, -1)}0`, `0${TOKEN.slice(1)}`, TOKEN.toUpperCase(), 'y'.repeat(10_000), `${TOKEN}\u0000`, 'é'.repeat(40), TOKEN];

  it('always compares two 32-byte digests, whatever the lengths given', () => {
    for (const given of candidates) {
      stats.add('tokenComparisons');
      compared.length = 0;
      const equal = tokensEqual(given, TOKEN);
      expect(equal).toBe(given === TOKEN);
      expect(compared).toEqual([[32, 32]]);
    }
  });

  it('coarse sanity: a near miss (last character) costs about what a far miss (first character) does', () => {
    const near = `${TOKEN.slice(0, -1)}0`;
    const far = `0${TOKEN.slice(1)}`;
    const batch = (given: string) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) tokensEqual(given, TOKEN);
      return Number(process.hrtime.bigint() - t0);
    };
    // Interleaved rounds, the fastest of each kept: the least disturbed by other work on the machine.
    let ratio = Infinity;
    for (let attempt = 0; attempt < 3 && ratio >= 3; attempt++) {
      let n = Infinity;
      let f = Infinity;
      for (let round = 0; round < 25; round++) {
        n = Math.min(n, batch(near));
        f = Math.min(f, batch(far));
      }
      stats.add('tokenComparisons', 2 * 25 * 200);
      ratio = Math.max(n, f) / Math.min(n, f);
    }
    expect(ratio).toBeLessThan(3);
  });
});

describe('no token in any output; failures counted without it', () => {
  const ctx = {} as Context;
  const ask = (auth: string | null, url = 'http://localhost/api/probe?host=smtp.example.com') =>
    probeFn(new Request(url, { headers: auth === null ? {} : { authorization: auth } }), ctx);

  it.each([
    ['wrong token', `Bearer ${TOKEN.slice(0, -1)}X`],
    ['prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`],
    ['token with a suffix', `Bearer ${TOKEN}-and-more`],
    ['wrong scheme', `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`],
    ['empty bearer', 'Bearer '],
    ['no header', null],
    ['a megabyte', `Bearer ${'z'.repeat(1024 * 1024)}`],
  ])('%s -> 401; neither the given nor the real token in body, headers or log', async (_name, auth) => {
    stats.add('tokenInputs');
    process.env.SMTP_EGRESS_TOKEN = TOKEN;
    const logged: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(' ')));
    const before = authFailures();
    const res = await ask(auth);
    expect(res.status).toBe(401);
    const everything = [await res.text(), ...[...res.headers].map(([k, v]) => `${k}: ${v}`), ...logged].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(0, 10));
    expect(everything).not.toContain(Buffer.from(TOKEN).toString('base64'));
    if (auth && auth.length > 20) expect(everything).not.toContain(auth.slice(7, 27));
    expect(authFailures()).toBe(before + 1);
    expect(logged.join('\n')).toMatch(new RegExp(`\\(${before + 1} so far\\)`));
  });

  it('the right token passes and is not counted as a failure', () => {
    stats.add('tokenInputs');
    const before = authFailures();
    expect(() => requireToken(new Request('http://localhost/', { headers: { authorization: `Bearer ${TOKEN}` } }), { SMTP_EGRESS_TOKEN: TOKEN })).not.toThrow();
    expect(() => requireToken(new Request('http://localhost/', { headers: { authorization: `bearer   ${TOKEN}  ` } }), { SMTP_EGRESS_TOKEN: TOKEN })).not.toThrow();
    expect(authFailures()).toBe(before);
  });

  it('a token in the query string is refused without echoing it; no token configured -> 503 naming the variable only', async () => {
    stats.add('tokenInputs', 2);
    process.env.SMTP_EGRESS_TOKEN = TOKEN;
    let res = await ask(`Bearer ${TOKEN}`, `http://localhost/api/probe?host=smtp.example.com&token=${TOKEN}`);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain(TOKEN);
    delete process.env.SMTP_EGRESS_TOKEN;
    res = await ask(`Bearer ${TOKEN}`);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).toContain('SMTP_EGRESS_TOKEN');
    expect(text).not.toContain(TOKEN);
  });
});
