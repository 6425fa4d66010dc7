// The early decision for `connect_timeout`: when another port of the same address has answered
// its SYN in r ms, a port that stays silent is declared dropped on evidence, not after the whole
// connect timeout. The rule, in the words the report uses:
//
//   once the port has been silent for W = max(2 r, 100 ms), 4 more connections go to it from other
//   source ports; when the port's own SYN re-sent by the kernel (at 1 s) and the SYN of every
//   extra connection have each gone W without an answer — 6 SYNs — the port is dropped.
//
// Under independent packet loss p (each way), one SYN goes unanswered with probability
// 1 - (1 - p)^2 (the SYN or its SYN-ACK is lost), so an open port is falsely declared dropped
// with probability (1 - (1 - p)^2)^6: 6.2e-11 at 1 % loss, 8.6e-7 at 5 % (README, "Deciding
// sooner"). Pure functions and a small per-probe tracker; the sockets are in connect.ts.
import { readFileSync } from 'node:fs';
import { EARLY_ANSWER_FACTOR, EARLY_MIN_ANSWER_MS, SYN_RETRANSMIT_MS } from './timeouts.ts';

export const DECIDE_MODES = ['fast', 'full'] as const;
/** `fast`: the early decision where the evidence allows it; `full`: always the whole connect timeout. */
export type DecideMode = (typeof DECIDE_MODES)[number];
export const DEFAULT_DECIDE: DecideMode = 'fast';

export interface Reference {
  port: number;
  /** The port's SYN -> connected time, in ms. */
  ms: number;
}

/**
 * Per address, the fastest TCP connect seen so far in one probe (IPv4 and IPv6 addresses are
 * different keys: a working IPv4 path says nothing about IPv6). Attempts still waiting for their
 * own answer subscribe to hear when a reference appears.
 */
export class ReferenceTracker {
  private readonly best = new Map<string, Reference>();
  private readonly waiting = new Map<string, Set<() => void>>();

  answered(address: string, port: number, ms: number): void {
    const known = this.best.get(address);
    if (known && known.ms <= ms) return;
    this.best.set(address, { port, ms: Math.round(ms * 10) / 10 });
    for (const notify of [...(this.waiting.get(address) ?? [])]) notify();
  }

  reference(address: string): Reference | null {
    return this.best.get(address) ?? null;
  }

  /** Calls `notify` whenever the address gets a (faster) reference; returns the unsubscribe. */
  onReference(address: string, notify: () => void): () => void {
    let set = this.waiting.get(address);
    if (!set) this.waiting.set(address, (set = new Set()));
    set.add(notify);
    return () => {
      set.delete(notify);
      if (set.size === 0) this.waiting.delete(address);
    };
  }
}

/** How long a SYN is given to be answered, from the reference's connect time r. */
export const answerWindowMs = (r: number): number => Math.max(EARLY_ANSWER_FACTOR * r, EARLY_MIN_ANSWER_MS);

export interface EarlyPlan {
  /** When the extra connections go out (ms since the attempt's first SYN). */
  launchMs: number;
  /** When the port is declared dropped if nothing has answered (ms since the first SYN). */
  decideAtMs: number;
}

/**
 * The plan for a port still silent when a reference (r ms) is known at `referenceAtMs` (ms since
 * this attempt's first SYN): extras once silent for W, the decision once the port's SYN re-sent
 * at 1 s and every extra SYN have each had W to be answered.
 */
export function earlyPlan(referenceAtMs: number, r: number): EarlyPlan {
  const w = answerWindowMs(r);
  const launchMs = Math.max(referenceAtMs, w);
  return { launchMs, decideAtMs: Math.max(SYN_RETRANSMIT_MS, launchMs) + w };
}

/** Probability that an open port is declared dropped when `syns` SYNs must all go unanswered, at packet loss p each way. */
export function falseBlockProbability(p: number, syns: number): number {
  return (1 - (1 - p) ** 2) ** syns;
}

/**
 * When Linux sends the SYNs of one connection (ms after connect()): an initial RTO of 1 s,
 * `tcp_syn_linear_timeouts` re-sends 1 s apart (4 by default since Linux 6.7; 0 before), then
 * exponential backoff, `tcp_syn_retries` re-sends in all. Null off Linux: there the schedule is
 * not known, so SYNs are not counted and the early decision is not used.
 */
let schedule: number[] | null | undefined;
export function synSchedule(): number[] | null {
  if (schedule !== undefined) return schedule;
  if (process.platform !== 'linux') return (schedule = null);
  const sysctl = (name: string, fallback: number) => {
    try {
      const v = Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim());
      return Number.isInteger(v) && v >= 0 ? v : fallback;
    } catch {
      return fallback; // absent on older kernels (linear timeouts) or hidden (/proc not mounted)
    }
  };
  const linear = sysctl('tcp_syn_linear_timeouts', 0);
  const retries = Math.min(sysctl('tcp_syn_retries', 6), 20);
  const times = [0];
  let rto = SYN_RETRANSMIT_MS;
  for (let k = 1; k <= retries; k += 1) {
    times.push((times[k - 1] as number) + rto);
    if (k > linear) rto *= 2;
  }
  return (schedule = times);
}

/** SYNs one connection has sent `ms` after its connect(), or null where the schedule is unknown. */
export function synsSentWithin(ms: number): number | null {
  const times = synSchedule();
  return times ? times.filter((t) => t <= ms).length : null;
}
