// The send-test result: the public contract of `smtp-egress send-test` and POST /api/send-test
// (schema `smtp-egress/send@2`: `tls` has the probe's TlsInfo shape since @2). Types are inferred from these zod schemas, like the probe report.
// Outcomes reuse the probe's codes for everything up to the login, then add what only sending
// can meet: the envelope or the message refused, and the SES API's own refusals.
import { z } from './zod.ts';
import { Family, Mode, OUTCOMES, Platform, TlsInfo, Verdict } from './probe-report.ts';
import { FINDING_CODES } from './diagnosis.ts';

export const SEND_SCHEMA_ID = 'smtp-egress/send@2';

export const TRANSPORTS = ['smtp', 'ses'] as const;
export const Transport = z.enum(TRANSPORTS);
export type Transport = z.infer<typeof Transport>;

export const SEND_ONLY_OUTCOMES = [
  'sender_rejected', // MAIL FROM refused (SMTP)
  'recipient_rejected', // RCPT TO refused (SMTP)
  'message_rejected', // DATA or the message refused (SMTP)
  'ses_message_rejected', // SES MessageRejected (content, suppression list...)
  'ses_unverified_identity', // sender (or, in the sandbox, recipient) not verified in SES
  'ses_access_denied', // the IAM identity may not ses:SendEmail
  'ses_bad_credentials', // unknown key id, wrong secret, expired session token
  'ses_throttled', // rate or daily quota exceeded
  'ses_sending_paused', // account suspended or sending paused
  'ses_bad_request', // the API refused the request as malformed
  'ses_service_error', // 5xx from the API
  'failed', // anything else (the message says what)
] as const;
export const SEND_OUTCOMES = [...OUTCOMES, ...SEND_ONLY_OUTCOMES] as const;
export const SendOutcome = z.enum(SEND_OUTCOMES);
export type SendOutcome = z.infer<typeof SendOutcome>;

export const SmtpTarget = z.object({
  transport: z.literal('smtp'),
  host: z.string(),
  port: z.number().check(z.int()),
  mode: Mode,
  /** The checked address nodemailer connected to (null in a dry run or before resolution). */
  address: z.nullable(z.string()),
  family: z.nullable(Family),
  user: z.nullable(z.string()),
  /** Where the settings came from: the request, or the deployment's Django EMAIL_* variables. */
  source: z.enum(['request', 'django-env']),
});
export const SesTarget = z.object({
  transport: z.literal('ses'),
  region: z.string(),
  /** The endpoint override (a local emulator), or null for the SDK's regional endpoint. */
  endpoint: z.nullable(z.string()),
  /** The access key id, shortened (AKIA…WXYZ): enough to tell keys apart, not a credential. */
  accessKeyId: z.nullable(z.string()),
});
export const SendTarget = z.discriminatedUnion('transport', [SmtpTarget, SesTarget]);
export type SendTarget = z.infer<typeof SendTarget>;

export const RenderedMessage = z.object({
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  /** The headers that say where the message came from (X-Smtp-Egress-*). */
  headers: z.record(z.string(), z.string()),
  text: z.string(),
  /** The message as it would go on the wire (SMTP) or the SendEmail request (SES); dry runs only. */
  preview: z.nullable(z.string()),
});
export type RenderedMessage = z.infer<typeof RenderedMessage>;

export const SendTimings = z.object({
  dns: z.optional(z.number()),
  /** SMTP: connection, greeting, EHLO, TLS, login and MAIL/RCPT (nodemailer's envelopeTime covers MAIL/RCPT only). */
  envelope: z.optional(z.number()),
  /** SMTP: DATA until the server's final reply. */
  message: z.optional(z.number()),
  /** SES: the SendEmail HTTPS request. */
  api: z.optional(z.number()),
  total: z.number(),
});

/** Every verdict code a send can end with: the probe's finding codes, then what only sending meets. */
export const SEND_VERDICT_CODES = [...FINDING_CODES, 'dry_run', 'sent', 'api_unreachable', ...SEND_ONLY_OUTCOMES] as const;
export const SendVerdict = z.extend(Verdict, { code: z.enum(SEND_VERDICT_CODES) });
export type SendVerdict = z.infer<typeof SendVerdict>;
export type SendVerdictCode = (typeof SEND_VERDICT_CODES)[number];

export const SendResult = z.object({
  schema: z.literal(SEND_SCHEMA_ID),
  /** Also in the message's X-Smtp-Egress-Id header, so the receiver can match mail to result. */
  id: z.string(),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  platform: Platform,
  startedAt: z.string(),
  durationMs: z.number(),
  transport: Transport,
  dryRun: z.boolean(),
  /** True when the server or API accepted the message (never in a dry run). */
  sent: z.boolean(),
  outcome: SendOutcome,
  /** nodemailer's code and the system errno (ESOCKET/ENETUNREACH), or the SES error name. */
  errno: z.nullable(z.string()),
  message: z.string(),
  target: SendTarget,
  envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  /** SES: the API's MessageId. SMTP: the Message-ID header (the server's queue id is in `response`). */
  messageId: z.nullable(z.string()),
  /** The server's final SMTP reply, or the API's answer (error name, status and message). */
  response: z.nullable(z.string()),
  /** The SMTP command that failed (CONN, AUTH PLAIN, RCPT TO...), when one did. */
  command: z.nullable(z.string()),
  /** The probe's TLS shape: only what a failed handshake told is filled in (error, errorDetail). */
  tls: z.nullable(TlsInfo),
  timings: SendTimings,
  rendered: RenderedMessage,
  verdict: SendVerdict,
});
export type SendResult = z.infer<typeof SendResult>;
