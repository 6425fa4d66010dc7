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
