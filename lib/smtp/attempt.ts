// One attempt: one address, one port, one mode. Connect, (TLS), greeting, EHLO, (STARTTLS, TLS,
// EHLO), (AUTH), QUIT — each phase timed, each failure turned into an outcome in the report.
// Never DATA: the probe proves the way out, it does not send mail.
import type tls from 'node:tls';
import { SmtpSession } from './session.ts';
import { StepFailure, isStepFailure } from './step-failure.ts';
import { replyText, type Reply } from './reply-parser.ts';
import { tlsInfoOf, describeTlsReason, emptyTlsInfo } from './tls-info.ts';
import { authMechanisms, authenticate, type Credentials } from './auth.ts';
import { QUIT_TIMEOUT_MS, type Timeouts } from './timeouts.ts';
import type { EarlyContext } from './connect.ts';
import type { Attempt, Family, Mode } from '../model/probe-report.ts';
import type { Redactor } from '../security/redact.ts';

export interface AttemptTarget {
  /** The name the user gave: used for TLS SNI and certificate checks, never re-resolved. */
  host: string;
  address: string;
  family: Family;
  port: number;
  mode: Mode;
}

export type AttemptPhase = 'connect' | 'tls' | 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'quit';

export interface AttemptOptions {
  timeouts: Timeouts;
  signal: AbortSignal;
  ehloName: string;
  /** Extra trusted CA certificates (PEM), for servers with a private CA. */
  ca?: string;
  credentials?: Credentials | null;
  redact: Redactor;
  onPhase?: (phase: AttemptPhase) => void;
  /** The probe's per-address reference tracker and decide mode; without it, a plain connect. */
  early?: EarlyContext | null;
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/** An attempt with nothing recorded yet; `fields` fills in what is known. */
export function blankAttempt(t: { port: number; mode: Mode; address?: string | null; family?: Family | null }, fields: Partial<Attempt> = {}): Attempt {
  return {
    port: t.port,
    mode: t.mode,
    detectedMode: null,
    address: t.address ?? null,
    family: t.family ?? null,
    outcome: 'ok',
    errno: null,
    message: '',
    phases: {},
    banner: null,
    capabilities: [],
    tls: null,
    auth: null,
    transcript: [],
    ...fields,
  };
}

const isIpLiteral = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

export async function runAttempt(target: AttemptTarget, opts: AttemptOptions): Promise<Attempt> {
  const attempt = blankAttempt(target);
  const session = new SmtpSession({ signal: opts.signal, redact: opts.redact, deadlineLabel: `${opts.timeouts.totalMs} ms` });
  const servername = isIpLiteral(target.host) ? undefined : target.host;
  try {
    await dialogue(target, opts, session, attempt, servername);
  } catch (err) {
    const f = isStepFailure(err) ? err : new StepFailure('connection_reset', `unexpected error: ${(err as Error).message}`);
    attempt.outcome = f.outcome;
    attempt.errno = f.errno;
    attempt.message = f.message;
    if (f.extra.detectedMode) attempt.detectedMode = f.extra.detectedMode;
    if (f.extra.tlsReason && !attempt.tls) attempt.tls = emptyTlsInfo(f.extra.tlsReason, f.errno);
    if (f.extra.decision) attempt.decision = f.extra.decision;
  } finally {
    opts.onPhase?.('quit');
    session.close(Math.min(QUIT_TIMEOUT_MS, opts.timeouts.commandMs));
  }
  attempt.transcript.push(...session.transcript);
  await followUpOnMismatch(target, opts, attempt, servername);
  attempt.message = opts.redact(attempt.message);
  return attempt;
}

async function dialogue(
  target: AttemptTarget,
  opts: AttemptOptions,
  s: SmtpSession,
  a: Attempt,
  servername: string | undefined,
): Promise<void> {
  const { timeouts: to } = opts;
  let secure: tls.TLSSocket | null = null;
  opts.onPhase?.('connect');
  let t = performance.now();
  try {
    await s.connect(target.address, target.port, target.family, to.connectMs, opts.early ?? null);
  } catch (e) {
    // How long the network took to say no (an IPv6 ICMP error surfaces only after about a second
    // on Linux): the client model adds it to the app's wait. A timeout is the probe's own limit.
    if (isStepFailure(e) && e.outcome !== 'connect_timeout') a.phases.connect = elapsed(t);
    throw e;
  }
  a.phases.connect = elapsed(t);

  if (target.mode === 'implicit-tls') {
    opts.onPhase?.('tls');
    t = performance.now();
    secure = await s.upgradeTls(servername, opts.ca, to.tlsMs);
    a.phases.tls = elapsed(t);
    a.detectedMode = 'implicit-tls';
    checkCertificate(a, secure);
  }
  opts.onPhase?.('greeting');
  t = performance.now();
  const greeting = await s.read(to.greetingMs, 'the greeting', 'greeting_timeout');
  a.phases.greeting = elapsed(t);
  a.banner = opts.redact(replyText(greeting));
  if (greeting.code !== 220) throw rejected('greeting', greeting);
  opts.onPhase?.('ehlo');
  t = performance.now();
  let ehlo = await s.command(`EHLO ${opts.ehloName}`, to.commandMs, 'EHLO');
  if (ehlo.code >= 500 && ehlo.code < 600) {
    // smtplib and nodemailer both fall back to HELO when EHLO is refused, and then send: so does
    // the probe, or it would call a server broken that the app can use. HELO has no extensions.
    s.record('info', `EHLO refused (${ehlo.code}): falling back to HELO, as smtplib and nodemailer do`);
    const helo = await s.command(`HELO ${opts.ehloName}`, to.commandMs, 'HELO');
    if (helo.code !== 250) throw rejected('HELO', helo);
    ehlo = { ...helo, lines: [helo.lines[0] ?? ''] };
  }
  a.phases.ehlo = elapsed(t);
  if (ehlo.code !== 250) throw rejected('EHLO', ehlo);
  a.capabilities = capabilitiesOf(ehlo);

  if (target.mode === 'starttls' || target.mode === 'starttls-optional') {
    const offered = a.capabilities.some((c) => c.toUpperCase() === 'STARTTLS');
    if (!offered) {
      a.detectedMode = 'plain';
      if (target.mode === 'starttls') {
        throw new StepFailure('starttls_unavailable', 'the server does not offer STARTTLS after EHLO: TLS cannot be started on this port', null, { detectedMode: 'plain' });
      }
    } else {
      opts.onPhase?.('starttls');
      t = performance.now();
      const reply = await s.command('STARTTLS', to.commandMs, 'STARTTLS');
      if (reply.code !== 220) {
        throw new StepFailure('starttls_unavailable', `the server offered STARTTLS but answered it with ${reply.code}: ${reply.lines.join(' ').slice(0, 200)}`, null, {
          response: replyText(reply),
        });
      }
      secure = await s.upgradeTls(servername, opts.ca, to.tlsMs, 'starttls');
      a.phases.tls = elapsed(t);
      a.detectedMode = 'starttls';
      s.record('info', `TLS established (${secure.getProtocol() ?? 'unknown protocol'})`);
      checkCertificate(a, secure);
      ehlo = await s.command(`EHLO ${opts.ehloName}`, to.commandMs, 'EHLO after STARTTLS');
      if (ehlo.code !== 250) throw rejected('EHLO after STARTTLS', ehlo);
      a.capabilities = capabilitiesOf(ehlo);
    }
  } else if (target.mode === 'plain') {
    a.detectedMode = 'plain';
  }

  const mechanisms = authMechanisms(a.capabilities);
  if (!opts.credentials) {
    a.auth = { mechanisms, result: 'skipped', response: null };
    a.message = okMessage(a, secure !== null);
    return;
  }
  if (!secure) {
    a.auth = { mechanisms, result: 'skipped', response: null };
    a.message = `${okMessage(a, false)}; login not tested: credentials are never sent over an unencrypted connection`;
    return;
  }
  opts.onPhase?.('auth');
  a.auth = { mechanisms, result: 'unavailable', response: null };
  if (mechanisms.length === 0) throw new StepFailure('auth_unavailable', 'the server offers no AUTH after TLS: it does not accept logins on this port');
  t = performance.now();
  const result = await authenticate(s, mechanisms, opts.credentials, to.commandMs);
  a.phases.auth = elapsed(t);
  a.auth = { mechanisms, result: result.result, response: opts.redact(result.response) };
  if (result.result === 'failed') {
    throw new StepFailure('auth_failed', `the server rejected the login: ${opts.redact(result.response).slice(0, 300)}`, null, { response: result.response });
  }
  a.message = `${okMessage(a, true)}; login accepted`;
}

function capabilitiesOf(ehlo: Reply): string[] {
  // The first line of the EHLO reply is the server's name; the rest are capabilities.
  return ehlo.lines.slice(1).map((l) => l.trim()).filter(Boolean);
}

function okMessage(a: Attempt, secure: boolean): string {
  const how = a.detectedMode === 'implicit-tls' ? 'implicit TLS' : a.detectedMode === 'starttls' ? 'STARTTLS' : 'plain SMTP';
  return `reached the SMTP dialogue over ${how}${secure && a.tls?.protocol ? ` (${a.tls.protocol})` : ''}`;
}

function checkCertificate(a: Attempt, secure: tls.TLSSocket): void {
  a.tls = tlsInfoOf(secure);
  if (!a.tls.authorized) {
    const reason = a.tls.error ?? 'handshake';
    // Stop here: a client that verifies (Django, nodemailer) would stop too, and credentials
    // must never go to a server whose identity is not proven.
    throw new StepFailure('tls_failed', `${describeTlsReason(reason)} (${a.tls.errorDetail ?? 'unverified'})`, a.tls.errorDetail, { tlsReason: reason });
  }
}

function rejected(stage: string, reply: Reply): StepFailure {
  const text = reply.lines.join(' ').slice(0, 300);
  const hint =
    reply.code === 554 || reply.code === 550
      ? ': the server refuses this client, often because the sending IP is on a blocklist'
      : reply.code >= 400 && reply.code < 500
        ? ': a temporary refusal (rate limit, greylisting or overload)'
        : '';
  return new StepFailure('smtp_rejected', `the server answered ${stage} with ${reply.code} ${text}${hint}`, null, { response: replyText(reply) });
}

/**
 * A mode mismatch is told apart by a second, short look with the other mode:
 * - implicit TLS expected, plain text answered: connect again and read the greeting and EHLO to
 *   say whether the port speaks STARTTLS or plain SMTP;
 * - plain/STARTTLS expected, silence: the server may be waiting for a TLS ClientHello.
 */
async function followUpOnMismatch(target: AttemptTarget, opts: AttemptOptions, a: Attempt, servername: string | undefined): Promise<void> {
  if (opts.signal.aborted) return;
  const followUp = new SmtpSession({ signal: opts.signal, redact: opts.redact, deadlineLabel: `${opts.timeouts.totalMs} ms` });
  try {
    if (a.outcome === 'tls_mode_mismatch' && target.mode === 'implicit-tls') {
      followUp.record('info', 'follow-up: connecting again without TLS to see what the port speaks');
      await followUp.connect(target.address, target.port, target.family, opts.timeouts.connectMs);
      const greeting = await followUp.read(opts.timeouts.greetingMs, 'the greeting');
      a.banner = opts.redact(replyText(greeting));
      const ehlo = await followUp.command(`EHLO ${opts.ehloName}`, opts.timeouts.commandMs, 'EHLO');
      if (ehlo.code === 250) a.capabilities = capabilitiesOf(ehlo);
      a.detectedMode = a.capabilities.some((c) => c.toUpperCase() === 'STARTTLS') ? 'starttls' : 'plain';
      a.message = `port ${target.port} speaks ${a.detectedMode === 'starttls' ? 'STARTTLS' : 'plain SMTP'}, not implicit TLS: the client must connect in plain text${a.detectedMode === 'starttls' ? ' and send STARTTLS (Django: EMAIL_USE_TLS=True, EMAIL_USE_SSL empty)' : ''}`;
    } else if (a.outcome === 'greeting_timeout' && target.mode !== 'implicit-tls') {
      followUp.record('info', 'follow-up: the server stayed silent; trying a TLS handshake in case it speaks implicit TLS');
      await followUp.connect(target.address, target.port, target.family, opts.timeouts.connectMs);
      const secure = await followUp.upgradeTls(servername, opts.ca, opts.timeouts.tlsMs);
      a.tls = tlsInfoOf(secure);
      a.outcome = 'tls_mode_mismatch';
      a.detectedMode = 'implicit-tls';
      a.errno = null;
      a.message = `port ${target.port} speaks implicit TLS (SMTPS): the server waits for a TLS handshake, not for plain SMTP (Django: EMAIL_USE_SSL=True, EMAIL_USE_TLS empty)`;
    } else {
      return;
    }
  } catch {
    // The follow-up only adds detail; its failure leaves the first finding as it was.
  } finally {
    followUp.destroy();
    a.transcript.push(...followUp.transcript);
  }
}
