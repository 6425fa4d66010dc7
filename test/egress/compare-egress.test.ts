// compare on report pairs produced by REAL probes: the CLI runs once with an open egress (the
// root namespace, or the client namespace without rules) and once inside a network namespace
// whose iptables/ip6tables rules play a platform's egress firewall (DROP -> connect_timeout,
// REJECT icmp-net-unreachable -> ENETUNREACH, tcp-reset -> ECONNREFUSED, IPv6 rejected), against
// real smtp-server instances bound to the veth addresses. The platform each side claims comes
// from the variables the platforms set (NETLIFY, RENDER), so the verdict names them.
// Also `probe --compare URL`: the CLI in the namespace behind a DROP rule, the remote probe
// server (lib/http/node-server.ts, what `smtp-egress serve` runs) in the root namespace.
// Needs root, iproute2 and iptables: skipped loudly without them, failing when CI=true.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClientNamespace, requireNetns, type ClientNamespace, type ExecResult } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { CompareReport, compareInputs, type CompareRow } from '../../lib/compare/compare.ts';
import { handleCompare } from '../../lib/http/compare.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { startNodeServer, type RunningNodeServer } from '../../lib/http/node-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/compare-egress.test.ts');
const TOKEN = 'compare-egress-token-5f1d2c3b4a9e87';
/** Platform variables: what Netlify's and Render's runtimes set. */
const NETLIFY_ENV = { NETLIFY: 'true', AWS_REGION: 'us-east-2' };
const RENDER_ENV = { RENDER: 'true' };
const FAST = ['--connect-timeout', '400', '--greeting-timeout', '2000', '--timeout', '6000'];

