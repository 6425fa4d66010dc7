// Egress faults for real: the CLI runs inside a network namespace whose iptables/ip6tables
// rules play the egress firewall (DROP -> connect_timeout, REJECT icmp-net-unreachable ->
// ENETUNREACH, tcp-reset -> ECONNREFUSED, IPv6 rejected or unrouted while IPv4 works), against
// real smtp-server instances in the root namespace bound to the veth address. Needs root,
// iproute2 and iptables: without them the suite is skipped loudly, or fails when CI=true.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createClientNamespace, requireNetns, type ClientNamespace, type ExecResult } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport, type Attempt } from '../../lib/model/probe-report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/probe-egress.test.ts');

describe.skipIf(!canRun)('probe egress faults in a network namespace', () => {
  let ns: ClientNamespace;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    ns = await createClientNamespace();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    if (ns) await ns.resetFirewall();
  });
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await ns?.cleanup();
  });

  /** A plain SMTP server (no STARTTLS, so the dialogue completes) on the veth address. */
  async function serve(host: string, port = 0): Promise<RunningServer> {
    const s = await startSmtpServer({ host, port, noStarttls: true });
    servers.push(s);
    return s;
  }
  /** One server per address family on the same port (the dual-family host name's two addresses). */
  async function serveBoth(): Promise<number> {
    for (let tries = 0; ; tries += 1) {
      const v4 = await serve(ns.serverV4);
      try {
        await serve(ns.serverV6, v4.port);
        return v4.port;
      } catch (e) {
        if (tries >= 5) throw e; // the port was taken on the v6 address: try another
      }
    }
  }
  const dropV4 = (port: number) => ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(port), '-j', 'DROP']);

  async function probeCli(host: string, args: string[]): Promise<{ run: ExecResult; report: ProbeReport }> {
    const run = await ns.exec(process.execPath, ['--import', 'tsx', 'cli/bin.ts', 'probe', host, '--json', '--allow-private', ...args], {
      cwd: ROOT,
      env: { ...process.env, SMTP_EGRESS_ALLOW_PRIVATE: '1', NO_COLOR: '1' },
    });
    let json: unknown;
    try {
      json = JSON.parse(run.stdout);
    } catch {
      throw new Error(`no JSON report (exit ${run.code}, ${run.wallMs} ms)\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    }
    return { run, report: ProbeReport.parse(json) };
  }
  /**
   * Ms from the moment the CLI starts probing (its "probing HOST on PORTS" progress line on
   * stderr) to the moment the process has exited. Node + tsx startup before that line takes
   * 0.7-3 s on a loaded 2-core machine and is not the probe's doing, so it is left out; the
   * report rendering, socket teardown and process exit are all in.
   */
  const probingToExitMs = (run: ExecResult): number => {
    const mark = run.stderrLines.find((l) => l.line.startsWith('probing '));
    if (!mark) throw new Error(`no "probing" progress line on stderr:\n${run.stderr}`);
    return run.wallMs - mark.t;
  };
  const attempt = (r: ProbeReport, port: number, family: 'ipv4' | 'ipv6' = 'ipv4'): Attempt => {
    const a = r.attempts.find((x) => x.port === port && x.family === family);
    if (!a) throw new Error(`no ${family} attempt on port ${port}: ${JSON.stringify(r.attempts.map((x) => [x.port, x.family, x.outcome]))}`);
    return a;
  };

  it('baseline: the namespace hosts file resolves the test name to both families, and both get through', async () => {
    const port = await serveBoth();
    const { run, report } = await probeCli(ns.hostName, ['--ports', String(port), '--connect-timeout', '800', '--timeout', '4000']);
    expect(report.target.addresses).toEqual(
      expect.arrayContaining([
        { address: ns.serverV4, family: 'ipv4' },
        { address: ns.serverV6, family: 'ipv6' },
      ]),
    );
    expect(attempt(report, port, 'ipv4')).toMatchObject({ outcome: 'ok', address: ns.serverV4, detectedMode: 'plain' });
    expect(attempt(report, port, 'ipv6')).toMatchObject({ outcome: 'ok', address: ns.serverV6, detectedMode: 'plain' });
    expect(report.verdict.code).toBe('all_ok');
    expect(run.code).toBe(0);
  });

  it('DROP -> connect_timeout, and the CLI run ends within the deadline + 1 s', async () => {
    const server = await serve(ns.serverV4); // listening: only the firewall stands in the way
    await dropV4(server.port);
    const totalMs = 2_500;
    const { run, report } = await probeCli(ns.serverV4, ['--ports', String(server.port), '--connect-timeout', '600', '--timeout', String(totalMs)]);
    const a = attempt(report, server.port);
    expect(a.outcome).toBe('connect_timeout');
    expect(a.errno).toBe('ETIMEDOUT');
    expect(a.phases.connect).toBeUndefined();
    expect(report.durationMs).toBeGreaterThanOrEqual(550);
    expect(report.durationMs).toBeLessThan(totalMs);
    // Ends with the connect timeout (not the deadline): no socket or timer keeps the process alive.
    expect(probingToExitMs(run)).toBeLessThan(600 + 1_000);
    expect(run.wallMs).toBeLessThan(totalMs + 1_000 + 4_000); // + Node/tsx startup on a busy machine
    expect(run.code).toBe(1);
  });

  it('DROP with the connect timeout as long as the deadline: the run still ends within the deadline + 1 s', async () => {
    const server = await serve(ns.serverV4);
    await dropV4(server.port);
    const totalMs = 2_000;
    // The CLI refuses a connect timeout longer than the whole probe; equal, the deadline races it.
    const { run, report } = await probeCli(ns.serverV4, ['--ports', String(server.port), '--connect-timeout', String(totalMs), '--timeout', String(totalMs)]);
    expect(attempt(report, server.port).outcome).toBe('connect_timeout');
    expect(report.durationMs).toBeGreaterThanOrEqual(totalMs - 50);
    expect(report.durationMs).toBeLessThan(totalMs + 250);
    expect(probingToExitMs(run)).toBeLessThan(totalMs + 1_000);
    expect(run.code).toBe(1);
  });

  it('REJECT icmp-net-unreachable -> network_unreachable (ENETUNREACH, Errno 101), at once', async () => {
    const server = await serve(ns.serverV4);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(server.port), '-j', 'REJECT', '--reject-with', 'icmp-net-unreachable']);
    const { run, report } = await probeCli(ns.serverV4, ['--ports', String(server.port), '--connect-timeout', '800', '--timeout', '3000']);
    const a = attempt(report, server.port);
    expect(a.outcome).toBe('network_unreachable');
    expect(a.errno).toBe('ENETUNREACH');
    expect(a.message).toMatch(/Errno 101/);
    expect(report.durationMs).toBeLessThan(500); // an ICMP answer, not a timeout
    expect(run.code).toBe(1);
  });

  it('REJECT tcp-reset -> connection_refused (ECONNREFUSED)', async () => {
    const server = await serve(ns.serverV4);
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(server.port), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    const { run, report } = await probeCli(ns.serverV4, ['--ports', String(server.port), '--connect-timeout', '800', '--timeout', '3000']);
    const a = attempt(report, server.port);
    expect(a.outcome).toBe('connection_refused');
    expect(a.errno).toBe('ECONNREFUSED');
    expect(report.durationMs).toBeLessThan(500);
    expect(run.code).toBe(1);
  });

  it('three ports dropped, one open -> egress_blocked, naming the port that works', async () => {
    const all = await Promise.all([0, 1, 2, 3].map(() => serve(ns.serverV4)));
    const [open, ...dropped] = all.map((s) => s.port) as [number, ...number[]];
    for (const p of dropped) await dropV4(p);
    const { run, report } = await probeCli(ns.serverV4, ['--ports', [...dropped, open].join(','), '--connect-timeout', '600', '--timeout', '3000']);
    for (const p of dropped) expect(attempt(report, p).outcome).toBe('connect_timeout');
    expect(attempt(report, open)).toMatchObject({ outcome: 'ok', detectedMode: 'plain' });
    expect(report.verdict.code).toBe('egress_blocked');
    expect(report.verdict.summary).toContain(`while port ${open} gets through`);
    for (const p of dropped) expect(report.verdict.summary).toContain(String(p));
    expect(report.verdict.fixes.some((f) => f.startsWith(`Use port ${open} with`))).toBe(true);
    expect(run.code).toBe(1);
  });

  it('IPv6 rejected (icmp6-no-route) while IPv4 works, on a dual-family name -> ipv6_only_failure', async () => {
    const port = await serveBoth();
    await ns.ip6tables(['-A', 'OUTPUT', '-d', ns.serverV6, '-p', 'tcp', '--dport', String(port), '-j', 'REJECT', '--reject-with', 'icmp6-no-route']);
    // A local ip6tables REJECT answers the first SYN while connect() still holds the socket lock,
    // and Linux drops that ICMPv6 (TcpExtLockDroppedIcmps); the error lands on the SYN
    // retransmitted after ~1 s. So this connect timeout must outlast one retransmission.
    const { run, report } = await probeCli(ns.hostName, ['--ports', String(port), '--connect-timeout', '1600', '--timeout', '3000']);
    expect(attempt(report, port, 'ipv6')).toMatchObject({ outcome: 'network_unreachable', errno: 'ENETUNREACH', address: ns.serverV6 });
    expect(attempt(report, port, 'ipv4')).toMatchObject({ outcome: 'ok', address: ns.serverV4 });
    expect(report.verdict.code).toBe('ipv6_only_failure');
    expect(report.verdict.summary).toMatch(/Errno 101/);
    // Every modelled client falls back to IPv4 at once: a note, not a failure, and never the
    // advice to put an IP address in EMAIL_HOST (Django 4+ checks the certificate against it).
    expect(report.verdict.findings[0]?.level).toBe('info');
    expect(report.verdict.fixes.join(' ')).not.toMatch(/connect to an IPv4 address/);
    expect(run.code).toBe(0);
  });

  it('no IPv6 route at all (Render has no outbound IPv6) while IPv4 works -> ipv6_only_failure', async () => {
    const port = await serveBoth();
    const route = ['-6', 'route', 'del', `${ns.serverV6.replace(/::1$/, '::')}/64`];
    await ns.ip(route);
    try {
      const { report } = await probeCli(ns.hostName, ['--ports', String(port), '--connect-timeout', '800', '--timeout', '3000']);
      expect(attempt(report, port, 'ipv6')).toMatchObject({ outcome: 'network_unreachable', errno: 'ENETUNREACH' });
      expect(attempt(report, port, 'ipv4').outcome).toBe('ok');
      expect(report.verdict.code).toBe('ipv6_only_failure');
    } finally {
      route[2] = 'add';
      await ns.ip([...route, 'dev', ns.clientInterface]);
    }
  });

  it('every port dropped -> egress_blocked_all', async () => {
    const all = await Promise.all([0, 1, 2].map(() => serve(ns.serverV4)));
    for (const s of all) await dropV4(s.port);
    const { run, report } = await probeCli(ns.serverV4, ['--ports', all.map((s) => s.port).join(','), '--connect-timeout', '400', '--timeout', '2000']);
    for (const s of all) expect(attempt(report, s.port).outcome).toBe('connect_timeout');
    expect(report.verdict.code).toBe('egress_blocked_all');
    expect(report.verdict.summary).toMatch(/^No SMTP port gets out/);
    expect(report.verdict.fixes.join(' ')).toMatch(/HTTPS mail API/);
    expect(run.code).toBe(1);
  });
});
