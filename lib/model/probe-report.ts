// The probe report: the public contract (DESIGN.md, "Report"). Types are inferred from these
// zod schemas and the committed JSON Schema (schema/probe.schema.json) is generated from them,
// so the three can never drift apart.
import { z } from 'zod';

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
  region: z.string().nullable(),
  runtime: z.string(),
  deployContext: z.string().nullable(),
});
export type Platform = z.infer<typeof Platform>;

/** Milliseconds each phase took; absent when the phase never ran. */
export const Phases = z.object({
  dns: z.number().optional(),
  connect: z.number().optional(),
  greeting: z.number().optional(),
  ehlo: z.number().optional(),
  tls: z.number().optional(),
  auth: z.number().optional(),
});
export type Phases = z.infer<typeof Phases>;

export const TlsInfo = z.object({
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  authorized: z.boolean(),
  error: TlsErrorReason.nullable(),
  errorDetail: z.string().nullable(),
  cert: z
    .object({
      subject: z.string().nullable(),
      issuer: z.string().nullable(),
      validTo: z.string().nullable(),
      altNames: z.array(z.string()),
    })
    .nullable(),
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
  port: z.number().int(),
  mode: Mode,
  /** The mode the server actually speaks, when it could be told (differs on tls_mode_mismatch). */
  detectedMode: Mode.nullable(),
  address: z.string().nullable(),
  family: Family.nullable(),
  outcome: Outcome,
  /** The system error code (ETIMEDOUT, ENETUNREACH...) when the outcome came from one. */
  errno: z.string().nullable(),
  message: z.string(),
  phases: Phases,
  banner: z.string().nullable(),
  capabilities: z.array(z.string()),
  tls: TlsInfo.nullable(),
  auth: z
    .object({
      mechanisms: z.array(z.string()),
      result: z.enum(['ok', 'failed', 'unavailable', 'skipped']),
      response: z.string().nullable(),
    })
    .nullable(),
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