// Each case spawns the CLI (node + tsx) two or three times: generous on a loaded 2-core machine.
describe.skipIf(!canRun)('compare on reports from real probes (network namespaces)', { timeout: 120_000 }, () => {
  let ns: ClientNamespace;
  let dir: string;
  const servers: RunningServer[] = [];
  /** The ports served on both veth addresses: 465, 587 and 2525 when free there, else others. */
  let P465 = 0;
  let P587 = 0;
  let P2525 = 0;
  let wellKnown = true;

  /** A plain SMTP server (no STARTTLS) on both veth addresses, on `want` if it is free, else another port. */
  async function serveBoth(want: number): Promise<number> {
    for (let tries = 0; ; tries += 1) {
      let v4: RunningServer;
      try {
        v4 = await startSmtpServer({ host: ns.serverV4, port: tries === 0 ? want : 0, noStarttls: true });
      } catch (e) {
        if (tries >= 5) throw e;
        continue;
      }
      servers.push(v4);
      try {
        servers.push(await startSmtpServer({ host: ns.serverV6, port: v4.port, noStarttls: true }));
        if (v4.port !== want) wellKnown = false;
        return v4.port;
      } catch (e) {
        if (tries >= 5) throw e;
      }
    }
  }

  beforeAll(async () => {
    ns = await createClientNamespace({ hostName: 'smtp.compare.test' });
    dir = mkdtempSync(path.join(tmpdir(), 'smtp-egress-compare-egress-'));
    P465 = await serveBoth(465);
    P587 = await serveBoth(587);
    P2525 = await serveBoth(2525);
    if (!wellKnown) console.warn(`compare-egress: 465/587/2525 were taken on the veth addresses; using ${P465}/${P587}/${P2525} (Render's policy text is not asserted)`);
  });
  afterEach(async () => {
    await ns?.resetFirewall();
  });
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await ns?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ports = () => `${P465}:plain,${P587}:plain,${P2525}:plain`;
  const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    // The test runner's own platform variables must not leak into the probes.
    const { CI: _ci, NETLIFY: _n, RENDER: _r, RENDER_SERVICE_ID: _rs, AWS_LAMBDA_FUNCTION_NAME: _l, ...env } = process.env;
    // 120 columns: the comparison as a table (below 100 it is one block per port).
    return { ...env, NO_COLOR: '1', COLUMNS: '200', ...extra };
  };

  /** The CLI in the root namespace (open egress). */
  const cliRoot = (args: string[], env: Record<string, string>) =>
    new Promise<ExecResult>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr, wallMs: Math.round(performance.now() - started) } as ExecResult);
      });
    });
  /** The CLI inside the client namespace (egress as its firewall rules say). */
  const cliNs = (args: string[], env: Record<string, string>) => ns.exec(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...args], { cwd: ROOT, env: baseEnv(env), timeoutMs: 30_000 });

  function parse<T>(run: ExecResult, schema: { parse: (v: unknown) => T }): T {
    try {
      return schema.parse(JSON.parse(run.stdout));
    } catch (e) {
      throw new Error(`no valid JSON (exit ${run.code}): ${(e as Error).message.slice(0, 300)}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`);
    }
  }
  const probeArgs = (host: string) => ['probe', host, '--ports', ports(), ...FAST, '--json', '--quiet', '--allow-private'];
  const save = (name: string, r: ProbeReport) => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(r, null, 2));
    return p;
  };
  const row = (rows: CompareRow[], port: number, family: 'ipv4' | 'ipv6' = 'ipv4') => {
    const r = rows.find((x) => x.port === port && x.family === family);
    if (!r) throw new Error(`no row ${port} ${family}: ${JSON.stringify(rows.map((x) => [x.port, x.family, x.finding]))}`);
    // a / b: the first two columns, for the two-network cases.
    return { ...r, a: r.cells[0], b: r.cells[1] };
  };
  const compareCli = (a: string, b: string, json = false) => cliRoot(['compare', a, b, ...(json ? ['--json'] : [])], {});

  it('open root namespace (Netlify) vs a namespace that DROPs 587 and rejects 465 with net-unreachable (Render)', async () => {
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P587), '-j', 'DROP']);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P465), '-j', 'REJECT', '--reject-with', 'icmp-net-unreachable']);
    const [runA, runB] = await Promise.all([cliRoot(probeArgs(ns.serverV4), NETLIFY_ENV), cliNs(probeArgs(ns.serverV4), RENDER_ENV)]);
    const a = parse(runA, ProbeReport);
    const b = parse(runB, ProbeReport);
    expect(a.platform).toMatchObject({ name: 'netlify', region: 'us-east-2' });
    expect(b.platform.name).toBe('render');
    expect(a.attempts.map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok']);

    const fa = save('netlify.json', a);
    const fb = save('render.json', b);
    const json = await compareCli(fa, fb, true);
    expect(json.code).toBe(1);
    const c = parse(json, CompareReport);
    expect(row(c.rows, P587)).toMatchObject({ finding: 'egress_blocked', blocked: ['B'], a: { outcome: 'ok' }, b: { outcome: 'connect_timeout', errno: 'ETIMEDOUT', connected: false } });
    expect(row(c.rows, P465)).toMatchObject({ finding: 'egress_blocked', blocked: ['B'], b: { outcome: 'network_unreachable', errno: 'ENETUNREACH' } });
    expect(row(c.rows, P2525)).toMatchObject({ finding: 'same', a: { outcome: 'ok' }, b: { outcome: 'ok' } });
    expect(c.verdict.code).toBe('egress_blocked');
    const [lo, hi] = [Math.min(P465, P587), Math.max(P465, P587)];
    expect(c.verdict.summary).toContain(`Ports ${lo} and ${hi} get out of Netlify (us-east-2) but fail from Render`);
    expect(c.verdict.summary).toContain(`Render's egress blocks them. Use port ${P2525} (it gets out of Render and your provider serves it), an HTTPS mail API`);
    if (wellKnown) {
      expect(c.verdict.summary).toContain('or a paid Render plan.');
      expect(c.verdict.causes.join('\n')).toContain('render.com/changelog/');
    }

    const text = await compareCli(fa, fb);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`${P587}\\s+ipv4\\s+ok \\d+ms\\s+connect_timeout${wellKnown ? ' \\(own limit\\)' : ''}\\s+blocked from B`));
    expect(text.stdout).toContain('Verdict egress_blocked:');

    // The other order, and the HTTP route, on the same two real reports.
    const swapped = parse(await compareCli(fb, fa, true), CompareReport);
    expect(swapped.verdict.code).toBe('egress_blocked');
    expect(row(swapped.rows, P587).blocked).toEqual(['A']);
    const res = await handleCompare(new Request('http://x/api/compare', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reports: [a, b] }) }), nodeHandlerContext({}));
    expect(res.status).toBe(200);
    expect(CompareReport.parse(await res.json()).verdict.blocks.map((x) => x.column)).toEqual(['B']);
  });

  it('IPv6 rejected (icmp6-no-route) where IPv4 gets out: ipv6_blocked, the Errno 101 trap', async () => {
    const host = ns.hostName; // both families, from the namespace's hosts file
    const a = parse(await cliNs(probeArgs(host), NETLIFY_ENV), ProbeReport);
    await ns.ip6tables(['-A', 'OUTPUT', '-d', ns.serverV6, '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'icmp6-no-route']);
    // A local ip6tables REJECT answers the first SYN while connect() still holds the socket lock,
    // and Linux drops that ICMPv6; the error lands on the SYN retransmitted after ~1 s. So the
    // connect timeout here outlasts one retransmission (see probe-egress.test.ts).
    const slow = ['probe', host, '--ports', ports(), '--connect-timeout', '2500', '--timeout', '6000', '--json', '--quiet', '--allow-private'];
    const b = parse(await cliNs(slow, RENDER_ENV), ProbeReport);
    expect(a.attempts.filter((x) => x.family === 'ipv6')).toHaveLength(3);
    expect(b.attempts.filter((x) => x.family === 'ipv6').map((x) => x.outcome)).toEqual(['network_unreachable', 'network_unreachable', 'network_unreachable']);

    const c = compareInputs([a, b]);
    for (const p of [P465, P587, P2525]) {
      expect(row(c.rows, p, 'ipv4').finding).toBe('same');
      expect(row(c.rows, p, 'ipv6')).toMatchObject({ finding: 'egress_blocked', blocked: ['B'], b: { errno: 'ENETUNREACH' } });
    }
    expect(c.verdict.code).toBe('ipv6_blocked');
    expect(c.verdict.summary).toContain('IPv6 to port');
    expect(c.verdict.summary).toContain('"[Errno 101] Network is unreachable"');
    expect(c.verdict.fixes[0]).toMatch(/force IPv4/);
    expect(c.verdict.causes[0]).toMatch(/Render has no working outbound IPv6 route/);
  });

  it('every port blocked from one side (DROP, net-unreachable, tcp-reset): no port to suggest, an alternative port and an HTTPS API instead', async () => {
    const host = ns.serverV4;
    const a = parse(await cliNs(probeArgs(host), NETLIFY_ENV), ProbeReport);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P587), '-j', 'DROP']);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P465), '-j', 'REJECT', '--reject-with', 'icmp-net-unreachable']);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P2525), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    const b = parse(await cliNs(probeArgs(host), RENDER_ENV), ProbeReport);
    const c = compareInputs([a, b]);
    expect(c.rows.map((r) => [r.port, r.cells[1]?.outcome, r.finding, r.blocked])).toEqual(
      [
        [P465, 'network_unreachable', 'egress_blocked', ['B']],
        [P587, 'connect_timeout', 'egress_blocked', ['B']],
        [P2525, 'connection_refused', 'egress_blocked', ['B']],
      ].sort((x, y) => (x[0] as number) - (y[0] as number)),
    );
    expect(c.verdict.code).toBe('egress_blocked');
    expect(c.verdict.summary).toContain('an alternative port if your provider serves one (2525, 2587 or 2465), an HTTPS mail API');
    expect(c.verdict.fixes[0]).toMatch(/None of the ports compared gets out of Render/);
  });

  it('both open: same, and smtp-egress compare exits 0', async () => {
    const [runA, runB] = await Promise.all([cliRoot(probeArgs(ns.serverV4), NETLIFY_ENV), cliNs(probeArgs(ns.serverV4), RENDER_ENV)]);
    const fa = save('open-a.json', parse(runA, ProbeReport));
    const fb = save('open-b.json', parse(runB, ProbeReport));
    const r = await compareCli(fa, fb, true);
    const c = parse(r, CompareReport);
    expect(c.rows.map((x) => x.finding)).toEqual(['same', 'same', 'same']);
    expect(c.verdict.code).toBe('same');
    expect(c.verdict.summary).toContain('Netlify (us-east-2) and Render see the same on every port compared');
    expect(r.code).toBe(0);
  });

  describe('probe --compare URL: the CLI in the namespace (Render, DROP on 587), the probe server in the root namespace (Netlify)', () => {
    let web: RunningNodeServer;
    beforeAll(async () => {
      web = await startNodeServer({ port: 0, host: ns.serverV4, env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1', ...NETLIFY_ENV }, publicDir: null });
    });
    afterAll(async () => {
      await web?.shutdown(200);
    });

    it('prints the comparison: 587 gets out of Netlify but times out from Render', async () => {
      await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(P587), '-j', 'DROP']);
      const args = ['probe', ns.serverV4, '--ports', `${P587}:plain,${P2525}:plain`, ...FAST, '--allow-private', '--compare', `${web.url}/api/probe`];
      const run = await cliNs([...args, '--json', '--quiet'], { ...RENDER_ENV, SMTP_EGRESS_TOKEN: TOKEN });
      expect(run.code).toBe(1);
      const c = parse(run, CompareReport);
      expect(c.columns[0]?.platform.name).toBe('render');
      expect(c.columns[1]?.platform).toMatchObject({ name: 'netlify', region: 'us-east-2' });
      expect(row(c.rows, P587)).toMatchObject({ finding: 'egress_blocked', blocked: ['A'], a: { outcome: 'connect_timeout' }, b: { outcome: 'ok' } });
      expect(row(c.rows, P2525).finding).toBe('same');
      expect(c.verdict.code).toBe('egress_blocked');
      expect(c.verdict.summary).toContain(`Port ${P587} gets out of Netlify (us-east-2) but times out from Render: Render's egress blocks it. Use port ${P2525}`);

      const text = await cliNs(args, { ...RENDER_ENV, SMTP_EGRESS_TOKEN: TOKEN });
      expect(text.code).toBe(1);
      expect(text.stderr).toContain(`asking ${web.url}/api/probe for the same probe`);
      expect(text.stdout).toMatch(/A: Render .*\n(?:\s+own limits: .*\n)?\s+B: Netlify \(us-east-2\)/);
      expect(text.stdout).toMatch(new RegExp(`${P587}\\s+ipv4\\s+connect_timeout${wellKnown ? ' \\(own limit\\)' : ''}\\s+ok \\d+ms\\s+blocked from A`));
      expect(text.stdout).toContain('Verdict egress_blocked:');
    });

    it('when the namespace cannot reach the probe server at all, the local report is printed and the reason given', async () => {
      await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(web.port), '-j', 'REJECT', '--reject-with', 'icmp-net-unreachable']);
      const run = await cliNs(['probe', ns.serverV4, '--ports', `${P2525}:plain`, ...FAST, '--allow-private', '--json', '--quiet', '--compare', web.url], { ...RENDER_ENV, SMTP_EGRESS_TOKEN: TOKEN });
      expect(run.code).toBe(1);
      expect(parse(run, ProbeReport).attempts[0]?.outcome).toBe('ok');
      expect(run.stderr).toMatch(new RegExp(`--compare: cannot reach http://${ns.serverV4.replace(/\./g, '\\.')}:${web.port}/api/probe: ENETUNREACH`));
      expect(run.stderr).not.toContain(TOKEN);
    });
  });
});
