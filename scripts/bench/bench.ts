// The measurements of `npm run bench`, run by scripts/bench/run.sh inside the client namespace
// (seb-client) once the delay line and the servers are up. Every measured command runs under
// runstat.py (wall time around spawn/wait4, CPU and peak RSS from rusage), never in this
// process. Baselines run in the same rounds as the thing measured, in rotating order, so a
// change of load on the machine hits both sides of a ratio alike. Figures are medians.
// Writes bench/results.md and the README section between <!-- bench:start --> and <!-- bench:end -->.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BLOCKED_PORTS, CA, CLI, DELAY_MS, HOST, QUICK, ROOT, STD_PORTS, SERVER_V4, TMP, childEnv, kib, measure, median, mib, ms, policy, ratio, rotate, rttSamples, say, type Run } from './common.ts';

const CONNECT_TIMEOUT_MS = 3000;
const SCALE_PORTS = Array.from({ length: 64 }, (_, i) => 20000 + i);
const ROUNDS = { blocked: QUICK ? 1 : 5, open: QUICK ? 3 : 7, cold: QUICK ? 5 : 15, imports: QUICK ? 2 : 6, scale: QUICK ? 1 : 4 };

// --- the CLI as users run it -------------------------------------------------------------------
interface Attempt {
  port: number;
  family: string;
  outcome: string;
  phases: Record<string, number>;
  transcript: { dir: string; line: string; t: number }[];
}
interface Report {
  durationMs: number;
  attempts: Attempt[];
  verdict: { code: string };
}

/** Warnings the CLI printed (e.g. Node's MaxListenersExceededWarning): worth knowing, not fatal. */
const cliWarnings = new Set<string>();

async function egressProbe(ports: number[], extra: string[] = []): Promise<{ run: Run; report: Report }> {
  const run = await measure('node', [CLI, 'probe', HOST, '--ports', ports.join(','), '--connect-timeout', String(CONNECT_TIMEOUT_MS), '--allow-private', '--ca-file', CA, '--json', '--quiet', ...extra]);
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`smtp-egress printed no JSON report (exit ${run.code}):\n${run.stderr.slice(0, 2000)}`);
  }
  for (const line of run.stderr.split('\n')) if (/Warning/.test(line)) cliWarnings.add(line.replace(/^\(node:\d+\) /, '').trim());
  return { run, report };
}

// --- 1. blocked egress ---------------------------------------------------------------------------
const SWAKS_COMMON = ['--server', SERVER_V4, '--timeout', String(CONNECT_TIMEOUT_MS / 1000), '--helo', 'bench.test', '--from', 'bench@bench.test', '--to', 'bench@mail.test', '--quit-after', 'HELO'];
const swaksArgs = (port: number) => ['--port', String(port), ...SWAKS_COMMON, ...(port === 465 ? ['--tls-on-connect'] : ['--tls'])];

async function swaksSequential(): Promise<{ wallMs: number; codes: number[] }> {
  let wallMs = 0;
  const codes: number[] = [];
  for (const port of STD_PORTS) {
    const r = await measure('swaks', swaksArgs(port));
    wallMs += r.wallMs;
    codes.push(r.code);
  }
  return { wallMs, codes };
}

