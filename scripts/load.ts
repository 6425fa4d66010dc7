// Load and abuse against `smtp-egress serve`, measured (issue 15). Not a test: it prints figures
// for SECURITY.md. The server runs as a child process (the real CLI) with a 1024-descriptor
// limit, as a small instance has; every client and target is on loopback.
//
//   npx tsx scripts/load.ts [--cwd DIR] [--fds 1024] [--only slow-headers,flood,...] [--json]
//
// --cwd runs the server from another checkout (e.g. a worktree of an older commit) so the same
// run can measure a baseline. Scenarios, each with /api/health latency from a new client
// (percentiles), the server's RSS and open descriptors before and after:
//   idle          health alone: the baseline the others are compared with
//   slow-headers  300 clients trickling headers (slowloris under the cap)
//   flood         1100 slow connections (more than the cap, more than the descriptor limit)
//   stalled-body  200 clients sending 1.9 MB of a 2 MB /api/compare body (paced), then stalling
//   black-hole    40 probe requests x 8 ports to a loopback port whose accept queue is full
//                 (SYNs dropped: every attempt lasts its connect timeout)
//   classify      8 concurrent 1 MB /api/classify-logs bodies, in rounds
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { only: { type: 'string' }, cwd: { type: 'string' }, fds: { type: 'string', default: '1024' }, json: { type: 'boolean' } } });
const CWD = path.resolve(args.cwd ?? path.join(import.meta.dirname, '..'));
const TOKEN = 'load-token-5d8a2f6c1e9b3074a6c8e0f2b4d6';
const HEALTH_TIMEOUT_MS = 5_000;

interface Server {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
}

async function startServer(): Promise<Server> {
  const child = spawn('prlimit', [`--nofile=${args.fds}:${args.fds}`, process.execPath, '--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: CWD,
    env: { ...process.env, SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  // The log line per request is not read: drain it so the pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, pid: child.pid as number, url, port: Number(new URL(url).port) };
}

function usage(pid: number): { rssMb: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(rssKb / 1024), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** CPU seconds (user + system) the server has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Latency {
  n: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Health every 50 ms from a process of its own while `during` runs (at least minMs): the
 * latency a new client sees. A separate process, because on loopback the load this script
 * generates costs this process's own time (the kernel does the receive side in the sender's
 * system calls), which would otherwise count as the server's latency.
 */
async function sampleHealth(port: number, during: Promise<unknown>, minMs: number): Promise<Latency> {
  const code = `
    const http = require('node:http');
    const one = () => new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: '127.0.0.1', port: ${port}, path: '/api/health', agent: false, timeout: ${HEALTH_TIMEOUT_MS} }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t0 : null));
        res.on('error', () => resolve(null));
      });
      req.on('timeout', () => { req.destroy(); resolve(null); });
      req.on('error', () => resolve(null));
    });
    setInterval(() => one().then((ms) => process.stdout.write(JSON.stringify(ms) + '\\n')), 50);`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const samples: (number | null)[] = [];
  let partial = '';
  child.stdout?.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) samples.push(JSON.parse(l) as number | null);
  });
  const t0 = performance.now();
  await during;
  const left = minMs - (performance.now() - t0);
  if (left > 0) await sleep(left);
  // The requests still out get their 5 s before the sampler stops.
  await sleep(HEALTH_TIMEOUT_MS / 5);
  child.kill('SIGKILL');
  const ok = samples.filter((s): s is number => s !== null).sort((a, b) => a - b);
  const pct = (p: number) => (ok.length ? Math.round(ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))] as number) : null);
  return { n: samples.length, failed: samples.length - ok.length, p50: pct(50), p95: pct(95), p99: pct(99), max: ok.length ? Math.round(ok[ok.length - 1] as number) : null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sockets opened by a scenario; all destroyed at its end. */
function connectMany(port: number, n: number, onConnect: (s: net.Socket) => void): { sockets: net.Socket[]; closedByServer: () => number } {
  const sockets: net.Socket[] = [];
  let closed = 0;
  for (let i = 0; i < n; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.on('close', () => (closed += 1));
    s.once('connect', () => onConnect(s));
    sockets.push(s);
  }
  return { sockets, closedByServer: () => closed };
}

interface Result {
  scenario: string;
  health: Latency;
  before: { rssMb: number; fds: number };
  peak: { rssMb: number; fds: number };
  after: { rssMb: number; fds: number };
  extra: Record<string, unknown>;
  serverCpuS: number;
}

const wanted = (name: string) => name === 'idle' || !args.only || args.only.split(',').includes(name);

async function scenario(name: string, server: Server, run: (peak: () => void) => Promise<Record<string, unknown>>, minMs = 3_000): Promise<Result | null> {
  if (!wanted(name)) return null;
  const before = usage(server.pid);
  const cpu0 = cpuSeconds(server.pid);
  const peak = { ...before };
  const watch = () => {
    const u = usage(server.pid);
    peak.rssMb = Math.max(peak.rssMb, u.rssMb);
    peak.fds = Math.max(peak.fds, u.fds);
  };
  const sampler = setInterval(watch, 100);
  let extra: Record<string, unknown> = {};
  const work = run(watch).then((e) => void (extra = e));
  const latency = await sampleHealth(server.port, work, minMs);
  await work;
  clearInterval(sampler);
  await sleep(1_500);
  return { scenario: name, health: latency, before, peak, after: usage(server.pid), extra, serverCpuS: Math.round((cpuSeconds(server.pid) - cpu0) * 10) / 10 };
}

async function slowHeaders(server: Server, n: number, holdMs: number) {
  const { sockets, closedByServer } = connectMany(server.port, n, (s) => s.write('GET /api/health HTTP/1.1\r\nHost: x\r\n'));
  const trickle = setInterval(() => {
    for (const s of sockets) if (s.writable) s.write(`X-${Math.random().toString(36).slice(2, 6)}: 1\r\n`);
  }, 1_000);
  await sleep(holdMs);
  clearInterval(trickle);
  const closed = closedByServer();
  for (const s of sockets) s.destroy();
  return { clients: n, closedByServerWithin: `${closed} of ${n} in ${holdMs} ms` };
}

async function stalledBodies(server: Server, n: number, holdMs: number) {
  const part = Buffer.alloc(1_900_000, 0x20);
  let answered = 0;
  const statuses: Record<string, number> = {};
  const { sockets } = connectMany(server.port, n, (s) => {
    s.write(`POST /api/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n`);
    // 50 KB every 100 ms per client: the bodies fill up in about 4 s and then stall. Pushed all
    // at once, 380 MB over loopback would measure this machine, not the server.
    let off = 0;
    const pace = setInterval(() => {
      if (off >= part.length || s.destroyed) return clearInterval(pace);
      s.write(part.subarray(off, off + 50_000));
      off += 50_000;
    }, 100);
    s.once('data', (d: Buffer) => {
      answered += 1;
      const code = /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? '?';
      statuses[code] = (statuses[code] ?? 0) + 1;
    });
  });
  await sleep(holdMs);
  for (const s of sockets) s.destroy();
  return { clients: n, answered, statuses };
}

/** Loopback listeners with a full accept queue and no accept(): further SYNs are dropped. */
async function blackHoles(n: number): Promise<{ ports: number[]; stop: () => void }> {
  const script = [
    'import socket, time',
    'ls, cs = [], []',
    `for i in range(${n}):`,
    '  s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0); ls.append(s)',
    '  for j in range(3):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(s.getsockname())',
    '    except BlockingIOError: pass',
    '    cs.append(c)',
    'print(",".join(str(s.getsockname()[1]) for s in ls), flush=True)',
    'time.sleep(900)',
  ].join('\n');
  const py = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<number[]>((resolve) => py.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim().split(',').map(Number))));
  await sleep(300);
  return { ports, stop: () => py.kill('SIGKILL') };
}

