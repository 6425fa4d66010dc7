// The one line in the app's own start command (README, "Render"): `probe --log-line` in the
// background of the shell that execs the app, inside a network namespace that plays a Render
// free instance (25, 465 and 587 dropped, no IPv6 route), with the one-file runner built from this
// tree and a tiny HTTP server as "the app". Proves: the app accepts connections at once, the
// verdict line lands on stdout within connect timeout + 1 s, and the app is never touched when
// the probe fails or when node is not on the PATH.
// Needs root, iproute2 and iptables: skipped loudly without them, failing when CI=true.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientNamespace, requireNetns, type ClientNamespace } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/start-command.test.ts');
const HOST = 'smtp.start-command.test';
const CONNECT_MS = 1_000;
/** The README's start command, with `exec APP` at the end (gunicorn there, the tiny app here). */
const startCommand = (flags: string, app: string) =>
  `(command -v node >/dev/null && [ -f smtp-egress.mjs ] && node smtp-egress.mjs probe --log-line${flags} || echo "smtp-egress: no probe: node or smtp-egress.mjs is missing here (the app starts anyway)"; true) & exec ${app}`;
/** The app: answers every request at once; says when it listens. */
const APP = `import http from 'node:http';
const [host, port] = process.argv.slice(2);
http.createServer((req, res) => res.end('app ok ' + process.pid)).listen(Number(port), host, () => console.log('app listening ' + process.pid));
`;

interface Line {
  t: number;
  line: string;
}

describe('the start-command line in the README', () => {
  it('is the one this file runs, with gunicorn after exec', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(startCommand('', 'gunicorn app.wsgi'));
  });
});

