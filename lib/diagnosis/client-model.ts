// What the app's own mail client will do on its configured path, predicted from the evidence.
// Clients differ in how they resolve and connect, and that decides what the app sees:
// - smtplib (hence Django): socket.create_connection tries every address getaddrinfo returns,
//   in order, waiting the timeout on each, and raises only the LAST error. With no IPv6 route
//   (Render) IPv4 comes first: a dropped IPv4 SYN costs EMAIL_TIMEOUT, then the IPv6 attempt
//   fails at once and its "[Errno 101] Network is unreachable" is what the traceback shows.
// - nodemailer (10.x, the version this project ships and models): resolves A and AAAA itself
//   (DNS, not the hosts file, unless DNS has no answer), then connects with Node's happy eyeballs,
//   IPv6 addresses first, 250 ms per attempt; connectionTimeout (2 minutes by default) covers the
//   lookup, every attempt and the greeting, and ends in "Connection timeout" (ETIMEDOUT).
//   nodemailer 6 and 7 connect to ONE address (IPv4 when the name has one) and never fall back.
// - Node's net with autoSelectFamily (the default since Node 20): tries the addresses
//   alternately, 250 ms apart, and keeps the first that connects.
// The probe tries the first address of each family; other addresses of a family are taken to
// behave like it (the report says which addresses the name has).
import type { Attempt, Family, Outcome } from '../model/probe-report.ts';
import type { AppPath, Client, ClientPrediction, PredictedStep } from '../model/diagnosis.ts';
import { connected, isConnectFailure, words } from './evidence.ts';

/** Linux gives up an unanswered SYN after 6 retransmissions: 1+2+4+8+16+32+64 s. */
export const KERNEL_SYN_GIVE_UP_MS = 127_000;
/** nodemailer's default connectionTimeout. */
export const NODEMAILER_CONNECTION_TIMEOUT_MS = 120_000;
/** Node's autoSelectFamilyAttemptTimeout default (net.getDefaultAutoSelectFamilyAttemptTimeout). */
export const NODE_FAMILY_ATTEMPT_MS = 250;

export interface ModelInput {
  app: AppPath;
  /** The name's addresses in the order the system resolver returned them here. */
  addresses: readonly { address: string; family: Family }[];
  /** The attempts on the configured port, in the configured mode. */
  attempts: readonly Attempt[];
}

