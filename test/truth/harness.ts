// The truth suite's lab: a server network namespace with a private Postfix (Cyrus SASL, real
// certificates, real delivery into a maildir) and a client namespace with one egress policy,
// created by truthnet.sh and mta.sh in this folder. The real apps (django_send.py under Debian's
// /usr/bin/python3 with python3-django, nodemailer_send.mjs with the repo's own nodemailer) and
// the built CLI (dist/smtp-egress.mjs) run inside the client namespace with `ip netns exec`.
// Every address used here (10.77.0.0/24, fd77::/64) exists only on the veth between the two
// namespaces the lab creates.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const pexec = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const CLI = path.join(REPO, 'dist/smtp-egress.mjs');
export const NODEMAILER = path.join(REPO, 'node_modules/nodemailer');
/** Debian's interpreter: python3-django lives there (a pyenv python3 on PATH has no Django). */
export const PYTHON = '/usr/bin/python3';
export const USER = 'user@truth.test';
export const PASSWORD = 'correct-horse-battery';
export const MAIL_HOST = 'mail.truth.test';

/** Bounds for the lab's own steps and for one client run (a nodemailer greeting waits 30 s at most). */
const SETUP_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 90_000;
const RECEIPT_WAIT_MS = 5_000;
const RECEIPT_POLL_MS = 100;

export type Env = Record<string, string>;

/**
 * At most this many probes and client runs at once, across every lab: the suite compares
 * measured times with predicted ones, and a 2-core machine running more than this stretches them.
 */
const MAX_RUNS = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** What django_send.py / nodemailer_send.mjs print: one JSON line. */
export interface ClientResult {
  sent: boolean;
  token: string;
  elapsedMs: number;
  message: string | null;
  // django_send.py
  exception?: string | null;
  errno?: number | null;
  smtpCode?: number;
  sslReason?: string | null;
  // nodemailer_send.mjs
  code?: string | null;
  originalCode?: string;
  sysCode?: string;
  responseCode?: number;
  errors?: { code?: string; message: string }[];
  /** Set by the harness: the token really arrived in the maildir. */
  received: boolean;
}

export const script = (name: string) => path.join(HERE, name);

/** What the lab needs besides root and iptables (netnsSupport): Postfix, saslpasswd2, Django under /usr/bin/python3. */
export function truthDepsMissing(): string[] {
  const missing: string[] = [];
  const ok = (cmd: string, args: string[]) => { try { execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 }); return true; } catch { return false; } };
  if (!ok('sh', ['-c', 'command -v postfix && command -v saslpasswd2 && command -v openssl'])) missing.push('postfix, sasl2-bin or openssl');
  if (!ok(PYTHON, ['-c', 'import django'])) missing.push('python3-django');
  return missing;
}

async function sh(cmd: string, args: string[], timeout = SETUP_TIMEOUT_MS): Promise<string> {
  const { stdout } = await pexec(cmd, args, { timeout, maxBuffer: 4 << 20 });
  return stdout;
}

export interface Lab {
  id: string;
  client: string;
  ca: string;
  /** Runs argv in the client namespace with exactly `env` (plus PATH and HOME); stdout, even on a non-zero exit. */
  run(argv: string[], env: Env): Promise<{ stdout: string; code: number }>;
  django(backend: 'django32' | 'django4', env: Env, boolMode?: 'proper' | 'naive'): Promise<ClientResult>;
  nodemailer(env: Env): Promise<ClientResult>;
  /** Starts a misbehaving server (test/truth/odd-server.ts) in the server namespace: its port. */
  oddServer(kind: '554' | 'silent'): Promise<number>;
  stop(): void;
}

/** Creates a namespace pair, starts its Postfix and applies one egress policy. */
export async function startLab(n: number, policy: string): Promise<Lab> {
  const id = `${process.pid}x${n}`;
  const dir = `/tmp/truth-${id}`;
  const srv = `truth${id}-s`;
  const client = `truth${id}-c`;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try { execFileSync(script('mta.sh'), ['stop', dir], { timeout: SETUP_TIMEOUT_MS, stdio: 'ignore' }); } catch { /* best effort: reap cleans up */ }
    try { execFileSync(script('truthnet.sh'), ['down', id], { timeout: SETUP_TIMEOUT_MS, stdio: 'ignore' }); } catch { /* best effort */ }
  };
  process.once('exit', stop);
  await sh(script('truthnet.sh'), ['up', id]);
  try {
    await sh(script('mta.sh'), ['start', srv, dir]);
    await sh(script('truthnet.sh'), ['policy', id, policy]);
  } catch (e) {
    stop();
    throw e;
  }
  const ca = path.join(dir, 'tls', 'ca.crt');

  const run = (argv: string[], env: Env) => limited(() =>
    pexec('ip', ['netns', 'exec', client, ...argv], { timeout: RUN_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }, maxBuffer: 8 << 20 }).then(
      (r) => ({ stdout: r.stdout, code: 0 }),
      (e: { stdout?: string; code?: number }) => {
        if (typeof e.stdout === 'string' && e.stdout !== '') return { stdout: e.stdout, code: typeof e.code === 'number' ? e.code : -1 };
        throw e;
      },
    ));

  const received = async (token: string): Promise<boolean> => {
    const end = Date.now() + RECEIPT_WAIT_MS;
    for (;;) {
      for (const sub of ['new', 'cur']) {
        const d = path.join(dir, 'mail', 'inbox', sub);
        let files: string[] = [];
        try { files = readdirSync(d); } catch { /* not created yet */ }
        for (const f of files) {
          try { if (readFileSync(path.join(d, f), 'utf8').includes(token)) return true; } catch { /* delivery racing */ }
        }
      }
      if (Date.now() >= end) return false;
      await new Promise((r) => setTimeout(r, RECEIPT_POLL_MS));
    }
  };

  const client1 = async (argv: string[], env: Env): Promise<ClientResult> => {
    const token = `tok${randomBytes(8).toString('hex')}`;
    const { stdout } = await run(argv, { ...env, TRUTH_TOKEN: token, TRUTH_CA: ca });
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ClientResult;
    // A failed send is checked once, right away; a successful one may take a moment to land.
    r.received = r.sent ? await received(token) : receivedNow(dir, token);
    return r;
  };

  return {
    id,
    client,
    ca,
    run,
    django: (backend, env, boolMode = 'proper') => client1([PYTHON, script('django_send.py'), '--backend', backend, '--bool-mode', boolMode], env),
    nodemailer: (env) => client1([process.execPath, script('nodemailer_send.mjs'), '--pkg', NODEMAILER], env),
    oddServer: (kind) =>
      new Promise<number>((resolve, reject) => {
        // Ended with the namespace (truthnet.sh down ends every process inside it).
        const child = spawn('ip', ['netns', 'exec', srv, process.execPath, '--import', 'tsx', script('odd-server.ts'), kind], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
        const timer = setTimeout(() => reject(new Error(`odd-server ${kind} did not start`)), SETUP_TIMEOUT_MS);
        child.stdout.once('data', (d: Buffer) => {
          clearTimeout(timer);
          resolve(Number(String(d).trim()));
        });
        child.once('error', reject);
      }),
    stop,
  };
}

function receivedNow(dir: string, token: string): boolean {
  for (const sub of ['new', 'cur']) {
    let files: string[] = [];
    try { files = readdirSync(path.join(dir, 'mail', 'inbox', sub)); } catch { continue; }
    if (files.some((f) => { try { return readFileSync(path.join(dir, 'mail', 'inbox', sub, f), 'utf8').includes(token); } catch { return false; } })) return true;
  }
  return false;
}
