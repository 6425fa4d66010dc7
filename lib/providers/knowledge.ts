// One lookup over everything the tool knows: a platform (id or alias) or a provider (id, SMTP
// host, or nodemailer service name), and the closest names when nothing matches. `explain` uses
// it; the JSON form is the data itself, with patterns written out as strings.
import { describePlatform } from '../platform/describe.ts';
import { EGRESS_POLICIES, egressPolicyFor, POLICY_NAMES, type EgressPolicy } from '../platform/egress-policies.ts';
import { detailedPolicy } from '../platform/policy-details.ts';
import { describeProvider } from './describe.ts';
import { PROVIDERS, providerForHost, type Provider } from './presets.ts';
import { detailedProvider, PROVIDER_DETAILS } from './provider-details.ts';

export type Knowledge = { kind: 'platform'; policy: EgressPolicy } | { kind: 'provider'; provider: Provider };

const norm = (s: string) => s.trim().toLowerCase();

const PROVIDER_BY_NAME = new Map<string, Provider>();
for (const p of PROVIDERS) {
  PROVIDER_BY_NAME.set(p.id, p);
  for (const n of (PROVIDER_DETAILS[p.id]?.nodemailerService ?? '').split(/[,()]|\band\b/)) if (n.trim() && !n.includes('<')) PROVIDER_BY_NAME.set(norm(n), p);
}

/** Every name `explain` accepts, platforms first. */
export const KNOWLEDGE_NAMES: readonly string[] = [...new Set([...POLICY_NAMES, ...PROVIDER_BY_NAME.keys()])];

export function lookupKnowledge(name: string): Knowledge | null {
  const n = norm(name);
  const policy = egressPolicyFor(n);
  if (policy) return { kind: 'platform', policy };
  const provider = PROVIDER_BY_NAME.get(n) ?? providerForHost(n)?.provider;
  return provider ? { kind: 'provider', provider } : null;
}

// Edit distance, bounded by the short names compared here (a few dozen characters at most).
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

const MAX_SUGGESTIONS = 3;

/** The known names closest to an unknown one ("sendgird" -> sendgrid), best first. */
export function suggestKnowledge(name: string): string[] {
  const n = norm(name);
  if (!n) return [];
  const scored = KNOWLEDGE_NAMES.map((k) => ({ k, d: k.includes(n) || n.includes(k) ? 0.5 : distance(n, k) }));
  const limit = Math.max(2, Math.floor(n.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.k);
}

export function describeKnowledge(k: Knowledge): string[] {
  return k.kind === 'platform' ? describePlatform(k.policy) : describeProvider(k.provider);
}

/** The entry as JSON: the data as it is, with RegExp patterns as their source text. */
export function knowledgeJson(k: Knowledge): unknown {
  if (k.kind === 'platform') return { kind: 'platform', ...detailedPolicy(k.policy) };
  const { hosts, errors, ...rest } = detailedProvider(k.provider);
  return { kind: 'provider', ...rest, hostPatterns: hosts.map((re) => re.source), errors: errors.map(({ match, ...e }) => ({ ...e, match: match.source })) };
}

/** Every platform and provider id, for the usage text. */
export const knowledgeIds = (): { platforms: string[]; providers: string[] } => ({ platforms: EGRESS_POLICIES.map((p) => p.platform), providers: PROVIDERS.map((p) => p.id) });

export interface StaleEntry {
  kind: 'platform' | 'provider';
  id: string;
  checked: string;
  source: string;
}

export const STALE_AFTER_MONTHS = 6;

/** Entries last checked more than six months before `today` (YYYY-MM-DD): due for a new look. */
export function staleKnowledge(today: Date): StaleEntry[] {
  const limit = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - STALE_AFTER_MONTHS, today.getUTCDate()));
  const cutoff = limit.toISOString().slice(0, 10);
  return [
    ...EGRESS_POLICIES.map((p) => ({ kind: 'platform' as const, id: p.platform, checked: p.checked, source: p.source })),
    ...PROVIDERS.map((p) => ({ kind: 'provider' as const, id: p.id, checked: p.checked, source: p.source })),
  ].filter((e) => e.checked < cutoff);
}
