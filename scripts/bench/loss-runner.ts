// Loss runner for the early-decision bench (early.ts runs it inside the client namespace while the
// delay line drops packets at random): N probes per decide mode of ports that are open, the two
// modes alternating in one pool of C concurrent probes so both meet the same loss and load.
// Prints one JSON line per run: per mode, outcomes, false connect_timeouts by how they were
// decided, how often the first SYN went unanswered and what happened then.
// usage: node --import tsx loss-runner.ts --probes N --concurrency C --host HOST --ports 2525:plain,587:plain
import { parseArgs } from 'node:util';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { probe } from '../../lib/smtp/probe.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { DECIDE_MODES, type DecideMode } from '../../lib/smtp/early-decision.ts';
import { SYN_RETRANSMIT_MS } from '../../lib/smtp/timeouts.ts';
import type { Attempt } from '../../lib/model/probe-report.ts';

const { values } = parseArgs({
  options: { probes: { type: 'string' }, concurrency: { type: 'string', default: '25' }, host: { type: 'string' }, ports: { type: 'string' } },
});
const probes = Number(values.probes);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(probes) || probes < 1 || !values.host || !values.ports) throw new Error('usage: --probes N --concurrency C --host HOST --ports 2525:plain,587:plain');
const ctx = { env: process.env, platform: detectPlatform(process.env), policy: { allowPrivate: true, allowedHosts: [] } };

interface ModeStats {
  probes: number;
  attempts: number;
  outcomes: Record<string, number>;
  /** connect_timeout on a port that is open, by how it was decided. */
  falseTimeouts: { early: number; timeout: number };
  /** The attempt's first SYN (or its SYN-ACK) was lost: extra connections went out, or the connect took a re-send. */
  firstSynUnanswered: number;
  /** ...and an extra connection carried the attempt. */
  rescuedByExtra: number;
  /** Connect times (ms) of the attempts whose first SYN went unanswered. */
  lateConnectMs: number[];
  probeMs: number[];
}
const blank = (): ModeStats => ({ probes: 0, attempts: 0, outcomes: {}, falseTimeouts: { early: 0, timeout: 0 }, firstSynUnanswered: 0, rescuedByExtra: 0, lateConnectMs: [], probeMs: [] });
const stats: Record<DecideMode, ModeStats> = { fast: blank(), full: blank() };

function count(s: ModeStats, a: Attempt): void {
  s.attempts += 1;
  s.outcomes[a.outcome] = (s.outcomes[a.outcome] ?? 0) + 1;
  if (a.outcome === 'connect_timeout') s.falseTimeouts[a.decision?.decidedBy ?? 'timeout'] += 1;
  const info = a.transcript.filter((l) => l.dir === 'info').map((l) => l.line);
  const extras = info.some((l) => l.includes('more connections from other source ports'));
  const rescued = info.some((l) => /^extra connection \d+ .*was answered/.test(l));
  const connect = a.phases.connect;
  if (extras || connect === undefined || connect >= SYN_RETRANSMIT_MS - 100) {
    s.firstSynUnanswered += 1;
    if (connect !== undefined) s.lateConnectMs.push(connect);
  }
  if (rescued) s.rescuedByExtra += 1;
}

const t0 = performance.now();
let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const i = next++;
    if (i >= 2 * probes) return;
    const decide = DECIDE_MODES[i % 2] as DecideMode;
    const options = buildProbeOptions({ host: values.host, ports: values.ports, decide }, ctx);
    const started = performance.now();
    const evidence = await probe(options);
    const s = stats[decide];
    s.probes += 1;
    s.probeMs.push(performance.now() - started);
    for (const a of evidence.attempts) count(s, a);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ wallMs: performance.now() - t0, stats }));
