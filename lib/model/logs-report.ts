// The log classification report (`smtp-egress logs`, POST /api/classify-logs): which pasted log
// lines say why mail did not leave, mapped to the probe's outcome codes. Types are inferred from
// these zod schemas, like the probe report's, so the JSON Schema can be generated from them.
import { z } from './zod.ts';
import { Outcome, TlsErrorReason } from './probe-report.ts';

export const LOGS_SCHEMA_ID = 'smtp-egress/logs@1';

/** Where a recognised line comes from: a Python/Django traceback, nodemailer, or Node's errno. */
export const LogSource = z.enum(['python', 'nodemailer', 'node']);
export type LogSource = z.infer<typeof LogSource>;

/** `high`: the line says it outright. `medium`: the line fits, but its context could change it. */
export const Confidence = z.enum(['high', 'medium']);
export type Confidence = z.infer<typeof Confidence>;

export const LogMatch = z.object({
  /** 1-based line number in the input. */
  line: z.number().check(z.int()),
  /** The line with log prefixes (timestamps, `==> `) and colours stripped; long lines cut. */
  text: z.string(),
  /** Stable id of the pattern that matched, e.g. `python-errno-101`, `nodemailer-greeting`. */
  pattern: z.string(),
  source: LogSource,
  /**
   * The probe outcome this line means. null: the line is a mail error but does not say which
   * (nodemailer's bare ESOCKET with nothing around it); it is counted as undetermined.
   */
  outcome: z.nullable(Outcome),
  confidence: Confidence,
  /** The system error the line names (ENETUNREACH, Errno 101...), when it names one. */
  errno: z.nullable(z.string()),
  /** The port the line names (`connect ETIMEDOUT 1.2.3.4:587`), when it names one. */
  port: z.nullable(z.number().check(z.int())),
  tlsReason: z.nullable(TlsErrorReason),
  /** Lines of one error (a traceback chain, one printed error object) share an event number. */
  event: z.number().check(z.int()),
  cause: z.string(),
  fix: z.string(),
});
export type LogMatch = z.infer<typeof LogMatch>;

export const OutcomeCount = z.object({
  outcome: Outcome,
  /** Errors (events) with this outcome. */
  events: z.number().check(z.int()),
  /** Recognised lines with this outcome. */
  lines: z.number().check(z.int()),
});
export type OutcomeCount = z.infer<typeof OutcomeCount>;

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
  /** `render` when the logs carry Render's prefixes or paths; null when nothing tells. */
  platformHint: z.nullable(z.string()),
  matches: z.array(LogMatch),
  /** True when more lines matched than the report lists (the counts still cover all of them). */
  matchesTruncated: z.boolean(),
  summary: z.object({
    /** Distinct errors: the lines of one traceback chain or one printed error object count once. */
    events: z.number().check(z.int()),
    /** Events whose lines did not say which outcome. */
    undetermined: z.number().check(z.int()),
    /** Most events first. */
    byOutcome: z.array(OutcomeCount),
    mostLikely: z.nullable(z.object({
        outcome: Outcome,
        confidence: Confidence,
        events: z.number().check(z.int()),
        summary: z.string(),
        cause: z.string(),
        fixes: z.array(z.string()),
      })),
    text: z.string(),
  }),
});
export type LogsReport = z.infer<typeof LogsReport>;
