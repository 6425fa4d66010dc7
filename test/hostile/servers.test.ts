// Hostile or broken SMTP servers (issue 7): each ends in the right outcome within its deadline,
// with no crash, no unhandled error and no leaked socket. Then 200 probes against them in a child
// process with --expose-gc: socket handles and heap back to where they began.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.ts';
import { testPki, type TestPki } from '../helpers/certs.ts';
import { TEST_PASSWORD, TEST_USER } from '../helpers/smtp-servers.ts';
import { HOSTILE_CASES, MEGA_CAPS, caseByName } from './hostile-servers.ts';
import { counter, probeAt, recordStats, settleSockets, socketHandles, watchUnhandled } from './support.ts';
import { MAX_LINE_CHARS, MAX_REPLY_LINES, ReplyParser } from '../../lib/smtp/reply-parser.ts';
import { MAX_TRANSCRIPT_LINES } from '../../lib/smtp/session.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const stats = counter();
const unhandled = watchUnhandled();
let pki: TestPki;

beforeAll(() => {
  pki = testPki();
});

afterAll(() => {
  unhandled.stop();
  recordStats('servers', { ...stats.n, cases: HOSTILE_CASES.map((c) => c.name) });
});

describe('each hostile server ends in the right outcome, in time, with no leak', () => {
  for (const c of HOSTILE_CASES) {
    it(`${c.name}: ${c.what} -> ${c.expect.join(' | ')}`, async () => {
      let server: ScriptedServer | null = null;
      try {
        server = await startScriptedServer((conn) => c.script(conn, c.tls ? pki.valid : null));
        const baseline = socketHandles();
        const { report, ms, timeouts } = await probeAt({
          port: server.port,
          mode: c.mode,
          ca: c.tls ? pki.ca.cert : undefined,
          credentials: c.login ? { user: TEST_USER, password: TEST_PASSWORD } : null,
        });
        stats.add('serversSimulated');
        stats.add('probes');
        const a = report.attempts[0]!;
        expect(report.attempts).toHaveLength(1);
        expect(c.expect, `${a.outcome}: ${a.message}`).toContain(a.outcome);
        expect(ms).toBeLessThanOrEqual(timeouts.totalMs + 1_000);
        expect(a.message.length).toBeGreaterThan(0);
        expect(await settleSockets(baseline)).toEqual({});
        // Whatever the server sent, the report stays small and every kept line is capped.
        expect(a.transcript.length).toBeLessThanOrEqual(MAX_TRANSCRIPT_LINES);
        for (const l of a.transcript) expect(l.line.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 8);
        expect(JSON.stringify(report).length).toBeLessThan(256 * 1024);
        expect(JSON.stringify(report)).not.toContain(TEST_PASSWORD);
        expect(unhandled.errors).toEqual([]);
      } finally {
        await server?.close();
      }
    });
  }

  it('slowloris cannot stretch the greeting timeout byte by byte', async () => {
    const server = await startScriptedServer((conn) => caseByName('slowloris-greeting').script(conn, null));
    try {
      const { report } = await probeAt({ port: server.port, mode: 'starttls-optional', timeouts: { greetingMs: 250 } });
      const a = report.attempts[0]!;
      expect(a.outcome).toBe('greeting_timeout');
      expect(a.message).toMatch(/within 250 ms/);
      expect(a.message).toMatch(/bytes of an unfinished line/);
    } finally {
      await server.close();
    }
  });

  it('an endless line is cut at 2 MiB, a long line keeps at most MAX_LINE_CHARS', async () => {
    const flood = await startScriptedServer((conn) => caseByName('endless-line').script(conn, null));
    const long = await startScriptedServer((conn) => caseByName('long-line-then-silence').script(conn, null));
    try {
      const f = (await probeAt({ port: flood.port, mode: 'starttls-optional', timeouts: { greetingMs: 4_000, totalMs: 6_000 } })).report.attempts[0]!;
      expect(f.outcome).toBe('smtp_rejected');
      expect(f.message).toMatch(/2 MiB/);
      const l = (await probeAt({ port: long.port, mode: 'starttls-optional' })).report.attempts[0]!;
      expect(l.outcome).toBe('greeting_timeout');
      expect(l.message).toContain(`(${MAX_LINE_CHARS} bytes of an unfinished line received)`);
    } finally {
      await flood.close();
      await long.close();
    }
    // The parser itself: 10 MiB without a newline keeps MAX_LINE_CHARS.
    const p = new ReplyParser();
    const events = [];
    for (let i = 0; i < 160; i++) events.push(...p.push('C'.repeat(64 * 1024)));
    expect(p.pending().length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(events.some((e) => e.type === 'too_large')).toBe(true);
  });

  it('a megabyte of EHLO capabilities keeps MAX_REPLY_LINES of them', async () => {
    expect(MEGA_CAPS.join('\r\n').length).toBeGreaterThan(1024 * 1024);
    const server = await startScriptedServer((conn) => caseByName('megabyte-ehlo').script(conn, null));
    try {
      const a = (await probeAt({ port: server.port, mode: 'plain' })).report.attempts[0]!;
      expect(a.outcome).toBe('ok');
      expect(a.capabilities.length).toBe(MAX_REPLY_LINES - 1);
      expect(a.capabilities[0]).toMatch(/^X-CAP-000000/);
    } finally {
      await server.close();
    }
  });

  it('multi-line replies with inconsistent codes are decided by the last line (as smtplib does), all lines recorded', async () => {
    const server = await startScriptedServer((conn) => caseByName('inconsistent-greeting').script(conn, null));
    try {
      const a = (await probeAt({ port: server.port, mode: 'starttls-optional' })).report.attempts[0]!;
      expect(a.outcome).toBe('smtp_rejected');
      expect(a.message).toMatch(/554/);
      expect(a.transcript.map((l) => l.line).join('\n')).toMatch(/welcome[\s\S]*go away/);
    } finally {
      await server.close();
    }
  });

  it('STARTTLS bytes sent before the handshake are never acted on (no command injection)', async () => {
    // The server sends its 220 and a fake 235 in one packet; the client must drop the extra line.
    const server = await startScriptedServer(async (conn) => {
      conn.write('220 hostile.test\r\n');
      for (;;) {
        const line = await conn.readLine();
        if (line === null) return;
        if (line.startsWith('EHLO')) conn.write('250-hostile.test\r\n250 STARTTLS\r\n');
        else if (line === 'STARTTLS') {
          conn.write('220 go ahead\r\n250 injected\r\n');
          await conn.startTls(pki.valid);
        } else conn.write('502 no\r\n');
      }
    });
    try {
      const a = (await probeAt({ port: server.port, mode: 'starttls', ca: pki.ca.cert })).report.attempts[0]!;
      // Had the client kept "250 injected", EHLO after TLS would have taken it as its answer.
      expect(a.outcome).toBe('ok');
      expect(a.capabilities).toEqual(['STARTTLS']);
      const afterTls = a.transcript.slice(a.transcript.findIndex((l) => l.line.startsWith('TLS established')));
      expect(afterTls.map((l) => l.line).join('\n')).not.toContain('injected');
    } finally {
      await server.close();
    }
  });
});

describe('half-open connections: DROP after the handshake (iptables in a network namespace)', () => {
  const isRoot = process.getuid?.() === 0;
  const ns = `seh-${process.pid}`;
  let ready = false;
  beforeAll(() => {
    if (!isRoot) {
      if (process.env.CI === 'true') throw new Error('half-open tests need root (network namespaces, iptables) and CI=true: refusing to skip');
      console.warn('\n*** SKIPPED: half-open tests need root for network namespaces and iptables ***\n');
      return;
    }
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    ready = true;
  });
  afterAll(() => {
    if (ready) spawnSync('ip', ['netns', 'del', ns]);
  });

  const runInNs = (mode: string) => {
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', 'test/hostile/fixtures/half-open.ts', mode], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { outcome: string; message: string; ms: number; totalMs: number; leftover: object; dropped: boolean; banner: string | null };
  };

  it.skipIf(!isRoot)('handshake done, then every packet dropped -> greeting_timeout within the deadline', () => {
    const r = runInNs('syn-only');
    stats.add('serversSimulated');
    stats.add('probes');
    expect(r.outcome).toBe('greeting_timeout');
    expect(r.ms).toBeLessThanOrEqual(r.totalMs + 1_000);
    expect(r.leftover).toEqual({});
  });

  it.skipIf(!isRoot)('greeting received, then both directions dropped -> timeout on EHLO within the deadline', () => {
    const r = runInNs('mid-session');
    stats.add('serversSimulated');
    stats.add('probes');
    expect(r.dropped).toBe(true);
    expect(r.banner).toMatch(/^220 /);
    expect(r.outcome).toBe('timeout');
    expect(r.message).toMatch(/EHLO/);
    expect(r.ms).toBeLessThanOrEqual(r.totalMs + 1_000);
    expect(r.leftover).toEqual({});
  });
});

describe('200 probes against hostile servers', () => {
  it('leave no socket handle behind and the heap where it began (forced GC, child process)', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/hostile/fixtures/soak.ts', '200'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    stats.add('soakProbes', s.probes);
    stats.add('serversSimulated', s.servers);
    expect(s.unexpected).toEqual([]);
    expect(s.slow, 'probes that hit a phase timeout instead of their own outcome (a busy machine)').toBeLessThanOrEqual(40);
    expect(Object.values(s.outcomes as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(200);
    expect(s.leftover).toEqual({});
    expect(s.resourcesAfter).toBeLessThanOrEqual(s.resourcesBefore);
    // Measured: about +0.3 MB heap after 200 probes, flat at 1000 (no growth per probe).
    expect(s.heapAfter - s.heapBefore).toBeLessThan(3 * 1024 * 1024);
    expect(s.externalAfter - s.externalBefore).toBeLessThan(1024 * 1024);
    // The strict "deadline + 1 s" bound is asserted one probe at a time (test/integration,
    // test/egress, the cases above); here 200 probes share a child process with other test
    // files running beside it, so timers can fire late: this only catches a probe that hangs.
    expect(s.maxMs).toBeLessThanOrEqual(2_000 + 2_000);
    recordStats('soak', { probes: s.probes, phaseTimeoutsUnderLoad: s.slow, servers: s.servers, outcomes: s.outcomes, wallMs: s.wallMs, heapDeltaBytes: s.heapAfter - s.heapBefore, externalDeltaBytes: s.externalAfter - s.externalBefore, leftoverHandles: s.leftover, maxProbeMs: s.maxMs });
  });
});