async function nodemailerSequential(): Promise<{ wallMs: number; results: { port: number; ok: boolean; code: string | null }[] }> {
  const r = await measure('node', [path.join(TMP, 'nodemailer-verify.mjs'), '--host', SERVER_V4, '--servername', HOST, '--ca', CA, '--ports', STD_PORTS.join(','), '--timeout', String(CONNECT_TIMEOUT_MS)]);
  return { wallMs: r.wallMs, results: JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') };
}

async function benchBlocked() {
  await policy(true);
  const egressWall: number[] = [];
  const egressVerdict: number[] = [];
  const egressEngine: number[] = [];
  const swaks: number[] = [];
  const nodemailer: number[] = [];
  const problems = new Set<string>();
  for (let i = 0; i < ROUNDS.blocked; i++) {
    const steps: (() => Promise<void>)[] = [
      async () => {
        // The fixed-timeout engine against the sequential tools; the early decision has its own
        // section (early.ts), with the default settings.
        const { run, report } = await egressProbe(STD_PORTS, ['--decide', 'full']);
        egressWall.push(run.wallMs);
        egressVerdict.push(run.firstOutMs ?? run.wallMs);
        egressEngine.push(report.durationMs);
        for (const a of report.attempts) {
          const want = BLOCKED_PORTS.includes(a.port) ? 'connect_timeout' : 'ok';
          if (a.outcome !== want) problems.add(`smtp-egress: port ${a.port} ${a.family} gave ${a.outcome}, expected ${want}`);
        }
      },
      async () => {
        const r = await swaksSequential();
        swaks.push(r.wallMs);
        r.codes.forEach((c, k) => {
          const blocked = BLOCKED_PORTS.includes(STD_PORTS[k] as number);
          if ((c === 0) === blocked) problems.add(`swaks: port ${STD_PORTS[k]} exit ${c}`);
        });
      },
      async () => {
        const r = await nodemailerSequential();
        nodemailer.push(r.wallMs);
        for (const x of r.results) if (x.ok === BLOCKED_PORTS.includes(x.port)) problems.add(`nodemailer: port ${x.port} ${x.ok ? 'ok' : x.code}`);
      },
    ];
    for (const step of rotate(steps, i)) await step();
    say(`  blocked ${i + 1}/${ROUNDS.blocked}: smtp-egress ${ms(egressVerdict.at(-1) ?? NaN)} (exit ${ms(egressWall.at(-1) ?? NaN)}), swaks x4 ${ms(swaks.at(-1) ?? NaN)}, nodemailer x4 ${ms(nodemailer.at(-1) ?? NaN)}`);
  }
  await policy(false);
  return { egressWall: median(egressWall), egressVerdict: median(egressVerdict), egressEngine: median(egressEngine), swaks: median(swaks), nodemailer: median(nodemailer), problems: [...problems] };
}

// --- 2. open egress --------------------------------------------------------------------------------
const OPENSSL_COMMON = ['-servername', HOST, '-CAfile', CA, '-verify_return_error', '-brief'];
const opensslArgs = (port: number) => ['s_client', '-connect', `${SERVER_V4}:${port}`, ...(port === 465 ? [] : ['-starttls', 'smtp', '-name', 'bench.test']), ...OPENSSL_COMMON];
/** Round trips to a verdict per mode: connect, greeting, EHLO, STARTTLS, TLS 1.3, EHLO / connect, TLS 1.3, greeting, EHLO. */
const FLOOR_RTT = { starttls: 6, 'implicit-tls': 4 };

async function benchOpen() {
  await policy(false);
  const rtts: number[] = [];
  const egressWall: number[] = [];
  const egressVerdict: number[] = [];
  const egressEngine: number[] = [];
  const dialogueDone: number[] = [];
  const openssl: number[] = [];
  const phaseSamples: Record<string, number[]> = {};
  const problems = new Set<string>();
  for (let i = 0; i < ROUNDS.open; i++) {
    const steps: (() => Promise<void>)[] = [
      async () => {
        rtts.push(...(await rttSamples(3)));
      },
      async () => {
        const { run, report } = await egressProbe(STD_PORTS);
        egressWall.push(run.wallMs);
        egressVerdict.push(run.firstOutMs ?? run.wallMs);
        egressEngine.push(report.durationMs);
        // When the verdict was known: the last EHLO answered, i.e. when QUIT was sent.
        let done = 0;
        for (const a of report.attempts) {
          if (a.outcome !== 'ok') problems.add(`smtp-egress: port ${a.port} ${a.family} gave ${a.outcome}`);
          const quit = a.transcript.find((l) => l.dir === 'client' && l.line === 'QUIT');
          if (quit) done = Math.max(done, (a.phases.dns ?? 0) + quit.t);
          if (a.port === 587 && a.family === 'ipv4') {
            for (const [k, v] of Object.entries(a.phases)) (phaseSamples[k] ??= []).push(v);
            const bye = a.transcript.find((l) => l.dir === 'server' && l.line.startsWith('221'));
            if (quit && bye) (phaseSamples.quit ??= []).push(bye.t - quit.t);
          }
        }
        dialogueDone.push(done);
      },
      async () => {
        let wall = 0;
        for (const port of STD_PORTS) {
          const r = await measure('openssl', opensslArgs(port));
          wall += r.wallMs;
          if (r.code !== 0) problems.add(`openssl s_client: port ${port} exit ${r.code}: ${r.stderr.slice(0, 200)}`);
        }
        openssl.push(wall);
      },
    ];
    for (const step of rotate(steps, i)) await step();
    say(`  open ${i + 1}/${ROUNDS.open}: smtp-egress engine ${ms(egressEngine.at(-1) ?? NaN)}, verdict printed ${ms(egressVerdict.at(-1) ?? NaN)}, exit ${ms(egressWall.at(-1) ?? NaN)}, openssl x4 ${ms(openssl.at(-1) ?? NaN)}`);
  }
  const rtt = median(rtts);
  const phases: Record<string, number> = {};
  for (const [k, v] of Object.entries(phaseSamples)) phases[k] = median(v);
  return {
    rtt,
    rttMin: Math.min(...rtts),
    floor: Math.max(FLOOR_RTT.starttls, FLOOR_RTT['implicit-tls']) * rtt,
    egressWall: median(egressWall),
    egressVerdict: median(egressVerdict),
    egressEngine: median(egressEngine),
    dialogueDone: median(dialogueDone),
    openssl: median(openssl),
    phases,
    problems: [...problems],
  };
}

// --- 3. cold start -----------------------------------------------------------------------------------
interface BundleInfo {
  file: string;
  bytes: number;
  inputs: number | null;
  awsSdkBytes: number | null;
  deferredBytes?: number;
}

async function benchCold() {
  const nodeWall: number[] = [];
  const nodeCpu: number[] = [];
  const cliWall: number[] = [];
  const cliCpu: number[] = [];
  const helpWall: number[] = [];
  const helpCpu: number[] = [];
  for (let i = 0; i < ROUNDS.cold; i++) {
    const steps: (() => Promise<void>)[] = [
      async () => {
        const r = await measure('node', ['-e', '0']);
        nodeWall.push(r.wallMs);
        nodeCpu.push(r.cpuMs);
      },
      async () => {
        const r = await measure('node', [CLI, '--version']);
        if (r.code !== 0) throw new Error(`smtp-egress --version failed: ${r.stderr}`);
        cliWall.push(r.wallMs);
        cliCpu.push(r.cpuMs);
      },
      async () => {
        // Loads the probe command's module (what every probe pays before the engine starts).
        const r = await measure('node', [CLI, 'probe', '--help']);
        if (r.code !== 0) throw new Error(`smtp-egress probe --help failed: ${r.stderr}`);
        helpWall.push(r.wallMs);
        helpCpu.push(r.cpuMs);
      },
    ];
    for (const step of rotate(steps, i)) await step();
  }
  // Import time of each function module, as Netlify bundles it, in a fresh process each time.
  const fnDir = path.join(TMP, 'fn');
  const imports: Record<string, number> = {};
  const importScript = "const t = performance.now(); await import(process.env.BENCH_FN); console.log(performance.now() - t);";
  for (const f of readdirSync(fnDir).filter((f) => f.endsWith('.mjs')).sort()) {
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS.imports; i++) {
      childEnv.BENCH_FN = `file://${path.join(fnDir, f)}`;
      const r = await measure('node', ['--input-type=module', '-e', importScript]);
      delete childEnv.BENCH_FN;
      if (r.code !== 0) throw new Error(`importing ${f} failed: ${r.stderr.slice(0, 1000)}`);
      samples.push(Number(r.stdout.trim()));
    }
    imports[f.replace(/\.mjs$/, '')] = median(samples);
  }
  const bundles = JSON.parse(readFileSync(path.join(TMP, 'bundles.json'), 'utf8')) as Record<string, BundleInfo>;
  return { nodeWall: median(nodeWall), nodeCpu: median(nodeCpu), cliWall: median(cliWall), cliCpu: median(cliCpu), helpWall: median(helpWall), helpCpu: median(helpCpu), imports, bundles };
}

