// What the diagnosis says, as data: the ordered findings (the first is the verdict), each with its
// fixes from the one advice catalogue, the app's configured mail path when it is known, and what
// the app's own mail client will do (the client model). Part of the probe report's contract.
import { z } from './zod.ts';
import { Family, Mode, Outcome } from './outcomes.ts';

/** The mail clients whose connection behaviour the diagnosis models. */
export const CLIENTS = ['django', 'smtplib', 'nodemailer', 'node'] as const;
export const Client = z.enum(CLIENTS);
export type Client = z.infer<typeof Client>;

/**
 * Every finding code. The verdict's code is the first finding's. Levels: an `error` stops the
 * mail (or would, for an alternative path); a `warning` is a risk or a cost; an `info` is a note.
 */
export const FINDING_CODES = [
  // the configured path works (login included when credentials were given)
  'configured_ok',
  // every port tried works (no configured path known)
  'all_ok',
  // settings mistakes: they outrank the network
  'settings_conflict',
  'plaintext_login',
  'boolean_misread',
  'timeout_unset',
  // what the guard or this machine did
  'nothing_probed',
  'blocked_by_policy',
  'local_error',
  'dns_failed',
  // the network between the app and the server
  'egress_blocked',
  'egress_blocked_all',
  'port_refused',
  'ipv6_only_failure',
  'ipv6_fallback_cost',
  // the server
  'server_rejected',
  'server_unresponsive',
  'tls_misconfigured',
  'tls_certificate',
  'starttls_unavailable',
  'auth_failed',
  'auth_unavailable',
  // notes about ports other than the configured one
  'port_not_served',
  'alternative_blocked',
  'mixed',
] as const;
export const FindingCode = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCode>;

export const FindingLevel = z.enum(['error', 'warning', 'info']);
export type FindingLevel = z.infer<typeof FindingLevel>;

/** One setting of a fix, as the app's source names it (EMAIL_PORT, url query, secure). */
export const FixSetting = z.object({ name: z.string(), value: z.string() });
export type FixSetting = z.infer<typeof FixSetting>;

export const Fix = z.object({
  /** The advice catalogue's id (lib/diagnosis/advice.ts): each fix is written once, there. */
  id: z.string(),
  text: z.string(),
  /** The settings to change, when the fix is a change of settings; false is written empty. */
  settings: z.nullable(z.array(FixSetting)),
  /**
   * `this_run`: the proposed settings were probed in this run from this network and worked;
   * `evidence`: the report's own attempts show it works (no login was needed); null: advice that
   * no probe can check (an HTTPS API, a paid plan, the provider's dashboard).
   */
  verified: z.nullable(z.enum(['this_run', 'evidence'])),
});
export type Fix = z.infer<typeof Fix>;

export const Finding = z.object({
  code: FindingCode,
  level: FindingLevel,
  summary: z.string(),
  causes: z.array(z.string()),
  fixes: z.array(Fix),
  /** The ports the finding is about (empty when it is about the settings or the whole target). */
  ports: z.array(z.number().check(z.int())),
});
export type Finding = z.infer<typeof Finding>;

/** The app's configured mail path, when the settings are known (the deployment's EMAIL_*). */
export const AppPath = z.object({
  port: z.number().check(z.int()),
  mode: Mode,
  /** Credentials are configured: the app will log in. */
  login: z.boolean(),
  /** Seconds; null when unset (Django then waits as long as the kernel keeps retrying). */
  timeoutS: z.nullable(z.number()),
  client: Client,
  /** Where the settings came from. */
  source: z.enum(['django-env', 'url', 'nodemailer', 'flags']),
  useTls: z.nullable(z.boolean()),
  useSsl: z.nullable(z.boolean()),
});
export type AppPath = z.infer<typeof AppPath>;

export const PredictedStep = z.object({
  address: z.string(),
  family: Family,
  outcome: Outcome,
  /** How long the client waits on this address before it moves on or gives up, in ms. */
  waitMs: z.number(),
});
export type PredictedStep = z.infer<typeof PredictedStep>;

/** What the app's own client will do on the configured path, from this report's evidence. */
export const ClientPrediction = z.object({
  client: Client,
  /** The address order the client uses: as the system resolver returned it on this machine. */
  order: z.array(z.object({ address: z.string(), family: Family })),
  steps: z.array(PredictedStep),
  sends: z.boolean(),
  /** The outcome the client ends with (the last address's, for smtplib); null when it raises before connecting (a settings error). */
  outcome: z.nullable(Outcome),
  /** The error the app shows, in its own words ("OSError: [Errno 101] Network is unreachable"). */
  error: z.nullable(z.string()),
  /** How long the send hangs before it succeeds or raises, in ms. */
  hangMs: z.number(),
  summary: z.string(),
});
export type ClientPrediction = z.infer<typeof ClientPrediction>;
