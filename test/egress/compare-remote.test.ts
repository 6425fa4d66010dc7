// `smtp-egress compare URL URL [--local]` against two REAL `smtp-egress serve` instances, each in
// its own network namespace with its own egress policy:
//   render  (RENDER=true): iptables DROPs outbound 25, 465 and 587; no IPv6 route at all
//           (ENETUNREACH at once) - a Render free instance;
//   netlify (NETLIFY=true): DROPs outbound 25; no IPv6 route - what AWS Lambda does.
// Real smtp-server instances listen on the root-namespace end of each veth. The compare CLI runs
// in the root namespace (open egress: the --local column), asks both serves at once over their
// veths, each with its own token, and prints one matrix. Error cases: a wrong token, a missing
// token, a remote that is not there, one that answers HTML, one that answers an API error, and
// one that answers a report of another schema version (those three are tiny HTTP servers on
// loopback: they stand for a misconfigured deployment, not for the internet).
// Needs root, iproute2 and iptables: skipped loudly without them, failing when CI=true.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientNamespace, requireNetns, type ClientNamespace } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { CompareReport, type CompareRow } from '../../lib/compare/compare.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/compare-remote.test.ts');
const HOST = 'smtp.remote-compare.test';
const RENDER_TOKEN = 'render-token-9f8e7d6c5b4a39281706';
const NETLIFY_TOKEN = 'netlify-token-0a1b2c3d4e5f60718293';
const CONNECT_MS = 600;
const FAST = ['--connect-timeout', String(CONNECT_MS), '--greeting-timeout', '2000', '--timeout', '5000'];
/** How long a serve may take to print its "listening" line (node + tsx on a busy 2-core machine). */
const START_TIMEOUT_MS = 20_000;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** The test runner's own platform variables must not leak into the children. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { CI: _ci, NETLIFY: _n, RENDER: _r, RENDER_SERVICE_ID: _rs, AWS_LAMBDA_FUNCTION_NAME: _l, SMTP_EGRESS_TOKEN: _t, ...env } = process.env;
  for (const k of Object.keys(env)) if (k.startsWith('SMTP_EGRESS_') || k.startsWith('EMAIL_')) delete env[k];
  return { ...env, NO_COLOR: '1', COLUMNS: '200', ...extra };
}

/** `smtp-egress serve` inside a namespace, until stopped; resolves with its URL once it listens. */
async function startServe(ns: ClientNamespace, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '--import', 'tsx', 'cli/bin.ts', 'serve', '--host', ns.clientV4, '--port', '0', '--shutdown-timeout', '200'], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve in ${ns.name} did not start within ${START_TIMEOUT_MS} ms: ${out} ${err}`));
    }, START_TIMEOUT_MS);
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1] as string, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve in ${ns.name} exited (${code}): ${out} ${err}`));
    });
  });
}

/** The CLI in the root namespace (open egress). */
function cli(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: Math.round(performance.now() - started) });
    });
  });
}

function parse(run: RunResult): CompareReport {
  try {
    return CompareReport.parse(JSON.parse(run.stdout));
  } catch (e) {
    throw new Error(`no compare report (exit ${run.code}): ${(e as Error).message.slice(0, 300)}\nstdout: ${run.stdout.slice(0, 3000)}\nstderr: ${run.stderr.slice(0, 2000)}`);
  }
}

