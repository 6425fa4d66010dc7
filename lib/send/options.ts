// One validated form of a send-test request, whatever the entry point (CLI flags, JSON body).
// Settings come from the deployment's env (Django EMAIL_*, DEFAULT_FROM_EMAIL; SES_* or AWS_*
// for SES) unless the request overrides them. The fences are here, so every entry point has
// them: one recipient, on the allow-list; no control characters in anything that becomes a
// header or an SMTP command; size caps on subject and text.
import os from 'node:os';
import { z } from '../model/zod.ts';
import { inputError, SmtpEgressError } from '../model/errors.ts';
import { zodToInputError } from '../smtp/options.ts';
import { defaultModeFor } from '../smtp/ports.ts';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../smtp/timeouts.ts';
import { MODES, type Family, type Mode, type Platform } from '../model/probe-report.ts';
import type { AddressPolicy } from '../security/address-policy.ts';
import { assertNoControlChars, validateHost } from '../security/input.ts';
import { readDjangoMailSettings } from '../settings/django-env.ts';
import type { Env } from '../platform/detect.ts';
import { TRANSPORTS, type Transport } from '../model/send-report.ts';
import { parseAddress as parseMailbox } from '../settings/address.ts';

export const MAX_SUBJECT_CHARS = 200;
export const MAX_TEXT_CHARS = 4_000;
const MAX_ADDRESS_CHARS = 254;

/** Defaults well under Netlify's 60 s limit (nodemailer's own are minutes). */
export const SEND_TIMEOUTS = { connectMs: 5_000, greetingMs: 5_000, commandMs: 10_000, totalMs: 25_000 } as const;

export interface SendTimeouts {
  connectMs: number;
  greetingMs: number;
  /** SMTP: inactivity on the socket (nodemailer socketTimeout). SES: the HTTPS request. */
  commandMs: number;
  totalMs: number;
}

export interface MailAddress {
  name: string | null;
  address: string;
}

interface SendOptionsBase {
  dryRun: boolean;
  to: string;
  from: MailAddress;
  /** null: the default subject naming the platform and the id. */
  subject: string | null;
  /** Extra text appended to the standard body. */
  text: string | null;
  timeouts: SendTimeouts;
  platform: Platform;
}

export interface SmtpSendOptions extends SendOptionsBase {
  transport: 'smtp';
  host: string;
  port: number;
  mode: Mode;
  family: Family | null;
  user: string | null;
  password: string | null;
  ehloName: string;
  ca?: string;
  policy: AddressPolicy;
  source: 'request' | 'django-env';
}

export interface SesCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SesSendOptions extends SendOptionsBase {
  transport: 'ses';
  region: string;
  credentials: SesCredentials;
  endpoint: string | null;
}

export type SendOptions = SmtpSendOptions | SesSendOptions;

export interface SendContext {
  env: Env;
  platform: Platform;
  policy: AddressPolicy;
  /**
   * The recipient allow-list. An empty list refuses every send (the HTTP function passes the
   * env's list, empty when unset); null means unfenced (the CLI, run by the operator, when
   * SMTP_EGRESS_ALLOWED_RECIPIENTS is not set).
   */
  allowedRecipients: readonly string[] | null;
  /** SES endpoint override from a trusted source (CLI flag); the env's AWS_ENDPOINT_URL_SESV2 otherwise. */
  endpoint?: string | null;
  ca?: string;
}

const timeout = z.coerce.number({ error: 'must be a number of milliseconds' }).check(
  z.int({ error: 'must be a whole number of milliseconds' }),
  z.minimum(MIN_TIMEOUT_MS, { error: `must be at least ${MIN_TIMEOUT_MS} ms` }),
  z.maximum(MAX_TIMEOUT_MS, { error: `must be at most ${MAX_TIMEOUT_MS} ms (Netlify's synchronous limit is 60 s)` }),
);

const text = (max: number) => z.string({ error: 'must be a string' }).check(z.maxLength(max, { error: `must be at most ${max} characters` }));

