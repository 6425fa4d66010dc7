// The project's one error class, in the manner of ky's HTTPError and nodemailer's coded errors:
// a stable `code` for programs, a `field` naming the input that was wrong, a human `message`
// that says how to fix it. Probe steps never throw this (a failed step is data in the report);
// it is for bad input, refused requests and misconfigured deployments.

export type ErrorCode =
  | 'invalid_input' // a field has a wrong value; `field` names it
  | 'unknown_field' // a field nobody reads; `field` names it
  | 'missing_field'
  | 'unauthorized' // wrong or missing bearer token
  | 'token_not_configured' // the deployment has no SMTP_EGRESS_TOKEN
  | 'forbidden'
  | 'not_configured'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'not_found'
  | 'incompatible_reports'
  | 'remote_failed' // a remote smtp-egress (probe --compare URL) could not be reached or refused
  | 'request_timeout' // the request's headers or body did not arrive in time
  | 'too_many_requests' // this client is slowed down (repeated wrong tokens); `retryAfterS` says when to retry
  | 'busy' // this server is at a capacity limit right now (connections, probe attempts, descriptors); retry later
  | 'internal';

export interface SmtpEgressErrorOptions {
  field?: string;
  /** Where it happened (a CLI flag, an HTTP stage, an SMTP command). */
  stage?: string;
  /** A server's reply, when one explains the error. Never a secret. */
  response?: string;
  /** Seconds after which the same request may succeed (HTTP Retry-After). */
  retryAfterS?: number;
  cause?: unknown;
}

export class SmtpEgressError extends Error {
  override readonly name = 'SmtpEgressError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly stage: string | undefined;
  readonly response: string | undefined;
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message: string, options: SmtpEgressErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.stage = options.stage;
    this.response = options.response;
    this.retryAfterS = options.retryAfterS;
  }

  /** The JSON body an HTTP handler answers with: code, field, message. No stack, no cause. */
  toJSON(): { code: ErrorCode; field?: string; message: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, field: this.field, message: this.message };
  }
}

export function isSmtpEgressError(value: unknown): value is SmtpEgressError {
  return value instanceof SmtpEgressError;
}

export function inputError(field: string, message: string): SmtpEgressError {
  return new SmtpEgressError('invalid_input', message, { field });
}

/** Turns zod's first issue into our error, naming the field (every adapter's input check). */
export function zodToInputError(error: { issues: readonly ZodIssueLike[] }, prefix = ''): SmtpEgressError {
  const issue = error.issues[0];
  if (!issue) return inputError(prefix || 'input', 'invalid input');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys?.[0] ?? '?';
    return new SmtpEgressError('unknown_field', `unknown field "${key}"`, { field: prefix + key });
  }
  const field = prefix + (issue.path.join('.') || 'input');
  return inputError(field, `${field} ${issue.message}`);
}

/** The part of a zod issue zodToInputError reads (kept structural: the model's errors need no zod import). */
interface ZodIssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}