const secondsText = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`);

/** The exception text a Python app shows for an outcome (smtplib / Django, Python 3.10+). */
export function pythonError(outcome: Outcome, a: Attempt | null, timeoutSet: boolean): string {
  const reply = a?.auth?.response ?? a?.banner ?? a?.message ?? '';
  const code = /\b([45]\d\d)\b/.exec(reply)?.[1] ?? '535';
  switch (outcome) {
    case 'connect_timeout':
      return timeoutSet ? 'TimeoutError: timed out' : 'TimeoutError: [Errno 110] Connection timed out';
    case 'network_unreachable':
      return 'OSError: [Errno 101] Network is unreachable';
    case 'host_unreachable':
      return 'OSError: [Errno 113] No route to host';
    case 'connection_refused':
      return 'ConnectionRefusedError: [Errno 111] Connection refused';
    case 'dns_failed':
      return 'socket.gaierror: [Errno -2] Name or service not known';
    case 'tls_mode_mismatch':
      return a?.detectedMode === 'implicit-tls'
        ? 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed' + (timeoutSet ? ': timed out' : '')
        : 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number';
    case 'tls_failed':
      return 'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed';
    case 'starttls_unavailable':
      return 'smtplib.SMTPNotSupportedError: STARTTLS extension not supported by server.';
    case 'auth_unavailable':
      return 'smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.';
    case 'auth_failed':
      return `smtplib.SMTPAuthenticationError: (${code}, b'${reply.replace(/^\d{3}[ -]?/, '').slice(0, 120)}')`;
    case 'smtp_rejected':
      return `smtplib.SMTPConnectError: (${/\b([45]\d\d)\b/.exec(a?.banner ?? a?.message ?? '')?.[1] ?? '554'}, b'...')`;
    case 'greeting_timeout':
    case 'timeout':
      return 'smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out';
    case 'connection_reset':
      return 'ConnectionResetError: [Errno 104] Connection reset by peer';
    case 'local_error':
      return `PermissionError: [Errno 1] Operation not permitted`;
    default:
      return `${words(outcome)}`;
  }
}

/** The error nodemailer reports (err.code and message) for an outcome. */
export function nodemailerError(outcome: Outcome, a: Attempt | null): string {
  const at = a?.address ? `${a.address}:${a.port}` : '';
  switch (outcome) {
    case 'connect_timeout':
      return 'Error: Connection timeout (code ETIMEDOUT)';
    case 'network_unreachable':
      return `Error: connect ENETUNREACH ${at} (code ESOCKET)`;
    case 'host_unreachable':
      return `Error: connect EHOSTUNREACH ${at} (code ESOCKET)`;
    case 'connection_refused':
      return `Error: connect ECONNREFUSED ${at} (code ESOCKET)`;
    case 'dns_failed':
      return 'Error: getaddrinfo ENOTFOUND (code EDNS)';
    case 'tls_mode_mismatch':
      return a?.detectedMode === 'implicit-tls' ? 'Error: Greeting never received (code ETIMEDOUT)' : 'Error: ... wrong version number (code ESOCKET)';
    case 'tls_failed':
      return a?.tls?.error === 'hostname_mismatch'
        ? "Error: Hostname/IP does not match certificate's altnames (code ESOCKET)"
        : 'Error: self-signed certificate / unable to verify the first certificate (code ESOCKET)';
    case 'auth_failed':
      return `Error: Invalid login: ${a?.auth?.response ?? '535'} (code EAUTH)`;
    case 'auth_unavailable':
    case 'starttls_unavailable':
      return 'Error: ... (code EAUTH / ETLS)';
    case 'greeting_timeout':
      return 'Error: Greeting never received (code ETIMEDOUT)';
    case 'smtp_rejected':
      return /^[45]\d\d/.test(a?.banner ?? '') ? `Error: Invalid greeting. response=${a?.banner ?? ''} (code EPROTOCOL)` : `Error: ${a?.message ?? 'rejected'} (code EPROTOCOL)`;
    default:
      return words(outcome);
  }
}

/** How long the client waits on an address whose attempt failed to connect. */
function connectWait(a: Attempt, timeoutMs: number): number {
  if (a.outcome === 'connect_timeout') return timeoutMs;
  return Math.round(a.phases.connect ?? 0);
}

/**
 * The client gives up on this address and tries the next one: every connect failure, and a local
 * socket error too (smtplib's create_connection catches any OSError per address, and Node's happy
 * eyeballs moves on): an EACCES from an ICMPv6 "administratively prohibited" is one of those.
 */
export const clientMovesOn = (a: Pick<Attempt, 'outcome'>): boolean => isConnectFailure(a) || a.outcome === 'local_error';

/** The server never greets this client (plain text to an implicit-TLS port, a silent server): it waits its timeout. */
const waitsForGreeting = (a: Attempt): boolean =>
  (a.outcome === 'tls_mode_mismatch' && a.detectedMode === 'implicit-tls') || a.outcome === 'greeting_timeout';

/** The client's own connect timeout in ms, from the settings. */
export function clientTimeoutMs(client: Client, timeoutS: number | null): number {
  if (timeoutS !== null) return Math.round(timeoutS * 1000);
  return client === 'nodemailer' ? NODEMAILER_CONNECTION_TIMEOUT_MS : KERNEL_SYN_GIVE_UP_MS;
}

/** The phases after connecting, as the client meets them: ms until it succeeds or raises. */
function dialogueMs(a: Attempt): number {
  const p = a.phases;
  return Math.round((p.greeting ?? 0) + (p.ehlo ?? 0) + (p.tls ?? 0) + (p.auth ?? 0));
}

export function predictClient(input: ModelInput): ClientPrediction {
  const { app } = input;
  const timeoutMs = clientTimeoutMs(app.client, app.timeoutS);
  const byFamily = (f: Family) => input.attempts.find((a) => a.family === f) ?? null;
  // The order the client tries addresses in.
  let order = input.addresses.filter((x) => byFamily(x.family));
  // nodemailer 10 puts IPv6 first; both it and Node overlap the attempts (happy eyeballs).
  if (app.client === 'nodemailer') order = [...order.filter((x) => x.family === 'ipv6'), ...order.filter((x) => x.family === 'ipv4')];
  const overlapping = app.client === 'nodemailer' || app.client === 'node';
  const steps: PredictedStep[] = [];
  let end: Attempt | null = null;
  for (const x of order) {
    const a = byFamily(x.family) as Attempt;
    if (clientMovesOn(a)) {
      steps.push({ address: x.address, family: x.family, outcome: a.outcome, waitMs: connectWait(a, timeoutMs) });
      end = a;
      continue;
    }
    steps.push({ address: x.address, family: x.family, outcome: a.outcome, waitMs: waitsForGreeting(a) ? Math.round(a.phases.connect ?? 0) + timeoutMs : dialogueMs(a) });
    end = a;
    break;
  }
  if (!end) {
    return { client: app.client, order: [...order], steps, sends: false, outcome: 'dns_failed', error: app.client === 'nodemailer' ? nodemailerError('dns_failed', null) : pythonError('dns_failed', null, app.timeoutS !== null), hangMs: 0, summary: 'The name has no address the client can use.' };
  }
  // A login the server does not offer (no AUTH in EHLO, e.g. a plain port 25): smtplib raises
  // SMTPNotSupportedError; nodemailer silently sends without logging in.
  const noAuthOffered = app.login && end.outcome === 'ok' && (end.auth?.mechanisms.length ?? 0) === 0;
  const skipsLogin = noAuthOffered && (app.client === 'nodemailer' || app.client === 'node');
  const outcome = noAuthOffered && !skipsLogin ? 'auth_unavailable' : end.outcome;
  const loginOk = !app.login || end.auth?.result === 'ok' || skipsLogin;
  const sends = outcome === 'ok' && loginOk && !(app.login && end.auth?.result === 'skipped' && !skipsLogin);
  // Happy eyeballs gives up on an address after 250 ms and moves on (a dropped one keeps waiting
  // in the background until the whole connectionTimeout); smtplib waits on each address in turn.
  let hangMs: number;
  // The send starts with the client's own lookup of the name (measured here by the probe's).
  const lookupMs = Math.round(input.attempts[0]?.phases.dns ?? 0);
  if (!overlapping) hangMs = steps.reduce((s, x) => s + x.waitMs, 0);
  else if (connected(end)) hangMs = steps.slice(0, -1).reduce((s, x) => s + Math.min(x.waitMs, NODE_FAMILY_ATTEMPT_MS), 0) + (steps[steps.length - 1]?.waitMs ?? 0);
  else hangMs = steps.some((x) => x.outcome === 'connect_timeout') ? timeoutMs - lookupMs : steps.reduce((s, x) => s + Math.min(x.waitMs, NODE_FAMILY_ATTEMPT_MS), 0);
  // (nodemailer's connectionTimeout runs from before the lookup.)
  hangMs += lookupMs;
  const clientName = app.client === 'django' ? 'Django' : app.client === 'smtplib' ? 'smtplib' : app.client === 'nodemailer' ? 'nodemailer' : 'Node';
  const error = sends ? null : app.client === 'nodemailer' || app.client === 'node' ? nodemailerError(outcome, end) : pythonError(outcome, end, app.timeoutS !== null);
  const failedFirst = steps.filter(clientMovesOn);
  let summary: string;
  if (sends) {
    summary =
      failedFirst.length > 0
        ? `${clientName} will send, after ${secondsText(failedFirst.reduce((s, x) => s + x.waitMs, 0))} lost on ${failedFirst.map((s) => `${s.family === 'ipv6' ? 'IPv6' : 'IPv4'} (${words(s.outcome)})`).join(', ')} before ${steps[steps.length - 1]?.family === 'ipv6' ? 'IPv6' : 'IPv4'} connects.`
        : `${clientName} will connect on the first address and send.`;
    if (skipsLogin) summary += ` The server offers no login, so ${clientName} skips it without a word and sends unauthenticated: a real provider refuses that at RCPT (relaying denied).`;
  } else if (steps.every(clientMovesOn)) {
    const parts = steps.map((s) => `${s.family === 'ipv6' ? 'the IPv6' : 'the IPv4'} attempt ${s.outcome === 'connect_timeout' ? `was dropped (${secondsText(s.waitMs)})` : s.outcome === 'network_unreachable' ? 'has no route' : s.outcome === 'connection_refused' ? 'was refused' : words(s.outcome)}`);
    const raise = app.client === 'django' || app.client === 'smtplib' ? `raise ${error}` : `fail with ${error}`;
    summary = `${clientName} will wait ${secondsText(hangMs)}${steps.length > 1 ? ` (${steps.length} addresses, one after another)` : ''}, then ${raise}: ${parts.join(', ')}.`;
    if ((app.client === 'django' || app.client === 'smtplib') && steps.length > 1 && steps[steps.length - 1]?.outcome !== steps[0]?.outcome) {
      summary += ` Python reports only the last address's error, so the message names ${steps[steps.length - 1]?.family === 'ipv6' ? 'IPv6' : 'IPv4'} while the ${steps[0]?.family === 'ipv6' ? 'IPv6' : 'IPv4'} ${words(steps[0]?.outcome ?? 'connect_timeout')} is the block that matters.`;
    }
  } else {
    summary = `${clientName} will connect, then fail after ${secondsText(hangMs)} with ${error}.`;
  }
  return { client: app.client, order: [...order], steps, sends, outcome: sends ? 'ok' : outcome === 'ok' && !loginOk ? 'auth_failed' : outcome, error, hangMs, summary };
}
