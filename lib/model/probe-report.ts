// The probe report: the public contract (DESIGN.md, "Report"). Types are inferred from these
// zod schemas and the committed JSON Schema (schema/probe.schema.json) is generated from them,
// so the three can never drift apart.
import { z } from './zod.ts';

export const PROBE_SCHEMA_ID = 'smtp-egress/probe@1';

export const OUTCOMES = [
  'ok',
  'dns_failed',
  'network_unreachable',
  'host_unreachable',
  'connect_timeout',
  'connection_refused',
  'connection_reset',
  'greeting_timeout',
  'smtp_rejected',
  'tls_mode_mismatch',
  'starttls_unavailable',
  'tls_failed',
  'auth_failed',
  'auth_unavailable',
  'timeout',
  'blocked_by_policy',
  // This machine could not open a socket (EPERM, EACCES, EMFILE, ENOBUFS...): nothing left it.
  'local_error',
] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const MODES = ['implicit-tls', 'starttls', 'starttls-optional', 'plain'] as const;
export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

export const Family = z.enum(['ipv4', 'ipv6']);
export type Family = z.infer<typeof Family>;

export const TLS_ERROR_REASONS = ['cert_expired', 'hostname_mismatch', 'self_signed', 'untrusted', 'handshake'] as const;
export const TlsErrorReason = z.enum(TLS_ERROR_REASONS);
export type TlsErrorReason = z.infer<typeof TlsErrorReason>;

export const Platform = z.object({
  name: z.string(),
  region: z.nullable(z.string()),
  runtime: z.string(),
  deployContext: z.nullable(z.string()),
});
export type Platform = z.infer<typeof Platform>;

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
});
export type Attempt = z.infer<typeof Attempt>;

export const Verdict = z.object({
  code: z.string(),
  summary: z.string(),
  causes: z.array(z.string()),
  fixes: z.array(z.string()),
});
export type Verdict = z.infer<typeof Verdict>;

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
    /** Where the target came from: given explicitly, or the deployment's Django EMAIL_* settings. */
    source: z.enum(['argument', 'django-env']),
  }),
  attempts: z.array(Attempt),
  verdict: Verdict,
});
export type ProbeReport = z.infer<typeof ProbeReport>;

/** What the engine finds out: the report before the diagnosis adds its verdict. */
export type ProbeEvidence = Omit<ProbeReport, 'verdict'>;
