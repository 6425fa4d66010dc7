// Issue 15, point 8 (tokens): a configured token shorter than 32 characters or of low variety is
// refused (the functions answer 503 saying why; serve does not start), `serve --port <token>`
// does not echo it, and a client that keeps sending wrong tokens is slowed down (429 with
// Retry-After, its next token not even compared) while other clients are not. Real serve
// instance on loopback; the two clients connect from 127.0.0.1 and 127.0.0.2.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '@netlify/functions';
import { startNodeServer, type RunningNodeServer } from '../../lib/http/node-server.ts';
import { clientKey, FREE_TOKEN_FAILURES, resetTokenFailures, TOKEN_BACKOFF_BASE_MS } from '../../lib/http/auth.ts';
import { tokenWeakness } from '../../lib/security/token-strength.ts';
import { runCli } from '../helpers/cli.ts';
import { counter, recordStats } from './support.ts';

const TOKEN = 'rules-token-6a1c8e3f5b7d9024c6e8a0b2';
const stats = counter();
afterAll(() => recordStats('token-rules', stats.n));

describe('the token rule', () => {
  it.each([
    ['1234', /shorter than 32/],
    ['a'.repeat(40), /fewer than 8 different/],
    ['0123456789'.repeat(4), /repeats a short pattern/],
    ['abcdefghijklmnop'.repeat(3), /repeats a short pattern/],
  ])('%s is refused by the functions: 503 token_not_configured saying why, never quoting it', async (weak, why) => {
    stats.add('weakTokensTried');
    const probeFn = (await import('../../functions/probe.mts')).default;
    const saved = process.env.SMTP_EGRESS_TOKEN;
    process.env.SMTP_EGRESS_TOKEN = weak;
    try {
      const res = await probeFn(new Request('http://localhost/api/probe?host=smtp.example.com', { headers: { authorization: `Bearer ${weak}` } }), {} as Context);
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(body).toMatch(why);
      expect(body).toMatch(/openssl rand -hex 32/);
      expect(body).not.toContain(weak.slice(0, 12));
    } finally {
      if (saved === undefined) delete process.env.SMTP_EGRESS_TOKEN;
      else process.env.SMTP_EGRESS_TOKEN = saved;
    }
  });

  it('random tokens of the kinds the README suggests pass', async () => {
    const { randomBytes, randomUUID } = await import('node:crypto');
    for (let i = 0; i < 200; i++) {
      expect(tokenWeakness(randomBytes(16).toString('hex'))).toBeNull();
      expect(tokenWeakness(randomBytes(32).toString('hex'))).toBeNull();
      expect(tokenWeakness(randomBytes(24).toString('base64url'))).toBeNull();
      expect(tokenWeakness(randomUUID())).toBeNull();
    }
  });

  it('serve does not start with a weak token, and says why', async () => {
    const r = await runCli(['serve', '--port', '0', '--host', '127.0.0.1'], { SMTP_EGRESS_TOKEN: 'short-token-1234' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SMTP_EGRESS_TOKEN is shorter than 32 characters: serve refuses to start/);
    expect(r.stderr + r.stdout).not.toContain('short-token-1234');
  });

  it('serve --port <a token pasted there>: a usage error that does not repeat it', async () => {
    const r = await runCli(['serve', '--port', TOKEN], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be a port number/);
    expect(r.stderr + r.stdout).not.toContain(TOKEN.slice(0, 8));
  });
});

describe('wrong tokens from one client are slowed down', () => {
  let server: RunningNodeServer;
  beforeAll(async () => {
    resetTokenFailures();
    server = await startNodeServer({ port: 0, host: '0.0.0.0', env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' }, publicDir: null });
  });
  afterAll(() => server?.shutdown(100));

  const ask = (from: string, token: string) =>
    new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, localAddress: from, path: '/api/config-check', headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('an IPv6 client is counted by its /64: rotating addresses inside it does not reset the count', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it(`after ${FREE_TOKEN_FAILURES} misses: 429 with Retry-After, even for the right token; another client is unaffected`, async () => {
    for (let i = 0; i < FREE_TOKEN_FAILURES; i++) {
      stats.add('wrongTokensSent');
      expect((await ask('127.0.0.1', `wrong-guess-${i}-${'x'.repeat(30)}`)).status).toBe(401);
    }
    expect((await ask('127.0.0.1', 'one-more-wrong-guess-0000000000000000')).status).toBe(401);
    const slowed = await ask('127.0.0.1', TOKEN);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(slowed.body).toMatch(/too many wrong tokens from this client/);
    // Guesses during the pause are not even compared: the count of 429s is the guesses refused.
    // (20 of them: well inside the first pause of TOKEN_BACKOFF_BASE_MS, even on a busy machine.)
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) expect((await ask('127.0.0.1', `burst-${i}-${'y'.repeat(30)}`)).status).toBe(429);
    expect(Date.now() - t0).toBeLessThan(TOKEN_BACKOFF_BASE_MS);
    stats.add('guessesRefusedUncompared', 20);
    const other = await ask('127.0.0.2', TOKEN);
    expect(other.status).toBe(200);
  });
});
