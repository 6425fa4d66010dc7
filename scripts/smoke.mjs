#!/usr/bin/env node
// Smoke check of a deployment (a Netlify deploy preview, production, or `smtp-egress serve`):
//
//   node scripts/smoke.mjs BASE_URL
//
//   1. GET  /api/health        answers 200 with {ok: true, tool: smtp-egress}
//   2.      /api/config-check  returns a smtp-egress/config@1 report: GET (the deployment's own
//                              settings) with the token, else POST of sample settings; skipped on 404
//   3. POST /api/probe         probes SMOKE_TARGET and returns a smtp-egress/probe@2 report
//   4. probe --compare         the same probe from this machine, compared with the deployment's
//
// Env: SMTP_EGRESS_TOKEN (the deployment's token; steps 3 and 4 need it), SMOKE_TARGET (host to
// probe; without it steps 3 and 4 are skipped), SMOKE_PORTS (e.g. 587,2525), SMOKE_TIMEOUT_MS
// (the probe's overall deadline, default 20000), SMOKE_ALLOW_PRIVATE=1 (let the local probe
// reach private addresses: tests), SMOKE_CLI (how to run the CLI, e.g. "node dist/smtp-egress.mjs";
// default: cli/bin.ts through tsx when installed, else dist/smtp-egress.mjs).
// Exit status: 0 every check passed (or was skipped), 1 a check failed (the reason is printed),
// 2 bad usage. A probe whose attempts fail still passes: the deployment answered with evidence.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const timeoutMs = Number(env.SMOKE_TIMEOUT_MS ?? 20_000);

class CheckFailed extends Error {}
const fail = (msg) => {
  throw new CheckFailed(msg);
};

function usage(msg) {
  process.stderr.write(`smoke: ${msg}\nusage: node scripts/smoke.mjs BASE_URL   (env: SMTP_EGRESS_TOKEN, SMOKE_TARGET, SMOKE_PORTS, SMOKE_TIMEOUT_MS, SMOKE_ALLOW_PRIVATE, SMOKE_CLI)\n`);
  process.exit(2);
}

const baseArg = process.argv[2];
if (!baseArg || process.argv.length > 3) usage('give exactly one BASE_URL, e.g. https://deploy-preview-12--SITE.netlify.app');
let base;
try {
  base = new URL(baseArg);
} catch {
  usage(`"${baseArg}" is not a URL`);
}
if (base.protocol !== 'https:' && base.protocol !== 'http:') usage(`${baseArg} must be an http(s) URL`);
if (!Number.isInteger(timeoutMs) || timeoutMs < 10 || timeoutMs > 55_000) usage('SMOKE_TIMEOUT_MS must be a whole number of ms from 10 to 55000');
const url = (path) => new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`).href;

/** fetch with a deadline; network errors become a readable failure. */
async function call(path, init = {}, ms = 15_000) {
  const target = url(path);
  let res;
  try {
    res = await fetch(target, { ...init, redirect: 'manual', signal: AbortSignal.timeout(ms) });
  } catch (e) {
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    fail(e.name === 'TimeoutError' ? `${target} did not answer within ${ms / 1000} s` : `cannot reach ${target}: ${cause}`);
  }
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: the caller decides */
  }
  return { res, body, text, target };
}

const errorOf = (body) => (body?.error ? `${body.error.code}: ${body.error.message}` : null);

async function health() {
  const { res, body, target } = await call('/api/health');
  if (res.status !== 200) fail(`${target} answered ${res.status}${errorOf(body) ? ` (${errorOf(body)})` : ''}; expected 200`);
  if (!body || body.ok !== true || body.tool?.name !== 'smtp-egress') fail(`${target} did not answer like smtp-egress (expected {"ok": true, "tool": {"name": "smtp-egress"}})`);
  if (env.SMTP_EGRESS_TOKEN && body.tokenConfigured === false) {
    fail('the deployment has no SMTP_EGRESS_TOKEN (tokenConfigured: false): set it in the deployment, the same value as here');
  }
  const p = body.platform ?? {};
  return `smtp-egress ${body.tool.version} on ${p.name ?? '?'}${p.region ? ` (${p.region})` : ''}${p.deployContext ? `, ${p.deployContext}` : ''}; token ${body.tokenConfigured ? 'configured' : 'not configured'}`;
}

/**
 * With the token: GET checks the deployment's own EMAIL_* settings (what the app really uses).
 * Without: POST a sample of Django settings, which proves the route works. 404: not deployed.
 */
async function configCheck() {
  const token = env.SMTP_EGRESS_TOKEN;
  const r = token
    ? await call('/api/config-check', { headers: { authorization: `Bearer ${token}` } })
    : await call('/api/config-check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ env: { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'False' } }),
      });
  if (r.res.status === 404 && !(r.body?.error && r.body.error.code !== 'not_found')) return { skipped: 'the route is not deployed (404)' };
  if (r.res.status !== 200) fail(`${r.target} answered ${r.res.status}${errorOf(r.body) ? ` (${errorOf(r.body)})` : ''}${r.res.status === 401 ? ': check SMTP_EGRESS_TOKEN' : ''}`);
  if (r.body?.schema !== 'smtp-egress/config@1' || !Array.isArray(r.body.findings)) fail(`${r.target} did not return a smtp-egress/config@1 report`);
  const c = r.body.counts ?? {};
  const what = token ? "the deployment's own settings" : 'a sample of settings';
  return `${what}: ${c.error ?? 0} error(s), ${c.warning ?? 0} warning(s)${r.body.settings?.host ? ` for ${r.body.settings.host}` : ''}`;
}

function probeInput() {
  const input = { host: env.SMOKE_TARGET, timeoutMs, connectTimeoutMs: Math.min(5_000, timeoutMs) };
  if (env.SMOKE_PORTS) input.ports = env.SMOKE_PORTS;
  return input;
}

async function remoteProbe() {
  if (!env.SMOKE_TARGET) return { skipped: 'set SMOKE_TARGET=host (and SMTP_EGRESS_TOKEN) to probe' };
  if (!env.SMTP_EGRESS_TOKEN) fail('SMOKE_TARGET is set but SMTP_EGRESS_TOKEN is not: the probe needs the deployment token');
  const { res, body, target } = await call(
    '/api/probe',
    { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${env.SMTP_EGRESS_TOKEN}` }, body: JSON.stringify(probeInput()) },
    timeoutMs + 15_000,
  );
  if (res.status !== 200) fail(`${target} answered ${res.status}${errorOf(body) ? ` (${errorOf(body)})` : ''}${res.status === 401 ? ': check SMTP_EGRESS_TOKEN' : ''}`);
  if (!['smtp-egress/probe@1', 'smtp-egress/probe@2'].includes(body?.schema) || !Array.isArray(body.attempts)) fail(`${target} did not return a smtp-egress/probe@2 report`);
  const outcomes = body.attempts.map((a) => `${a.port}${a.family === 'ipv6' ? '/v6' : ''} ${a.outcome}`).join(', ');
  return `${body.target.host}: ${outcomes || 'no attempts'}; verdict ${body.verdict.code}`;
}

