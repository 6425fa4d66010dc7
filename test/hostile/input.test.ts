// Hostile input at every entry point that exists: the probe engine (with its `lookup` hook),
// functions/probe.mts (a Web Request, as Netlify calls it) and cli/main.ts (captured io).
// SSRF -> blocked_by_policy with nothing sent; control characters -> 400 / exit 2 naming the
// field; oversized -> 413; wrong type -> 415; unknown fields and out-of-range limits -> a clear
// error naming the field and the limit.
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from '@netlify/functions';
import probeFn from '../../functions/probe.mts';
import { runCli } from '../helpers/cli.ts';
import { startScriptedServer, answerCommands, type ScriptedServer } from '../helpers/scripted-server.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { testPki } from '../helpers/certs.ts';
import { counter, probeAt, recordStats } from './support.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { MAX_PORTS } from '../../lib/smtp/ports.ts';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../../lib/smtp/timeouts.ts';
import { MAX_BODY_BYTES } from '../../lib/http/read-input.ts';
import type { Lookup } from '../../lib/smtp/resolve.ts';

const TOKEN = 'hostile-input-token-5b0d8c2e71fa39d6';
const stats = counter();
const savedEnv = { ...process.env };
/** A server on 127.0.0.1 and one on ::1 that count connections: a blocked probe must reach neither. */
let v4: ScriptedServer;
let v6: ScriptedServer | null = null;
let port: number;

const greet = async (c: Parameters<Parameters<typeof startScriptedServer>[0]>[0]) => {
  c.write('220 counting.test ESMTP\r\n');
  await answerCommands(c);
};