/** What a caller may send. Unknown fields are refused so a typo does not pass silently. */
export const SendInput = z.strictObject({
    to: text(MAX_ADDRESS_CHARS),
    transport: z.optional(z.enum(TRANSPORTS, { error: 'must be smtp or ses' })),
    from: z.optional(text(MAX_ADDRESS_CHARS + 200)),
    subject: z.optional(text(MAX_SUBJECT_CHARS)),
    text: z.optional(text(MAX_TEXT_CHARS)),
    dryRun: z.optional(z.boolean({ error: 'must be true or false' })),
    // smtp
    host: z.optional(text(253)),
    port: z.optional(z.coerce.number().check(z.int({ error: 'must be a port from 1 to 65535' })).check(z.minimum(1, { error: 'must be a port from 1 to 65535' })).check(z.maximum(65535, { error: 'must be a port from 1 to 65535' }))),
    mode: z.optional(z.enum(MODES, { error: `must be one of ${MODES.join(', ')}` })),
    family: z.optional(z.enum(['ipv4', 'ipv6'], { error: 'must be ipv4 or ipv6' })),
    user: z.optional(text(320)),
    password: z.optional(text(1024)),
    ehloName: z.optional(text(255)),
    connectTimeoutMs: z.optional(timeout),
    greetingTimeoutMs: z.optional(timeout),
    commandTimeoutMs: z.optional(timeout),
    timeoutMs: z.optional(timeout),
    // ses
    region: z.optional(text(40)),
    awsAccessKeyId: z.optional(text(128)),
    awsSecretAccessKey: z.optional(text(256)),
    awsSessionToken: z.optional(text(4096)),
  });
export type SendInput = z.infer<typeof SendInput>;

const SMTP_FIELDS = ['host', 'port', 'mode', 'family', 'user', 'password', 'ehloName', 'greetingTimeoutMs'] as const;
const SES_FIELDS = ['region', 'awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken'] as const;




/**
 * One address (`you@example.com`); `allowName` also takes `Name <you@example.com>`. The grammar is
 * the one check uses (lib/settings/address.ts): one parser, so check and send-test agree.
 */
export function parseAddress(field: string, value: string, opts: { allowName?: boolean } = {}): MailAddress {
  assertNoControlChars(field, value);
  const v = value.trim();
  if (v === '') throw inputError(field, `${field} is empty: give an address like you@example.com`);
  if (!opts.allowName && /[,;]|\s/.test(v)) {
    throw inputError(field, `${field} "${v}" is more than one address: send-test sends to one recipient per call`);
  }
  if (!opts.allowName && /[<>]/.test(v)) throw inputError(field, `${field} "${v}" must be a bare address, like you@example.com`);
  const r = parseMailbox(v);
  if (!r.ok) throw inputError(field, `${field} "${v}" is not a valid address: ${r.why}; write local@domain, e.g. you@example.com${opts.allowName ? ' or Name <you@example.com>' : ''}`);
  if (r.value.address.length > MAX_ADDRESS_CHARS || r.value.local.length > 64) throw inputError(field, `${field} is longer than an address may be`);
  return { name: r.value.name, address: r.value.address };
}

/** SMTP_EGRESS_ALLOWED_RECIPIENTS: exact addresses and `@domain` entries, comma- or space-separated. */
export function parseAllowedRecipients(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * Exact entries match the whole address; `@domain` entries match its domain, but not a local
 * part holding `%` or `!`: old source routing (`you%elsewhere.test@domain`, `elsewhere!you@domain`)
 * that some servers still relay onward, so the message would leave the allowed domain.
 */
export function recipientAllowed(address: string, allowed: readonly string[]): boolean {
  const a = address.toLowerCase();
  const at = a.lastIndexOf('@');
  const local = a.slice(0, at);
  const domain = a.slice(at + 1);
  const routed = /[%!]/.test(local);
  return allowed.some((entry) => (entry.startsWith('@') ? !routed && entry.slice(1) === domain : entry === a));
}

/** Refuses a recipient the deployment does not allow: nothing is sent, not even in a dry run. */
export function assertRecipientAllowed(to: string, allowed: readonly string[] | null): void {
  if (allowed === null) return;
  if (allowed.length === 0) {
    throw new SmtpEgressError(
      'not_configured',
      'send-test is off because SMTP_EGRESS_ALLOWED_RECIPIENTS is not set: set it to the addresses (you@example.com) or domains (@example.com) that may receive test mail, comma-separated; nothing was sent',
      { field: 'SMTP_EGRESS_ALLOWED_RECIPIENTS' },
    );
  }
  if (!recipientAllowed(to, allowed)) {
    const routed = /[%!]/.test(to.slice(0, to.lastIndexOf('@')));
    throw new SmtpEgressError(
      'forbidden',
      routed
        ? `${to} has % or ! in its local part (source routing a server may relay elsewhere), which an @domain entry does not allow: list the exact address in SMTP_EGRESS_ALLOWED_RECIPIENTS to allow it; nothing was sent`
        : `${to} is not in SMTP_EGRESS_ALLOWED_RECIPIENTS: add the address (or @its-domain) there to allow it; nothing was sent`,
      { field: 'to' },
    );
  }
}

/** Body text: line breaks and tabs are fine, other control characters are not. */
function assertCleanText(field: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    throw inputError(field, `${field} contains a control character other than a line break or tab: remove it`);
  }
}

