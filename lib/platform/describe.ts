// What the tool knows about a platform, in words: the sentences the verdicts quote and the full
// text `smtp-egress explain PLATFORM` prints. Written once here so the two never drift apart,
// and so the platform's own word is never confused with users' reports.
import type { EgressPolicy } from './egress-policies.ts';
import { detailedPolicy, type KnowledgeSource } from './policy-details.ts';

export const listPorts = (ports: readonly number[], conj = 'and'): string => {
  const u = [...new Set(ports)].sort((a, b) => a - b);
  return u.length <= 1 ? String(u[0] ?? '') : `${u.slice(0, -1).join(', ')} ${conj} ${u[u.length - 1]}`;
};

/** "documented by Render", "reported by users, not documented by Vultr", or the inference it rests on. */
export function attribution(documented: boolean, label: string, basis?: string): string {
  if (documented) return `documented by ${label}`;
  return basis ?? `reported by users and third-party guides, not documented by ${label}`;
}

/** The policy as a cause: "<note> (documented by Render: <url>, checked <date>)." */
export function policyCause(p: EgressPolicy): string {
  return `${p.note} (${attribution(p.documented, p.label, p.basis)}: ${p.source}, checked ${p.checked}).`;
}

/** How the block is lifted, or that it cannot be: a fix line, never "move to a paid plan" where none helps. */
export function policyLift(p: EgressPolicy): string | null {
  if (p.blockedPorts.length === 0) return null;
  if (p.liftable && p.lift) return `To lift the block on ${p.label}: ${p.lift}.`;
  if (p.lift) return `${p.label}'s block cannot be lifted on the affected plan: ${p.lift}.`;
  return `${p.label}'s block cannot be lifted: use an open port or an HTTPS mail API.`;
}

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

export function sourceLines(sources: readonly KnowledgeSource[]): string[] {
  return sources.flatMap((s, i) => [
    `  [${i + 1}] ${s.title}${s.firstParty ? '' : ' (third party)'}`,
    `      ${s.url}`,
    ...(s.quote ? [`      "${s.quote}"`] : []),
  ]);
}

/** Everything known about a platform, as the lines `explain` prints. */
export function describePlatform(policy: EgressPolicy): string[] {
  const p = detailedPolicy(policy);
  const blocked = p.blockedPorts.length > 0 ? `blocks outbound ${listPorts(p.blockedPorts)} on ${p.plans}${p.since ? ` since ${p.since}` : ''}` : 'no outbound SMTP block known';
  const lines = [
    `${p.label} (${p.platform}): ${blocked}`,
    `${p.note}.`,
    `Knowledge: ${attribution(p.documented, p.label, p.basis)}; checked ${p.checked}.`,
    '',
    'Plans:',
    ...p.planRules.map((r) => `  ${r.plan}: ${r.blockedPorts.length > 0 ? `${listPorts(r.blockedPorts)} blocked` : 'nothing blocked'}; ${r.note}`),
  ];
  if (p.howItShows) lines.push(`How it shows: ${p.howItShows}.`);
  if (p.blockedPorts.length > 0) lines.push(`Lifting it: ${p.liftable && p.lift ? p.lift : `not possible on the affected plan${p.lift ? `: ${p.lift}` : ''}`}.`);
  lines.push(`Outbound IPv6: ${yesNo(p.outboundIpv6)}${p.ipv6Inferred ? ' (inferred: the platform does not say)' : ''}`);
  lines.push(`Shell on the affected plan: ${yesNo(p.shellOnAffectedPlan)}${p.shellOnAffectedPlan === false ? ' (no shell to run nc or openssl by hand: the app has to probe itself, e.g. with the runner)' : ''}`);
  if (p.buildEgress) lines.push(`Build vs runtime: ${p.buildEgress}.`);
  if (p.functionTimeLimitS !== null) lines.push(`Function time limit: ${p.functionTimeLimitS} s (set the mail client's connect timeout well below it, e.g. 10 s)`);
  lines.push(`Detection: ${p.detection}.`);
  if (p.aliases.length > 0) lines.push(`Also called: ${p.aliases.join(', ')}`);
  lines.push('', 'Sources:', ...sourceLines(p.sources));
  return lines;
}
