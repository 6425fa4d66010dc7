// The probe report: the public contract (README, "What each attempt reports"). Types are inferred from these
// zod schemas and the committed JSON Schema (schema/probe.schema.json) is generated from them,
// so the three can never drift apart.
import { z } from './zod.ts';

export const PROBE_SCHEMA_ID = 'smtp-egress/probe@2';
/** Earlier report versions compare still reads (their verdict lacks findings, app and prediction). */
export const PROBE_SCHEMA_IDS_READ = ['smtp-egress/probe@1', PROBE_SCHEMA_ID] as const;

export { OUTCOMES, Outcome, MODES, Mode, Family, TLS_ERROR_REASONS, TlsErrorReason, Platform } from './outcomes.ts';
import { Outcome, Mode, Family, TlsErrorReason, Platform } from './outcomes.ts';
import { AppPath, ClientPrediction, Finding, FindingCode } from './diagnosis.ts';

/** Milliseconds each phase took; absent when the phase never ran. */
export const Phases = z.object({
  dns: z.optional(z.number()),
  connect: z.optional(z.number()),
  greeting: z.optional(z.number()),
  ehlo: z.optional(z.number()),
  tls: z.optional(z.number()),
  auth: z.optional(z.number()),
});
export type Phases = z.infer<typeof Phases>;

export const TlsInfo = z.object({
  protocol: z.nullable(z.string()),
  cipher: z.nullable(z.string()),
  authorized: z.boolean(),
  error: z.nullable(TlsErrorReason),
  errorDetail: z.nullable(z.string()),
  cert: z.nullable(z.object({
      subject: z.nullable(z.string()),
      issuer: z.nullable(z.string()),
      validTo: z.nullable(z.string()),
      altNames: z.array(z.string()),
    })),
});
export type TlsInfo = z.infer<typeof TlsInfo>;

export const TranscriptLine = z.object({
  /** `client` for what we sent, `server` for what we read, `info` for events (TLS up). */
  dir: z.enum(['client', 'server', 'info']),
  line: z.string(),
  /** Milliseconds since the attempt began. */
  t: z.number(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

/**
 * How a `connect_timeout` was decided. `timeout`: the connect timeout (or the probe's deadline)
 * ran out. `early`: another port of the same address answered its SYN in `reference.ms`, and this
 * port left `unansweredSyns` SYNs over `connections` connections unanswered (the rule and its
 * false-block probability: README, "Deciding sooner").
 */
export const ConnectDecision = z.object({
  decidedBy: z.enum(['timeout', 'early']),
  /** Milliseconds from the attempt's first SYN to the decision. */
  ms: z.number(),
  /** Connections opened to the port: the attempt's own and the extra ones (other source ports). */
  connections: z.number().check(z.int()),
  /** SYNs sent and left unanswered (the kernel re-sends a SYN after 1 s); null where the system's SYN schedule is unknown. */
  unansweredSyns: z.nullable(z.number().check(z.int())),
  /** The fastest port of the same address that answered its SYN in this probe, and its connect time. */
  reference: z.nullable(z.object({ port: z.number().check(z.int()), ms: z.number() })),
});
export type ConnectDecision = z.infer<typeof ConnectDecision>;

export const Attempt = z.object({
  port: z.number().check(z.int()),
  mode: Mode,
  /** The mode the server actually speaks, when it could be told (differs on tls_mode_mismatch). */
  detectedMode: z.nullable(Mode),
  address: z.nullable(z.string()),
  family: z.nullable(Family),
  outcome: Outcome,
  /** The system error code (ETIMEDOUT, ENETUNREACH...) when the outcome came from one. */
  errno: z.nullable(z.string()),
  message: z.string(),
  phases: Phases,
  banner: z.nullable(z.string()),
  capabilities: z.array(z.string()),
  tls: z.nullable(TlsInfo),
  auth: z.nullable(z.object({
      mechanisms: z.array(z.string()),
      result: z.enum(['ok', 'failed', 'unavailable', 'skipped']),
      response: z.nullable(z.string()),
    })),
  transcript: z.array(TranscriptLine),
  /** Present when the outcome is `connect_timeout`: how it was decided. */
  decision: z.optional(z.nullable(ConnectDecision)),
});
export type Attempt = z.infer<typeof Attempt>;

/** A verdict in words: what send and compare answer with (each closes `code` over its own codes). */
export const Verdict = z.object({
  code: z.string(),
  summary: z.string(),
  causes: z.array(z.string()),
  fixes: z.array(z.string()),
});
export type Verdict = z.infer<typeof Verdict>;

/**
 * The probe's verdict: the first finding's code and words, every finding in order, the app's
 * configured path and what its client will do. `causes` and `fixes` repeat the findings' words
 * for readers of probe@1 reports.
 */
export const ProbeVerdict = z.extend(Verdict, {
  code: FindingCode,
  findings: z.array(Finding),
  app: z.nullable(AppPath),
  prediction: z.nullable(ClientPrediction),
});
export type ProbeVerdict = z.infer<typeof ProbeVerdict>;

export const ProbeReport = z.object({
  schema: z.literal(PROBE_SCHEMA_ID),
  id: z.string(),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  platform: Platform,
  startedAt: z.string(),
  durationMs: z.number(),
  target: z.object({
    host: z.string(),
    addresses: z.array(z.object({ address: z.string(), family: Family })),
    /**
     * Where the target came from: given explicitly, the deployment's Django EMAIL_* (or EMAIL_URL)
     * settings, or settings read from a file, a URL or nodemailer options (check --probe).
     */
    source: z.enum(['argument', 'django-env', 'settings']),
  }),
  attempts: z.array(Attempt),
  verdict: ProbeVerdict,
});
export type ProbeReport = z.infer<typeof ProbeReport>;

/** What the engine finds out: the report before the diagnosis adds its verdict. */
export type ProbeEvidence = Omit<ProbeReport, 'verdict'>;

/**
 * A probe report as compare reads it: this version, or probe@1, whose verdict has no findings,
 * app or prediction (they are filled in empty, so the rest of the code sees one shape).
 */
export const ReadableProbeReport = z.extend(ProbeReport, {
  schema: z.enum(PROBE_SCHEMA_IDS_READ),
  verdict: z.union([ProbeVerdict, Verdict]),
});
export type ReadableProbeReport = z.infer<typeof ReadableProbeReport>;
