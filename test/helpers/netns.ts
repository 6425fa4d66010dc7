// Real egress faults for tests: a client network namespace linked by a veth pair to the root
// namespace. Servers run in the test process (root namespace) bound to the host end of the
// veth; the code under test runs inside the client namespace (`ip netns exec`), where
// iptables/ip6tables rules play the egress firewall.
//
//   root namespace                     client namespace NAME
//   10.200.X.1/30  fd00:200:X::1/64  <-veth->  10.200.X.2/30  fd00:200:X::2/64
//
// Several test files may run at once (vitest forks): every instance takes a subnet index X
// with an atomic mkdir lock in LOCK_DIR (a lock whose owner process is dead is reclaimed, with
// whatever it left behind), and a random name suffix. /etc/netns/NAME/hosts gives the test
// host name both server addresses (ip netns exec bind-mounts it over /etc/hosts).
// Needs root, iproute2 and iptables; netnsSupport() says whether they are there.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LOCK_DIR = '/run/smtp-egress-netns';
/** The name the namespace's hosts file gives both server addresses. */
export const TEST_HOST = 'mail.egress.test';

export type Support = { ok: true } | { ok: false; reason: string };

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Root, `ip` and `iptables`/`ip6tables`: what the egress tests need. */
export function netnsSupport(): Support {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root (run the tests as root, as CI does)' };
  const missing = [['ip', '-V'], ['iptables', '-V'], ['ip6tables', '-V']].filter(([c, a]) => !has(c as string, [a as string])).map(([c]) => c);
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')} (bash scripts/ensure-system-deps.sh installs iproute2 and iptables)` };
  return { ok: true };
}

/**
 * For a suite's top level: true when it can run. Without support it prints a loud message and
 * returns false (skip) — except in CI (CI=true), where it throws so the suite fails.
 */
export function requireNetns(suite: string): boolean {
  const s = netnsSupport();
  if (s.ok) return true;
  const text = `${suite}: network-namespace egress tests cannot run: ${s.reason}`;
  if (process.env.CI === 'true') throw new Error(`${text} (CI=true: failing instead of skipping)`);
  const bar = '!'.repeat(Math.min(100, text.length + 10));
  console.warn(`\n${bar}\n!!! SKIPPED ${text}\n${bar}\n`);
  return false;
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Each stderr line with the ms since spawn at which it arrived (progress marks for timing). */
  stderrLines: { t: number; line: string }[];
  /** Wall time from spawn to exit, in ms. */
  wallMs: number;
}

export interface ClientNamespace {
  name: string;
  /** Server side (root namespace, host end of the veth): bind servers here. */
  serverV4: string;
  serverV6: string;
  /** Client side (inside the namespace). */
  clientV4: string;
  clientV6: string;
  /** The veth end inside the namespace (for routes). */
  clientInterface: string;
  /** A host name that resolves, inside the namespace only, to serverV6 and serverV4. */
  hostName: string;
  /** `iptables ARGS` inside the namespace, e.g. ['-A', 'OUTPUT', '-p', 'tcp', '--dport', '25', '-j', 'DROP']. */
  iptables: (args: string[]) => Promise<void>;
  ip6tables: (args: string[]) => Promise<void>;
  /** `ip -n NAME ARGS`: routes and links inside the namespace, e.g. ['-6', 'route', 'del', ...]. */
  ip: (args: string[]) => Promise<void>;
  /** Removes every rule the test added (both families), back to an open egress. */
  resetFirewall: () => Promise<void>;
  /** Runs a command inside the namespace (async: servers in this process keep answering). */
  exec: (cmd: string, args: string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }) => Promise<ExecResult>;
  /** Deletes the namespace (and with it the veth pair), /etc/netns/NAME and the lock. Idempotent. */
  cleanup: () => Promise<void>;
}