describe.skipIf(!canRun)('the start-command line: probe --log-line in the background of the app (a Render free namespace)', { timeout: 60_000 }, () => {
  let ns: ClientNamespace;
  let smtp: RunningServer;
  let dir: string;
  let emptyPath: string;
  let nextPort = 18_000 + Math.floor(Math.random() * 1000);
  /** `ip` by its full path: one case runs with a PATH that has nothing on it. */
  let ipBin = 'ip';

  beforeAll(async () => {
    // As test/integration/bundle.test.ts: the suite builds first (scripts/test.sh); building here
    // every time would race other files that read dist/ (the build empties dist/functions).
    if (!existsSync(path.join(ROOT, 'dist/smtp-egress.mjs'))) await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
    dir = mkdtempSync(path.join(tmpdir(), 'smtp-egress-start-'));
    copyFileSync(path.join(ROOT, 'dist/smtp-egress.mjs'), path.join(dir, 'smtp-egress.mjs'));
    writeFileSync(path.join(dir, 'app.mjs'), APP);
    ipBin = execFileSync('/bin/sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).trim();
    emptyPath = path.join(dir, 'empty-bin');
    mkdirSync(emptyPath);
    ns = await createClientNamespace({ hostName: HOST });
    for (const p of [25, 465, 587]) await ns.iptables(['-A', 'OUTPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP']);
    await ns.ip(['-6', 'route', 'del', `${ns.serverV6.replace(/::1$/, '::')}/64`]);
    smtp = await startSmtpServer({ host: ns.serverV4, port: 2525, noStarttls: true }).catch(() => startSmtpServer({ host: ns.serverV4, port: 0, noStarttls: true }));
  }, 60_000);
  afterAll(async () => {
    await smtp?.close();
    await ns?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs `sh -c COMMAND` in the namespace (as a platform runs a start command), polls the app
   * until it answers, waits for `until` on stdout, then checks the app still answers and stops it.
   */
  async function runStart(command: string, env: Record<string, string>, until: RegExp, port: number) {
    const started = performance.now();
    const startedEpoch = Date.now();
    const child = spawn(ipBin, ['netns', 'exec', ns.name, '/bin/sh', '-c', command], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      const parts = (partial + c.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push({ t: Math.round(performance.now() - started), line });
    });
    const appUrl = `http://${ns.clientV4}:${port}/`;
    const ask = async () => {
      try {
        const res = await fetch(appUrl, { signal: AbortSignal.timeout(500) });
        return res.ok ? await res.text() : null;
      } catch {
        return null;
      }
    };
    try {
      let appAt = -1;
      let firstAnswer: string | null = null;
      for (let i = 0; i < 400 && appAt < 0; i += 1) {
        firstAnswer = await ask();
        if (firstAnswer) appAt = Math.round(performance.now() - started);
        else await new Promise((r) => setTimeout(r, 10));
      }
      let waited = 0;
      while (!lines.some((l) => until.test(l.line)) && waited < 15_000) {
        await new Promise((r) => setTimeout(r, 20));
        waited += 20;
      }
      // The probe is over (its lines are out): the app must be untouched, the same process.
      await new Promise((r) => setTimeout(r, 300));
      const after = await ask();
      return { lines, stderr, appAt, firstAnswer, after, exited: child.exitCode !== null || child.signalCode !== null, pid: child.pid, startedEpoch };
    } finally {
      child.kill('SIGTERM');
    }
  }

  it('the app answers at once; the JSON line and the verdict line arrive within connect timeout + 1 s; the app stays up', async () => {
    const port = nextPort++;
    const env = { EMAIL_HOST: HOST, EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', SMTP_EGRESS_ALLOW_PRIVATE: '1', RENDER: 'true' };
    const r = await runStart(startCommand(` --connect-timeout ${CONNECT_MS} --ports 587,${smtp.port}:plain`, `${process.execPath} app.mjs ${ns.clientV4} ${port}`), env, /^smtp-egress: /, port);
    const verdict = r.lines.find((l) => l.line.startsWith('smtp-egress: '));
    const json = r.lines.find((l) => l.line.startsWith('{'));
    expect(verdict, `stdout: ${JSON.stringify(r.lines)} stderr: ${r.stderr}`).toBeDefined();
    // The app: up before the probe says anything, and the shell's own process (exec).
    expect(r.appAt).toBeGreaterThanOrEqual(0);
    expect(r.appAt).toBeLessThan((verdict as Line).t);
    expect(r.firstAnswer).toBe(`app ok ${r.pid}`);
    expect(r.lines.findIndex((l) => l.line.startsWith('app listening'))).toBeLessThan(r.lines.indexOf(verdict as Line));
    // The verdict within connect timeout + 1 s of the probe's start. Node's own cold start of the
    // runner before it (the report's startedAt) is not the probe's doing and is reported apart:
    // on this shared, loaded machine it alone can take seconds.
    const report = ProbeReport.parse(JSON.parse((json as Line).line));
    const nodeStart = Date.parse(report.startedAt) - r.startedEpoch;
    const fromProbeStart = (verdict as Line).t - nodeStart;
    const timing = `verdict at ${(verdict as Line).t} ms after the start command, ${fromProbeStart} ms after the probe started (node start ${nodeStart} ms, probe ${report.durationMs} ms), app answering at ${r.appAt} ms`;
    console.log(`start-command: ${timing}`);
    expect(report.durationMs, timing).toBeLessThan(CONNECT_MS + 500);
    expect(fromProbeStart, timing).toBeLessThan(CONNECT_MS + 1_000);
    expect(report.platform.name).toBe('render');
    expect(report.attempts.map((a) => [a.port, a.family, a.outcome])).toEqual(
      expect.arrayContaining([
        [587, 'ipv4', 'connect_timeout'],
        [smtp.port, 'ipv4', 'ok'],
      ]),
    );
    expect(report.attempts.every((a) => a.transcript.length === 0)).toBe(true);
    expect((verdict as Line).line).toMatch(new RegExp(`^smtp-egress: ${HOST} from render: \\S+: .*587`));
    expect(r.lines).toHaveLength(3); // the app's line, the JSON line, the verdict line
    expect(r.after).toBe(`app ok ${r.pid}`);
    expect(r.exited).toBe(false);
  });

  it('the probe cannot run (no EMAIL_HOST): one line says so, the app is untouched', async () => {
    const port = nextPort++;
    const r = await runStart(startCommand('', `${process.execPath} app.mjs ${ns.clientV4} ${port}`), { RENDER: 'true' }, /^smtp-egress: /, port);
    expect(r.lines.filter((l) => l.line.startsWith('smtp-egress: ')).map((l) => l.line)).toEqual([
      'smtp-egress: no probe: no host given and EMAIL_HOST is not set: give a host (e.g. smtp.example.com) or set EMAIL_HOST (the app is not affected)',
    ]);
    expect(r.firstAnswer).toBe(`app ok ${r.pid}`);
    expect(r.after).toBe(`app ok ${r.pid}`);
    expect(r.exited).toBe(false);
  });

  it('node is not on the PATH: one clear line, the app starts anyway', async () => {
    const port = nextPort++;
    // PATH holds no node (an image without it); the app itself is started by its full path.
    const r = await runStart(startCommand('', `${process.execPath} app.mjs ${ns.clientV4} ${port}`), { PATH: emptyPath, EMAIL_HOST: HOST }, /^smtp-egress: /, port);
    expect(r.lines.map((l) => l.line).filter((l) => !l.startsWith('app listening'))).toEqual(['smtp-egress: no probe: node or smtp-egress.mjs is missing here (the app starts anyway)']);
    expect(r.stderr).toBe('');
    expect(r.firstAnswer).toBe(`app ok ${r.pid}`);
    expect(r.after).toBe(`app ok ${r.pid}`);
    expect(r.exited).toBe(false);
  });
});