async function probes(server: Server, ports: number[], requests: number) {
  const body = JSON.stringify({ host: '127.0.0.1', ports: ports.map((p) => `${p}:plain`).join(','), family: 'ipv4', connectTimeoutMs: 3_000, timeoutMs: 4_000 });
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: requests }, async () => {
      try {
        const res = await fetch(`${server.url}/api/probe`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const j = (await res.json()) as { attempts?: { outcome: string; errno: string | null }[] };
        for (const a of j.attempts ?? []) {
          const k = `${a.outcome}${a.errno && /FILE/.test(a.errno) ? `/${a.errno}` : ''}`;
          outcomes[k] = (outcomes[k] ?? 0) + 1;
        }
      } catch (e) {
        statuses[(e as Error).name] = (statuses[(e as Error).name] ?? 0) + 1;
      }
    }),
  );
  return { requests, attemptsAsked: requests * ports.length, statuses, outcomes };
}

async function classify(server: Server, concurrent: number, rounds: number) {
  const line = 'Dec  1 12:00:00 app[1]: smtplib.SMTPServerDisconnected: Connection unexpectedly closed\n';
  const body = JSON.stringify({ logs: line.repeat(Math.floor((1000 * 1024) / (line.length + 1))) });
  const statuses: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      Array.from({ length: concurrent }, async () => {
        const res = await fetch(`${server.url}/api/classify-logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }),
    );
  }
  return { bodies: concurrent * rounds, statuses };
}

const server = await startServer();
const results: Result[] = [];
const push = (r: Result | null) => void (r && results.push(r));
try {
  push(await scenario('idle', server, async () => ({})));
  push(await scenario('slow-headers', server, () => slowHeaders(server, 300, 14_000)));
  push(await scenario('flood', server, () => slowHeaders(server, 1100, 14_000)));
  push(await scenario('stalled-body', server, () => stalledBodies(server, 200, 12_000)));
  const hole = await blackHoles(8);
  try {
    push(await scenario('black-hole', server, () => probes(server, hole.ports, 40)));
  } finally {
    hole.stop();
  }
  push(await scenario('classify', server, () => classify(server, 8, 4)));
} finally {
  server.child.kill('SIGTERM');
}

const idle = results[0]?.health.p99 ?? 1;
if (args.json) {
  process.stdout.write(`${JSON.stringify({ cwd: CWD, fds: Number(args.fds), results }, null, 2)}\n`);
} else {
  process.stdout.write(`server: ${CWD} (descriptor limit ${args.fds})\n`);
  process.stdout.write('scenario       health p50/p95/p99/max ms (failed/n)   p99 vs idle   RSS MB before/peak/after   fds before/peak/after   server CPU s\n');
  for (const r of results) {
    const h = r.health;
    const lat = `${h.p50 ?? '-'}/${h.p95 ?? '-'}/${h.p99 ?? '-'}/${h.max ?? '-'} (${h.failed}/${h.n})`;
    const ratio = h.p99 === null ? '-' : `x${(h.p99 / idle).toFixed(1)}`;
    process.stdout.write(
      `${r.scenario.padEnd(14)} ${lat.padEnd(38)} ${ratio.padEnd(13)} ${`${r.before.rssMb}/${r.peak.rssMb}/${r.after.rssMb}`.padEnd(26)} ${`${r.before.fds}/${r.peak.fds}/${r.after.fds}`.padEnd(23)} ${r.serverCpuS}\n`,
    );
    if (Object.keys(r.extra).length) process.stdout.write(`               ${JSON.stringify(r.extra)}\n`);
  }
}
