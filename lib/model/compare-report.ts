// The compare report (`smtp-egress/compare@1`): two probe reports of one target, side by side,
// row by row (port x address family), to one verdict naming the platforms. Types are inferred
// from these zod schemas, like the probe report's (lib/model/probe-report.ts).
import { z } from './zod.ts';
import { Family, Mode, Outcome, Platform, TlsErrorReason, Verdict } from './probe-report.ts';

export const COMPARE_SCHEMA_ID = 'smtp-egress/compare@1';

/**
 * What a row found:
 * - `same`: both sides saw the same thing;
 * - `egress_blocked_a` / `egress_blocked_b`: that side could not connect (timeout, unreachable,
 *   refused) where the other side connected to the same server;
 * - `differs`: something else differs (both connect but TLS, banner or login differ; or both fail
 *   in different ways; or one side could not resolve the name);
 * - `only_a` / `only_b`: the port or family was probed from one side only (other --ports, or
 *   the name resolved to that family on one side only), so there is nothing to compare.
 */
export const FINDINGS = ['same', 'egress_blocked_a', 'egress_blocked_b', 'differs', 'only_a', 'only_b'] as const;
export const Finding = z.enum(FINDINGS);
export type Finding = z.infer<typeof Finding>;

/** One side of a row: the attempt, reduced to what is compared and shown. */
export const CompareSide = z.object({
  outcome: Outcome,
  mode: Mode,
  detectedMode: z.nullable(Mode),
  address: z.nullable(z.string()),
  errno: z.nullable(z.string()),
  message: z.string(),
  /** A TCP connection was made (the egress let it through). */
  connected: z.boolean(),
  connectMs: z.nullable(z.number()),
  banner: z.nullable(z.string()),
  tls: z.nullable(z.object({
      protocol: z.nullable(z.string()),
      authorized: z.boolean(),
      error: z.nullable(TlsErrorReason),
      certSubject: z.nullable(z.string()),
      certIssuer: z.nullable(z.string()),
    })),
  /** The login result, null when no login was tried from this side. */
  auth: z.nullable(z.enum(['ok', 'failed', 'unavailable', 'skipped'])),
});
export type CompareSide = z.infer<typeof CompareSide>;

export const Difference = z.object({
  /** outcome, mode, detectedMode, tls.protocol, tls.authorized, tls.error, tls.cert, banner, auth */
  field: z.string(),
  a: z.nullable(z.string()),
  b: z.nullable(z.string()),
});
export type Difference = z.infer<typeof Difference>;

export const CompareRow = z.object({
  port: z.number().check(z.int()),
  /** null only when neither side got as far as an address (dns_failed, blocked_by_policy). */
  family: z.nullable(Family),
  a: z.nullable(CompareSide),
  b: z.nullable(CompareSide),
  finding: Finding,
  differences: z.array(Difference),
});
export type CompareRow = z.infer<typeof CompareRow>;

export const CompareParty = z.object({
  platform: Platform,
  /** "Netlify (us-east-2)", "Render"; suffixed with (A)/(B) when both sides would read the same. */
  label: z.string(),
  reportId: z.string(),
  startedAt: z.string(),
  toolVersion: z.string(),
  addresses: z.array(z.object({ address: z.string(), family: Family })),
  verdict: z.object({ code: z.string(), summary: z.string() }),
});
export type CompareParty = z.infer<typeof CompareParty>;

export const COMPARE_VERDICT_CODES = [
  'same',
  'egress_blocked_a',
  'egress_blocked_b',
  'egress_blocked_both',
  'ipv6_blocked_a',
  'ipv6_blocked_b',
  'differs',
  'nothing_in_common',
] as const;

export const CompareReport = z.object({
  schema: z.literal(COMPARE_SCHEMA_ID),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  comparedAt: z.string(),
  target: z.object({ host: z.string() }),
  a: CompareParty,
  b: CompareParty,
  rows: z.array(CompareRow),
  verdict: z.extend(Verdict, { code: z.enum(COMPARE_VERDICT_CODES) }),
});
export type CompareReport = z.infer<typeof CompareReport>;
export type CompareVerdictCode = (typeof COMPARE_VERDICT_CODES)[number];