const safeEhloName = () => {
  const h = os.hostname();
  return /^[a-z0-9.-]{1,253}$/i.test(h) ? h : 'localhost';
};

/** How much each mode protects a login: only the two that insist on TLS may carry one. */
const MODE_STRENGTH: Record<Mode, number> = { plain: 0, 'starttls-optional': 1, starttls: 2, 'implicit-tls': 3 };

/**
 * The deployment's EMAIL_HOST_USER/EMAIL_HOST_PASSWORD go to EMAIL_HOST only (checked by the
 * caller), on EMAIL_PORT only, in the configured mode or a stricter one, and only over TLS that
 * must succeed (nodemailer verifies the certificate): a caller who may send a test message must
 * not be able to make the deployment send its password in clear text or to another port.
 */
function assertOwnCredentialsFenced(o: { port: number; mode: Mode; ownPort: number; ownMode: Mode; portGiven: boolean; modeGiven: boolean }): void {
  const own = "the deployment's EMAIL_HOST_USER and EMAIL_HOST_PASSWORD";
  if (o.port !== o.ownPort) {
    throw new SmtpEgressError('forbidden', `${own} are only sent to EMAIL_HOST on its own port ${o.ownPort}, not ${o.port}: leave port out, or send your own user and password; nothing was sent`, { field: 'port' });
  }
  if (MODE_STRENGTH[o.mode] < MODE_STRENGTH[o.ownMode]) {
    throw new SmtpEgressError('forbidden', `${own} are only sent in the configured mode (${o.ownMode}) or a stricter one, not ${o.mode}: leave mode out, or send your own user and password; nothing was sent`, { field: 'mode' });
  }
  if (MODE_STRENGTH[o.mode] < MODE_STRENGTH.starttls) {
    throw new SmtpEgressError(
      'forbidden',
      `${own} are only sent over verified TLS, and mode ${o.mode} could send them in clear text: set EMAIL_USE_TLS=True (STARTTLS) or EMAIL_USE_SSL=True (TLS on connect)${o.modeGiven ? ', or ask for mode starttls' : ''}, or test without a login; nothing was sent`,
      { field: o.modeGiven ? 'mode' : 'EMAIL_USE_TLS' },
    );
  }
}

const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d{1,2}$/;

