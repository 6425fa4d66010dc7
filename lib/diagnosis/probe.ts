// A probe as the surfaces run it: the engine's evidence, then the diagnosis's verdict on it, then
// (when the verdict needs a way out and credentials were given) the proof of that way out: the
// ports that completed the dialogue are probed again WITH the login, in their own mode, so a
// "use port N" fix is offered only when it was verified from this network in this very run.
// The engine (lib/smtp) never imports the diagnosis; everything above it calls this instead.
import type { Attempt, Mode, ProbeEvidence, ProbeReport } from '../model/probe-report.ts';
import { probe, type ProbeOptions } from '../smtp/probe.ts';
import { computeVerdict, type VerdictContext } from './verdict.ts';

/** At most this many alternative ports are verified with the login (each is one more connection). */
export const MAX_VERIFIED_PORTS = 2;
/** The verification's own deadline: it runs after the probe and must not double its time. */
export const VERIFY_TIMEOUT_MS = 10_000;

/** Adds the verdict to the engine's evidence. */
export function diagnoseProbe(evidence: ProbeEvidence, ctx: VerdictContext = {}): ProbeReport {
  return { ...evidence, verdict: computeVerdict(evidence.attempts, evidence.platform, evidence.target.host, { addresses: evidence.target.addresses, ...ctx }) };
}

/** Ports that completed the dialogue over TLS without a login test: candidates for the proof. */
function unverifiedWaysOut(attempts: readonly Attempt[], loginPort: number | null): Attempt[] {
  const picked = new Map<number, Attempt>();
  for (const a of attempts) {
    if (a.port === loginPort || a.outcome !== 'ok' || a.auth?.result === 'ok' || a.auth?.result === 'failed') continue;
    if (a.detectedMode !== 'implicit-tls' && a.detectedMode !== 'starttls') continue;
    if (!picked.has(a.port) || a.family === 'ipv4') picked.set(a.port, a);
  }
  return [...picked.values()].slice(0, MAX_VERIFIED_PORTS);
}

/** Probes, diagnoses and, where the verdict proposes another port, proves it with the login. */
export async function runProbe(opts: ProbeOptions): Promise<ProbeReport> {
  const ctx: VerdictContext = { app: opts.app ?? null, rawBooleans: opts.rawBooleans };
  const evidence = await probe(opts);
  const first = diagnoseProbe(evidence, ctx);
  const needsWayOut = first.verdict.findings[0]?.level === 'error';
  const loginPort = opts.loginPort ?? opts.ports[0]?.port ?? null;
  const candidates = opts.credentials && needsWayOut ? unverifiedWaysOut(evidence.attempts, loginPort) : [];
  if (candidates.length === 0 || opts.signal?.aborted) return first;

  const t0 = performance.now();
  const proofs = await Promise.all(
    candidates.map((c) =>
      probe({
        ...opts,
        ports: [{ port: c.port, mode: c.detectedMode as Mode }],
        family: c.family,
        loginPort: c.port,
        timeouts: { ...opts.timeouts, totalMs: Math.min(opts.timeouts.totalMs, VERIFY_TIMEOUT_MS) },
        onProgress: undefined,
      }),
    ),
  );
  const proved = proofs.flatMap((p) => p.attempts).map((a) => ({ ...a, transcript: [{ dir: 'info' as const, line: 'verification: this port probed again with the login, to prove the fix the verdict proposes', t: 0 }, ...a.transcript] }));
  const key = (a: Attempt) => `${a.port}/${a.family}`;
  const replaced = new Set(proved.map(key));
  const attempts = [...evidence.attempts.filter((a) => !replaced.has(key(a))), ...proved].sort((a, b) => a.port - b.port || (a.family ?? '').localeCompare(b.family ?? ''));
  return diagnoseProbe({ ...evidence, attempts, durationMs: evidence.durationMs + Math.round(performance.now() - t0) }, ctx);
}
