// Issue 15, point 6: probe amplification and descriptor exhaustion. One request may ask for at
// most so many ports x families (400), the attempts across requests are capped by a gate (a
// request that does not fit waits in a short queue, past it 503 with Retry-After), and a probe
// whose own connections fail with EMFILE/ENFILE is refused as "this machine ran out", never
// reported as connection_reset at the target. Loopback only: silent listeners (they accept and
// never greet) stand in for a black hole that holds every attempt until its timeout.
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningNodeServer } from '../../lib/http/node-server.ts';
import { defaultLimits } from '../../lib/http/limits.ts';
import { counter, recordStats } from './support.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'probe-limits-token-1b3d5f7a9c0e2468bdf1';
const stats = counter();

interface Silent {
  port: number;
  live: () => number;
  peak: () => number;
  close: () => Promise<void>;
}
/** Accepts and says nothing: every attempt there lasts until its greeting timeout. */
async function silentListener(): Promise<Silent> {
  const sockets = new Set<net.Socket>();
  let peak = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    peak = Math.max(peak, sockets.size);
    // Counted until the client lets go (FIN or RST), not until this side has closed too.
    s.on('error', () => sockets.delete(s));
    s.on('end', () => sockets.delete(s));
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    live: () => sockets.size,
    peak: () => peak,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

let hole: Silent;
let web: RunningNodeServer;
beforeAll(async () => {
  hole = await silentListener();
  web = await startNodeServer({
    port: 0,
    host: '127.0.0.1',
    env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' },
    publicDir: null,
    limits: { ...defaultLimits(), maxProbeAttempts: 2, maxAttemptsPerRequest: 8, maxQueuedProbes: 1, maxQueueWaitMs: 10_000 },
  });
});
afterAll(async () => {
  await web?.shutdown(200);
  await hole?.close();
  recordStats('probe-limits', stats.n);
});

const probe = (body: Record<string, unknown>) =>
  fetch(`${web.url}/api/probe`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('HTTP probe limits', () => {
  it('too many ports x families in one request: 400 naming the cap, nothing opened', async () => {
    const before = hole.peak();
    const ports = Array.from({ length: 5 }, (_, i) => `${hole.port + i}:plain`).join(',');
    const res = await probe({ host: '127.0.0.1', ports });
    const body = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_input', field: 'ports' });
    expect(body.error.message).toMatch(/10 connection attempts; this server runs at most 8 per request/);
    expect(hole.peak()).toBe(before);
  });

  it('four requests for a black hole with room for two: two run, one waits its turn, one gets 503 + Retry-After; never more than two attempts at once', async () => {
    // implicit TLS into silence: one connection per attempt, held until the TLS timeout (no follow-up look).
    const body = { host: '127.0.0.1', ports: `${hole.port}:implicit-tls`, family: 'ipv4', tlsTimeoutMs: 1_200, greetingTimeoutMs: 1_200, timeoutMs: 1_500 };
    let peakSlots = 0;
    const sampler = setInterval(() => (peakSlots = Math.max(peakSlots, web.gate.stats().used)), 2);
    const answers = await Promise.all([0, 1, 2, 3].map(async (i) => {
      await new Promise((r) => setTimeout(r, i * 30));
      const res = await probe(body);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
    }));
    clearInterval(sampler);
    stats.add('blackHoleRequests', answers.length);
    const ok = answers.filter((a) => a.status === 200);
    const busy = answers.filter((a) => a.status === 503);
    expect(ok.length).toBe(3);
    expect(busy.length).toBe(1);
    expect(Number(busy[0]?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(busy[0]?.text).toMatch(/"code": "busy"/);
    for (const a of ok) expect(a.text).toMatch(/"outcome": "(tls_failed|greeting_timeout|timeout)"/);
    expect(peakSlots).toBe(2);
    // The server side may still hold a socket the client has just closed: 4 would mean no gate.
    expect(hole.peak()).toBeLessThan(4);
  });
});

describe('descriptor exhaustion is this machine, not the target', () => {
  it('a CLI probe with 48 descriptors and 40 ports: refused as "ran out of file descriptors", no attempt blamed on the server', async () => {
    const holes = await Promise.all(Array.from({ length: 40 }, () => silentListener()));
    try {
      const ports = holes.map((h) => `${h.port}:plain`).join(',');
      stats.add('exhaustionRuns');
      const r = await run(process.execPath, ['--import', 'tsx', 'test/hostile/fixtures/low-fd-cli.ts', 'probe', '127.0.0.1', '--ports', ports, '--ipv4', '--allow-private', '--greeting-timeout', '1500', '--timeout', '3000', '--quiet', '--json'], {
        cwd: ROOT,
        env: { ...process.env, FD_LIMIT: '48' },
        timeout: 20_000,
      }).then(
        (x) => ({ code: 0, ...x }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ran out of file descriptors \(E[MN]FILE\)/);
      expect(r.stdout).not.toMatch(/connection_reset/);
    } finally {
      await Promise.all(holes.map((h) => h.close()));
    }
  });
});