interface LockInfo {
  pid: number;
  name: string;
  veth: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Best-effort, synchronous removal (also used from an exit hook). */
function removeSync(info: LockInfo, index: number): void {
  try {
    execFileSync('ip', ['netns', 'del', info.name], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
  try {
    execFileSync('ip', ['link', 'del', info.veth], { stdio: 'ignore' });
  } catch {
    /* removed with the namespace */
  }
  rmSync(`/etc/netns/${info.name}`, { recursive: true, force: true });
  rmSync(`${LOCK_DIR}/${index}`, { recursive: true, force: true });
}

/** Takes a free subnet index 1..254 (random start), reclaiming locks of dead processes. */
function takeIndex(info: Omit<LockInfo, 'pid'>): number {
  mkdirSync(LOCK_DIR, { recursive: true });
  // Subnets some other tool already uses in the root namespace are skipped too.
  const inUse = execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' });
  const start = 1 + (randomBytes(1)[0] as number) % 254;
  for (let i = 0; i < 254; i += 1) {
    const index = 1 + ((start - 1 + i) % 254);
    const dir = `${LOCK_DIR}/${index}`;
    if (inUse.includes(` 10.200.${index}.`) || inUse.includes(` fd00:200:${index.toString(16)}::`)) continue;
    try {
      mkdirSync(dir);
    } catch {
      let stale: LockInfo | null = null;
      try {
        stale = JSON.parse(readFileSync(`${dir}/owner.json`, 'utf8')) as LockInfo;
      } catch {
        continue; // being written right now, or unreadable: leave it alone
      }
      if (alive(stale.pid)) continue;
      removeSync(stale, index);
      try {
        mkdirSync(dir);
      } catch {
        continue; // someone else reclaimed it first
      }
    }
    writeFileSync(`${dir}/owner.json`, JSON.stringify({ pid: process.pid, ...info }));
    return index;
  }
  throw new Error(`no free subnet index in ${LOCK_DIR} (254 in use?)`);
}

async function sh(cmd: string, args: string[]): Promise<void> {
  try {
    await run(cmd, args, { timeout: 10_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

export async function createClientNamespace(opts: { hostName?: string } = {}): Promise<ClientNamespace> {
  const suffix = randomBytes(3).toString('hex');
  const name = `smtp-egress-${suffix}`;
  const veth = `vse${suffix}h`; // <= 15 characters
  const peer = `vse${suffix}c`;
  const index = takeIndex({ name, veth });
  const info: LockInfo = { pid: process.pid, name, veth };
  const serverV4 = `10.200.${index}.1`;
  const clientV4 = `10.200.${index}.2`;
  const serverV6 = `fd00:200:${index.toString(16)}::1`;
  const clientV6 = `fd00:200:${index.toString(16)}::2`;
  const hostName = opts.hostName ?? TEST_HOST;
  let cleaned = false;
  const onExit = () => {
    if (!cleaned) removeSync(info, index);
  };
  process.once('exit', onExit);
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    process.off('exit', onExit);
    removeSync(info, index);
  };
  try {
    await sh('ip', ['netns', 'add', name]);
    await sh('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', peer]);
    await sh('ip', ['link', 'set', peer, 'netns', name]);
    await sh('ip', ['addr', 'add', `${serverV4}/30`, 'dev', veth]);
    await sh('ip', ['addr', 'add', `${serverV6}/64`, 'dev', veth, 'nodad']);
    await sh('ip', ['link', 'set', veth, 'up']);
    await sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    await sh('ip', ['-n', name, 'addr', 'add', `${clientV4}/30`, 'dev', peer]);
    await sh('ip', ['-n', name, 'addr', 'add', `${clientV6}/64`, 'dev', peer, 'nodad']);
    await sh('ip', ['-n', name, 'link', 'set', peer, 'up']);
    mkdirSync(`/etc/netns/${name}`, { recursive: true });
    writeFileSync(`/etc/netns/${name}/hosts`, `127.0.0.1 localhost\n::1 localhost\n${serverV6} ${hostName}\n${serverV4} ${hostName}\n`);
  } catch (e) {
    await cleanup();
    throw e;
  }

  const inNs = (tool: string) => (args: string[]) => sh('ip', ['netns', 'exec', name, tool, ...args]);
  const iptables = inNs('iptables');
  const ip6tables = inNs('ip6tables');

  const exec: ClientNamespace['exec'] = (cmd, args, o = {}) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn('ip', ['netns', 'exec', name, cmd, ...args], { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const stderrLines: ExecResult['stderrLines'] = [];
      let partial = '';
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => {
        err.push(c);
        const t = Math.round(performance.now() - started);
        const parts = (partial + c.toString('utf8')).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) stderrLines.push({ t, line });
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const wallMs = Math.round(performance.now() - started);
        if (partial) stderrLines.push({ t: wallMs, line: partial });
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          stderrLines,
          wallMs,
        });
      });
    });

  return {
    name,
    serverV4,
    serverV6,
    clientV4,
    clientV6,
    clientInterface: peer,
    hostName,
    iptables,
    ip6tables,
    ip: (args) => sh('ip', ['-n', name, ...args]),
    resetFirewall: async () => {
      await iptables(['-F', 'OUTPUT']);
      await ip6tables(['-F', 'OUTPUT']);
    },
    exec,
    cleanup,
  };
}
