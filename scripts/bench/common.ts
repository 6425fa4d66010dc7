// What the bench scripts (bench.ts, early.ts) share: where things are, how a command is run
// and measured (under runstat.py), the egress policy of the client namespace, RTT samples and the
// number formats of the reports. Run inside the client namespace by scripts/bench/run.sh.
import { spawn } from 'node:child_process';
import path from 'node:path';

const env = process.env;
const need = (k: string) => {
  const v = env[k];
  if (!v) throw new Error(`${k} is not set: run this through scripts/bench/run.sh`);
  return v;
};
export const TMP = need('BENCH_TMP');
export const ROOT = need('BENCH_ROOT');
export const QUICK = env.BENCH_QUICK === '1';
export const DELAY_MS = Number(need('BENCH_DELAY_MS'));
export const CA = path.join(TMP, 'ca.pem');
const RUNSTAT = path.join(ROOT, 'scripts/bench/runstat.py');
// dist/smtp-egress.mjs as npm run build made it, copied into TMP by run.sh right after the build.
export const CLI = path.join(TMP, 'smtp-egress.mjs');
export const HOST = 'mail.test';
export const SERVER_V4 = '10.250.0.2';
export const SERVER_V6 = 'fd00:250::2';
export const STD_PORTS = [25, 465, 587, 2525];
export const BLOCKED_PORTS = [25, 465, 587];

// Children get a clean Node environment: no loader hooks inherited from this tsx process.
export const childEnv: NodeJS.ProcessEnv = { ...env };
delete childEnv.NODE_OPTIONS;

export interface Run {
  wallMs: number;
  /** First byte on stdout: when a CLI shows its verdict (null: printed nothing). */
  firstOutMs: number | null;
  cpuMs: number;
  maxRssKb: number;
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export async function measure(cmd: string, args: string[]): Promise<Run> {
  const r = await exec('python3', [RUNSTAT, '--', cmd, ...args]);
  const line = r.stderr.split('\n').reverse().find((l) => l.startsWith('RUNSTAT '));
  if (!line) throw new Error(`runstat gave no figures for ${cmd} ${args.join(' ')}:\n${r.stderr}`);
  const s = JSON.parse(line.slice(8)) as { wallMs: number; firstOutMs: number | null; userMs: number; sysMs: number; maxRssKb: number; code: number };
  const stderr = r.stderr.slice(0, r.stderr.lastIndexOf('\nRUNSTAT '));
  return { wallMs: s.wallMs, firstOutMs: s.firstOutMs, cpuMs: s.userMs + s.sysMs, maxRssKb: s.maxRssKb, code: s.code, stdout: r.stdout, stderr };
}

export const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
export const ms = (x: number) => (x >= 10000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)} x`;
export const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;
export const kib = (b: number) => `${Math.round(b / 1024)} KiB`;
export const say = (t: string) => process.stderr.write(`${t}\n`);
/** Rotates the order of a round's steps so that no step always runs first (or last). */
export const rotate = <T>(xs: T[], by: number) => xs.map((_, i) => xs[(i + by) % xs.length] as T);

/** The client namespace's egress firewall: BLOCKED_PORTS dropped (both families), or open. */
export async function policy(blocked: boolean): Promise<void> {
  for (const bin of ['iptables', 'ip6tables']) {
    const flush = await exec(bin, ['-F', 'OUTPUT']);
    if (flush.code !== 0) throw new Error(`${bin} -F OUTPUT failed: ${flush.stderr}`);
    if (blocked) {
      const add = await exec(bin, ['-A', 'OUTPUT', '-p', 'tcp', '-m', 'multiport', '--dports', BLOCKED_PORTS.join(','), '-j', 'DROP']);
      if (add.code !== 0) throw new Error(`${bin} DROP rule failed: ${add.stderr}`);
    }
  }
}

/** TCP connect times to 2525, N per family, kernel-level (runstat.py --rtt). */
export async function rttSamples(n: number): Promise<number[]> {
  const out: number[] = [];
  for (const host of [SERVER_V4, SERVER_V6]) {
    const r = await exec('python3', [RUNSTAT, '--rtt', host, '2525', String(n)]);
    if (r.code !== 0) throw new Error(`RTT measurement to ${host} failed: ${r.stderr}`);
    out.push(...(JSON.parse(r.stdout) as number[]));
  }
  return out;
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`; false when the markers are missing. */
export function replaceBlock(text: string, name: string, body: string): string | null {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return null;
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}
