// The limits that keep one `smtp-egress serve` process answering while strangers misbehave:
// how many connections it holds, how long a request's headers and body may take to arrive, how
// many probe attempts run at once and how many wait. Each has a default sized for a small
// instance (Render's free tier, 512 MB, a 1024-descriptor limit is common) and an env override.
import { readFileSync } from 'node:fs';
import { inputError } from '../model/errors.ts';
import type { Env } from '../platform/detect.ts';

export interface ServeLimits {
  /** Open connections at once; more are closed as they arrive (SMTP_EGRESS_MAX_CONNECTIONS). */
  maxConnections: number;
  /** The whole request head must arrive within this (slow headers: slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
  /** A body that stops arriving for this long is refused with 408 (a stalled upload). */
  bodyTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Requests one keep-alive connection may carry before it is closed. */
  maxRequestsPerSocket: number;
  /** Request body bytes held in memory across every request at once; beyond it, 503. */
  maxBufferedBodyBytes: number;
  /** Probe connection attempts running at once across every request (SMTP_EGRESS_MAX_PROBE_ATTEMPTS). */
  maxProbeAttempts: number;
  /** Ports x families one probe request may ask for. */
  maxAttemptsPerRequest: number;
  /** Probe requests waiting for attempts to free up; beyond it, 503 with Retry-After. */
  maxQueuedProbes: number;
  /** How long a probe request may wait in that queue before it is refused. */
  maxQueueWaitMs: number;
}

/** Descriptors the process may open (the soft RLIMIT_NOFILE), when the system says. */
export function descriptorLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Connections and probe attempts each get at most a share of the descriptors, so neither can
 * starve the other, and a few dozen stay free for files, DNS and the listener.
 */
export function defaultLimits(fds: number | null = descriptorLimit()): ServeLimits {
  const budget = Math.max(64, (fds ?? 1024) - 64);
  return {
    maxConnections: Math.min(1000, Math.floor(budget / 2)),
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    bodyTimeoutMs: 10_000,
    keepAliveTimeoutMs: 5_000,
    maxRequestsPerSocket: 100,
    maxBufferedBodyBytes: 32 * 1024 * 1024,
    maxProbeAttempts: Math.min(256, Math.floor(budget / 4)),
    maxAttemptsPerRequest: 32,
    maxQueuedProbes: 32,
    maxQueueWaitMs: 10_000,
  };
}

const ENV_KEYS: Partial<Record<keyof ServeLimits, string>> = {
  maxConnections: 'SMTP_EGRESS_MAX_CONNECTIONS',
  maxProbeAttempts: 'SMTP_EGRESS_MAX_PROBE_ATTEMPTS',
  maxAttemptsPerRequest: 'SMTP_EGRESS_MAX_ATTEMPTS_PER_REQUEST',
  maxQueuedProbes: 'SMTP_EGRESS_MAX_QUEUED_PROBES',
};

/** The defaults with the env's overrides; a bad value names its variable. */
export function limitsFromEnv(env: Env, base: ServeLimits = defaultLimits()): ServeLimits {
  const out = { ...base };
  for (const [key, name] of Object.entries(ENV_KEYS) as [keyof ServeLimits, string][]) {
    const v = env[name]?.trim();
    if (!v) continue;
    if (!/^\d{1,7}$/.test(v) || Number(v) < 1) throw inputError(name, `${name} must be a whole number of at least 1`);
    out[key] = Number(v);
  }
  return out;
}
