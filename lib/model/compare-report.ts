// The compare report (`smtp-egress/compare@2`): probe reports of one target from two or more
// networks, one column per network, row by row (port x address family), to one verdict naming
// which networks block what. compare@1 had two fixed sides (a/b); @2 has a `columns` array and
// one cell per column in every row. Probe reports are read as smtp-egress/probe@2 or @1, mixed.
// Types are inferred from these zod schemas, like the probe report's (lib/model/probe-report.ts).
import { z } from './zod.ts';
import { Family, Mode, Outcome, Platform, TlsErrorReason, Verdict } from './probe-report.ts';

export const COMPARE_SCHEMA_ID = 'smtp-egress/compare@2';
/** Column ids, in input order. */
export const COLUMN_IDS = 'ABCDEFGHIJKLMNOP'.split('');
export const MAX_COMPARE_COLUMNS = COLUMN_IDS.length;

/**
 * What a row found:
 * - `same`: every network that probed it saw the same thing;
 * - `egress_blocked`: the networks in `blocked` could not connect (timeout, unreachable,
 *   refused) where another network connected to the same server;
 * - `differs`: something else differs (TLS, banner or login; failures of different kinds; a name
 *   that resolves from one network only);
 * - `not_compared`: only one network probed this port or family (other --ports, or the name
 *   resolved to that family from one network only).
 */
export const FINDINGS = ['same', 'egress_blocked', 'differs', 'not_compared'] as const;
export const Finding = z.enum(FINDINGS);
export type Finding = z.infer<typeof Finding>;

/**
 * A failure that a network's own published limit predicts: `port_blocked` (the platform blocks
 * this port, e.g. AWS Lambda and so Netlify on 25), `no_ipv6` (the platform has no outbound
 * IPv6). Named as that network's limit, never blamed on another network or on the server.
 */
export const LIMIT_KINDS = ['port_blocked', 'no_ipv6'] as const;
export const LimitKind = z.enum(LIMIT_KINDS);
export type LimitKind = z.infer<typeof LimitKind>;

/** One cell: the attempt of one network, reduced to what is compared and shown. */
export const CompareCell = z.object({
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
  tls: z.nullable(
    z.object({
      protocol: z.nullable(z.string()),
      authorized: z.boolean(),
      error: z.nullable(TlsErrorReason),
      certSubject: z.nullable(z.string()),
      certIssuer: z.nullable(z.string()),
    }),
  ),
  /** The login result, null when no login was tried from this network. */
  auth: z.nullable(z.enum(['ok', 'failed', 'unavailable', 'skipped'])),
  /** Set when the connection failed as the network's own limit predicts (see the column's limits). */
  limit: z.nullable(LimitKind),
});
export type CompareCell = z.infer<typeof CompareCell>;

export const Difference = z.object({
  /** outcome, mode, detectedMode, tls.protocol, tls.authorized, tls.error, tls.cert, banner, auth */
  field: z.string(),
  /** One value per column (null: that network has no value, or did not probe the row). */
  values: z.array(z.nullable(z.string())),
});
export type Difference = z.infer<typeof Difference>;

export const CompareRow = z.object({
  port: z.number().check(z.int()),
  /** null only when no network got as far as an address (dns_failed, blocked_by_policy). */
  family: z.nullable(Family),
  /** One cell per column, in the columns' order; null where that network did not probe the row. */
  cells: z.array(z.nullable(CompareCell)),
  finding: Finding,
  /** Ids of the columns that could not connect where another column connected. */
  blocked: z.array(z.string()),
  differences: z.array(Difference),
});
export type CompareRow = z.infer<typeof CompareRow>;

/** A network's own limit, from lib/platform/egress-policies.ts, quoted next to the evidence. */
export const NetworkLimit = z.object({
  kind: z.enum(['port_blocked', 'no_ipv6', 'time_limit']),
  /** The ports a port_blocked limit covers; empty otherwise. */
  ports: z.array(z.number().check(z.int())),
  /** Seconds, for time_limit. */
  seconds: z.nullable(z.number()),
  summary: z.string(),
  /** documented: the platform (or its host) says so; reported: users report it; inferred: follows from what is documented. */
  basis: z.enum(['documented', 'reported', 'inferred']),
  source: z.string(),
});
export type NetworkLimit = z.infer<typeof NetworkLimit>;

export const CompareColumn = z.object({
  /** A, B, C... in the order the reports were given. */
  id: z.string(),
  /** "Netlify (us-east-2)", "Render"; suffixed with (A)/(B)... when two columns would read the same. */
  label: z.string(),
  /** Where the report came from: a file, a probe URL (origin and path only), or "this machine". */
  source: z.nullable(z.string()),
  platform: Platform,
  reportId: z.string(),
  startedAt: z.string(),
  toolVersion: z.string(),
  addresses: z.array(z.object({ address: z.string(), family: Family })),
  verdict: z.object({ code: z.string(), summary: z.string() }),
  limits: z.array(NetworkLimit),
});
export type CompareColumn = z.infer<typeof CompareColumn>;

/** Which network blocks what, as the verdict found it: one entry per column, address family and kind. */
export const CompareBlock = z.object({
  column: z.string(),
  label: z.string(),
  /** null: rows no network got an address for. */
  family: z.nullable(Family),
  ports: z.array(z.number().check(z.int())),
  /** True when every one of these failures is the network's own published limit. */
  ownLimit: z.boolean(),
});
export type CompareBlock = z.infer<typeof CompareBlock>;

export const COMPARE_VERDICT_CODES = ['same', 'egress_blocked', 'ipv6_blocked', 'differs', 'nothing_in_common'] as const;
export type CompareVerdictCode = (typeof COMPARE_VERDICT_CODES)[number];

export const CompareReport = z.object({
  schema: z.literal(COMPARE_SCHEMA_ID),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  comparedAt: z.string(),
  target: z.object({ host: z.string() }),
  /** Two or more (the loader refuses fewer). */
  columns: z.array(CompareColumn),
  rows: z.array(CompareRow),
  verdict: z.extend(Verdict, { code: z.enum(COMPARE_VERDICT_CODES), blocks: z.array(CompareBlock) }),
});
export type CompareReport = z.infer<typeof CompareReport>;
