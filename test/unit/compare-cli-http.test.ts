// The adapters of compare: `smtp-egress compare` on files, POST /api/compare, `probe --compare URL`
// against a real server on loopback (the same lib/http handlers as `smtp-egress serve`), and
// scripts/smoke.mjs against that server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { startNodeServer, type RunningNodeServer } from '../../lib/http/node-server.ts';
import { handleCompare } from '../../lib/http/compare.ts';
import { ROUTES } from '../../lib/http/routes.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { CompareReport } from '../../lib/compare/compare.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { computeVerdict } from '../../lib/diagnosis/verdict.ts';
import { remoteProbeUrl } from '../../lib/http/remote-probe.ts';
import type { Attempt, Platform } from '../../lib/model/probe-report.ts';

const TOKEN = 'compare-test-token-0123456789abcdef';
const ctx = nodeHandlerContext({});

function attempt(port: number, outcome: Attempt['outcome']): Attempt {
  const ok = outcome === 'ok';
  return {
    port,
    mode: 'starttls',
    detectedMode: null,
    address: '192.0.2.25',
    family: 'ipv4',
    outcome,
    errno: ok ? null : 'ETIMEDOUT',
    message: ok ? 'ok' : `no answer on ${port}`,
    phases: ok ? { connect: 12 } : {},
    banner: ok ? '220 mx.example.com ESMTP' : null,
    capabilities: [],
    tls: null,
    auth: null,
    transcript: [],
  };
}
function report(platform: Platform, outcomes: [number, Attempt['outcome']][], host = 'mx.example.com'): ProbeReport {
  const attempts = outcomes.map(([p, o]) => attempt(p, o));
  return {
    schema: 'smtp-egress/probe@2',
    id: `${platform.name}-1`,
    tool: { name: 'smtp-egress', version: '0.1.0' },
    platform,
    startedAt: '2026-11-03T10:00:00.000Z',
    durationMs: 10,
    target: { host, addresses: [{ address: '192.0.2.25', family: 'ipv4' }], source: 'argument' },
    attempts,
    verdict: computeVerdict(attempts, platform, host),
  };
}
const NETLIFY: Platform = { name: 'netlify', region: 'us-east-2', runtime: 'node v20', deployContext: null };
const RENDER: Platform = { name: 'render', region: null, runtime: 'node v20', deployContext: null };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'smtp-egress-compare-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

