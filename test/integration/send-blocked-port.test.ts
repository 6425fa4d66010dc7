// A blocked SMTP port, for real: the CLI runs inside a network namespace whose egress firewall
// (iptables DROP) swallows the SYNs to one port, as Render's free plan does to 25/465/587.
// send-test must report connect_timeout within its deadline, not hang. A second port, not
// dropped, proves the namespace itself works. Needs root; skipped loudly without (failed in CI).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendResult } from '../../lib/model/send-report.ts';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;
if (!isRoot) {
  const why = 'send-blocked-port: needs root on Linux for network namespaces and iptables';
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: failing instead of skipping)`);
  console.warn(`\n${'!'.repeat(80)}\n!!! SKIPPED ${why}\n${'!'.repeat(80)}\n`);
}

// Unique per process: namespace, veth pair (<= 15 chars) and a /30 of its own.
const tag = `${process.pid % 100000}${Math.floor(Math.random() * 90 + 10)}`;
const NS = `se-send-${tag}`;
const VH = `ssh${tag}`;
const VN = `ssn${tag}`;
const octet = (process.pid % 200) + 20;
const HOST_IP = `10.213.${octet}.1`;
const NS_IP = `10.213.${octet}.2`;
const CONNECT_TIMEOUT_MS = 400;

let blocked: RunningServer;
let open: RunningServer;

async function sh(cmd: string, args: string[]) {
  await run(cmd, args, { timeout: 10_000 });
}

async function sendFromNamespace(port: number) {
  const args = ['netns', 'exec', NS, process.execPath, '--import', 'tsx', 'cli/bin.ts', 'send-test', '--to', 'inbox@example.test', '--from', 'app@example.test'];
  // plain SMTP: the test certificate does not name the veth address, and TLS is not the point here
  args.push('--host', HOST_IP, '--port', String(port), '--mode', 'plain', '--allow-private');
  args.push('--connect-timeout', String(CONNECT_TIMEOUT_MS), '--timeout', '8000', '--json');
  // async: the servers in this process must keep answering while the child runs
  const child = await run('ip', args, { cwd: ROOT, timeout: 30_000, env: { ...process.env, SMTP_EGRESS_ALLOWED_RECIPIENTS: '' } }).catch((e: { code?: number; stdout?: string; stderr?: string }) => e);
  return { code: (child as { code?: number }).code ?? 0, stdout: child.stdout ?? '', stderr: child.stderr ?? '' };
}

describe.skipIf(!isRoot)('send-test from a namespace whose egress drops one SMTP port', () => {
  beforeAll(async () => {
    await sh('ip', ['netns', 'add', NS]);
    await sh('ip', ['link', 'add', VH, 'type', 'veth', 'peer', 'name', VN]);
    await sh('ip', ['link', 'set', VN, 'netns', NS]);
    await sh('ip', ['addr', 'add', `${HOST_IP}/30`, 'dev', VH]);
    await sh('ip', ['link', 'set', VH, 'up']);
    await sh('ip', ['-n', NS, 'addr', 'add', `${NS_IP}/30`, 'dev', VN]);
    await sh('ip', ['-n', NS, 'link', 'set', VN, 'up']);
    await sh('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    const pki = testPki();
    blocked = await startSmtpServer({ tls: pki.valid, host: HOST_IP });
    open = await startSmtpServer({ tls: pki.valid, host: HOST_IP });
    await sh('ip', ['netns', 'exec', NS, 'iptables', '-A', 'OUTPUT', '-p', 'tcp', '-d', HOST_IP, '--dport', String(blocked.port), '-j', 'DROP']);
  });

  afterAll(async () => {
    await Promise.all([blocked?.close(), open?.close()]);
    await sh('ip', ['netns', 'del', NS]).catch(() => undefined);
    await sh('ip', ['link', 'del', VH]).catch(() => undefined);
  });

  it('the port that is not dropped delivers (the namespace works)', async () => {
    const r = await sendFromNamespace(open.port);
    expect(r.stderr.replace(/\(node:\d+\) Warning[\s\S]*$/, '')).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(SendResult.parse(JSON.parse(r.stdout))).toMatchObject({ sent: true, target: { address: HOST_IP } });
    expect(open.messages.length).toBe(1);
  });

  it('the dropped port -> connect_timeout within the connect timeout, exit 1, nothing delivered', async () => {
    const r = await sendFromNamespace(blocked.port);
    expect(r.code).toBe(1);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ sent: false, outcome: 'connect_timeout', errno: 'ETIMEDOUT', command: 'CONN' });
    expect(result.message).toMatch(new RegExp(`within ${CONNECT_TIMEOUT_MS} ms`));
    expect(result.durationMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(result.durationMs).toBeLessThan(CONNECT_TIMEOUT_MS + 2_000);
    expect(result.verdict.code).toMatch(/^egress_blocked/);
    expect(result.verdict.fixes.join(' ')).toMatch(/HTTPS mail API/);
    expect(blocked.messages.length).toBe(0);
  });
});
