// Issue 15, point 8 (the smaller items): IPv6 prefixes that carry a private IPv4 or tunnel out;
// source-routed recipients (% and !) against an @domain allow-list; files that never end
// (/dev/zero) for `logs` and `check --env-file`; a remote probe answer counted while it streams;
// plain http for --compare only to loopback (NAT64 routes to the internet); and a cap on the
// log classifications one process queues. Real servers and the real CLI, loopback only.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedReason, embeddedIpv4 } from '../../lib/security/address-policy.ts';
import { fetchRemoteProbe, remoteProbeUrl } from '../../lib/http/remote-probe.ts';
import { handleSendTest } from '../../lib/http/send-test.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { handleClassifyLogs, MAX_QUEUED_CLASSIFICATIONS } from '../../lib/http/classify-logs.ts';
import { runCli } from '../helpers/cli.ts';
import { counter, probeAt, recordStats } from './support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'small-items-token-9f7d5b3a1c2e4068ace1';
const stats = counter();
afterAll(() => recordStats('small-items', stats.n));

describe('SSRF guard: IPv6 prefixes that embed or tunnel to IPv4', () => {
  it.each([
    ['::ffff:0:7f00:1', /loopback/], // IPv4-translated (SIIT) 127.0.0.1
    ['::ffff:0:a9fe:a9fe', /metadata/],
    ['64:ff9b:1::a00:1', /local-use NAT64/],
    ['2002:7f00:1::1', /loopback.*6to4/], // 6to4 of 127.0.0.1
    ['2002:a9fe:a9fe::1', /metadata.*6to4/],
    ['2002:c0a8:101::5', /192\.168.*6to4/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['2001::1', /Teredo/],
    ['fec0::1', /site-local/],
    ['fefe::1', /site-local/],
  ])('blocks %s', async (address, why) => {
    stats.add('ipv6Addresses');
    expect(blockedReason(address)).toMatch(why);
    // And the probe refuses it without a connection.
    const { report } = await probeAt({ host: address, port: 25, mode: 'plain', family: 'ipv6', policy: { allowPrivate: false, allowedHosts: [] } });
    expect(report.attempts[0]?.outcome).toBe('blocked_by_policy');
  });

  it('still allows public addresses in the same shapes', () => {
    expect(blockedReason('2002:808:808::1')).toBeNull(); // 6to4 of 8.8.8.8
    expect(blockedReason('::ffff:0:808:808')).toBeNull();
    expect(blockedReason('2606:4700::1111')).toBeNull();
    expect(embeddedIpv4('2002:c0a8:101::5')).toBe('192.168.1.1');
  });
});

describe('recipients: % and ! do not pass an @domain entry', () => {
  it.each(['victim%evil.test@allowed.test', 'evil.test!victim@allowed.test', 'a%b!c@allowed.test'])('%s -> 403, nothing sent (not even a dry run)', async (to) => {
    stats.add('routedRecipients');
    const env = { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOWED_RECIPIENTS: '@allowed.test', EMAIL_HOST: 'smtp.allowed.test', DEFAULT_FROM_EMAIL: 'noreply@allowed.test' };
    const req = new Request('http://localhost/api/send-test', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ to, dryRun: true }) });
    const res = await handleSendTest(req, nodeHandlerContext(env));
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(403);
    expect(body.error.message).toMatch(/% or ! in its local part/);
  });

  it('an exact entry still allows such an address, and plain ones pass the domain', async () => {
    const { recipientAllowed } = await import('../../lib/send/options.ts');
    expect(recipientAllowed('a%b@allowed.test', ['a%b@allowed.test'])).toBe(true);
    expect(recipientAllowed('ops+tag@allowed.test', ['@allowed.test'])).toBe(true);
  });
});

