// The two network outcomes the main egress file does not cover: dns_failed (inside a namespace
// whose resolver is a closed port on its own loopback, so no query leaves it) and
// host_unreachable (REJECT --reject-with icmp-host-unreachable, Python's [Errno 113]).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientNamespace, requireNetns, type ClientNamespace } from '../helpers/netns.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/egress/probe-dns-host.test.ts');

describe.skipIf(!canRun)('dns_failed and host_unreachable in a network namespace', () => {
  let ns: ClientNamespace;
  let server: RunningServer;
  beforeAll(async () => {
    ns = await createClientNamespace();
    // `ip netns exec` mounts /etc/netns/NAME/* over /etc: this namespace asks 127.0.0.1:53, where nothing listens.
    writeFileSync(`/etc/netns/${ns.name}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    server = await startSmtpServer({ host: ns.serverV4, noStarttls: true });
  });
  afterAll(async () => {
    await server?.close();
    await ns?.cleanup();
  });

  const probe = async (host: string, args: string[]) => {
    const run = await ns.exec(process.execPath, ['--import', 'tsx', 'cli/bin.ts', 'probe', host, '--json', '--quiet', '--allow-private', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    return { run, report: ProbeReport.parse(JSON.parse(run.stdout)) };
  };

  it('dns_failed: a name the resolver cannot answer, with the verdict saying so', async () => {
    const { run, report } = await probe('nowhere.egress.test', ['--ports', '587,2525', '--timeout', '4000']);
    expect(run.code).toBe(1);
    expect(report.attempts.map((a) => a.outcome)).toEqual(['dns_failed', 'dns_failed']);
    expect(report.attempts[0]?.errno).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(report.verdict.code).toBe('dns_failed');
    expect(report.verdict.summary).toContain('nowhere.egress.test');
  });

  it('dns_failed for one family only: --ipv6 on a name with only an A record', async () => {
    writeFileSync(`/etc/netns/${ns.name}/hosts`, `127.0.0.1 localhost\n${ns.serverV4} v4only.egress.test\n`);
    const { report } = await probe('v4only.egress.test', ['--ports', String(server.port), '--ipv6', '--timeout', '3000']);
    expect(report.attempts[0]).toMatchObject({ outcome: 'dns_failed', errno: 'ENODATA', family: 'ipv6' });
  });

  it('host_unreachable: REJECT with icmp-host-unreachable ([Errno 113])', async () => {
    await ns.iptables(['-A', 'OUTPUT', '-d', ns.serverV4, '-p', 'tcp', '--dport', String(server.port), '-j', 'REJECT', '--reject-with', 'icmp-host-unreachable']);
    try {
      const { report } = await probe(ns.serverV4, ['--ports', String(server.port), '--connect-timeout', '2000', '--timeout', '4000']);
      expect(report.attempts[0]).toMatchObject({ outcome: 'host_unreachable', errno: 'EHOSTUNREACH' });
      expect(report.attempts[0]?.message).toContain('Errno 113');
    } finally {
      await ns.resetFirewall();
    }
  });
});
