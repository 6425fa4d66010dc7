// The early decision for connect_timeout, for real: the CLI runs inside a network namespace whose
// iptables rules drop SYNs to one port while another port of the same address is open (real
// smtp-server instances in the root namespace). Deterministic by construction: the rules that
// make a port "answer late" drop a fixed number of SYNs (iptables statistic nth), not a timed
// window. Needs root, iproute2 and iptables (with xt_statistic): skipped loudly, or failing when CI=true.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createClientNamespace, requireNetns, type ClientNamespace } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport, type Attempt } from '../../lib/model/probe-report.ts';
import { EARLY_EXTRA_CONNECTIONS, EARLY_MIN_ANSWER_MS, SYN_RETRANSMIT_MS } from '../../lib/smtp/timeouts.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/early-decision.test.ts');
/** Long enough that an early decision (about 1.1 s on this link) is clearly not the timeout. */
const CONNECT_MS = 3_000;

describe.skipIf(!canRun)('early decision for connect_timeout in a network namespace', () => {
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

  /** Two plain SMTP servers on the same address: one to block, one that answers (the reference). */
  async function twoPorts(): Promise<{ blocked: number; open: number }> {
    const [a, b] = await Promise.all([0, 1].map(() => startSmtpServer({ host: ns.serverV4, port: 0, noStarttls: true })));
    servers.push(a as RunningServer, b as RunningServer);
    return { blocked: (a as RunningServer).port, open: (b as RunningServer).port };
  }
  const drop = (port: number) => ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(port), '-j', 'DROP']);
  /** Drops only the first `n` SYNs to the port: each rule matches the first packet that reaches it. */
  const dropFirstSyns = async (port: number, n: number) => {
    for (let i = 0; i < n; i += 1) {
      await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(port), '--syn', '-m', 'statistic', '--mode', 'nth', '--every', '1000000000', '--packet', '0', '-j', 'DROP']);
    }
  };

  async function probe(ports: number[], extra: string[] = [], connectMs = CONNECT_MS): Promise<ProbeReport> {
    const run = await ns.exec(
      process.execPath,
      ['--import', 'tsx', 'cli/bin.ts', 'probe', ns.serverV4, '--ports', ports.map((p) => `${p}:plain`).join(','), '--connect-timeout', String(connectMs), '--timeout', '10000', '--json', '--quiet', '--allow-private', ...extra],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
    );
    try {
      return ProbeReport.parse(JSON.parse(run.stdout));
    } catch {
      throw new Error(`no JSON report (exit ${run.code}, ${run.wallMs} ms)\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
    }
  }
  const at = (r: ProbeReport, port: number): Attempt => {
    const a = r.attempts.find((x) => x.port === port);
    if (!a) throw new Error(`no attempt on ${port}: ${JSON.stringify(r.attempts.map((x) => [x.port, x.outcome]))}`);
    return a;
  };
  const info = (a: Attempt) => a.transcript.filter((l) => l.dir === 'info').map((l) => l.line);

  it('a dropped port next to an open one: decided early (6 unanswered SYNs, just past 1 s), well before the connect timeout, and the verdict says so', async () => {
    const { blocked, open } = await twoPorts();
    await drop(blocked);
    const report = await probe([blocked, open]);
    expect(at(report, open).outcome).toBe('ok');
    const a = at(report, blocked);
    expect(a.outcome).toBe('connect_timeout');
    expect(a.decision).toMatchObject({ decidedBy: 'early', connections: 1 + EARLY_EXTRA_CONNECTIONS, unansweredSyns: 2 + EARLY_EXTRA_CONNECTIONS, reference: { port: open } });
    const d = a.decision!;
    // Past the kernel's SYN re-send plus the answer window, and nowhere near the connect timeout.
    expect(d.ms).toBeGreaterThanOrEqual(SYN_RETRANSMIT_MS + EARLY_MIN_ANSWER_MS);
    expect(d.ms).toBeLessThan(CONNECT_MS / 2);
    expect(report.durationMs).toBeLessThan(CONNECT_MS / 2);
    expect(info(a).some((l) => l.includes(`${EARLY_EXTRA_CONNECTIONS} more connections from other source ports`))).toBe(true);
    expect(report.verdict.code).toBe('egress_blocked');
    expect(report.verdict.causes.join('\n')).toMatch(new RegExp(`Port ${blocked} over IPv4: no answer to 6 SYNs in 1\\.\\d s while ${open} on the same address answered in [\\d.]+ ms\\.`));
  });

  it('--decide full: the same dropped port waits the whole connect timeout, decidedBy "timeout", with the reference recorded', async () => {
    const { blocked, open } = await twoPorts();
    await drop(blocked);
    const report = await probe([blocked, open], ['--decide', 'full']);
    const a = at(report, blocked);
    expect(a.outcome).toBe('connect_timeout');
    expect(a.decision).toMatchObject({ decidedBy: 'timeout', connections: 1, reference: { port: open } });
    expect(a.decision!.ms).toBeGreaterThanOrEqual(CONNECT_MS - 20);
    // Linux sends SYNs at 0 and 1 s, then at 2 s (linear re-sends, Linux >= 6.7) or 3 s.
    expect([2, 3]).toContain(a.decision!.unansweredSyns);
    expect(info(a).some((l) => l.includes('more connections'))).toBe(false);
  });

  it('a port that answers late on its own connection (its first 5 SYNs dropped): reported as observed (ok), not connect_timeout', async () => {
    const { blocked, open } = await twoPorts();
    // The attempt's SYN and the 4 extra connections' SYNs are dropped; the re-sent SYN at 1 s passes.
    await dropFirstSyns(blocked, 1 + EARLY_EXTRA_CONNECTIONS);
    const report = await probe([blocked, open]);
    const a = at(report, blocked);
    expect(a.outcome).toBe('ok');
    expect(a.decision ?? null).toBeNull();
    expect(a.phases.connect).toBeGreaterThanOrEqual(SYN_RETRANSMIT_MS - 50);
    expect(a.phases.connect).toBeLessThan(CONNECT_MS);
    expect(info(a).some((l) => l.includes("the attempt's own connection was answered after"))).toBe(true);
  });

  it('a port whose first SYN only is lost: an extra connection is answered, carries the attempt (ok), the others are closed', async () => {
    const { blocked, open } = await twoPorts();
    await dropFirstSyns(blocked, 1);
    const report = await probe([blocked, open]);
    const a = at(report, blocked);
    expect(a.outcome).toBe('ok');
    expect(a.decision ?? null).toBeNull();
    expect(a.banner).toMatch(/^220 /);
    expect(a.phases.connect).toBeLessThan(SYN_RETRANSMIT_MS); // the extra's answer, not the kernel's re-send
    expect(info(a).some((l) => /^extra connection \d \(source port \d+\) was answered after \d+ ms/.test(l))).toBe(true);
  });

  it('every port dropped (no reference): today\'s behaviour, the whole connect timeout, decidedBy "timeout"', async () => {
    const { blocked, open } = await twoPorts();
    await drop(blocked);
    await drop(open);
    const connectMs = 1_500;
    const report = await probe([blocked, open], [], connectMs);
    for (const port of [blocked, open]) {
      const a = at(report, port);
      expect(a.outcome).toBe('connect_timeout');
      expect(a.decision).toMatchObject({ decidedBy: 'timeout', connections: 1, unansweredSyns: 2, reference: null });
      expect(a.decision!.ms).toBeGreaterThanOrEqual(connectMs - 20);
    }
    expect(report.verdict.code).toBe('egress_blocked_all');
    expect(report.verdict.causes.join('\n')).toContain(`Port ${blocked} over IPv4: no answer to 2 SYNs in 1.5 s.`);
  });
});