export function buildSendOptions(raw: unknown, ctx: SendContext): SendOptions {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && (raw as Record<string, unknown>).to === undefined) {
    throw new SmtpEgressError('missing_field', 'to is required: the one address to send the test message to', { field: 'to' });
  }
  const parsed = SendInput.safeParse(raw);
  if (!parsed.success) throw zodToInputError(parsed.error);
  const input = parsed.data;
  const transport: Transport = input.transport ?? 'smtp';

  const to = parseAddress('to', input.to).address;
  assertRecipientAllowed(to, ctx.allowedRecipients);

  const wrongFields = (transport === 'smtp' ? SES_FIELDS : SMTP_FIELDS).filter((k) => input[k] !== undefined);
  if (wrongFields[0]) {
    throw inputError(wrongFields[0], `${wrongFields[0]} applies to the ${transport === 'smtp' ? 'ses' : 'smtp'} transport only, and this request uses ${transport}`);
  }

  const django = readDjangoMailSettings(ctx.env);
  let fromText = input.from ?? django.from ?? null;
  if (fromText === null && transport === 'smtp' && input.host === undefined && django.user && parseMailbox(django.user).ok && !/[<>\s]/.test(django.user)) fromText = django.user;
  if (fromText === null) {
    throw new SmtpEgressError('not_configured', 'no sender address: give from, or set DEFAULT_FROM_EMAIL (the address your app sends as)', { field: 'from' });
  }
  const from = parseAddress(input.from !== undefined ? 'from' : 'DEFAULT_FROM_EMAIL', fromText, { allowName: true });

  if (input.subject !== undefined) assertNoControlChars('subject', input.subject);
  if (input.text !== undefined) assertCleanText('text', input.text);

  const timeouts: SendTimeouts = {
    connectMs: input.connectTimeoutMs ?? SEND_TIMEOUTS.connectMs,
    greetingMs: input.greetingTimeoutMs ?? SEND_TIMEOUTS.greetingMs,
    commandMs: input.commandTimeoutMs ?? SEND_TIMEOUTS.commandMs,
    totalMs: input.timeoutMs ?? SEND_TIMEOUTS.totalMs,
  };
  if (timeouts.connectMs > timeouts.totalMs) {
    throw inputError('connectTimeoutMs', `connectTimeoutMs (${timeouts.connectMs} ms) is longer than the whole send's timeoutMs (${timeouts.totalMs} ms)`);
  }

  const base: SendOptionsBase = {
    dryRun: input.dryRun ?? false,
    to,
    from,
    subject: input.subject ?? null,
    text: input.text ?? null,
    timeouts,
    platform: ctx.platform,
  };
  return transport === 'smtp' ? smtpOptions(input, base, ctx, django) : sesOptions(input, base, ctx);
}

function smtpOptions(input: SendInput, base: SendOptionsBase, ctx: SendContext, django: ReturnType<typeof readDjangoMailSettings>): SmtpSendOptions {
  let host: string;
  let source: SmtpSendOptions['source'];
  let port: number;
  let mode: Mode;
  let user: string | null = input.user ?? null;
  let password: string | null = input.password ?? null;
  if (input.host !== undefined && input.host.trim() !== '') {
    host = validateHost('host', input.host, 'port');
    source = 'request';
    port = input.port ?? 587;
    mode = input.mode ?? defaultModeFor(port);
    // The deployment's password never goes to a host the request named.
  } else {
    if (!django.host) {
      throw new SmtpEgressError('not_configured', 'no SMTP host: give host, or set EMAIL_HOST (and EMAIL_PORT, EMAIL_USE_TLS/EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD)', { field: 'host' });
    }
    host = validateHost('EMAIL_HOST', django.host);
    source = 'django-env';
    if (django.invalid.EMAIL_PORT !== undefined) throw inputError('EMAIL_PORT', `EMAIL_PORT "${django.invalid.EMAIL_PORT}" is not a port number from 1 to 65535`);
    for (const k of ['EMAIL_USE_TLS', 'EMAIL_USE_SSL']) {
      if (django.invalid[k] !== undefined) throw inputError(k, `${k} "${django.invalid[k]}" is not a boolean: use True or False`);
    }
    if (django.useTls && django.useSsl) {
      throw inputError('EMAIL_USE_SSL', 'EMAIL_USE_TLS and EMAIL_USE_SSL are both true, which Django itself refuses: use EMAIL_USE_TLS=True with port 587, or EMAIL_USE_SSL=True with port 465');
    }
    const ownPort = django.port ?? (django.useSsl ? 465 : 587);
    const ownMode: Mode = django.useSsl ? 'implicit-tls' : django.useTls ? 'starttls' : django.useTls === false && django.useSsl === false ? 'plain' : defaultModeFor(ownPort);
    port = input.port ?? ownPort;
    mode = input.mode ?? ownMode;
    if (input.user === undefined && input.password === undefined) {
      user = django.user;
      password = django.password;
      if (user !== null && password !== null) assertOwnCredentialsFenced({ port, mode, ownPort, ownMode, portGiven: input.port !== undefined, modeGiven: input.mode !== undefined });
    }
  }
  if ((user === null) !== (password === null)) {
    throw inputError(password === null ? 'password' : 'user', 'a login needs both user and password (or neither, to send without one)');
  }
  if (user !== null) assertNoControlChars('user', user);
  if (password !== null) assertNoControlChars('password', password);
  const ehloName = input.ehloName ?? safeEhloName();
  assertNoControlChars('ehloName', ehloName);
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,255})$/i.test(ehloName)) {
    throw inputError('ehloName', `ehloName "${ehloName}" must be a host name or an address literal like [192.0.2.1]`);
  }
  return {
    ...base,
    transport: 'smtp',
    host,
    port,
    mode,
    family: input.family ?? null,
    user,
    password,
    ehloName,
    ca: ctx.ca,
    policy: ctx.policy,
    source,
  };
}

