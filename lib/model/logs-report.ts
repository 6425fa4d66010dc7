// The log classification report (`smtp-egress logs`, POST /api/classify-logs): which errors in
// pasted logs say why mail did not leave, each mapped to the probe's outcome codes with the mail
// client that raised it. Types are inferred from these zod schemas, like the probe report's, so
// the JSON Schema can be generated from them.
import { z } from './zod.ts';
import { TlsErrorReason } from './outcomes.ts';
import { LOGS_SCHEMA_ID, LOG_OUTCOMES, MAIL_CLIENTS } from './logs-codes.ts';

export { LOGS_SCHEMA_ID, LOG_OUTCOMES, MAIL_CLIENTS } from './logs-codes.ts';

export const LogOutcome = z.enum(LOG_OUTCOMES);
export type LogOutcome = z.infer<typeof LogOutcome>;

/** The language stack a recognised line comes from; `smtp` is a bare server reply line. */
export const LogSource = z.enum(['python', 'node', 'php', 'ruby', 'go', 'dotnet', 'java', 'smtp']);
export type LogSource = z.infer<typeof LogSource>;

/** The mail client an error belongs to, when its text or frames name it. */
export const MailClient = z.enum(MAIL_CLIENTS);
export type MailClient = z.infer<typeof MailClient>;

/** `high`: the error says it outright. `medium`: it fits, but its context could change it. */
export const Confidence = z.enum(['high', 'medium']);
export type Confidence = z.infer<typeof Confidence>;

export const LogMatch = z.object({
  /** 1-based line number in the input. */
  line: z.number().check(z.int()),
  /** The line with log prefixes (timestamps, `==> `) and colours stripped; long lines cut. */
  text: z.string(),
  /** Stable id of the pattern that matched, e.g. `python-errno`, `nodemailer-greeting`. */
  pattern: z.string(),
  source: LogSource,
  /**
   * What this line means. null: the line is part of a mail error but does not say which
   * (nodemailer's bare ESOCKET, .NET's "Failure sending mail.").
   */
  outcome: z.nullable(LogOutcome),
  confidence: Confidence,
  /** The system error the line names (ENETUNREACH, Errno 101...), when it names one. */
  errno: z.nullable(z.string()),
  /** The port the line names (`connect ETIMEDOUT 1.2.3.4:587`), when it names one. */
  port: z.nullable(z.number().check(z.int())),
  tlsReason: z.nullable(TlsErrorReason),
  /** Lines of one error (a traceback chain, one printed error object) share an event number. */
  event: z.number().check(z.int()),
});
export type LogMatch = z.infer<typeof LogMatch>;

/** One error (event): the lines that make it up decided together. */
export const LogError = z.object({
  event: z.number().check(z.int()),
  /** First and last line of the error in the input (1-based). */
  firstLine: z.number().check(z.int()),
  lastLine: z.number().check(z.int()),
  /** null: a mail error that does not say which failure it is (counted as undetermined). */
  outcome: z.nullable(LogOutcome),
  confidence: Confidence,
  source: LogSource,
  client: z.nullable(MailClient),
  /**
   * What ties the error to mail: its library, classes or frames (`library`), a mail port in an
   * address (`port`), mail words only (`text`), or nothing (`none`: an error no other client
   * claims, such as a bare `[Errno 101]`, read as mail because it was pasted here).
   */
  mailEvidence: z.enum(['library', 'port', 'text', 'none']),
  /** The line that decided the outcome. */
  definingLine: z.nullable(z.number().check(z.int())),
  port: z.nullable(z.number().check(z.int())),
  address: z.nullable(z.string()),
  errno: z.nullable(z.string()),
  tlsReason: z.nullable(TlsErrorReason),
  /** The line that says it, prefixes stripped, masked and cut (the error's first line when the deciding line is a bare `errno:` / `code:` property). */
  quote: z.string(),
  /** One sentence naming the client: "PHPMailer could not connect to port 587: timed out". */
  headline: z.string(),
  cause: z.string(),
  fixes: z.array(z.string()),
});
export type LogError = z.infer<typeof LogError>;

export const OutcomeCount = z.object({
  outcome: LogOutcome,
  /** Errors (events) with this outcome. */
  events: z.number().check(z.int()),
  /** Recognised lines with this outcome. */
  lines: z.number().check(z.int()),
});
export type OutcomeCount = z.infer<typeof OutcomeCount>;

export const LogsPlatform = z.object({
  /** A platform id of lib/platform (render, heroku...). */
  name: z.string(),
  /** Where it was learnt: the log prefixes, the caller (`--platform`, `platform`), or the machine this runs on. */
  from: z.enum(['logs', 'option', 'deployment']),
});
export type LogsPlatform = z.infer<typeof LogsPlatform>;

export const LogsReport = z.object({
  schema: z.literal(LOGS_SCHEMA_ID),
  tool: z.object({ name: z.literal('smtp-egress'), version: z.string() }),
  lines: z.object({
    total: z.number().check(z.int()),
    blank: z.number().check(z.int()),
    recognised: z.number().check(z.int()),
    /** Lines no pattern matched: counted, never guessed at. */
    unrecognised: z.number().check(z.int()),
  }),
  /** The platform the logs come from, when something tells; platform advice is given only then. */
  platform: z.nullable(LogsPlatform),
  /** Mail errors, the one that explains most first (at most as many as `matches` allows). */
  errors: z.array(LogError),
  matches: z.array(LogMatch),
  /** True when more lines matched than the report lists (the counts still cover all of them). */
  matchesTruncated: z.boolean(),
  summary: z.object({
    /** Distinct mail errors: the lines of one traceback chain or one printed error object count once. */
    events: z.number().check(z.int()),
    /** Events whose lines did not say which outcome. */
    undetermined: z.number().check(z.int()),
    /** Errors of other clients (a database, an HTTPS call) that were seen and left alone. */
    otherClientErrors: z.number().check(z.int()),
    /** Most events first. */
    byOutcome: z.array(OutcomeCount),
    mostLikely: z.nullable(z.object({
        outcome: LogOutcome,
        confidence: Confidence,
        events: z.number().check(z.int()),
        client: z.nullable(MailClient),
        headline: z.string(),
        summary: z.string(),
        cause: z.string(),
        fixes: z.array(z.string()),
      })),
    text: z.string(),
  }),
});
export type LogsReport = z.infer<typeof LogsReport>;
