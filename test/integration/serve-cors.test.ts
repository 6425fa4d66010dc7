// CORS on `smtp-egress serve` (lib/http/cors.ts), against the real Node server on loopback: only
// origins in SMTP_EGRESS_CORS_ORIGINS get Access-Control-* headers (preflight included), every
// other origin gets none, and every answer says Vary: Origin.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningNodeServer } from '../../lib/http/node-server.ts';
import { corsOriginsFrom } from '../../lib/http/cors.ts';

const PAGE = 'https://my-site.netlify.app';
const TOKEN = 'cors-test-token-9f2a7c41e8d3b6a05f1c';

describe('serve: CORS for listed origins only', () => {
  let web: RunningNodeServer;
  let bare: RunningNodeServer;
  beforeAll(async () => {
    web = await startNodeServer({ port: 0, host: '127.0.0.1', env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_CORS_ORIGINS: ` ${PAGE}/ , http://127.0.0.1:5173, not a url` }, publicDir: null });
    bare = await startNodeServer({ port: 0, host: '127.0.0.1', env: { SMTP_EGRESS_TOKEN: TOKEN }, publicDir: null });
  });
  afterAll(async () => {
    await web?.shutdown(100);
    await bare?.shutdown(100);
  });

  const preflight = (base: string, origin: string) =>
    fetch(`${base}/api/probe`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('a preflight from a listed origin: 204, that origin, POST, Authorization and Content-Type, Vary: Origin', async () => {
    const res = await preflight(web.url, PAGE);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('the request itself from a listed origin carries the origin; an API error too', async () => {
    const health = await fetch(`${web.url}/api/health`, { headers: { origin: PAGE } });
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(health.headers.get('vary')).toContain('Origin');
    const wrong = await fetch(`${web.url}/api/probe`, { method: 'POST', headers: { origin: 'http://127.0.0.1:5173', authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{"host":"127.0.0.1"}' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect((await wrong.json()).error.code).toBe('unauthorized');
  });

  it('any other origin gets no CORS header at all, preflight or not', async () => {
    for (const origin of ['https://evil.example', 'https://my-site.netlify.app.evil.example', 'null', `${PAGE}:8443`]) {
      const pre = await preflight(web.url, origin);
      expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-')), origin).toEqual([]);
      expect(pre.headers.get('vary')).toContain('Origin');
      const get = await fetch(`${web.url}/api/health`, { headers: { origin } });
      expect([...get.headers.keys()].filter((k) => k.startsWith('access-control-')), origin).toEqual([]);
    }
  });

  it('without SMTP_EGRESS_CORS_ORIGINS: no CORS header for anyone', async () => {
    const pre = await preflight(bare.url, PAGE);
    expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const get = await fetch(`${bare.url}/api/health`, { headers: { origin: PAGE } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('entries are normalised to origins; the ones that are not origins are reported', () => {
    const o = corsOriginsFrom({ SMTP_EGRESS_CORS_ORIGINS: 'https://A.example/, https://b.example/path, ftp://c.example, https://d.example:8443' });
    expect([...o.allowed]).toEqual(['https://a.example', 'https://d.example:8443']);
    expect(o.invalid).toEqual(['https://b.example/path', 'ftp://c.example']);
  });
});

describe('smtp-egress serve says which origins get CORS', () => {
  it('at start: the origins it answers, and the entries it ignores', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], {
      env: { PATH: process.env.PATH ?? '', SMTP_EGRESS_CORS_ORIGINS: 'https://my-site.netlify.app/, my-site.netlify.app' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      for (let i = 0; i < 400 && !/running on/.test(out); i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain('smtp-egress serve: CORS for https://my-site.netlify.app; ignored in SMTP_EGRESS_CORS_ORIGINS (not an origin like https://site.netlify.app): my-site.netlify.app');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
