// From the diagnosis's findings to the verdict every report carries: the first finding's code and
// headline, every finding in order, and (for readers of the probe@1 shape) their causes and fix
// texts flattened. The findings are the substance; this only assembles them.
import type { Attempt, Family, Platform, ProbeVerdict } from '../model/probe-report.ts';
import type { AppPath } from '../model/diagnosis.ts';
import { diagnose } from './diagnose.ts';

export { CONNECT_FAILURES, connected } from './evidence.ts';

export interface VerdictContext {
  /** The app's configured path, when the settings are known. */
  app?: AppPath | null;
  /** The name's addresses in resolver order (defaults to the attempts' own, IPv4 first). */
  addresses?: readonly { address: string; family: Family }[];
  rawBooleans?: Readonly<Record<string, string | undefined>>;
}

export function computeVerdict(attempts: readonly Attempt[], platform: Platform, host: string, ctx: VerdictContext = {}): ProbeVerdict {
  const addresses =
    ctx.addresses ??
    [...new Map(attempts.filter((a) => a.address && a.family).map((a) => [a.address as string, { address: a.address as string, family: a.family as Family }])).values()].sort((a, b) => a.family.localeCompare(b.family));
  const { findings, prediction } = diagnose({ attempts, host, addresses, platform, app: ctx.app ?? null, rawBooleans: ctx.rawBooleans });
  const [first, ...rest] = findings;
  if (!first) return { code: 'nothing_probed', summary: 'No attempt was made.', causes: [], fixes: [], findings: [], app: ctx.app ?? null, prediction };
  const important = rest.filter((f) => f.level !== 'info' || first.level === 'info');
  return {
    code: first.code,
    summary: [first.summary, ...important.filter((f) => f.level !== 'info').map((f) => f.summary)].join(' '),
    causes: [...new Set([...first.causes, ...important.flatMap((f) => f.causes)])],
    fixes: [...new Set([...first.fixes, ...important.flatMap((f) => f.fixes)].map((f) => f.text))],
    findings,
    app: ctx.app ?? null,
    prediction,
  };
}

/** Whether the verdict means the mail gets out (exit status 0): no finding at error level. */
export function verdictPasses(v: Pick<ProbeVerdict, 'findings'>): boolean {
  return !v.findings.some((f) => f.level === 'error');
}
