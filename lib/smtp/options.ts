// One validated form of a probe request, whatever the entry point (CLI flags, query string,
// JSON body, Django env). Field names here are the HTTP names; the CLI maps them to its flags.
import os from 'node:os';
import { z } from '../model/zod.ts';
import { inputError, SmtpEgressError, zodToInputError } from '../model/errors.ts';
import { parsePorts, STANDARD_PORTS, defaultModeFor, type PortSpec } from './ports.ts';
import { DEFAULT_TIMEOUTS, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, type Timeouts } from './timeouts.ts';
import { DECIDE_MODES, DEFAULT_DECIDE } from './early-decision.ts';
import type { ProbeOptions } from './probe.ts';
import type { Family, Mode, Platform } from '../model/probe-report.ts';
import type { AddressPolicy } from '../security/address-policy.ts';
import { assertNoControlChars, validateHost } from '../security/input.ts';
import { readDjangoEnv } from '../settings/readers.ts';
import type { ReadResult, SettingKey } from '../settings/mail-settings.ts';
import type { Env } from '../platform/detect.ts';
import { CLIENTS, type AppPath } from '../model/diagnosis.ts';

const timeout = z.coerce.number({ error: 'must be a number of milliseconds' }).check(
  z.int({ error: 'must be a whole number of milliseconds' }),
  z.minimum(MIN_TIMEOUT_MS, { error: `must be at least ${MIN_TIMEOUT_MS} ms` }),
  z.maximum(MAX_TIMEOUT_MS, { error: `must be at most ${MAX_TIMEOUT_MS} ms (Netlify's synchronous limit is 60 s)` }),
);

/** What a caller may send. Unknown fields are refused so a typo does not pass silently. */
export const ProbeInput = z.strictObject({
    host: z.optional(z.string().check(z.maxLength(253, { error: 'must be at most 253 characters' }))),
    ports: z.optional(z.union([z.string().check(z.maxLength(1000)), z.array(z.union([z.string(), z.number()])).check(z.maxLength(1000))])),
    family: z.optional(z.enum(['ipv4', 'ipv6', 'all'], { error: 'must be ipv4, ipv6 or all' })),
    connectTimeoutMs: z.optional(timeout),
    greetingTimeoutMs: z.optional(timeout),
    commandTimeoutMs: z.optional(timeout),
    tlsTimeoutMs: z.optional(timeout),
    timeoutMs: z.optional(timeout),
    user: z.optional(z.string().check(z.maxLength(320, { error: 'must be at most 320 characters' }))),
    password: z.optional(z.string().check(z.maxLength(1024, { error: 'must be at most 1024 characters' }))),
    loginPort: z.optional(z.coerce.number().check(z.int()).check(z.minimum(1)).check(z.maximum(65535, { error: 'must be a port from 1 to 65535' }))),
    ehloName: z.optional(z.string().check(z.maxLength(255))),
    /** The app's mail client, whose behaviour the verdict predicts (default: django for Django settings). */
    client: z.optional(z.enum(CLIENTS, { error: `must be one of ${CLIENTS.join(', ')}` })),
    /** The app's own port (PORT or PORT:MODE) when the host is given explicitly: the verdict answers for it. */
    appPort: z.optional(z.string().check(z.maxLength(40))),
    /** `fast`: a silent port is decided early when another port of the same address answered; `full`: always the whole connect timeout. */
    decide: z.optional(z.enum(DECIDE_MODES, { error: 'must be fast (decide a silent port early on evidence) or full (wait the whole connect timeout)' })),
  });
export type ProbeInput = z.infer<typeof ProbeInput>;

/** Moved to lib/model/errors.ts (no engine code for a handler that only checks its input). */
export { zodToInputError } from '../model/errors.ts';

export interface ProbeContext {
  env: Env;
  /** Settings already read (check --probe reads an env file, a URL or nodemailer options). */
  settings?: ReadResult;
  /** The variables those settings came from, when they came from an env file. */
  settingsEnv?: Env;
  platform: Platform;
  policy: AddressPolicy;
  ca?: string;
}

const safeEhloName = () => {
  const h = os.hostname();
  return /^[a-z0-9.-]{1,253}$/i.test(h) ? h : 'localhost';
};

/** The mode Django speaks: SSL from the first byte, STARTTLS, or (neither set) plain text. */
function modeFromDjango(useTls: boolean | null, useSsl: boolean | null): Mode {
  if (useSsl) return 'implicit-tls';
  if (useTls) return 'starttls';
  return 'plain';
}

/**
 * Validates input and fills the rest from defaults or, with no host, from the deployment's own
 * Django settings: the configured port in the configured mode, then the standard matrix.
 */
