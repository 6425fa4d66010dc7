// The Netlify CLI as the e2e tests use it: Node 22 + netlify-cli from .tools/ (installed by
// scripts/ensure-netlify-cli.sh), `netlify functions:serve --offline` on dist/functions (what
// netlify.toml deploys: scripts/build-functions.mjs) in a throwaway project
// folder (its own .netlify/ state and its own CLI config with telemetry off), so two instances
// with different environments can start side by side without touching the repository.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_BIN = join(ROOT, '.tools/node_modules/.bin');
const ENSURE = join(ROOT, 'scripts/ensure-netlify-cli.sh');

export interface ToolsStatus {
  ok: boolean;
  detail: string;
}

/** Whether .tools/ holds a Node >= 22.13 and a netlify CLI that runs with it. */
export function toolsStatus(): ToolsStatus {
  const node = join(TOOLS_BIN, 'node');
  const netlify = join(TOOLS_BIN, 'netlify');
  if (!existsSync(node) || !existsSync(netlify)) return { ok: false, detail: `${node} or ${netlify} is missing` };
  const v = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  const m = /^v(\d+)\.(\d+)/.exec(v.stdout ?? '');
  if (!m || Number(m[1]) < 22 || (Number(m[1]) === 22 && Number(m[2]) < 13)) return { ok: false, detail: `.tools node is ${v.stdout?.trim() || 'not runnable'}, need >= 22.13` };
  const n = spawnSync(netlify, ['--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}` } });
  if (n.status !== 0) return { ok: false, detail: `netlify --version failed: ${(n.stderr ?? '').slice(0, 300)}` };
  return { ok: true, detail: `node ${v.stdout.trim()}, ${n.stdout.trim().split('\n')[0]}` };
}

/** Installs the tools when missing (scripts/test.sh has usually done it already). */
export function ensureTools(): ToolsStatus {
  const first = toolsStatus();
  if (first.ok) return first;
  const started = Date.now();
  const r = spawnSync('bash', [ENSURE], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 420_000 });
  const after = toolsStatus();
  if (!after.ok) return { ok: false, detail: `${after.detail} (ensure-netlify-cli.sh exited ${r.status ?? r.signal} after ${Math.round((Date.now() - started) / 1000)} s)` };
  return after;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => res(port));
    });
  });
}

export interface NetlifyServer {
  url: string;
  /** Everything the CLI printed, for failure messages. */
  log: () => string;
  startupMs: number;
  stop: () => Promise<void>;
}

/** Variables from the test's own environment that would change what the functions do. */
const SCRUB = /^(SMTP_EGRESS_|EMAIL_|AWS_|NETLIFY|NODE_OPTIONS$|VITEST|DEFAULT_FROM_EMAIL$)/;

export async function startNetlifyFunctions(env: Record<string, string>, readyTimeoutMs = 90_000): Promise<NetlifyServer> {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-egress-e2e-'));
  const project = join(dir, 'project');
  mkdirSync(join(dir, 'config/netlify'), { recursive: true });
  mkdirSync(project);
  writeFileSync(join(dir, 'config/netlify/config.json'), JSON.stringify({ telemetryDisabled: true, cliId: 'smtp-egress-e2e' }));
  // The bundled functions import their npm dependencies at run time: resolve them from the repo.
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));

  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.test(k)) childEnv[k] = v;
  Object.assign(childEnv, { PATH: `${TOOLS_BIN}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(dir, 'config'), BROWSER: 'none' }, env);

  const started = Date.now();
  const child: ChildProcess = spawn(join(TOOLS_BIN, 'netlify'), ['functions:serve', '--offline', '--functions', join(ROOT, 'dist/functions'), '--port', String(port)], {
    cwd: project,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  let exited: number | string | null = null;
  child.once('exit', (code, signal) => (exited = code ?? signal ?? 'exit'));

  const stop = async () => {
    if (exited === null && child.pid) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 3000);
      await gone;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`netlify functions:serve exited (${exited}) before it was ready:\n${out}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`netlify functions:serve was not ready within ${readyTimeoutMs} ms:\n${out}`);
    }
    if (/server ready/i.test(out)) {
      try {
        await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
        break;
      } catch {
        /* not listening yet */
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, log: () => out, startupMs: Date.now() - started, stop };
}
