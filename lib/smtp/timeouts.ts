// Named timeouts, in the manner of nodemailer's CONNECTION_TIMEOUT / GREETING_TIMEOUT.
// Defaults stay well under Netlify's 60 s synchronous function limit: a blocked port costs one
// connect timeout (ports run concurrently), a whole probe at most TOTAL_TIMEOUT_MS.

export const CONNECT_TIMEOUT_MS = 5_000;
export const GREETING_TIMEOUT_MS = 5_000;
export const COMMAND_TIMEOUT_MS = 5_000;
export const TLS_TIMEOUT_MS = 5_000;
export const TOTAL_TIMEOUT_MS = 20_000;
/** How long QUIT may wait for its 221 before the socket is simply closed. */
export const QUIT_TIMEOUT_MS = 1_000;

/**
 * The early decision for `connect_timeout` (lib/smtp/early-decision.ts). Linux sends an unanswered
 * SYN again after its initial retransmission timeout (RFC 6298's 1 s, TCP_TIMEOUT_INIT): a
 * connection silent past that point has had two SYNs.
 */
export const SYN_RETRANSMIT_MS = 1_000;
/** Extra connections (other source ports) opened to a port that stays silent while another port of the same address answered. */
export const EARLY_EXTRA_CONNECTIONS = 4;
/** A SYN counts as unanswered after this many times the reference port's connect time... */
export const EARLY_ANSWER_FACTOR = 2;
/** ...and never less than this: event-loop and network jitter on a path of a few ms. */
export const EARLY_MIN_ANSWER_MS = 100;

/** Bounds every caller-given timeout must respect (option errors name these). */
export const MIN_TIMEOUT_MS = 10;
export const MAX_TIMEOUT_MS = 55_000;

export interface Timeouts {
  connectMs: number;
  greetingMs: number;
  commandMs: number;
  tlsMs: number;
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: CONNECT_TIMEOUT_MS,
  greetingMs: GREETING_TIMEOUT_MS,
  commandMs: COMMAND_TIMEOUT_MS,
  tlsMs: TLS_TIMEOUT_MS,
  totalMs: TOTAL_TIMEOUT_MS,
};