function sesOptions(input: SendInput, base: SendOptionsBase, ctx: SendContext): SesSendOptions {
  const env = ctx.env;
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = env[k]?.trim();
      if (v) return { key: k, value: v };
    }
    return null;
  };
  const regionFrom = input.region !== undefined ? { key: 'region', value: input.region.trim() } : pick('SES_REGION', 'AWS_SES_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION');
  if (!regionFrom) {
    throw new SmtpEgressError('not_configured', 'no SES region: give region, or set SES_REGION (or AWS_REGION) to the region your SES identities are in, e.g. eu-west-1', { field: 'region' });
  }
  if (!REGION.test(regionFrom.value)) throw inputError(regionFrom.key, `${regionFrom.key} "${regionFrom.value}" is not an AWS region name like eu-west-1`);

  let credentials: SesCredentials;
  if (input.awsAccessKeyId !== undefined || input.awsSecretAccessKey !== undefined) {
    if (!input.awsAccessKeyId || !input.awsSecretAccessKey) {
      throw inputError(input.awsAccessKeyId ? 'awsSecretAccessKey' : 'awsAccessKeyId', 'SES credentials need both awsAccessKeyId and awsSecretAccessKey');
    }
    credentials = { accessKeyId: input.awsAccessKeyId, secretAccessKey: input.awsSecretAccessKey, ...(input.awsSessionToken ? { sessionToken: input.awsSessionToken } : {}) };
  } else if (env.SES_ACCESS_KEY_ID && env.SES_SECRET_ACCESS_KEY) {
    // Netlify reserves AWS_* names (and its Lambda runtime sets its own): SES_* come first.
    credentials = { accessKeyId: env.SES_ACCESS_KEY_ID.trim(), secretAccessKey: env.SES_SECRET_ACCESS_KEY.trim() };
  } else if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID.trim(), secretAccessKey: env.AWS_SECRET_ACCESS_KEY.trim(), ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN.trim() } : {}) };
  } else {
    throw new SmtpEgressError(
      'not_configured',
      'no SES credentials: set SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) to an IAM key allowed ses:SendEmail',
      { field: 'awsAccessKeyId' },
    );
  }
  for (const [k, v] of Object.entries(credentials)) assertNoControlChars(k, v);

  const endpointFrom = ctx.endpoint ? { key: 'endpoint', value: ctx.endpoint } : pick('AWS_ENDPOINT_URL_SESV2', 'AWS_ENDPOINT_URL');
  let endpoint: string | null = null;
  if (endpointFrom) {
    let url: URL;
    try {
      url = new URL(endpointFrom.value);
    } catch {
      throw inputError(endpointFrom.key, `${endpointFrom.key} "${endpointFrom.value}" is not a URL: write https://host[:port]`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw inputError(endpointFrom.key, `${endpointFrom.key} must be an http(s) URL`);
    if (url.username || url.password) throw inputError(endpointFrom.key, `${endpointFrom.key} may not carry credentials`);
    endpoint = url.toString().replace(/\/$/, '');
  }
  return { ...base, transport: 'ses', region: regionFrom.value, credentials, endpoint };
}