beforeAll(async () => {
  v4 = await startScriptedServer(greet);
  port = v4.port;
  try {
    v6 = await startScriptedServer(greet, '::1');
  } catch {
    v6 = null; // no IPv6 loopback here: the v4 counter still proves the point for v4 spellings
  }
  // The deployment's env as a real one would be: a token, no SMTP_EGRESS_ALLOW_PRIVATE.
  for (const k of Object.keys(process.env)) if (k.startsWith('SMTP_EGRESS_') || k.startsWith('EMAIL_')) delete process.env[k];
  process.env.SMTP_EGRESS_TOKEN = TOKEN;
});
afterAll(async () => {
  process.env = savedEnv;
  await v4.close();
  await v6?.close();
  recordStats('input', stats.n);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const ctx = {} as Context;
const call = (pathAndQuery: string, init: RequestInit & { headers?: Record<string, string> } = {}, token: string | null = TOKEN) =>
  probeFn(new Request(`http://localhost${pathAndQuery}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers } }), ctx);
const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  call('/api/probe', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; field?: string; message: string } }).error;
const noConnections = () => v4.connections() + (v6?.connections() ?? 0);

/** Spies on every way a socket could be opened; returns the hosts each was asked for. */
function spyConnects(): { hosts: () => string[] } {
  const n = vi.spyOn(net, 'connect');
  const c = vi.spyOn(net, 'createConnection');
  const t = vi.spyOn(tls, 'connect');
  return {
    hosts: () =>
      [...n.mock.calls, ...c.mock.calls, ...t.mock.calls].map((args) => {
        const o = args[0] as { host?: string; socket?: unknown };
        return o && typeof o === 'object' ? (o.host ?? (o.socket ? '(upgrade)' : '?')) : String(o);
      }),
  };
}

// ---------------------------------------------------------------------------------------------
const LOOPBACK_SPELLINGS = ['127.0.0.1', '127.1', '2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '127.255.255.254', '[::1]', '::1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '::ffff:127.0.0.1', '[0:0:0:0:0:ffff:7f00:1]', '[::127.0.0.1]', 'localhost'];
const OTHER_BLOCKED = [
  '0.0.0.0',
  '0',
  '10.0.0.1',
  '10.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.254',
  '192.168.1.1',
  '100.64.0.1',
  '100.127.255.254',
  '169.254.0.1',
  '169.254.169.254',
  '0xa9fea9fe',
  '2852039166',
  '0251.0376.0251.0376',
  '[::ffff:169.254.169.254]',
  '[::ffff:a9fe:a9fe]',
  '[fd00:ec2::254]',
  'fd00:ec2::254',
  '[fc00::1]',
  '[fe80::1]',
  '[::]',
  '[64:ff9b::7f00:1]',
  '224.0.0.1',
  '255.255.255.255',
];
/** What each of those resolves to, for names that resolve to them (the `lookup` hook). */
const BLOCKED_ADDRESSES: [string, 4 | 6][] = [
  ['127.0.0.1', 4],
  ['127.8.9.10', 4],
  ['::1', 6],
  ['::ffff:127.0.0.1', 6],
  ['::ffff:7f00:1', 6],
  ['0.0.0.0', 4],
  ['10.0.0.1', 4],
  ['172.16.0.1', 4],
  ['192.168.0.1', 4],
  ['100.64.0.1', 4],
  ['169.254.1.1', 4],
  ['169.254.169.254', 4],
  ['::ffff:169.254.169.254', 6],
  ['fd00:ec2::254', 6],
  ['fc00::1', 6],
  ['fe80::1', 6],
  ['::', 6],
];

describe('SSRF: every loopback spelling and every private range -> blocked_by_policy, nothing sent', () => {
  const envPolicy = policyFromEnv({});
  it('the policy from an env without SMTP_EGRESS_ALLOW_PRIVATE refuses private targets', () => {
    expect(envPolicy.allowPrivate).toBe(false);
  });

  it('control: with private targets allowed, the same spies and counters do see the connection', async () => {
    const spy = spyConnects();
    const before = v4.connections();
    const { report } = await probeAt({ host: '127.0.0.1', port, mode: 'plain', policy: { allowPrivate: true, allowedHosts: [] } });
    expect(report.attempts[0]!.outcome).toBe('ok');
    expect(spy.hosts()).toContain('127.0.0.1');
    expect(v4.connections()).toBe(before + 1);
  });

  it.each([...LOOPBACK_SPELLINGS, ...OTHER_BLOCKED])('engine (system resolver): %s', async (host) => {
    stats.add('ssrfInputs');
    const spy = spyConnects();
    const before = noConnections();
    const { report } = await probeAt({ host: host.replace(/^\[(.*)\]$/, '$1'), port, mode: 'plain', policy: envPolicy, family: null });
    for (const a of report.attempts) expect(a.outcome, a.message).toBe('blocked_by_policy');
    expect(report.attempts.length).toBeGreaterThan(0);
    expect(spy.hosts()).toEqual([]);
    expect(noConnections()).toBe(before);
  });

  it.each(BLOCKED_ADDRESSES)('engine: a name resolving to %s', async (address, family) => {
    stats.add('ssrfInputs');
    const spy = spyConnects();
    let lookups = 0;
    const lookup: Lookup = async () => {
      lookups += 1;
      return [{ address, family }];
    };
    const { report } = await probe2({ host: 'innocent.example', lookup, family: family === 6 ? 'ipv6' : 'ipv4' });
    expect(report.attempts.map((a) => a.outcome)).toEqual(['blocked_by_policy']);
    expect(report.attempts[0]!.message).toMatch(/refuses to connect/);
    expect(lookups).toBe(1);
    expect(spy.hosts()).toEqual([]);
  });

  it.each(['127.1', '2130706433', '0x7f000001', '0177.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', 'localhost', '169.254.169.254', '[fd00:ec2::254]', '0.0.0.0', '100.64.0.1'])(
    'functions/probe.mts GET and POST: %s',
    async (host) => {
      stats.add('ssrfInputs', 2);
      const spy = spyConnects();
      const before = noConnections();
      for (const res of [await call(`/api/probe?host=${encodeURIComponent(host)}&ports=${port}:plain`), await post({ host, ports: [`${port}:plain`] })]) {
        expect(res.status).toBe(200);
        const report = (await res.json()) as { attempts: { outcome: string }[] };
        expect(report.attempts.length).toBeGreaterThan(0);
        for (const a of report.attempts) expect(a.outcome).toBe('blocked_by_policy');
      }
      expect(spy.hosts()).toEqual([]);
      expect(noConnections()).toBe(before);
    },
  );

  it.each(['127.1', '2130706433', '0x7f000001', '0177.0.0.1', '[::1]', '[::ffff:7f00:1]', 'localhost', '169.254.169.254'])('CLI probe %s (no --allow-private)', async (host) => {
    stats.add('ssrfInputs');
    const before = noConnections();
    const r = await runCli(['probe', host, '--ports', `${port}:plain`, '--json', '--quiet'], {});
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { attempts: { outcome: string }[] };
    for (const a of report.attempts) expect(a.outcome).toBe('blocked_by_policy');
    expect(noConnections()).toBe(before);
  });

  it('Django EMAIL_HOST pointing at the metadata address is blocked too (function, no host given)', async () => {
    stats.add('ssrfInputs');
    process.env.EMAIL_HOST = '169.254.169.254';
    process.env.EMAIL_PORT = String(port);
    try {
      const res = await call('/api/probe');
      const report = (await res.json()) as { attempts: { outcome: string }[] };
      expect(report.attempts.length).toBeGreaterThan(0);
      for (const a of report.attempts) expect(a.outcome).toBe('blocked_by_policy');
    } finally {
      delete process.env.EMAIL_HOST;
      delete process.env.EMAIL_PORT;
    }
  });

  it('a host outside SMTP_EGRESS_ALLOWED_HOSTS is blocked before any lookup', async () => {
    stats.add('ssrfInputs');
    let lookups = 0;
    const { report } = await probe2({
      host: 'evil.example',
      lookup: async () => (lookups++, [{ address: '192.0.2.10', family: 4 }]),
      policy: { allowPrivate: false, allowedHosts: ['smtp.example.com', '*.mail.example'] },
    });
    expect(report.attempts[0]!.outcome).toBe('blocked_by_policy');
    expect(lookups).toBe(0);
  });
});

describe('SSRF through settings: env files and SMTP URLs given to check --probe', () => {
  it.each(['127.1', '2130706433', '0x7f000001', '[::1]', 'localhost', '169.254.169.254', '0.0.0.0', '100.64.0.1'])('EMAIL_HOST=%s in an env file, and in an SMTP URL -> blocked_by_policy', async (host) => {
    stats.add('ssrfInputs', 2);
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-env-'));
    const before = noConnections();
    try {
      const file = path.join(dir, '.env');
      writeFileSync(file, `EMAIL_HOST=${host}\nEMAIL_PORT=${port}\nEMAIL_USE_TLS=False\nEMAIL_USE_SSL=False\n`);
      for (const argv of [
        ['check', '--env-file', file, '--probe', '--json'],
        ['check', '--url', `smtp://${host}:${port}`, '--probe', '--json'],
      ]) {
        const r = await runCli(argv, {});
        const out = JSON.parse(r.stdout) as { probe?: { attempts: { outcome: string }[] } };
        expect(out.probe, r.stderr).toBeDefined();
        for (const a of out.probe!.attempts) expect(a.outcome).toBe('blocked_by_policy');
      }
      expect(noConnections()).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DNS rebinding: the probe connects only to the address it vetted', () => {
  it('first answer public (vetted), later answers loopback: no packet reaches loopback', async () => {
    stats.add('ssrfInputs');
    // The "public" address cannot be reached from a test; connections to it are redirected to a
    // stand-in server. Anything asked for 127.0.0.1 goes through untouched and would be counted.
    const standIn = await startScriptedServer(greet);
    const realConnect = net.connect.bind(net) as (...a: unknown[]) => net.Socket;
    const asked: string[] = [];
    vi.spyOn(net, 'connect').mockImplementation(((opts: net.NetConnectOpts & { host?: string; port?: number }) => {
      asked.push(`${opts.host}:${opts.port}`);
      return realConnect(opts.host === '192.0.2.44' ? { ...opts, host: '127.0.0.1', port: standIn.port } : opts);
    }) as typeof net.connect);
    let lookups = 0;
    const lookup: Lookup = async () => (++lookups === 1 ? [{ address: '192.0.2.44', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const before = v4.connections();
    try {
      const { report } = await probe2({ host: 'rebind.example', lookup });
      const a = report.attempts[0]!;
      expect(a.outcome, a.message).toBe('ok');
      expect(a.address).toBe('192.0.2.44');
      expect(lookups).toBe(1);
      expect(asked.every((h) => h.startsWith('192.0.2.44:'))).toBe(true);
      expect(standIn.connections()).toBeGreaterThanOrEqual(1);
      expect(v4.connections()).toBe(before);
    } finally {
      await standIn.close();
    }
  });

  it('first answer loopback (blocked), later answers public: blocked, one lookup, no connection', async () => {
    stats.add('ssrfInputs');
    const spy = spyConnects();
    let lookups = 0;
    const lookup: Lookup = async () => (++lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '192.0.2.45', family: 4 }]);
    const { report } = await probe2({ host: 'rebind2.example', lookup });
    expect(report.attempts[0]!.outcome).toBe('blocked_by_policy');
    expect(lookups).toBe(1);
    expect(spy.hosts()).toEqual([]);
  });

  it('a name answering [public, loopback] is only ever connected at the vetted public address', async () => {
    stats.add('ssrfInputs');
    const asked: string[] = [];
    vi.spyOn(net, 'connect').mockImplementation(((opts: { host?: string }) => {
      asked.push(String(opts.host));
      // Refuse at once: what matters is where it tried to go.
      const s = new net.Socket();
      process.nextTick(() => s.emit('error', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
      return s;
    }) as unknown as typeof net.connect);
    const before = v4.connections();
    const { report } = await probe2({ host: 'mixed.example', lookup: async () => [{ address: '192.0.2.46', family: 4 }, { address: '127.0.0.1', family: 4 }] });
    expect(report.attempts[0]!.outcome).toBe('connection_refused');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((h) => h === '192.0.2.46')).toBe(true);
    expect(v4.connections()).toBe(before);
  });
});

/** probeAt with the env policy, both families unless told, and a lookup hook. */
async function probe2(o: { host: string; lookup: Lookup; family?: 'ipv4' | 'ipv6'; policy?: { allowPrivate: boolean; allowedHosts: string[] } }) {
  const { runProbe: probe } = await import('../../lib/diagnosis/probe.ts');
  const { LOCAL_PLATFORM, FAST } = await import('./support.ts');
  const report = await probe({
    host: o.host,
    ports: [{ port, mode: 'plain' }],
    family: o.family ?? 'ipv4',
    timeouts: FAST,
    ehloName: 'hostile.test',
    credentials: null,
    loginPort: null,
    policy: o.policy ?? policyFromEnv({}),
    platform: LOCAL_PLATFORM,
    source: 'argument',
    lookup: o.lookup,
  });
  return { report };
}

// ---------------------------------------------------------------------------------------------
const CONTROL = ['\r', '\n', '\r\n', '\u0000', '\t', '\u001b', '\u007f', '\u0008', '\r\nRCPT TO:<victim@example.com>', '\nQUIT\n'];

describe('control characters in SMTP-bound fields -> 400 / exit 2 naming the field', () => {
  const cases: { field: string; flag: string; body: (bad: string) => Record<string, unknown>; argv: (bad: string) => string[]; env?: Record<string, string> }[] = [
    { field: 'host', flag: 'HOST', body: (bad) => ({ host: `smtp.example.com${bad}` }), argv: (bad) => ['probe', `smtp.example.com${bad}`] },
    { field: 'ehloName', flag: '--ehlo-name', body: (bad) => ({ host: 'smtp.example.com', ehloName: `me${bad}` }), argv: (bad) => ['probe', 'smtp.example.com', '--ehlo-name', `me${bad}`] },
    {
      field: 'user',
      flag: '--user',
      body: (bad) => ({ host: 'smtp.example.com', user: `user${bad}@example.com`, password: 'pw-123456' }),
      argv: (bad) => ['probe', 'smtp.example.com', '--user', `user${bad}@example.com`, '--password-env', 'PW'],
      env: { PW: 'pw-123456' },
    },
    {
      field: 'password',
      flag: '--password-env',
      body: (bad) => ({ host: 'smtp.example.com', user: 'user@example.com', password: `pw${bad}123456` }),
      argv: () => ['probe', 'smtp.example.com', '--user', 'user@example.com', '--password-env', 'PW'],
    },
  ];
  for (const c of cases) {
    it.each(CONTROL)(`${c.field}: %j`, async (bad) => {
      stats.add('controlCharInputs', 2);
      const spy = spyConnects();
      const res = await post(c.body(bad));
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.field).toBe(c.field);
      expect(err.message).toContain(c.field);
      const env = c.field === 'password' ? { PW: `pw${bad}123456` } : (c.env ?? {});
      const r = await runCli(c.argv(bad), env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(c.flag);
      expect(r.stdout).toBe('');
      expect(spy.hosts()).toEqual([]);
    });
  }

  it.each(['\u0085', '\u2028', '\u00a0', 'é', ' ', '%0d%0a'])('host and ehloName with %j are refused too (not a host name)', async (bad) => {
    stats.add('controlCharInputs', 2);
    for (const body of [{ host: `smtp${bad}example.com` }, { host: 'smtp.example.com', ehloName: `me${bad}x` }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).field).toBe(Object.keys(body).at(-1));
    }
  });

  it('control characters in the query string are refused the same way', async () => {
    stats.add('controlCharInputs', 2);
    let res = await call(`/api/probe?host=${encodeURIComponent('a.example\r\nMAIL FROM:<x>')}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe('host');
    res = await call(`/api/probe?host=a.example&ehloName=${encodeURIComponent('x\u0000y')}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe('ehloName');
  });
});

describe('request shape: size, content type, method, unknown fields', () => {
  it('a body over the limit -> 413, with and without Content-Length', async () => {
    stats.add('requestShapeInputs', 3);
    const big = JSON.stringify({ host: 'smtp.example.com', ehloName: 'x'.repeat(MAX_BODY_BYTES) });
    let res = await post(big);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toContain(String(MAX_BODY_BYTES));
    // Streamed, no Content-Length: the reader stops at the limit.
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent > 10 * MAX_BODY_BYTES) return ctl.close();
        sent += chunk.length;
        ctl.enqueue(chunk);
      },
    });
    res = await probeFn(new Request('http://localhost/api/probe', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit), ctx);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(3 * MAX_BODY_BYTES);
    // A lying Content-Length is refused up front.
    res = await post('{}', { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
    expect([400, 413]).toContain(res.status);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json', ''])('content type %j -> 415', async (type) => {
    stats.add('requestShapeInputs');
    const res = await post({ host: 'smtp.example.com' }, type ? { 'content-type': type } : {});
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('unsupported_media_type');
  });

  it.each(['not json', '[1,2]', '"host"', 'null', '{"host": ', '{"__proto__": {"allowPrivate": true}}'])('body %j -> 400 invalid JSON / not an object / refused', async (body) => {
    stats.add('requestShapeInputs');
    const res = await post(body);
    expect(res.status).toBe(400);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('method %s -> 405', async (method) => {
    stats.add('requestShapeInputs');
    const res = await call('/api/probe', { method, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(405);
  });

  it.each(['prot', 'allowPrivate', 'policy', 'constructor', 'hosts', 'lookup'])('unknown field %s -> 400 naming it (body, query and CLI)', async (key) => {
    stats.add('requestShapeInputs', 3);
    let res = await post({ host: 'smtp.example.com', [key]: 1 });
    expect(res.status).toBe(400);
    let err = await errorOf(res);
    expect(err.code).toBe('unknown_field');
    expect(err.field).toBe(key);
    expect(err.message).toContain(key);
    res = await call(`/api/probe?host=smtp.example.com&${key}=1`);
    err = await errorOf(res);
    expect(res.status).toBe(400);
    expect(err.field).toBe(key);
    const r = await runCli(['probe', 'smtp.example.com', `--${key}`, '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--${key}`);
  });

  it('a password in the query string is refused without echoing it', async () => {
    stats.add('requestShapeInputs');
    const res = await call('/api/probe?host=smtp.example.com&user=u&password=Hunter2-query-secret');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('password');
    expect(text).not.toContain('Hunter2-query-secret');
  });

  it('no token -> 401, wrong token -> 401, no token configured -> 503', async () => {
    stats.add('requestShapeInputs', 3);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect((await call(`/api/probe?host=smtp.example.com`, {}, null)).status).toBe(401);
    expect((await call(`/api/probe?host=smtp.example.com`, {}, 'wrong')).status).toBe(401);
    expect(warn).toHaveBeenCalled();
    delete process.env.SMTP_EGRESS_TOKEN;
    try {
      expect((await call(`/api/probe?host=smtp.example.com`)).status).toBe(503);
    } finally {
      process.env.SMTP_EGRESS_TOKEN = TOKEN;
    }
  });
});

describe('limits: ports, matrix size, timeouts -> a clear error naming the limit', () => {
  it.each(['0', '65536', '99999', '-1', '1e3', '25.5', 'abc', '25:bogus', '25:plain:x', '', ',', '0x19', '१२'])('ports %j -> 400 / exit 2', async (ports) => {
    stats.add('limitInputs', 2);
    const res = await post({ host: 'smtp.example.com', ports });
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.field).toBe('ports');
    if (/^\d+$/.test(ports) || ports === '-1') expect(err.message).toMatch(/1-65535|1 to 65535/);
    const r = await runCli(['probe', 'smtp.example.com', '--ports', ports]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ports');
  });

  it(`more than ${MAX_PORTS} ports -> the limit is named`, async () => {
    stats.add('limitInputs', 3);
    const many = Array.from({ length: MAX_PORTS + 1 }, (_, i) => 1000 + i);
    for (const ports of [many.join(','), many]) {
      const res = await post({ host: 'smtp.example.com', ports });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toContain(`limit of ${MAX_PORTS}`);
    }
    const r = await runCli(['probe', 'smtp.example.com', '--ports', many.join(',')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`limit of ${MAX_PORTS}`);
    // Exactly the limit is fine (validated, not probed here).
    const { buildProbeOptions } = await import('../../lib/smtp/options.ts');
    expect(buildProbeOptions({ host: 'smtp.example.com', ports: many.slice(0, MAX_PORTS) }, { env: {}, platform: { name: 'local', region: null, runtime: 'x', deployContext: null }, policy: policyFromEnv({}) }).ports).toHaveLength(MAX_PORTS);
  });

  const timeoutFields: [string, string][] = [
    ['connectTimeoutMs', '--connect-timeout'],
    ['greetingTimeoutMs', '--greeting-timeout'],
    ['commandTimeoutMs', '--command-timeout'],
    ['tlsTimeoutMs', '--tls-timeout'],
    ['timeoutMs', '--timeout'],
  ];
  for (const [field, flag] of timeoutFields) {
    it.each([
      [String(MIN_TIMEOUT_MS - 1), `at least ${MIN_TIMEOUT_MS}`],
      ['0', `at least ${MIN_TIMEOUT_MS}`],
      ['-5', `at least ${MIN_TIMEOUT_MS}`],
      [String(MAX_TIMEOUT_MS + 1), `at most ${MAX_TIMEOUT_MS}`],
      ['1e12', `at most ${MAX_TIMEOUT_MS}`],
      ['12.5', 'whole number'],
      ['soon', 'number'],
    ])(`${field} %s -> names the limit`, async (value, limit) => {
      stats.add('limitInputs', 2);
      const res = await call(`/api/probe?host=smtp.example.com&${field}=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.field).toBe(field);
      expect(err.message).toContain(limit);
      const r = await runCli(['probe', 'smtp.example.com', `${flag}=${value}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(flag);
      expect(r.stderr).toContain(limit);
    });
  }

  it.each(['0', '65536', 'x'])('loginPort %s -> 400 naming loginPort', async (v) => {
    stats.add('limitInputs');
    const res = await post({ host: 'smtp.example.com', loginPort: v });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe('loginPort');
  });

  it('oversized fields: host > 253, user > 320, password > 1024 -> 400 naming the field and its limit', async () => {
    stats.add('limitInputs', 3);
    for (const [body, field, limit] of [
      [{ host: `${'a'.repeat(60)}.`.repeat(5) + 'com' }, 'host', '253'],
      [{ host: 'smtp.example.com', user: 'u'.repeat(321), password: 'p' }, 'user', '320'],
      [{ host: 'smtp.example.com', user: 'u', password: 'p'.repeat(1025) }, 'password', '1024'],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.field).toBe(field);
      expect(err.message).toContain(limit);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The other entry points, as they exist: send-test, config-check, compare, classify-logs.

const FUNCTIONS_DIR = path.resolve(import.meta.dirname, '../../functions');
const hasFunction = (name: string) => existsSync(path.join(FUNCTIONS_DIR, name));
async function callFunction(name: string, req: Request): Promise<Response> {
  const mod = (await import(`../../functions/${name}`)) as { default: (r: Request, c: Context) => Promise<Response> };
  return mod.default(req, ctx);
}
const jsonPost = (route: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }) =>
  new Request(`http://localhost${route}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe.runIf(hasFunction('send-test.mts'))('send-test: header/command injection, fences, SSRF', () => {
  const RCPT = 'probe@example.test';
  let mail: RunningServer;
  beforeAll(async () => {
    mail = await startSmtpServer({ tls: testPki().valid });
  });
  afterAll(async () => {
    await mail.close();
  });
  const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await fn();
    } finally {
      process.env = saved;
    }
  };
  const fenced = { SMTP_EGRESS_ALLOWED_RECIPIENTS: RCPT, DEFAULT_FROM_EMAIL: 'app@example.test' };

  const fields: { field: string; flag: string; body: (bad: string) => Record<string, unknown>; argv: (bad: string) => string[] }[] = [
    { field: 'to', flag: '--to', body: (bad) => ({ to: `${RCPT}${bad}` }), argv: (bad) => ['send-test', '--to', `${RCPT}${bad}`, '--dry-run'] },
    { field: 'from', flag: '--from', body: (bad) => ({ to: RCPT, from: `app${bad}@example.test` }), argv: (bad) => ['send-test', '--to', RCPT, '--from', `Name${bad} <app@example.test>`, '--dry-run'] },
    { field: 'subject', flag: '--subject', body: (bad) => ({ to: RCPT, subject: `hello${bad}` }), argv: (bad) => ['send-test', '--to', RCPT, '--subject', `hello${bad}`, '--dry-run'] },
    { field: 'host', flag: '--host', body: (bad) => ({ to: RCPT, host: `smtp.example.com${bad}` }), argv: (bad) => ['send-test', '--to', RCPT, '--host', `smtp.example.com${bad}`, '--dry-run'] },
    { field: 'ehloName', flag: '--ehlo-name', body: (bad) => ({ to: RCPT, host: 'smtp.example.com', ehloName: `me${bad}` }), argv: (bad) => ['send-test', '--to', RCPT, '--host', 'smtp.example.com', '--ehlo-name', `me${bad}`, '--dry-run'] },
    { field: 'user', flag: '--user', body: (bad) => ({ to: RCPT, host: 'smtp.example.com', user: `u${bad}`, password: 'pw-123456' }), argv: (bad) => ['send-test', '--to', RCPT, '--host', 'smtp.example.com', '--user', `u${bad}`, '--password-env', 'PW', '--dry-run'] },
  ];
  for (const c of fields) {
    it.each(CONTROL)(`${c.field}: %j -> 400 / exit 2 naming it`, async (bad) => {
      stats.add('controlCharInputs', 2);
      const res = await withEnv(fenced, () => callFunction('send-test.mts', jsonPost('/api/send-test', c.body(bad))));
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.field).toBe(c.field);
      const r = await runCli(c.argv(bad), { ...fenced, PW: 'pw-123456' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(c.flag);
    });
  }

  it('a body with "\\r\\n.\\r\\nMAIL FROM" is one message with that text, never a second command', async () => {
    stats.add('controlCharInputs');
    const before = mail.messages.length;
    const text = 'line one\r\n.\r\nMAIL FROM:<evil@example.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nsmuggled\r\n.\r\n';
    const res = await withEnv({ ...fenced, SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_EXTRA_CA: testPki().ca.cert }, () =>
      callFunction('send-test.mts', jsonPost('/api/send-test', { to: RCPT, host: '127.0.0.1', port: mail.port, mode: 'starttls', text })),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcome: string }).outcome).toBe('ok');
    expect(mail.messages.length).toBe(before + 1);
    const m = mail.messages.at(-1)!;
    expect(m.to).toEqual([RCPT]);
    expect(m.data).toContain('MAIL FROM:<evil@example.test>');
  });

  it('fences: recipient not allowed -> 403, allow-list unset -> 503, two recipients -> 400, oversized subject/text -> 400 naming the limit, query string -> 400', async () => {
    stats.add('requestShapeInputs', 6);
    const send = (body: unknown, env: Record<string, string> = fenced) => withEnv(env, () => callFunction('send-test.mts', jsonPost('/api/send-test', body)));
    expect((await send({ to: 'someone@else.test' })).status).toBe(403);
    expect((await send({ to: RCPT }, { DEFAULT_FROM_EMAIL: 'app@example.test', SMTP_EGRESS_ALLOWED_RECIPIENTS: '' })).status).toBe(503);
    expect((await send({ to: `${RCPT}, other@example.test` })).status).toBe(400);
    let res = await send({ to: RCPT, subject: 's'.repeat(201) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain('200');
    res = await send({ to: RCPT, text: 't'.repeat(4001) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain('4000');
    res = await withEnv(fenced, () => callFunction('send-test.mts', new Request(`http://localhost/api/send-test?to=${RCPT}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: RCPT }) })));
    expect(res.status).toBe(400);
  });

  it.each(['127.1', '2130706433', '0x7f000001', '[::1]', '[::ffff:7f00:1]', 'localhost', '169.254.169.254', '10.0.0.1', '[fd00:ec2::254]'])('SSRF %s -> blocked_by_policy, nothing connects', async (host) => {
    stats.add('ssrfInputs');
    const spy = spyConnects();
    const before = noConnections();
    const res = await withEnv(fenced, () => callFunction('send-test.mts', jsonPost('/api/send-test', { to: RCPT, host, port: port, mode: 'plain' })));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcome: string }).outcome).toBe('blocked_by_policy');
    expect(spy.hosts()).toEqual([]);
    expect(noConnections()).toBe(before);
  });
});

describe('request shape of the other functions: 413, 415, unknown fields, methods', () => {
  const cases: { file: string; route: string; ok: unknown; limit: number }[] = [
    { file: 'send-test.mts', route: '/api/send-test', ok: { to: 'probe@example.test', dryRun: true }, limit: MAX_BODY_BYTES },
    { file: 'config-check.mts', route: '/api/config-check', ok: { env: { EMAIL_HOST: 'smtp.example.com' } }, limit: MAX_BODY_BYTES },
    { file: 'compare.mts', route: '/api/compare', ok: { a: {}, b: {} }, limit: 2 * 1024 * 1024 },
    { file: 'classify-logs.mts', route: '/api/classify-logs', ok: { logs: 'x' }, limit: 1024 * 1024 },
  ];
  for (const c of cases) {
    it.runIf(hasFunction(c.file))(`${c.route}`, async () => {
      stats.add('requestShapeInputs', 5);
      const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      let res = await callFunction(c.file, jsonPost(c.route, JSON.stringify({ ...(c.ok as object), pad: 'x'.repeat(c.limit) }), headers));
      expect(res.status, 'oversized').toBe(413);
      res = await callFunction(c.file, jsonPost(c.route, JSON.stringify(c.ok), { ...headers, 'content-type': 'text/plain' }));
      expect(res.status, 'content type').toBe(415);
      res = await callFunction(c.file, jsonPost(c.route, { ...(c.ok as object), bogusField: 1 }, headers));
      expect(res.status, 'unknown field').toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('unknown_field');
      expect(`${err.field} ${err.message}`).toContain('bogusField');
      res = await callFunction(c.file, jsonPost(c.route, '{"a": ', headers));
      expect(res.status, 'bad JSON').toBe(400);
      res = await callFunction(c.file, new Request(`http://localhost${c.route}`, { method: 'DELETE', headers }));
      expect(res.status, 'method').toBe(405);
    });
  }

  it.runIf(hasFunction('config-check.mts'))('config-check: control characters and oversized values in env, url, nodemailer are refused or reported, never crash', async () => {
    for (const body of [
      { env: { EMAIL_HOST: 'smtp.example.com\r\nX: y', EMAIL_PORT: '587\u0000' } },
      { env: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`K${i}`, 'v'])) },
      { url: `smtp://u:p@smtp.example.com:99999/\r\n` },
      { url: 'x'.repeat(5000) },
      { nodemailer: { host: ['a'], port: { $gt: 1 }, auth: 'nope', secure: 'maybe' } },
      { nodemailer: '{"host": ' },
      { env: { EMAIL_HOST: 'a' }, url: 'smtp://b' },
    ]) {
      stats.add('requestShapeInputs');
      const res = await callFunction('config-check.mts', jsonPost('/api/config-check', body, { 'content-type': 'application/json' }));
      expect([200, 400]).toContain(res.status);
      if (res.status === 400) expect((await errorOf(res)).field).toBeTruthy();
    }
  });
});

describe('report files given to compare (CLI) -> exit 2 naming the file, never a hang', () => {
  it('missing, a directory, a device that never ends, not JSON, not a report, a comparison, another schema version', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-cmp-'));
    try {
      const w = (name: string, text: string) => {
        const f = path.join(dir, name);
        writeFileSync(f, text);
        return f;
      };
      const good = (await runCli(['probe', '127.0.0.1', '--ports', `${port}:plain`, '--ipv4', '--allow-private', '--json', '--quiet'], {})).stdout;
      const goodFile = w('good.json', good);
      const bad = [
        path.join(dir, 'missing.json'),
        dir,
        '/dev/zero',
        w('text.json', 'hunter2-hunter2-secret\n'),
        w('array.json', '[1,2,3]'),
        w('nul.json', '\u0000\u0000'),
        w('other.json', JSON.stringify({ ...JSON.parse(good), schema: 'smtp-egress/probe@9' })),
        w('compare.json', JSON.stringify({ schema: 'smtp-egress/compare@1' })),
        w('broken.json', JSON.stringify({ ...JSON.parse(good), attempts: [{ port: 'x' }] })),
        w('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      ];
      for (const f of bad) {
        stats.add('reportFileInputs');
        const t0 = performance.now();
        const r = await runCli(['compare', goodFile, f]);
        expect(performance.now() - t0).toBeLessThan(5_000);
        expect([1, 2], `${f}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr).toContain(f === dir ? path.basename(dir) : path.basename(f));
        expect(r.stderr).not.toContain('hunter2');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
