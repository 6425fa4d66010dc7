// Issue 15, point 2: an EMAIL_URL whose password holds an unencoded ?, # or / was cut there by
// the URL parser and the piece before it printed as "the port". Now the URL is refused as not
// parsing, with the reason (percent-encode the password), quoting none of it: checked through
// GET /api/config-check (the deployment's own env) and the `check` command.
import { afterAll, describe, expect, it } from 'vitest';
import { handleConfigCheck } from '../../lib/http/config-check.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { runCli } from '../helpers/cli.ts';
import { counter, recordStats } from './support.ts';

const TOKEN = 'url-secret-token-8d1f3b5a7c9e0246ab13';
const stats = counter();
afterAll(() => recordStats('url-secret', stats.n));

// Each piece is long enough that finding it in the output would be a leak.
const PASSWORDS = ['Kq7x?Zt9w#Lp2m', 'Kq7x#Zt9w?Lp2m', 'Kq7x/Zt9w/Lp2m', 'Kq7xZt9w?', 'Kq7x#Zt9wLp2m/'];
const pieces = (p: string) => p.split(/[?#/]/).filter((s) => s.length >= 4);

describe.each(PASSWORDS)('EMAIL_URL with the password %s, unencoded', (password) => {
  const env = { EMAIL_URL: `smtp+tls://mailer%40example.com:${password}@smtp.example.com:587`, SMTP_EGRESS_TOKEN: TOKEN };

  it('GET /api/config-check: "does not parse", percent-encode, no piece of it quoted', async () => {
    stats.add('urlsTried');
    const req = new Request('http://localhost/api/config-check', { headers: { authorization: `Bearer ${TOKEN}` } });
    const res = await handleConfigCheck(req, nodeHandlerContext(env));
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/EMAIL_URL does not parse/);
    expect(text).toMatch(/percent-encode the password/);
    for (const piece of pieces(password)) expect(text).not.toContain(piece);
    expect(text).not.toMatch(/the port in EMAIL_URL is "/);
  });

  it('check: the same, on the terminal and as JSON', async () => {
    for (const args of [['check'], ['check', '--json']]) {
      const r = await runCli(args, env);
      const out = r.stdout + r.stderr;
      expect(out).toMatch(/does not parse/);
      for (const piece of pieces(password)) expect(out).not.toContain(piece);
    }
  });
});

it('user:password with no host after it: the port is not quoted either', async () => {
  const r = await runCli(['check', '--json'], { EMAIL_URL: 'smtp://mailer:Wq8zTopSecret' });
  expect(r.stdout).toMatch(/not a number from 1 to 65535 \(not quoted/);
  expect(r.stdout + r.stderr).not.toContain('Wq8zTopSecret');
});
