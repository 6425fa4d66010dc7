// Every route checks the method first: a method it does not serve is a 405 with an Allow header,
// before the token or the body is read (DELETE /api/probe with no token is a 405, not a 401/503),
// through each Netlify function's default export and through the route table `serve` dispatches.
import { describe, expect, it } from 'vitest';
import type { Context } from '@netlify/functions';
import { readdirSync } from 'node:fs';
import { ROUTES } from '../../lib/http/routes.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';

const fakeContext = { deploy: { context: 'production' }, server: { region: 'us-east-2' } } as unknown as Context;
const functions = readdirSync('functions').filter((f) => f.endsWith('.mts'));
const unserved = (path: string) => (path === '/api/health' ? 'POST' : path === '/api/probe' || path === '/api/config-check' ? 'DELETE' : 'GET');

describe('method before auth, 405 with Allow', () => {
  it('the route table lists every function', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(functions.map((f) => `/api/${f.replace(/\.mts$/, '')}`).sort());
  });

  it.each(functions)('functions/%s: a method it does not serve is 405 with Allow, with no token and no token configured', async (file) => {
    const mod = (await import(`../../functions/${file}`)) as { default: (req: Request, ctx: Context) => Promise<Response>; config: { path: string } };
    const method = unserved(mod.config.path);
    const res = await mod.default(new Request(`http://localhost${mod.config.path}`, { method }), fakeContext);
    expect(res.status).toBe(405);
    const allow = res.headers.get('allow') ?? '';
    expect(allow).toMatch(/OPTIONS/);
    expect(allow.split(', ')).not.toContain(method);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.message).toMatch(new RegExp(`^${method} is not supported here: use `));
  });

  it.each(Object.entries(ROUTES))('serve route %s: OPTIONS lists the methods (204, Allow)', async (path, handler) => {
    const res = await handler(new Request(`http://localhost${path}`, { method: 'OPTIONS' }), nodeHandlerContext({}));
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toMatch(/^(GET|POST)/);
  });

  it('DELETE /api/probe with a wrong token is still 405, not 401', async () => {
    const res = await ROUTES['/api/probe']?.(new Request('http://localhost/api/probe', { method: 'DELETE', headers: { authorization: 'Bearer nope' } }), nodeHandlerContext({ SMTP_EGRESS_TOKEN: 'x'.repeat(40) }));
    expect(res?.status).toBe(405);
    expect(res?.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });
});