describe('smtp-egress compare A.json B.json', () => {
  it('prints the table and the verdict; exit 1 on a difference', async () => {
    const a = file('netlify.json', report(NETLIFY, [[587, 'ok'], [2525, 'ok']]));
    const b = file('render.json', report(RENDER, [[587, 'connect_timeout'], [2525, 'ok']]));
    // 120 columns: wide enough for the table (below 100 it is one block per port).
    const r = await runCli(['compare', a, b], { COLUMNS: '120' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/587\s+ipv4\s+ok 12ms\s+connect_timeout \(own limit\)\s+blocked from B/);
    // The verdict wraps at the width: compare it with the line breaks taken out.
    expect(r.stdout.replace(/\n\s+/g, ' ')).toContain("Port 587 gets out of Netlify (us-east-2) but times out from Render: Render's egress blocks it. Use port 2525");
    expect(r.stderr).toBe('');
  });

  it('--json prints a valid smtp-egress/compare@2 report; exit 0 when both agree and all is ok', async () => {
    const a = file('a-ok.json', report(NETLIFY, [[587, 'ok']]));
    const b = file('b-ok.json', report(RENDER, [[587, 'ok']]));
    const r = await runCli(['compare', a, b, '--json']);
    expect(r.code).toBe(0);
    const c = CompareReport.parse(JSON.parse(r.stdout));
    expect(c.verdict.code).toBe('same');
    expect(c.columns.map((x) => x.platform.name)).toEqual(['netlify', 'render']);
    expect(c.columns.map((x) => x.source)).toEqual([a, b]);
  });

  it('reads one report from standard input with -', async () => {
    const a = file('a-stdin.json', report(NETLIFY, [[587, 'ok']]));
    const r = await runCli(['compare', a, '-', '--json'], {}, JSON.stringify(report(RENDER, [[587, 'connect_timeout']])));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ finding: 'egress_blocked', blocked: ['B'] });
  });

  it('usage errors exit 2; unreadable, invalid or incompatible reports name the file', async () => {
    const a = file('a.json', report(NETLIFY, [[587, 'ok']]));
    expect((await runCli(['compare', a])).code).toBe(2);
    expect((await runCli(['compare', a, a, a])).code).toBe(0); // three files of one host: a comparison, all ok
    expect((await runCli(['compare', a, a, '--color'])).code).toBe(2);
    expect((await runCli(['compare', '-', '-'])).stderr).toMatch(/only one report can come from standard input/);

    const missing = await runCli(['compare', a, path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);

    const notJson = await runCli(['compare', a, file('garbage.json', 'hello')]);
    expect(notJson.stderr).toMatch(/garbage\.json is not valid JSON/);

    const bad = report(RENDER, [[587, 'ok']]) as unknown as { attempts: { port: unknown }[] };
    (bad.attempts[0] as { port: unknown }).port = 'five-eight-seven';
    const invalid = await runCli(['compare', a, file('bad.json', bad)]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^smtp-egress compare: .*bad\.json is not a valid smtp-egress\/probe@2 report: attempts\.0\.port: /);

    const other = await runCli(['compare', a, file('other.json', report(RENDER, [[587, 'ok']], 'smtp.elsewhere.example'))]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/different targets: .*a\.json probed mx\.example\.com, .*other\.json probed smtp\.elsewhere\.example/);

    const v9 = await runCli(['compare', a, file('v9.json', { ...report(RENDER, [[587, 'ok']]), schema: 'smtp-egress/probe@9' })]);
    expect(v9.code).toBe(1);
    expect(v9.stderr).toMatch(/v9\.json is a smtp-egress\/probe@9 report, but smtp-egress .* compares smtp-egress\/probe@1 and smtp-egress\/probe@2 reports/);
  });

  it('--help shows the usage', async () => {
    const r = await runCli(['compare', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:\n  smtp-egress compare SOURCE SOURCE [SOURCE...]');
    expect((await runCli(['--help'])).stdout).toMatch(/compare\s+probe reports or deployed probes/);
  });
});

describe('POST /api/compare', () => {
  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    handleCompare(new Request('http://x/api/compare', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }), ctx);

  it('is in the route table, and needs no token', async () => {
    expect(ROUTES['/api/compare']).toBe(handleCompare);
    const res = await post({ a: report(NETLIFY, [[587, 'ok']]), b: report(RENDER, [[587, 'connect_timeout']]) });
    expect(res.status).toBe(200);
    const c = CompareReport.parse(await res.json());
    expect(c.verdict.code).toBe('egress_blocked');
    const three = await post({ reports: [report(NETLIFY, [[587, 'ok']]), report(RENDER, [[587, 'connect_timeout']]), report({ ...RENDER, name: 'local' }, [[587, 'ok']])] });
    expect(three.status).toBe(200);
    const c3 = CompareReport.parse(await three.json());
    expect(c3.columns.map((x) => x.label)).toEqual(['Netlify (us-east-2)', 'Render', 'this machine']);
    expect(c3.rows[0]).toMatchObject({ finding: 'egress_blocked', blocked: ['B'] });
  });

  it('answers errors with a code, a field and a message', async () => {
    const a = report(NETLIFY, [[587, 'ok']]);
    const get = await handleCompare(new Request('http://x/api/compare'), ctx);
    expect(get.status).toBe(405);
    expect((await post({ a })).status).toBe(400);
    expect(await (await post({ a })).json()).toEqual({ error: { code: 'missing_field', field: 'b', message: expect.stringContaining('reports is missing') } });
    expect((await (await post({ reports: [a] })).json()).error).toMatchObject({ code: 'invalid_input', field: 'reports', message: expect.stringContaining('two or more reports (got 1)') });
    expect((await (await post({ reports: a })).json()).error).toMatchObject({ code: 'invalid_input', field: 'reports' });
    expect((await (await post({ reports: [a, a], a })).json()).error.code).toBe('unknown_field');
    expect((await (await post({ a, b: a, c: 1 })).json()).error.code).toBe('unknown_field');
    expect((await post({ a, b: a }, { 'content-type': 'text/plain' })).status).toBe(415);
    const other = await post({ a, b: report(RENDER, [[587, 'ok']], 'other.example') });
    expect(other.status).toBe(400);
    expect((await other.json()).error).toMatchObject({ code: 'incompatible_reports', field: 'target.host' });
    const broken = await post({ a, b: { ...a, attempts: [{ port: 587 }] } });
    expect((await broken.json()).error).toMatchObject({ code: 'invalid_input', field: 'b.attempts.0.mode' });
  });

  it('takes bodies up to 2 MiB (reports with transcripts), not more', async () => {
    const big = report(NETLIFY, [[587, 'ok']]);
    (big.attempts[0] as Attempt).transcript = Array.from({ length: 6000 }, (_, i) => ({ dir: 'server' as const, line: `250-LINE ${i} ${'x'.repeat(100)}`, t: i }));
    const body = JSON.stringify({ reports: [big, big] });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    expect(body.length).toBeLessThan(2 * 1024 * 1024);
    expect((await post(body)).status).toBe(200);
    (big.attempts[0] as Attempt).transcript.push(...(big.attempts[0] as Attempt).transcript);
    expect((await post({ reports: [big, big] })).status).toBe(413);
  });
});

describe('remoteProbeUrl', () => {
  it('adds /api/probe to a bare origin, keeps a path, refuses clear-text http to public hosts and credentials', () => {
    expect(remoteProbeUrl('https://site.netlify.app').href).toBe('https://site.netlify.app/api/probe');
    expect(remoteProbeUrl('https://site.netlify.app/api/probe').href).toBe('https://site.netlify.app/api/probe');
    expect(remoteProbeUrl('http://127.0.0.1:8080').href).toBe('http://127.0.0.1:8080/api/probe');
    expect(remoteProbeUrl('http://[::1]:8080/api/probe').href).toBe('http://[::1]:8080/api/probe');
    expect(remoteProbeUrl('http://10.201.3.1:8080/api/probe', '--compare', { allowPrivate: true }).pathname).toBe('/api/probe');
    expect(() => remoteProbeUrl('http://10.201.3.1:8080/api/probe')).toThrow(/plain http to an address that is not loopback: .*--allow-private/);
    expect(() => remoteProbeUrl('http://site.example.com/api/probe')).toThrow(/plain http to an address that is not loopback/);
    expect(() => remoteProbeUrl('http://8.8.8.8/api/probe')).toThrow(/plain http to an address that is not loopback/);
    expect(() => remoteProbeUrl('https://user:pw@site.example.com/')).toThrow(/must not carry credentials/);
    expect(() => remoteProbeUrl('ftp://site.example.com/')).toThrow(/https/);
    expect(() => remoteProbeUrl('site.example.com')).toThrow(/is not a URL/);
  });
});

describe('probe --compare URL (loopback)', () => {
  let smtp: RunningServer;
  let web: RunningNodeServer;
  let closed: number;
  beforeAll(async () => {
    smtp = await startSmtpServer({ noStarttls: true });
    const tmp = await startSmtpServer({ noStarttls: true });
    closed = tmp.port;
    await tmp.close();
    web = await startNodeServer({ port: 0, host: '127.0.0.1', env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' }, publicDir: null });
  });
  afterAll(async () => {
    await web?.shutdown(100);
    await smtp?.close();
  });
  const args = () => ['probe', '127.0.0.1', '--ports', `${smtp.port}:plain,${closed}:plain`, '--connect-timeout', '500', '--timeout', '3000', '--allow-private', '--quiet'];

  it('probes here and there at once and prints the comparison', async () => {
    const r = await runCli([...args(), '--compare', web.url], { SMTP_EGRESS_TOKEN: TOKEN, COLUMNS: '120' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('smtp-egress compare 127.0.0.1');
    expect(r.stdout).toMatch(new RegExp(`${smtp.port}\\s+ipv4\\s+ok \\d+ms\\s+ok \\d+ms\\s+same`));
    expect(r.stdout).toMatch(new RegExp(`${closed}\\s+ipv4\\s+connection_refused\\s+connection_refused\\s+same`));
    expect(r.code).toBe(1); // a port fails from both sides
  });

  it('--json prints the compare report, A this machine and B the remote; exit 0 when all agree and succeed', async () => {
    const r = await runCli(['probe', '127.0.0.1', '--ports', `${smtp.port}:plain`, '--allow-private', '--quiet', '--json', '--compare', `${web.url}/api/probe`], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    const c = CompareReport.parse(JSON.parse(r.stdout));
    expect(c.rows).toHaveLength(1);
    expect(c.verdict.code).toBe('same');
    expect(c.columns.map((x) => x.label)).toEqual(['this machine (A)', 'this machine (B)']);
    expect(c.columns[0]?.reportId).not.toBe(c.columns[1]?.reportId);
  });

  it('shows progress on stderr unless --quiet', async () => {
    const r = await runCli(['probe', '127.0.0.1', '--ports', `${smtp.port}:plain`, '--allow-private', '--compare', web.url], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(r.stderr).toContain(`asking ${web.url}/api/probe for the same probe`);
  });

  it('without SMTP_EGRESS_TOKEN: a usage error before anything runs', async () => {
    const r = await runCli([...args(), '--compare', web.url], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--compare needs SMTP_EGRESS_TOKEN/);
    expect(r.stdout).toBe('');
  });

  it('a wrong token: the local report is still printed, then why there is no comparison', async () => {
    const r = await runCli([...args(), '--json', '--compare', web.url], { SMTP_EGRESS_TOKEN: 'wrong-token' });
    expect(r.code).toBe(1);
    expect(ProbeReport.parse(JSON.parse(r.stdout)).attempts).toHaveLength(2);
    expect(r.stderr).toMatch(/--compare: .*answered 401 unauthorized: .*Check that SMTP_EGRESS_TOKEN here holds the token that deployment has/);
    expect(r.stderr).not.toContain('wrong-token');
  });

  it('a deployment without a token, an unreachable URL, a non-probe URL: readable errors', async () => {
    const bare = await startNodeServer({ port: 0, host: '127.0.0.1', env: {}, publicDir: null });
    try {
      const r = await runCli([...args(), '--compare', bare.url], { SMTP_EGRESS_TOKEN: TOKEN });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/answered 503 token_not_configured: this deployment has no SMTP_EGRESS_TOKEN/);
    } finally {
      await bare.shutdown(100);
    }
    const down = await runCli([...args(), '--compare', `http://127.0.0.1:${closed}/api/probe`], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/probe: ECONNREFUSED/);
    const health = await runCli([...args(), '--compare', `${web.url}/api/health`], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(health.code).toBe(1);
    expect(health.stderr).toMatch(/answered 405|is not an smtp-egress probe report/);
    const plain = await runCli([...args(), '--compare', 'http://smtp-egress.example.com/api/probe'], { SMTP_EGRESS_TOKEN: TOKEN });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/plain http to an address that is not loopback/);
  });
});

describe('scripts/smoke.mjs BASE_URL', () => {
  let smtp: RunningServer;
  let web: RunningNodeServer;
  beforeAll(async () => {
    smtp = await startSmtpServer({ noStarttls: true });
    web = await startNodeServer({ port: 0, host: '127.0.0.1', env: { SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1' }, publicDir: null });
  });
  afterAll(async () => {
    await web?.shutdown(100);
    await smtp?.close();
  });

  const smoke = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const { CI: _ci, ...base } = process.env;
      const child = spawn(process.execPath, ['scripts/smoke.mjs', ...args], { env: { PATH: base.PATH ?? '', HOME: base.HOME ?? '/root', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('passes against a working deployment: health, config-check (or skipped), probe, compare', async () => {
    const r = await smoke([web.url], { SMTP_EGRESS_TOKEN: TOKEN, SMOKE_TARGET: '127.0.0.1', SMOKE_PORTS: `${smtp.port}:plain`, SMOKE_ALLOW_PRIVATE: '1', SMOKE_TIMEOUT_MS: '5000' });
    expect(r.stdout).toMatch(/ok {3}health: smtp-egress 0\.1\.0 on local; token configured/);
    expect(r.stdout).toMatch(/ok {3}config-check: the deployment's own settings: \d+ error\(s\), \d+ warning\(s\)|skip config-check/);
    expect(r.stdout).toMatch(new RegExp(`ok {3}probe: 127\\.0\\.0\\.1: ${smtp.port} ok; verdict all_ok`));
    expect(r.stdout).toMatch(/ok {3}compare: this machine \(A\) vs this machine \(B\): 1 same; verdict same/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('fails with a readable reason: wrong token, nothing listening, bad usage', async () => {
    const wrong = await smoke([web.url], { SMTP_EGRESS_TOKEN: 'nope', SMOKE_TARGET: '127.0.0.1', SMOKE_PORTS: `${smtp.port}:plain`, SMOKE_ALLOW_PRIVATE: '1' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/FAIL probe: .*answered 401 \(unauthorized: .*\): check SMTP_EGRESS_TOKEN/);
    expect(wrong.stdout).toMatch(/FAIL compare: .*answered 401/);
    expect(wrong.stdout).toMatch(/FAIL config-check: .*answered 401 .*check SMTP_EGRESS_TOKEN|skip config-check/);

    const skipped = await smoke([web.url], {});
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/skip probe: set SMOKE_TARGET/);
    expect(skipped.stdout).toMatch(/ok {3}config-check: a sample of settings: \d+ error\(s\)|skip config-check/);

    const tmp = await startSmtpServer();
    const deadPort = tmp.port;
    await tmp.close();
    const down = await smoke([`http://127.0.0.1:${deadPort}`], {});
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/FAIL health: cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/health: ECONNREFUSED/);
    expect(down.stdout).not.toMatch(/config-check/);

    expect((await smoke([], {})).code).toBe(2);
    expect((await smoke(['not a url'], {})).stderr).toMatch(/is not a URL/);
  }, 60_000);
});