export function buildProbeOptions(raw: unknown, ctx: ProbeContext): ProbeOptions {
  const parsed = ProbeInput.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error);
  const input = parsed.data;

  let host: string;
  let ports: PortSpec[];
  let source: ProbeOptions['source'] = 'argument';
  let user = input.user;
  let password = input.password;
  let loginPort = input.loginPort ?? null;
  let app: AppPath | null = null;
  let rawBooleans: Record<string, string | undefined> | undefined;

  if (input.host !== undefined && input.host.trim() !== '') {
    host = validateHost('host', input.host);
    ports = input.ports !== undefined ? parsePorts(input.ports) : STANDARD_PORTS.map((p) => ({ port: p, mode: defaultModeFor(p) }));
    if (input.appPort !== undefined) {
      const [own] = parsePorts(input.appPort, 'appPort');
      if (!own) throw inputError('appPort', 'appPort is empty: give the app\'s port, like 587 or 465:implicit-tls');
      ports = [own, ...ports.filter((p) => p.port !== own.port)];
      app = {
        port: own.port,
        mode: own.mode,
        login: input.user !== undefined,
        timeoutS: null,
        client: input.client ?? 'django',
        source: 'flags',
        useTls: own.mode === 'starttls' || own.mode === 'starttls-optional',
        useSsl: own.mode === 'implicit-tls',
      };
      loginPort ??= own.port;
    }
  } else {
    // The one reader of settings (lib/settings): EMAIL_* or EMAIL_URL from the environment, or
    // what the caller already read (check --probe: an env file, a URL, nodemailer options).
    const read = ctx.settings ?? readDjangoEnv(ctx.env);
    const django = read.settings;
    const field = (k: SettingKey) => read.fields[k];
    const unreadable = read.findings.find((f) => f.level === 'error' && ['invalid_url', 'invalid_port', 'invalid_json'].includes(f.code));
    if (read.fatal || unreadable) throw inputError(unreadable?.field ?? field('host'), unreadable?.message ?? `the settings could not be read`);
    if (!django.host) {
      throw new SmtpEgressError('missing_field', `no host given and ${field('host')} is not set: give a host (e.g. smtp.example.com) or set ${field('host')}`, { field: field('host') === 'EMAIL_HOST' ? 'host' : field('host') });
    }
    host = validateHost(field('host'), django.host);
    source = read.source === 'django-env' ? 'django-env' : 'settings';
    // Django's own defaults: EMAIL_PORT 25, both TLS flags false.
    const configured = django.port ?? (read.source === 'nodemailer' ? (django.useSsl ? 465 : 587) : 25);
    const nodemailerApp = read.source === 'nodemailer';
    const first: PortSpec = { port: configured, mode: nodemailerApp && !django.useSsl ? (django.useTls ? 'starttls' : 'starttls-optional') : modeFromDjango(django.useTls, django.useSsl) };
    const extra = input.ports !== undefined ? parsePorts(input.ports) : STANDARD_PORTS.map((p) => ({ port: p, mode: defaultModeFor(p) }));
    ports = [first, ...extra.filter((p) => p.port !== configured)];
    // Credentials come whole from one place: a request naming either field brings both, else
    // both come from the env. Mixing them would test EMAIL_HOST_USER with any password the
    // caller guesses, or send EMAIL_HOST_PASSWORD as any user the caller names.
    if (input.user === undefined && input.password === undefined && django.user && django.password) {
      user = django.user;
      password = django.password;
      if (input.loginPort !== undefined && input.loginPort !== configured) {
        throw new SmtpEgressError('forbidden', `the deployment's EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are only tested on its own port ${configured}, not loginPort ${input.loginPort}: leave loginPort out, or send your own user and password`, { field: 'loginPort' });
      }
    }
    loginPort ??= configured;
    app = {
      port: configured,
      mode: first.mode,
      login: Boolean(django.user && django.password),
      timeoutS: django.timeout,
      client: input.client ?? (nodemailerApp ? 'nodemailer' : 'django'),
      source: read.source === 'url' ? 'url' : nodemailerApp ? 'nodemailer' : 'django-env',
      useTls: django.useTls,
      useSsl: django.useSsl,
    };
    if (read.source === 'django-env' || read.source === 'env-file')     rawBooleans = { EMAIL_USE_TLS: ctx.settingsEnv?.EMAIL_USE_TLS ?? ctx.env.EMAIL_USE_TLS, EMAIL_USE_SSL: ctx.settingsEnv?.EMAIL_USE_SSL ?? ctx.env.EMAIL_USE_SSL };
  }

  if ((input.user === undefined) !== (input.password === undefined)) {
    throw inputError(
      input.password === undefined ? 'password' : 'user',
      "a login test needs both user and password from the request: credentials are never mixed with the deployment's EMAIL_HOST_USER/EMAIL_HOST_PASSWORD (send neither to test the deployment's own)",
    );
  }
  if (user !== undefined) assertNoControlChars('user', user);
  if (password !== undefined) assertNoControlChars('password', password);
  const ehloName = input.ehloName ?? safeEhloName();
  assertNoControlChars('ehloName', ehloName);
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,255})$/i.test(ehloName)) {
    throw inputError('ehloName', `ehloName "${ehloName}" must be a host name or an address literal like [192.0.2.1]`);
  }

  const totalMs = input.timeoutMs ?? DEFAULT_TIMEOUTS.totalMs;
  // A phase left to its default never outlasts the whole probe; one given explicitly and longer
  // than the probe would only be cut by the deadline, which is worth saying.
  const phase = (given: number | undefined, fallback: number) => given ?? Math.min(fallback, totalMs);
  const timeouts: Timeouts = {
    connectMs: phase(input.connectTimeoutMs, DEFAULT_TIMEOUTS.connectMs),
    greetingMs: phase(input.greetingTimeoutMs, DEFAULT_TIMEOUTS.greetingMs),
    commandMs: phase(input.commandTimeoutMs, DEFAULT_TIMEOUTS.commandMs),
    tlsMs: phase(input.tlsTimeoutMs, DEFAULT_TIMEOUTS.tlsMs),
    totalMs,
  };
  if (timeouts.connectMs > timeouts.totalMs) {
    throw inputError('connectTimeoutMs', `connectTimeoutMs (${timeouts.connectMs} ms) is longer than the whole probe's timeoutMs (${timeouts.totalMs} ms)`);
  }
  const family: Family | null = input.family === undefined || input.family === 'all' ? null : input.family;

  return {
    host,
    ports,
    family,
    timeouts,
    ehloName,
    credentials: user !== undefined && password !== undefined ? { user, password } : null,
    loginPort,
    ca: ctx.ca,
    policy: ctx.policy,
    platform: ctx.platform,
    source,
    app,
    rawBooleans,
    decide: input.decide ?? DEFAULT_DECIDE,
  };
}
