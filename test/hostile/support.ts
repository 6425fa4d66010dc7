// Shared by the adversarial suite (test/hostile): a probe against one scripted server with small
// timeouts, socket accounting, a watch for unhandled errors, and the counts SECURITY.md quotes.
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runProbe as probe } from '../../lib/diagnosis/probe.ts';
import { OPEN_POLICY, type AddressPolicy } from '../../lib/security/address-policy.ts';
import type { Family, Mode, ProbeReport } from '../../lib/model/probe-report.ts';
import type { Timeouts } from '../../lib/smtp/timeouts.ts';
import type { Credentials } from '../../lib/smtp/auth.ts';
import type { Lookup } from '../../lib/smtp/resolve.ts';

export const LOCAL_PLATFORM = { name: 'local', region: null, runtime: `node ${process.version}`, deployContext: null };

/** Small timeouts (DESIGN: 50-200 ms) so a whole hostile case costs well under a second. */
export const FAST: Timeouts = { connectMs: 500, greetingMs: 500, commandMs: 500, tlsMs: 500, totalMs: 2_500 };

export interface ProbeAt {
  port: number;
  mode: Mode;
  host?: string;
  timeouts?: Partial<Timeouts>;
  credentials?: Credentials | null;
  ca?: string;
  policy?: AddressPolicy;
  lookup?: Lookup;
  /** Default ipv4; null probes every family the name resolves to. */
  family?: Family | null;
}

export async function probeAt(o: ProbeAt): Promise<{ report: ProbeReport; ms: number; timeouts: Timeouts }> {
  const timeouts = { ...FAST, ...o.timeouts };
  const t0 = performance.now();
  const report = await probe({
    host: o.host ?? '127.0.0.1',
    ports: [{ port: o.port, mode: o.mode }],
    family: o.family === undefined ? 'ipv4' : o.family,
    timeouts,
    ehloName: 'hostile.test',
    credentials: o.credentials ?? null,
    loginPort: null,
    ca: o.ca,
    policy: o.policy ?? OPEN_POLICY,
    platform: LOCAL_PLATFORM,
    source: 'argument',
    lookup: o.lookup,
  });
  return { report, ms: performance.now() - t0, timeouts };
}

/** Live TCP handles of this process (client and server sockets, listeners), by kind. */
export function socketHandles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) if (/TCP|TLS|Pipe|UDP/i.test(r)) out[r] = (out[r] ?? 0) + 1;
  return out;
}

const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);

/** Waits (bounded) until the socket handles are back to `baseline`; returns what is left over. */
export async function settleSockets(baseline: Record<string, number>, maxMs = 1_000): Promise<Record<string, number>> {
  const until = Date.now() + maxMs;
  for (;;) {
    const now = socketHandles();
    const extra: Record<string, number> = {};
    for (const [k, v] of Object.entries(now)) if (v > (baseline[k] ?? 0)) extra[k] = v - (baseline[k] ?? 0);
    if (total(extra) === 0 || Date.now() > until) return extra;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Records uncaught exceptions and unhandled rejections while a test file runs. */
export function watchUnhandled(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const onError = (e: unknown) => errors.push(e);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return {
    errors,
    stop: () => {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    },
  };
}

// ---- counts for SECURITY.md ----------------------------------------------------------------
const OUT_DIR = path.resolve(import.meta.dirname, '../../test-output');
const PARTS = path.join(OUT_DIR, 'security-stats.parts');

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Writes one test file's counts and merges every part written so far into
 * test-output/security-stats.json. Each file writes its part before merging, so the last merge
 * always holds every part.
 */
export function recordStats(section: string, counts: Record<string, unknown>): void {
  mkdirSync(PARTS, { recursive: true });
  writeAtomic(path.join(PARTS, `${section}.json`), JSON.stringify({ ...counts, at: new Date().toISOString() }, null, 2));
  const merged: Record<string, unknown> = {};
  for (const f of readdirSync(PARTS).filter((n) => n.endsWith('.json')).sort()) {
    try {
      merged[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(PARTS, f), 'utf8'));
    } catch {
      // A part being replaced right now: the next merge picks it up.
    }
  }
  writeAtomic(path.join(OUT_DIR, 'security-stats.json'), `${JSON.stringify(merged, null, 2)}\n`);
}

/** A counter the tests bump as they go (inputs tried, servers simulated). */
export function counter(): { n: Record<string, number>; add: (k: string, by?: number) => void } {
  const n: Record<string, number> = {};
  return { n, add: (k, by = 1) => void (n[k] = (n[k] ?? 0) + by) };
}