// --- 4. scale ------------------------------------------------------------------------------------------
interface ScaleOut {
  cpuMs: number;
  wallMs: number;
  maxRssKb: number;
  rssBeforeKb: number;
  attempts: number;
  outcomes: Record<string, number>;
}
const SCALE_CASES = [
  { key: 'p1', label: '1 target x 1 port', hosts: [HOST], ports: [2525] },
  { key: 'p64', label: '1 target x 64 ports', hosts: [HOST], ports: SCALE_PORTS },
  { key: 't1', label: '1 target x 4 ports', hosts: [HOST], ports: STD_PORTS },
  { key: 't50', label: '50 targets x 4 ports', hosts: Array.from({ length: 50 }, (_, i) => `t${i + 1}.mail.test`), ports: STD_PORTS },
] as const;

async function benchScale() {
  await policy(false);
  const samples: Record<string, ScaleOut[]> = {};
  const problems = new Set<string>();
  for (let i = 0; i < ROUNDS.scale; i++) {
    const steps = SCALE_CASES.map((c) => async () => {
      const r = await measure('node', [path.join(TMP, 'scale-runner.mjs'), '--hosts', c.hosts.join(','), '--ports', c.ports.join(','), '--ca', CA]);
      if (r.code !== 0) throw new Error(`scale runner (${c.label}) failed: ${r.stderr.slice(0, 1000)}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ScaleOut;
      for (const [k, n] of Object.entries(out.outcomes)) if (k !== 'ok') problems.add(`${c.label}: ${n} x ${k}`);
      (samples[c.key] ??= []).push({ ...out, cpuMs: r.cpuMs });
    });
    for (const step of rotate(steps, i)) await step();
    say(`  scale ${i + 1}/${ROUNDS.scale}: ${SCALE_CASES.map((c) => `${c.label} ${ms(samples[c.key]?.at(-1)?.wallMs ?? NaN)}`).join(', ')}`);
  }
  const out: Record<string, { label: string; attempts: number; wallMs: number; cpuMs: number; maxRssKb: number; rssBeforeKb: number }> = {};
  for (const c of SCALE_CASES) {
    const s = samples[c.key] ?? [];
    out[c.key] = { label: c.label, attempts: s[0]?.attempts ?? 0, wallMs: median(s.map((x) => x.wallMs)), cpuMs: median(s.map((x) => x.cpuMs)), maxRssKb: median(s.map((x) => x.maxRssKb)), rssBeforeKb: median(s.map((x) => x.rssBeforeKb)) };
  }
  return { cases: out, problems: [...problems] };
}

// --- report ------------------------------------------------------------------------------------------------
const loadStart = os.loadavg();
const started = new Date();
say(`rounds: blocked ${ROUNDS.blocked}, open ${ROUNDS.open}, cold ${ROUNDS.cold}, imports ${ROUNDS.imports}, scale ${ROUNDS.scale}${QUICK ? ' (--quick)' : ''}`);
say('1/4 blocked egress');
const blocked = await benchBlocked();
say('2/4 open egress');
const open = await benchOpen();
say('3/4 cold start');
const cold = await benchCold();
say('4/4 scale');
const scale = await benchScale();
const loadEnd = os.loadavg();

const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
const blockedIdeal = CONNECT_TIMEOUT_MS + open.rtt;
const fasterSeq = Math.min(blocked.swaks, blocked.nodemailer);
const t1 = {
  ideal: blocked.egressVerdict <= 1.1 * blockedIdeal,
  seq: blocked.egressVerdict <= 0.4 * fasterSeq,
};
const t2 = open.egressEngine <= 1.2 * open.floor;
const t3 = cold.cliWall <= 2 * cold.nodeWall;
const sc = scale.cases;
const p1 = sc.p1!;
const p64 = sc.p64!;
const st1 = sc.t1!;
const st50 = sc.t50!;
const cliBundle = cold.bundles['cli (dist/smtp-egress.mjs)'];
const probeCmd = cold.bundles['cli probe command (its import graph)'];
const probeFn = cold.bundles['function probe'];
const sesFree = (b: BundleInfo | undefined) => b !== undefined && b.awsSdkBytes === 0;

const cpus = os.cpus();
const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores (shared), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}`;
const rttRound = open.rtt / DELAY_MS / 2;

const lines: string[] = [];
const L = (s = '') => lines.push(s);
L('# Benchmarks');
L();
L(`Generated by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (scripts/bench/) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
L();
L(`- Machine: ${machine}; load average ${loadStart[0]?.toFixed(1)} at the start, ${loadEnd[0]?.toFixed(1)} at the end.`);
L(`- Network: two network namespaces joined by a user-space delay line (a TUN device per side, packets passed over a unix socket and held ${DELAY_MS} ms each way). Measured RTT (TCP connect, IPv4 and IPv6): median ${open.rtt.toFixed(1)} ms, min ${open.rttMin.toFixed(1)} ms (${rttRound.toFixed(2)} x the nominal ${2 * DELAY_MS} ms).`);
L('- Servers: smtp-server (the real library) on 25, 587, 2525 (STARTTLS), 465 (implicit TLS) and 64 scale ports; TLS 1.3, RSA-2048 certificate from a private CA.');
L('- `dist/smtp-egress.mjs` is built by `npm run build` at the start of the run (and measured from a copy); the functions are bundled with esbuild as Netlify does, one file each.');
L('- Every figure is a median over the rounds given; baselines ran in the same rounds, interleaved in rotating order. Times are wall-clock from the start of the process (node start-up included): "verdict printed" is the first byte of the report on stdout, "exit" the end of the process; "engine" is the report\'s own `durationMs` (resolve to verdict). Baselines print as they go and are timed to their exit.');
L();
L(`## 1. Blocked egress: 25/465/587 dropped, 2525 open, connect timeout ${CONNECT_TIMEOUT_MS / 1000} s, fixed-timeout engine (\`--decide full\`; ${ROUNDS.blocked} rounds)`);
L();
L('| measured | median | compared with | ratio | target | |');
L('|---|---|---|---|---|---|');
L(`| smtp-egress, 4 ports x IPv4+IPv6 (\`node dist/smtp-egress.mjs probe --json\`), verdict printed | ${ms(blocked.egressVerdict)} | connect timeout + 1 RTT = ${ms(blockedIdeal)} | ${ratio(blocked.egressVerdict, blockedIdeal)} | <= 1.1 x | ${mark(t1.ideal)} |`);
L(`| same | ${ms(blocked.egressVerdict)} | faster sequential baseline = ${ms(fasterSeq)} | ${ratio(blocked.egressVerdict, fasterSeq)} | <= 0.4 x | ${mark(t1.seq)} |`);
L(`| same, process exit | ${ms(blocked.egressWall)} | connect timeout + 1 RTT | ${ratio(blocked.egressWall, blockedIdeal)} | | |`);
L(`| engine only (\`durationMs\`) | ${ms(blocked.egressEngine)} | connect timeout + 1 RTT | ${ratio(blocked.egressEngine, blockedIdeal)} | | |`);
L(`| swaks \`--timeout 3\`, 4 ports one after another (IPv4) | ${ms(blocked.swaks)} | | | | |`);
L(`| nodemailer \`verify()\`, connectionTimeout 3 s, 4 ports one after another (IPv4) | ${ms(blocked.nodemailer)} | | | | |`);
L();
L('## 2. Open egress: full 4-port probe with TLS vs the physical floor (' + ROUNDS.open + ' rounds)');
L();
L(`Floor = round trips a dialogue needs x measured RTT: STARTTLS 6 (connect, greeting, EHLO, STARTTLS, TLS 1.3 handshake, EHLO), implicit TLS 4; ports run concurrently, so the floor is 6 x ${open.rtt.toFixed(1)} ms = ${ms(open.floor)}.`);
L();
L('| measured | median | compared with | ratio | target | |');
L('|---|---|---|---|---|---|');
L(`| smtp-egress engine, 4 ports x IPv4+IPv6, TLS verified (\`durationMs\`) | ${ms(open.egressEngine)} | floor ${ms(open.floor)} | ${ratio(open.egressEngine, open.floor)} | <= 1.2 x | ${mark(t2)} |`);
L(`| smtp-egress engine, until the last attempt sent QUIT (verdict known) | ${ms(open.dialogueDone)} | floor | ${ratio(open.dialogueDone, open.floor)} | | |`);
L(`| smtp-egress CLI, verdict printed (node start-up included) | ${ms(open.egressVerdict)} | floor | ${ratio(open.egressVerdict, open.floor)} | | |`);
L(`| smtp-egress CLI, process exit | ${ms(open.egressWall)} | floor | ${ratio(open.egressWall, open.floor)} | | |`);
L(`| \`openssl s_client\` (-starttls smtp / implicit), 4 ports one after another (IPv4), process times summed | ${ms(open.openssl)} | floor | ${ratio(open.openssl, open.floor)} | | |`);
L(`| smtp-egress CLI (exit) vs openssl one port after another | ${ms(open.egressWall)} | openssl ${ms(open.openssl)} | ${ratio(open.egressWall, open.openssl)} | | |`);
L();
L(`Phases of the 587/IPv4 attempt (engine, medians, in RTTs of ${open.rtt.toFixed(1)} ms): ${Object.entries(open.phases)
  .map(([k, v]) => `${k === 'tls' ? 'STARTTLS+TLS' : k === 'quit' ? 'QUIT->221' : k} ${Math.round(v)} ms (${(v / open.rtt).toFixed(1)})`)
  .join(', ')}; the second EHLO is not a separate phase in the report.`);
L();
L(`## 3. Cold start (${ROUNDS.cold} rounds; imports ${ROUNDS.imports})`);
L();
L('| measured | median wall | median CPU (user+sys) | compared with | ratio wall / CPU | target | |');
L('|---|---|---|---|---|---|---|');
L(`| \`node dist/smtp-egress.mjs --version\` | ${ms(cold.cliWall)} | ${ms(cold.cliCpu)} | \`node -e 0\`: ${ms(cold.nodeWall)} / ${ms(cold.nodeCpu)} | ${ratio(cold.cliWall, cold.nodeWall)} / ${ratio(cold.cliCpu, cold.nodeCpu)} | <= 2 x | ${mark(t3)} |`);
L(`| \`node dist/smtp-egress.mjs probe --help\` (loads the probe command) | ${ms(cold.helpWall)} | ${ms(cold.helpCpu)} | \`node -e 0\` | ${ratio(cold.helpWall, cold.nodeWall)} / ${ratio(cold.helpCpu, cold.nodeCpu)} | | |`);
L();
L('| bundle | size | of which deferred data: modules | inputs | SES SDK (@aws-sdk/@smithy) inside | import time (fresh process) |');
L('|---|---|---|---|---|---|');
for (const [name, b] of Object.entries(cold.bundles)) {
  const imp = name.startsWith('function ') ? cold.imports[name.slice(9)] : undefined;
  const ses = b.awsSdkBytes === null ? (b.deferredBytes ? 'only in deferred modules (send-test)' : '-') : b.awsSdkBytes ? kib(b.awsSdkBytes) : 'none';
  L(`| ${name} | ${kib(b.bytes)} | ${b.deferredBytes === undefined ? '-' : kib(b.deferredBytes)} | ${b.inputs ?? '-'} | ${ses} | ${imp === undefined ? '-' : ms(imp)} |`);
}
L();
L('Functions are bundled by esbuild the way Netlify\'s esbuild bundler does it (one ESM file, dependencies inlined); the import time is `await import()` of that file in a fresh `node`.');
L();
L(`## 4. Scale (${ROUNDS.scale} rounds; engine in one fresh process per run, all probes at once, IPv4+IPv6)`);
L();
L('| case | attempts | wall (engine) | CPU (process) | peak RSS | RSS before probing | wall vs base | CPU vs base | peak RSS vs base |');
L('|---|---|---|---|---|---|---|---|---|');
const scaleRow = (c: typeof p1, base: typeof p1 | null) =>
  L(`| ${c.label} | ${c.attempts} | ${ms(c.wallMs)} | ${ms(c.cpuMs)} | ${mib(c.maxRssKb)} | ${mib(c.rssBeforeKb)} | ${base ? ratio(c.wallMs, base.wallMs) : 'base'} | ${base ? ratio(c.cpuMs, base.cpuMs) : 'base'} | ${base ? ratio(c.maxRssKb, base.maxRssKb) : 'base'} |`);
scaleRow(p1, null);
scaleRow(p64, p1);
scaleRow(st1, null);
scaleRow(st50, st1);
L();
L(`Memory per extra attempt: ${((p64.maxRssKb - p1.maxRssKb) / (p64.attempts - p1.attempts)).toFixed(0)} KiB (64 ports), ${((st50.maxRssKb - st1.maxRssKb) / (st50.attempts - st1.attempts)).toFixed(0)} KiB (50 targets).`);
const problems = [...blocked.problems, ...open.problems, ...scale.problems, ...[...cliWarnings].map((w) => `the CLI printed on stderr: ${w}`)];
if (problems.length) {
  L();
  L('## Unexpected outcomes and warnings');
  L();
  for (const p of problems) L(`- ${p}`);
}
L();
L('## Targets missed: why, and what would fix it');
L();
const notes: string[] = [];
const startup = blocked.egressVerdict - blocked.egressEngine;
if (!t1.ideal) {
  notes.push(
    `- Blocked egress vs connect timeout + 1 RTT (${ratio(blocked.egressVerdict, blockedIdeal)}): the engine itself took ${ms(blocked.egressEngine)} (${ratio(blocked.egressEngine, blockedIdeal)}); the other ${ms(startup)} before the verdict is printed are the CLI process around it: node start-up, loading the bundle and the probe command, writing the report. ` +
      `The probe does not wait port after port. What would fix it is the cold start (section 3): the target leaves ${ms(1.1 * blockedIdeal - blocked.egressEngine)} for it, \`node -e 0\` alone took ${ms(cold.nodeWall)} in this run.`,
  );
}
if (!t1.seq) {
  notes.push(
    `- Blocked egress vs sequential tools (${ratio(blocked.egressVerdict, fasterSeq)}): the engine alone is at ${ratio(blocked.egressEngine, fasterSeq)}; the rest is the start-up of the CLI process, as above.`,
  );
}
if (!t2) {
  const over = (phase: string, rtts: number) => (open.phases[phase] ?? NaN) - rtts * open.rtt;
  const overs: [string, number][] = [
    ['connect', over('connect', 1)],
    ['greeting', over('greeting', 1)],
    ['EHLO', over('ehlo', 1)],
    ['STARTTLS+TLS', over('tls', 2)],
  ];
  const extraTrip = overs.filter(([, v]) => v > 0.5 * open.rtt).map(([k]) => k);
  const quit = open.phases.quit;
  notes.push(
    `- Open egress vs floor (${ratio(open.egressEngine, open.floor)}, ${ms(open.egressEngine - open.floor)} over): name resolution ${ms(open.phases.dns ?? NaN)}; ` +
      `phases of the 587/IPv4 attempt beyond their round trips: ${overs.map(([k, v]) => `${k} ${v >= 0 ? '+' : ''}${Math.round(v)} ms`).join(', ')}; ` +
      `${ms(open.egressEngine - open.dialogueDone)} between the last QUIT sent and the report.` +
      (quit !== undefined ? ` Each attempt also waits ${ms(quit)} for the 221 to QUIT before it settles: a round trip the verdict does not need (fix: send QUIT and settle at once).` : '') +
      (extraTrip.length
        ? ` ${extraTrip.join(', ')} took more than half an RTT beyond its round trips: look there for a wait or a round trip too many.`
        : ' No phase is a round trip too many: the excess is CPU and scheduling (8 concurrent TLS handshakes with certificate checks on one event loop, on a machine with load ' +
          `${loadStart[0]?.toFixed(1)} on ${cpus.length} cores). The engine makes no avoidable round trip; what would fix the figure is an idle machine (or fewer concurrent handshakes, which the verdict needs).`),
  );
}
if (!t3) {
  const compiled = cliBundle ? cliBundle.bytes - (cliBundle.deferredBytes ?? 0) : NaN;
  notes.push(
    `- Cold start (${ratio(cold.cliWall, cold.nodeWall)} wall, ${ratio(cold.cliCpu, cold.nodeCpu)} CPU): \`--version\` costs ${ms(cold.cliCpu - cold.nodeCpu)} of CPU more than \`node -e 0\`; Node reads and pre-parses the whole runner at start, ${kib(compiled)} of JavaScript outside the deferred data: modules. ` +
      'What would fix it: less code in the file Node loads first — split the runner so that `--version` and `probe` load only their own code (esbuild `splitting: true` with chunks next to it, or more deferred modules, e.g. each command), and keep what `probe` does not use out of that first file; Node 22 adds a compile cache (module.enableCompileCache) that Node 20 lacks.',
  );
}
if (notes.length === 0) L('None: every target above was met in this run.');
for (const n of notes) L(n);
L();
L(
  `SES SDK on the probe path: ${sesFree(probeFn) && sesFree(probeCmd) ? 'no' : '**YES**'} — probe function bundle: ${probeFn?.awsSdkBytes ? kib(probeFn.awsSdkBytes) : 'none'}; everything the CLI's probe command imports (statically or not): ${probeCmd?.awsSdkBytes ? kib(probeCmd.awsSdkBytes) : 'none'}` +
    `${cliBundle?.deferredBytes ? `; the runner carries the SDK and nodemailer as ${kib(cliBundle.deferredBytes)} of deferred data: modules, imported only by send-test` : ''}.`,
);

const resultsPath = path.join(ROOT, 'bench/results.md');
// The early-decision section (written by early.ts, which runs after this) is kept as it was.
const previous = (() => {
  try {
    return readFileSync(resultsPath, 'utf8');
  } catch {
    return '';
  }
})();
const earlyBlock = /<!-- early:start -->[\s\S]*<!-- early:end -->/.exec(previous)?.[0] ?? '<!-- early:start -->\n<!-- early:end -->';
writeFileSync(resultsPath, `${lines.join('\n')}\n\n${earlyBlock}\n`);

// README: only the section between the markers.
const readmePath = path.join(ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end);
const section = [
  `Measured by \`npm run bench\` on ${started.toISOString().slice(0, 10)} (${cpus.length} shared cores, ${2 * DELAY_MS} ms RTT made by a user-space delay line; full table and notes in [bench/results.md](bench/results.md)):`,
  '',
  `- Ports silently dropped (connect timeout 3 s, \`--decide full\`): verdict for 4 ports x 2 families printed after ${ms(blocked.egressVerdict)}, ${ratio(blocked.egressVerdict, blockedIdeal)} the connect timeout + 1 RTT (target 1.1 x); ${ratio(blocked.egressVerdict, fasterSeq)} the time of the same checks one after another (swaks ${ms(blocked.swaks)}, nodemailer verify() ${ms(blocked.nodemailer)}; target 0.4 x).`,
  `- Open egress, TLS on every port: the engine reaches its verdict in ${ms(open.egressEngine)}, ${ratio(open.egressEngine, open.floor)} the physical floor of 6 RTT (target 1.2 x); the CLI prints it after ${ms(open.egressVerdict)} with node start-up; openssl s_client port by port: ${ms(open.openssl)}.`,
  `- Cold start: \`--version\` ${ms(cold.cliWall)} vs \`node -e 0\` ${ms(cold.nodeWall)} (${ratio(cold.cliWall, cold.nodeWall)}, target 2 x); probe function import ${cold.imports.probe === undefined ? '-' : ms(cold.imports.probe)}; SES SDK on the probe path (function and CLI command): ${sesFree(probeFn) && sesFree(probeCmd) ? 'none' : 'yes'}.`,
  `- Scale: 64 ports ${ratio(p64.wallMs, p1.wallMs)} the wall time and ${ratio(p64.maxRssKb, p1.maxRssKb)} the peak memory of 1 port; 50 targets at once ${ratio(st50.wallMs, st1.wallMs)} the time and ${ratio(st50.maxRssKb, st1.maxRssKb)} the memory of 1 target.`,
].join('\n');
if (a >= 0 && b > a) {
  writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${section}\n${readme.slice(b)}`);
} else {
  say('README.md has no <!-- bench:start --> / <!-- bench:end --> markers: section not written');
}
say(`wrote ${path.relative(ROOT, resultsPath)} and the README bench section`);
process.stdout.write(`${lines.join('\n')}\n`);
