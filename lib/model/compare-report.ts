// The compare report (`smtp-egress/compare@1`): two probe reports of one target, side by side,
// row by row (port x address family), to one verdict naming the platforms. Types are inferred
// from these zod schemas, like the probe report's (lib/model/probe-report.ts).
import { z } from 'zod';
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
  detectedMode: Mode.nullable(),
  address: z.string().nullable(),
  errno: z.string().nullable(),
  message: z.string(),
  /** A TCP connection was made (the egress let it through). */
  connected: z.boolean(),
  connectMs: z.number().nullable(),
  banner: z.string().nullable(),
  tls: z
    .object({
      protocol: z.string().nullable(),
      authorized: z.boolean(),
      error: TlsErrorReason.nullable(),
      certSubject: z.string().nullable(),
      certIssuer: z.string().nullable(),
    })
    .nullable(),
  /** The login result, null when no login was tried from this side. */
  auth: z.enum(['ok', 'failed', 'unavailable', 'skipped']).nullable(),
});
export type CompareSide = z.infer<typeof CompareSide>;

export const Difference = z.object({
  /** outcome, mode, detectedMode, tls.protocol, tls.authorized, tls.error, tls.cert, banner, auth */
  field: z.string(),
  a: z.string().nullable(),
  b: z.string().nullable(),
});
export type Difference = z.infer<typeof Difference>;

export const CompareRow = z.object({
  port: z.number().int(),
  /** null only when neither side got as far as an address (dns_failed, blocked_by_policy). */
  family: Family.nullable(),
  a: CompareSide.nullable(),
  b: CompareSide.nullable(),
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
  verdict: Verdict.extend({ code: z.enum(COMPARE_VERDICT_CODES) }),
});
export type CompareReport = z.infer<typeof CompareReport>;
export type CompareVerdictCode = (typeof COMPARE_VERDICT_CODES)[number];