/** A loopback HTTP server answering every request the same way: a deployment that is not smtp-egress. */
async function fakeRemote(status: number, type: string, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe.skipIf(!canRun)('compare of deployed probes: two serve instances in two network namespaces', { timeout: 120_000 }, () => {
  let render: ClientNamespace;
  let netlify: ClientNamespace;
  const smtp: RunningServer[] = [];
  const serves: ChildProcess[] = [];
  let renderUrl = '';
  let netlifyUrl = '';
  const P: Record<number, number> = {};
  let wellKnown = true;

  /** One port served on every address (plain SMTP): `want` when it is free everywhere, else another. */
  async function serveEverywhere(want: number, addresses: string[]): Promise<number> {
    for (let tries = 0; tries < 6; tries += 1) {
      const opened: RunningServer[] = [];
      try {
        const first = await startSmtpServer({ host: addresses[0], port: tries === 0 ? want : 0, noStarttls: true });
        opened.push(first);
        for (const a of addresses.slice(1)) opened.push(await startSmtpServer({ host: a, port: first.port, noStarttls: true }));
        smtp.push(...opened);
        if (first.port !== want) wellKnown = false;
        return first.port;
      } catch {
        await Promise.all(opened.map((s) => s.close()));
      }
    }
    throw new Error(`cannot serve port ${want} (or any other) on ${addresses.join(', ')}`);
  }

  beforeAll(async () => {
    render = await createClientNamespace({ hostName: HOST });
    netlify = await createClientNamespace({ hostName: HOST });
    const addresses = [render.serverV4, render.serverV6, netlify.serverV4, netlify.serverV6];
    for (const p of [25, 465, 587, 2525]) P[p] = await serveEverywhere(p, addresses);
    if (!wellKnown) console.warn(`compare-remote: a well-known port was taken; using ${JSON.stringify(P)} (own-limit flags are not asserted)`);

    // Render free: SMTP ports dropped, no IPv6 route (the on-link /64 is the only one there is).
    for (const p of [P[25], P[465], P[587]]) await render.iptables(['-A', 'OUTPUT', '-p', 'tcp', '--dport', String(p), '-j', 'DROP']);
    await render.ip(['-6', 'route', 'del', `${render.serverV6.replace(/::1$/, '::')}/64`]);
    // Netlify (AWS Lambda): 25 dropped, no IPv6 route.
    await netlify.iptables(['-A', 'OUTPUT', '-p', 'tcp', '--dport', String(P[25]), '-j', 'DROP']);
    await netlify.ip(['-6', 'route', 'del', `${netlify.serverV6.replace(/::1$/, '::')}/64`]);
    // So both namespaces can probe one IP address too (the --local cases): the Render veth's
    // root-side address, reached from the Netlify namespace through its own veth (a local
    // address of the root namespace: delivered there, nothing is forwarded).
    await netlify.ip(['route', 'add', `${render.serverV4}/32`, 'via', netlify.serverV4]);

    const [r, n] = await Promise.all([
      startServe(render, { RENDER: 'true', SMTP_EGRESS_TOKEN: RENDER_TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' }),
      startServe(netlify, { NETLIFY: 'true', AWS_REGION: 'us-east-2', SMTP_EGRESS_TOKEN: NETLIFY_TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' }),
    ]);
    serves.push(r.child, n.child);
    renderUrl = r.url;
    netlifyUrl = n.url;
  }, 90_000);

  afterAll(async () => {
    for (const c of serves) c.kill('SIGTERM');
    await Promise.all(smtp.splice(0).map((s) => s.close()));
    await render?.cleanup();
    await netlify?.cleanup();
  });

  const ports = () => [P[25], P[465], P[587], P[2525]].map((p) => `${p}:plain`).join(',');
  const tokens = () => ['--token-env', `${renderUrl}=RENDER_PROBE_TOKEN`, '--token-env', `${netlifyUrl}=NETLIFY_PROBE_TOKEN`];
  const tokenEnv = { RENDER_PROBE_TOKEN: RENDER_TOKEN, NETLIFY_PROBE_TOKEN: NETLIFY_TOKEN };
  const row = (c: CompareReport, port: number | undefined, family: 'ipv4' | 'ipv6' = 'ipv4'): CompareRow => {
    const r = c.rows.find((x) => x.port === port && x.family === family);
    if (!r) throw new Error(`no row ${port} ${family}: ${JSON.stringify(c.rows.map((x) => [x.port, x.family, x.finding]))}`);
    return r;
  };
  const outcomes = (r: CompareRow) => r.cells.map((x) => x?.outcome ?? null);

  it('two URLs (Render free, Netlify), by name, both families: one matrix; Render blocks 465/587, 25 and IPv6 are each network\'s own limits', async () => {
    const args = ['compare', renderUrl, netlifyUrl, '--host', HOST, '--ports', ports(), ...FAST, '--allow-private', ...tokens()];
    const run = await cli([...args, '--json', '--quiet'], tokenEnv);
    expect(run.code).toBe(1);
    const c = parse(run);
    expect(c.columns.map((x) => [x.id, x.label, x.source])).toEqual([
      ['A', 'Render', `${renderUrl}/api/probe`],
      ['B', 'Netlify (us-east-2)', `${netlifyUrl}/api/probe`],
    ]);
    // Both asked at once: well under two probes back to back (each ends at a connect timeout).
    expect(outcomes(row(c, P[465]))).toEqual(['connect_timeout', 'ok']);
    expect(row(c, P[465])).toMatchObject({ finding: 'egress_blocked', blocked: ['A'] });
    expect(row(c, P[587])).toMatchObject({ finding: 'egress_blocked', blocked: ['A'] });
    expect(outcomes(row(c, P[25]))).toEqual(['connect_timeout', 'connect_timeout']);
    expect(row(c, P[2525])).toMatchObject({ finding: 'same' });
    expect(outcomes(row(c, P[2525]))).toEqual(['ok', 'ok']);
    for (const p of [P[25], P[465], P[587], P[2525]]) expect(outcomes(row(c, p, 'ipv6'))).toEqual(['network_unreachable', 'network_unreachable']);
    expect(c.verdict.code).toBe('egress_blocked');
    const [lo, hi] = [Math.min(P[465] as number, P[587] as number), Math.max(P[465] as number, P[587] as number)];
    expect(c.verdict.summary).toContain(`Ports ${lo} and ${hi} over IPv4 get out of Netlify (us-east-2) but time out from Render: Render's egress blocks them. Use port ${P[2525]}`);
    if (wellKnown) {
      expect(row(c, P[25]).cells.map((x) => x?.limit)).toEqual(['port_blocked', 'port_blocked']);
      expect(row(c, P[587], 'ipv6').cells.map((x) => x?.limit)).toEqual(['no_ipv6', 'no_ipv6']);
      // Netlify's 25 and IPv6 are named as Netlify's, not blamed on Render or the server.
      expect(c.verdict.summary).toContain('get out of neither network, as their own limits predict (Render blocks 25 and has no outbound IPv6; Netlify blocks 25 and has no outbound IPv6)');
      expect(c.verdict.summary).not.toMatch(/server may not listen/);
      expect(c.verdict.causes.join('\n')).toMatch(/Netlify \(us-east-2\): Netlify has no outbound IPv6 \(inferred: https:\/\/\S+\)/);
      const all = [P[25], P[465], P[587], P[2525]] as number[];
      expect(c.verdict.blocks.map((b) => [b.column, b.family, b.ports, b.ownLimit])).toEqual([
        ['A', 'ipv4', [P[25], P[465], P[587]].sort((x, y) => (x as number) - (y as number)), true],
        ['A', 'ipv6', all.sort((x, y) => x - y), true],
        ['B', 'ipv4', [P[25]], true],
        ['B', 'ipv6', all, true],
      ]);
    }

    const text = await cli(args, tokenEnv);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`probing ${HOST} on`);
    expect(text.stdout).toMatch(/PORT\s+FAMILY\s+A: Render\s+B: Netlify \(us-east-2\)\s+FINDING/);
    expect(text.stdout).toMatch(new RegExp(`${P[587]}\\s+ipv4\\s+connect_timeout${wellKnown ? ' \\(own limit\\)' : ''}\\s+ok \\d+ms\\s+blocked from A`));
    expect(text.stdout).toContain('own limits: port 25 blocked (inferred); no outbound IPv6 (inferred); 60 s per request');
    for (const t of [RENDER_TOKEN, NETLIFY_TOKEN]) expect(text.stdout + text.stderr + run.stdout).not.toContain(t);
  });

  it('one URL plus a local probe (--local, by IP): Render blocks the SMTP ports this machine gets out on', async () => {
    const run = await cli(['compare', renderUrl, '--local', '--host', render.serverV4, '--ports', ports(), ...FAST, '--allow-private', '--json', '--quiet'], { SMTP_EGRESS_TOKEN: RENDER_TOKEN });
    const c = parse(run);
    expect(run.code).toBe(1);
    expect(c.columns.map((x) => [x.label, x.source])).toEqual([
      ['Render', `${renderUrl}/api/probe`],
      ['this machine', 'this machine'],
    ]);
    expect(c.rows.map((r) => [r.port, r.family, ...outcomes(r), r.finding, r.blocked])).toEqual([
      [P[25], 'ipv4', 'connect_timeout', 'ok', 'egress_blocked', ['A']],
      [P[465], 'ipv4', 'connect_timeout', 'ok', 'egress_blocked', ['A']],
      [P[587], 'ipv4', 'connect_timeout', 'ok', 'egress_blocked', ['A']],
      [P[2525], 'ipv4', 'ok', 'ok', 'same', []],
    ].sort((x, y) => (x[0] as number) - (y[0] as number)));
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.summary).toMatch(/get out of this machine but time out from Render: Render's egress blocks them/);
    if (wellKnown) expect(c.verdict.summary).toContain('or a paid Render plan.');
  });

  it('three networks (Render, Netlify, this machine) asked at once: one column each, each block named for its network', async () => {
    const run = await cli(['compare', renderUrl, netlifyUrl, '--local', '--host', render.serverV4, '--ports', ports(), ...FAST, '--allow-private', '--json', '--quiet', ...tokens()], tokenEnv);
    const c = parse(run);
    expect(run.code).toBe(1);
    expect(c.columns.map((x) => `${x.id}: ${x.label}`)).toEqual(['A: Render', 'B: Netlify (us-east-2)', 'C: this machine']);
    expect(row(c, P[25])).toMatchObject({ finding: 'egress_blocked', blocked: ['A', 'B'] });
    expect(row(c, P[465])).toMatchObject({ finding: 'egress_blocked', blocked: ['A'] });
    expect(row(c, P[587])).toMatchObject({ finding: 'egress_blocked', blocked: ['A'] });
    expect(outcomes(row(c, P[2525]))).toEqual(['ok', 'ok', 'ok']);
    expect(c.verdict.summary).toContain(`Port ${P[25]} gets out of this machine but times out from Netlify (us-east-2): Netlify's egress blocks it.`);
    expect(c.verdict.summary).toMatch(/get out of this machine but time out from Render: Render's egress blocks them/);
    expect(c.verdict.blocks.map((b) => b.column)).toEqual(['A', 'B']);
    // Three probes of one connect timeout each, at once: far less than three in a row (3 x 600 ms + 3 starts).
    expect(c.columns.every((x) => x.startedAt)).toBe(true);
  });

  it('a wrong token: exit 1, the URL and the variable named, the other remote still compared; no token in the output', async () => {
    const run = await cli(['compare', renderUrl, netlifyUrl, '--local', '--host', render.serverV4, '--ports', ports(), ...FAST, '--allow-private', '--json', '--quiet', ...tokens()], { ...tokenEnv, NETLIFY_PROBE_TOKEN: 'not-the-netlify-token-xyz' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${netlifyUrl}/api/probe answered 401 unauthorized`);
    expect(run.stderr).toContain('Check that NETLIFY_PROBE_TOKEN here holds the token that deployment has');
    expect(run.stderr).toContain('(compared without it)');
    const c = parse(run);
    expect(c.columns.map((x) => x.label)).toEqual(['Render', 'this machine']);
    expect(run.stdout + run.stderr).not.toContain('not-the-netlify-token-xyz');
    expect(run.stdout + run.stderr).not.toContain(RENDER_TOKEN);
  });

  it('a missing token, a URL with a query, fewer than two sources: usage errors (exit 2) before any probe', async () => {
    const missing = await cli(['compare', renderUrl, netlifyUrl, '--host', render.serverV4, '--allow-private'], { SMTP_EGRESS_TOKEN: RENDER_TOKEN });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs its deployment's token .*set SMTP_EGRESS_TOKEN_10_200_\d+_2, or name a variable with --token-env/);
    expect(missing.stderr).not.toContain('probing');
    const label = await cli(['compare', renderUrl, '--local', '--host', render.serverV4, '--ports', `${P[2525]}:plain`, ...FAST, '--allow-private', '--json', '--quiet'], { [`SMTP_EGRESS_TOKEN_${render.clientV4.replace(/\./g, '_')}`]: RENDER_TOKEN });
    expect(label.code).toBe(0); // the token by its per-host variable; both columns ok
    expect((await cli(['compare', `${renderUrl}/api/probe?token=x`, '--local'], { SMTP_EGRESS_TOKEN: RENDER_TOKEN })).code).toBe(2);
    const one = await cli(['compare', renderUrl], { SMTP_EGRESS_TOKEN: RENDER_TOKEN });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/give two or more sources/);
  });

  describe('remotes that cannot be compared: clear errors, exit 1', () => {
    const fakes: { url: string; close: () => Promise<void> }[] = [];
    afterAll(async () => {
      await Promise.all(fakes.map((f) => f.close()));
    });
    const compareWith = (url: string) => cli(['compare', url, '--local', '--host', '127.0.0.1', '--ports', `${P[2525]}:plain`, ...FAST, '--allow-private', '--quiet'], { SMTP_EGRESS_TOKEN: RENDER_TOKEN });

    it('nothing listens there', async () => {
      const gone = await fakeRemote(200, 'text/plain', '');
      await gone.close();
      const run = await compareWith(gone.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`cannot reach ${gone.url.replace(/[.]/g, '\\.')}/api/probe: ECONNREFUSED`));
      expect(run.stdout).toBe('');
    });

    it('an HTML page (a site, not the probe function)', async () => {
      const html = await fakeRemote(200, 'text/html; charset=utf-8', '<!doctype html><title>My app</title>');
      fakes.push(html);
      const run = await compareWith(html.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${html.url}/api/probe answered 200 without JSON (text/html; charset=utf-8): is it the smtp-egress probe function`);
    });

    it('an API error (a deployment without SMTP_EGRESS_TOKEN)', async () => {
      const api = await fakeRemote(503, 'application/json', JSON.stringify({ error: { code: 'token_not_configured', message: 'SMTP_EGRESS_TOKEN is not set on this deployment' } }));
      fakes.push(api);
      const run = await compareWith(api.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${api.url}/api/probe answered 503 token_not_configured: SMTP_EGRESS_TOKEN is not set on this deployment`);
    });

    it('a report of another schema version (a newer smtp-egress there)', async () => {
      const newer = await fakeRemote(200, 'application/json', JSON.stringify({ schema: 'smtp-egress/probe@9', id: 'x' }));
      fakes.push(newer);
      const run = await compareWith(newer.url);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/the report from http:\/\/127\.0\.0\.1:\d+\/api\/probe is a smtp-egress\/probe@9 report, but smtp-egress \S+ compares smtp-egress\/probe@1 and smtp-egress\/probe@2 reports/);
    });
  });
});
