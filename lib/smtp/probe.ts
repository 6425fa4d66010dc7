// The probe: resolve, vet every address, then every port x family concurrently under one
// overall deadline. Returns evidence (no verdict: that is lib/diagnosis's job); never throws for
// anything the network or server does.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { blankAttempt, runAttempt, type AttemptPhase } from './attempt.ts';
import { resolveTarget, type Lookup, type ResolvedAddress } from './resolve.ts';
import type { PortSpec } from './ports.ts';
import type { Credentials } from './auth.ts';
import type { Timeouts } from './timeouts.ts';
import { DEFAULT_DECIDE, ReferenceTracker, type DecideMode } from './early-decision.ts';
import type { Attempt, Family, Platform, ProbeEvidence } from '../model/probe-report.ts';
import { PROBE_SCHEMA_ID } from '../model/probe-report.ts';
import type { AppPath } from '../model/diagnosis.ts';
import { blockedReason, hostAllowed, type AddressPolicy } from '../security/address-policy.ts';
import { createRedactor } from '../security/redact.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { SmtpEgressError } from '../model/errors.ts';

/** Errnos that say this machine ran out of descriptors: evidence about here, not the target. */
const LOCAL_EXHAUSTION = /\bE[MN]FILE\b/;

/** Seconds a caller refused for local exhaustion is told to wait. */
const EXHAUSTION_RETRY_S = 10;

export interface ProbeOptions {
  host: string;
  ports: PortSpec[];
  /** Restrict to one address family; null probes every family the name resolves to. */
  family: Family | null;
  timeouts: Timeouts;
  ehloName: string;
  credentials: Credentials | null;
  /** The port the login test runs on (default: the first port given). */
  loginPort: number | null;
  ca?: string;
  policy: AddressPolicy;
  platform: Platform;
  source: 'argument' | 'django-env' | 'settings';
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** `fast` (default): a silent port may be decided early on evidence (early-decision.ts); `full`: the whole connect timeout. */
  decide?: DecideMode;
  /** Replaces the system resolver (tests of DNS answers that change between lookups). */
  lookup?: Lookup;
  /** The app's configured path, when the settings are known: the engine ignores it, the diagnosis reads it. */
  app?: AppPath | null;
  /** The boolean settings as written, for the diagnosis (spellings a naive settings.py misreads). */
  rawBooleans?: Record<string, string | undefined>;
}

export type ProgressEvent =
  | { type: 'resolved'; host: string; addresses: ResolvedAddress[]; ms: number }
  | { type: 'phase'; port: number; family: Family; phase: AttemptPhase }
  | { type: 'attempt'; attempt: Attempt };

export async function probe(opts: ProbeOptions): Promise<ProbeEvidence> {
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = AbortSignal.timeout(opts.timeouts.totalMs);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  // Every attempt (and each of its phases) listens on this one signal: 64 ports x 2 families
  // is far past the default of 10 listeners, which is not a leak here.
  setMaxListeners(0, signal);
  const redact = createRedactor([opts.credentials?.password], opts.credentials?.user);
  const finish = (addresses: ResolvedAddress[], attempts: Attempt[]): ProbeEvidence => ({
    schema: PROBE_SCHEMA_ID,
    id: randomUUID(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    platform: opts.platform,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    target: { host: opts.host, addresses, source: opts.source },
    attempts,
  });
  const stub = (port: PortSpec, fields: Partial<Attempt>): Attempt => blankAttempt(port, fields);

  if (!hostAllowed(opts.host, opts.policy.allowedHosts)) {
    const message = `${opts.host} is not in SMTP_EGRESS_ALLOWED_HOSTS (${opts.policy.allowedHosts.join(', ')}); nothing was sent`;
    return finish([], opts.ports.map((p) => stub(p, { outcome: 'blocked_by_policy', message })));
  }

  const resolved = await resolveTarget(opts.host, signal, opts.lookup);
  if (!resolved.ok) {
    return finish([], opts.ports.map((p) => stub(p, { outcome: 'dns_failed', errno: resolved.errno, message: resolved.message, phases: { dns: resolved.ms } })));
  }
  opts.onProgress?.({ type: 'resolved', host: opts.host, addresses: resolved.addresses, ms: resolved.ms });

  // One address per family: the first the resolver returns, which is the one the app would try.
  const families: Family[] = opts.family ? [opts.family] : ['ipv4', 'ipv6'];
  const picked = families.map((f) => ({ family: f, entry: resolved.addresses.find((a) => a.family === f) }));
  const jobs: Promise<Attempt>[] = [];
  const early = { tracker: new ReferenceTracker(), decide: opts.decide ?? DEFAULT_DECIDE };
  for (const { family, entry } of picked) {
    for (const port of opts.ports) {
      if (!entry) {
        if (opts.family) {
          jobs.push(Promise.resolve(stub(port, { family, outcome: 'dns_failed', errno: 'ENODATA', message: `${opts.host} has no ${family === 'ipv6' ? 'AAAA' : 'A'} record`, phases: { dns: resolved.ms } })));
        }
        continue;
      }
      const why = opts.policy.allowPrivate ? null : blockedReason(entry.address);
      if (why) {
        jobs.push(
          Promise.resolve(
            stub(port, {
              address: entry.address,
              family,
              outcome: 'blocked_by_policy',
              message: `${opts.host} resolves to ${entry.address}, a ${why} address; the probe refuses to connect there (set SMTP_EGRESS_ALLOW_PRIVATE=1 only for local tests)`,
              phases: { dns: resolved.ms },
            }),
          ),
        );
        continue;
      }
      const login = opts.credentials && (opts.loginPort ?? opts.ports[0]?.port) === port.port ? opts.credentials : null;
      jobs.push(
        runAttempt(
          { host: opts.host, address: entry.address, family, port: port.port, mode: port.mode },
          {
            timeouts: opts.timeouts,
            signal,
            ehloName: opts.ehloName,
            ca: opts.ca,
            credentials: login,
            redact,
            early,
            onPhase: (phase) => opts.onProgress?.({ type: 'phase', port: port.port, family, phase }),
          },
        ).then((attempt) => {
          attempt.phases = { dns: resolved.ms, ...attempt.phases };
          opts.onProgress?.({ type: 'attempt', attempt });
          return attempt;
        }),
      );
    }
  }
  const attempts = await Promise.all(jobs);
  // A connection this process could not even open says nothing about the network or the server:
  // reported as connection_reset it would blame them. The whole probe is refused instead.
  const exhausted = attempts.find((a) => a.errno !== null && a.errno !== undefined && LOCAL_EXHAUSTION.test(a.errno));
  if (exhausted) {
    throw new SmtpEgressError(
      'busy',
      `this machine ran out of file descriptors (${exhausted.errno}) while probing ${opts.host}: nothing was learned about the network or the server; retry in about ${EXHAUSTION_RETRY_S} s, or probe fewer ports at once`,
      { stage: 'connect', retryAfterS: EXHAUSTION_RETRY_S },
    );
  }
  attempts.sort((a, b) => a.port - b.port || (a.family ?? '').localeCompare(b.family ?? ''));
  return finish(resolved.addresses, attempts);
}
