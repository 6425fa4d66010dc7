// A probe as the surfaces run it: the engine's evidence, then the diagnosis's verdict on it.
// The engine (lib/smtp) never imports the diagnosis; everything above it calls this instead.
import type { ProbeEvidence, ProbeReport } from '../model/probe-report.ts';
import { probe, type ProbeOptions } from '../smtp/probe.ts';
import { computeVerdict, type VerdictContext } from './verdict.ts';

/** Adds the verdict to the engine's evidence. */
export function diagnoseProbe(evidence: ProbeEvidence, ctx: VerdictContext = {}): ProbeReport {
  return { ...evidence, verdict: computeVerdict(evidence.attempts, evidence.platform, evidence.target.host, { addresses: evidence.target.addresses, ...ctx }) };
}

/** Probes, then diagnoses: what the CLI, the functions and serve answer with. */
export async function runProbe(opts: ProbeOptions): Promise<ProbeReport> {
  const ctx: VerdictContext = { app: opts.app ?? null, rawBooleans: opts.rawBooleans };
  return diagnoseProbe(await probe(opts), ctx);
}