function cliCommand() {
  if (env.SMOKE_CLI) {
    const parts = env.SMOKE_CLI.split(' ').filter(Boolean);
    return { cmd: parts[0], args: parts.slice(1) };
  }
  if (existsSync(join(ROOT, 'node_modules/tsx')) && existsSync(join(ROOT, 'cli/bin.ts'))) return { cmd: process.execPath, args: ['--import', 'tsx', join(ROOT, 'cli/bin.ts')] };
  if (existsSync(join(ROOT, 'dist/smtp-egress.mjs'))) return { cmd: process.execPath, args: [join(ROOT, 'dist/smtp-egress.mjs')] };
  fail('no CLI to run the local probe: npm install (for tsx), npm run build (for dist/smtp-egress.mjs), or set SMOKE_CLI');
}

function runCli(args, ms) {
  const { cmd, args: pre } = cliCommand();
  return new Promise((resolve) => {
    const child = spawn(cmd, [...pre, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function compareWithLocal() {
  if (!env.SMOKE_TARGET) return { skipped: 'set SMOKE_TARGET=host to compare with a local probe' };
  const args = ['probe', env.SMOKE_TARGET, '--compare', url('api/probe'), '--json', '--quiet', '--timeout', String(timeoutMs), '--connect-timeout', String(Math.min(5_000, timeoutMs))];
  if (env.SMOKE_PORTS) args.push('--ports', env.SMOKE_PORTS);
  if (/^(1|true|yes)$/i.test(env.SMOKE_ALLOW_PRIVATE ?? '')) args.push('--allow-private');
  const r = await runCli(args, timeoutMs * 2 + 20_000);
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    /* below */
  }
  const why = r.stderr.trim().split('\n').slice(-3).join(' ');
  if (report?.schema !== 'smtp-egress/compare@2') {
    fail(`the local probe --compare did not produce a comparison (exit ${r.code})${why ? `: ${why}` : ''}`);
  }
  const counts = {};
  for (const row of report.rows) counts[row.finding] = (counts[row.finding] ?? 0) + 1;
  return `${report.columns.map((c) => c.label).join(' vs ')}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; verdict ${report.verdict.code}: ${report.verdict.summary}`;
}

const CHECKS = [
  ['health', health],
  ['config-check', configCheck],
  ['probe', remoteProbe],
  ['compare', compareWithLocal],
];

let failed = 0;
process.stdout.write(`smoke: ${base.href}\n`);
for (const [name, check] of CHECKS) {
  try {
    const result = await check();
    if (result && typeof result === 'object' && result.skipped) process.stdout.write(`  skip ${name}: ${result.skipped}\n`);
    else process.stdout.write(`  ok   ${name}: ${result}\n`);
  } catch (e) {
    failed += 1;
    process.stdout.write(`  FAIL ${name}: ${e instanceof CheckFailed ? e.message : `unexpected error: ${e.message}`}\n`);
    if (name === 'health') break; // nothing else can work
  }
}
if (failed > 0) process.stderr.write(`smoke: ${failed} check(s) failed against ${base.href}\n`);
process.exitCode = failed > 0 ? 1 : 0;