describe('files that never end', () => {
  it('logs /dev/zero: a size error, exit 2', async () => {
    stats.add('endlessFiles');
    const r = await runCli(['logs', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/zero is larger than \d+ bytes/);
  });

  it('check --settings-file /dev/zero: a size error, exit 2', async () => {
    stats.add('endlessFiles');
    const r = await runCli(['check', '--settings-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--settings-file \/dev\/zero is larger than 262144 bytes/);
  });
});

describe('the remote probe answer is counted while it streams', () => {
  it('an answer with no length that goes on and on: refused at 4 MiB, the rest never read', async () => {
    let sent = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = remoteProbeUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      await expect(fetchRemoteProbe({ url, token: TOKEN, input: {}, timeoutMs: 10_000 })).rejects.toThrow(/answered with more than 4194304 bytes/);
      stats.add('bytesSentByEndlessRemote', sent);
      expect(sent).toBeLessThan(16 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('probe --compare: plain http only to loopback', () => {
  it.each(['http://[64:ff9b::808:808]/api/probe', 'http://[64:ff9b:1::a00:1]/', 'http://[2002:a00:1::1]/', 'http://[::ffff:0:808:808]/', 'http://10.0.0.5:8080/'])('%s is refused', async (url) => {
    stats.add('plainHttpRefused');
    expect(() => remoteProbeUrl(url)).toThrow(/plain http to an address that is not loopback/);
    const r = await runCli(['probe', '127.0.0.1', '--ports', '1:plain', '--quiet', '--compare', url], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plain http to an address that is not loopback/);
  });

  it('NAT64, 6to4 and translated addresses stay refused even with --allow-private', () => {
    for (const url of ['http://[64:ff9b::808:808]/', 'http://[2002:a00:1::1]/', 'http://[::ffff:0:a00:1]/']) {
      expect(() => remoteProbeUrl(url, '--compare', { allowPrivate: true })).toThrow(/not loopback/);
    }
    expect(remoteProbeUrl('http://10.0.0.5:8080/', '--compare', { allowPrivate: true }).host).toBe('10.0.0.5:8080');
    expect(remoteProbeUrl('http://[::1]:8080/').pathname).toBe('/api/probe');
  });
});

describe('log classification does not pile up on the event loop', () => {
  // serve in a child process: a client in this process would stall with the server's event loop.
  let child: ReturnType<typeof spawn>;
  let url: string;
  const line = 'Dec  1 12:00:00 app[1]: smtplib.SMTPServerDisconnected: Connection unexpectedly closed\n';
  const body = JSON.stringify({ logs: line.repeat(Math.floor((1000 * 1024) / (line.length + 1))) }); // JSON writes each \n as two bytes
  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env: { ...process.env, SMTP_EGRESS_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
    });
  });
  afterAll(() => void child?.kill('SIGKILL'));
  const classify = async () => {
    const res = await fetch(`${url}/api/classify-logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), at: performance.now() };
  };

  it('a health request sent while 8 classifications of 1 MiB run is answered before most of them', async () => {
    const running = Array.from({ length: 8 }, () => classify());
    await new Promise((r) => setTimeout(r, 300));
    const res = await fetch(`${url}/api/health`);
    expect(res.status).toBe(200);
    const healthAt = performance.now();
    const done = await Promise.all(running);
    stats.add('classifyBodies', done.length);
    expect(done.every((d) => d.status === 200)).toBe(true);
    // Sliced, the server turns to the health request within a few slices; in one piece each,
    // it would answer it only after every queued classification.
    expect(done.filter((d) => d.at < healthAt).length).toBeLessThanOrEqual(4);
  });

  it(`more than ${MAX_QUEUED_CLASSIFICATIONS} at once: the excess gets 503 with Retry-After, the rest are answered`, async () => {
    // The handler itself, in this process: every request reaches the queue before the first
    // classification takes its turn, so the count is exact, whatever the machine's speed.
    const ctx = nodeHandlerContext({});
    const answers = await Promise.all(
      Array.from({ length: MAX_QUEUED_CLASSIFICATIONS + 4 }, async () => {
        const res = await handleClassifyLogs(new Request('http://localhost/api/classify-logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body }), ctx);
        await res.arrayBuffer();
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      }),
    );
    stats.add('classifyBodies', answers.length);
    expect(answers.filter((a) => a.status === 503).length).toBe(4);
    expect(answers.filter((a) => a.status === 200).length).toBe(MAX_QUEUED_CLASSIFICATIONS);
    for (const b of answers.filter((a) => a.status === 503)) expect(Number(b.retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
