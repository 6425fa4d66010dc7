// A network's own limits, from the egress-policy data: which failures of a column the platform's
// published policy predicts (Netlify/Lambda: port 25 blocked, no outbound IPv6 (inferred); Render
// free: 25/465/587), so a compare names them as that network's and never blames them on another
// network or on the server.
import type { Family, Outcome, Platform } from '../model/probe-report.ts';
import type { LimitKind, NetworkLimit } from '../model/compare-report.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';
import { CONNECT_FAILURES } from '../diagnosis/evidence.ts';

/** documented: the platform says so; inferred: it follows from what is documented; reported: users say so. */
const basisOf = (documented: boolean, inferred: boolean): NetworkLimit['basis'] => (documented && !inferred ? 'documented' : inferred ? 'inferred' : 'reported');

/** The limits shown in a column's header and quoted by the verdict. */
export function networkLimits(platform: Platform): NetworkLimit[] {
  const policy = egressPolicyFor(platform.name);
  if (!policy) return [];
  const out: NetworkLimit[] = [];
  if (policy.blockedPorts.length > 0) {
    out.push({
      kind: 'port_blocked',
      ports: [...policy.blockedPorts],
      seconds: null,
      summary: `${policy.note} (${policy.plans})`,
      basis: basisOf(policy.documented, policy.basis !== undefined),
      source: policy.source,
    });
  }
  if (policy.outboundIpv6 === false) {
    out.push({
      kind: 'no_ipv6',
      ports: [],
      seconds: null,
      summary: `${policy.label} has no outbound IPv6`,
      basis: basisOf(policy.documented, policy.ipv6Inferred),
      source: policy.source,
    });
  }
  if (policy.functionTimeLimitS !== null) {
    out.push({
      kind: 'time_limit',
      ports: [],
      seconds: policy.functionTimeLimitS,
      summary: `a request to ${policy.label} may run ${policy.functionTimeLimitS} s at most`,
      basis: 'documented',
      source: policy.source,
    });
  }
  return out;
}

/** The limit that predicts this failure, or null (a connection, or a failure nothing predicts). */
export function limitOf(limits: readonly NetworkLimit[], port: number, family: Family | null, outcome: Outcome): LimitKind | null {
  if (!CONNECT_FAILURES.includes(outcome)) return null;
  // No IPv6 at all explains an IPv6 failure before any port rule does.
  if (family === 'ipv6' && limits.some((l) => l.kind === 'no_ipv6')) return 'no_ipv6';
  if (limits.some((l) => l.kind === 'port_blocked' && l.ports.includes(port))) return 'port_blocked';
  return null;
}
