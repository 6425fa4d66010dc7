// send-test over SMTP with nodemailer: the same library a Node app would use, with its timeouts
// cut well below a function's limit (its defaults are minutes). The target is vetted like the
// probe's (allow-list, SSRF guard on every resolved address) and nodemailer connects to the
// checked address only, with the host name kept for SNI and certificate checks.
import net from 'node:net';
import type { NodemailerError } from 'nodemailer/lib/errors';
import type { Family, Mode } from '../model/probe-report.ts';
import { blockedReason, hostAllowed } from '../security/address-policy.ts';
import { resolveTarget } from '../smtp/resolve.ts';
import { describeSocketError, outcomeForSocketError } from '../smtp/step-failure.ts';
import { describeTlsReason, tlsReasonFor } from '../smtp/tls-info.ts';
import type { SmtpSendOptions } from './options.ts';
import type { TestMessage } from './message.ts';
import { transportReport, type TransportReport } from './transport-report.ts';

/** How long nodemailer may wait for the server to close after QUIT before it drops the socket. */
const SOCKET_CLOSE_MS = 1_000;

export function smtpVia(o: SmtpSendOptions): string {
  return `SMTP ${o.host}:${o.port} (${o.mode})`;
}

/** nodemailer's mail fields for the message: used to send, and (stream transport) to render a dry run. */
export function mailOptions(m: TestMessage) {
  return {
    from: m.from.name ? { name: m.from.name, address: m.from.address } : m.from.address,
    to: m.to,
    subject: m.subject,
    text: m.text,
    headers: m.headers,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** nodemailer is loaded when a message is made: the probe and the other commands never pay for it. */
const loadNodemailer = async () => (await import('nodemailer')).default;

/** The message exactly as nodemailer would put it on the wire, without connecting anywhere. */
export async function renderSmtpMessage(m: TestMessage): Promise<string> {
  const nodemailer = await loadNodemailer();
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(mailOptions(m));
  return Buffer.isBuffer(info.message) ? info.message.toString('utf8') : String(info.message);
}

export async function sendViaSmtp(o: SmtpSendOptions, m: TestMessage, signal: AbortSignal): Promise<TransportReport> {
  if (!hostAllowed(o.host, o.policy.allowedHosts)) {
    return transportReport({ outcome: 'blocked_by_policy', message: `${o.host} is not in SMTP_EGRESS_ALLOWED_HOSTS (${o.policy.allowedHosts.join(', ')}); nothing was sent` });
  }
  const resolved = await resolveTarget(o.host, signal);
  if (!resolved.ok) return transportReport({ outcome: 'dns_failed', errno: resolved.errno, message: resolved.message, timings: { dns: resolved.ms } });
  const dns = resolved.ms;
  // The first address the system resolver returns (of the family asked for): the one the app tries.
  const entry = o.family ? resolved.addresses.find((a) => a.family === o.family) : resolved.addresses[0];
  if (!entry) {
    return transportReport({ outcome: 'dns_failed', errno: 'ENODATA', message: `${o.host} has no ${o.family === 'ipv6' ? 'AAAA' : 'A'} record`, timings: { dns } });
  }
  const why = o.policy.allowPrivate ? null : blockedReason(entry.address);
  if (why) {
    return transportReport({
      outcome: 'blocked_by_policy',
      address: entry.address,
      family: entry.family,
      message: `${o.host} resolves to ${entry.address}, a ${why} address; send-test refuses to connect there (set SMTP_EGRESS_ALLOW_PRIVATE=1 only for local tests); nothing was sent`,
      timings: { dns },
    });
  }

  const servername = net.isIP(o.host) ? undefined : o.host;
  const nodemailer = await loadNodemailer();
  const transporter = nodemailer.createTransport({
    host: entry.address,
    port: o.port,
    secure: o.mode === 'implicit-tls',
    requireTLS: o.mode === 'starttls',
    ignoreTLS: o.mode === 'plain',
    servername,
    name: o.ehloName,
    auth: o.user !== null && o.password !== null ? { user: o.user, pass: o.password } : undefined,
    connectionTimeout: o.timeouts.connectMs,
    greetingTimeout: o.timeouts.greetingMs,
    socketTimeout: o.timeouts.commandMs,
    socketCloseTimeout: SOCKET_CLOSE_MS,
    dnsTimeout: o.timeouts.connectMs,
    tls: { servername, ca: o.ca, rejectUnauthorized: true },
    logger: false,
    debug: false,
  });
  const where = { address: entry.address, family: entry.family as Family };
  try {
    const info = await transporter.sendMail({ ...mailOptions(m), signal });
    const accepted = info.accepted.map(addressText);
    const rejected = info.rejected.map(addressText);
    return transportReport({
      ...where,
      outcome: accepted.length > 0 ? 'ok' : 'recipient_rejected',
      sent: accepted.length > 0,
      message: accepted.length > 0 ? `accepted by ${o.host}:${o.port}: ${info.response}` : `no recipient was accepted: ${info.response}`,
      accepted,
      rejected,
      messageId: info.messageId ?? null,
      response: info.response ?? null,
      timings: { dns, envelope: info.envelopeTime, message: info.messageTime },
    });
  } catch (e) {
    return { ...classifySmtpError(e as NodemailerError, o, entry.address, signal), ...where, timings: { dns } };
  } finally {
    transporter.close();
  }
}

const addressText = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

/** Maps a nodemailer error (code, originalCode, timeoutType, command, response) to an outcome. */
export function classifySmtpError(err: NodemailerError & { timeoutType?: string }, o: SmtpSendOptions, address: string, signal?: AbortSignal): TransportReport {
  const code = err.code ?? 'ERROR';
  const orig = err.originalCode ?? null;
  const errno = orig && orig !== code ? `${code}/${orig}` : code;
  const command = err.command ?? null;
  const response = err.response ?? null;
  const at = `${o.host}:${o.port}${address !== o.host ? ` (${address})` : ''}`;
  const implicitPort = o.port === 465 || o.port === 2465;
  const r = (outcome: TransportReport['outcome'], message: string, extra: Partial<TransportReport> = {}) => transportReport({ outcome, message, errno, command, response, ...extra });

  if (code === 'EABORT' || signal?.aborted) {
    return r('timeout', `the overall deadline of ${o.timeouts.totalMs} ms was reached${command ? ` during ${command}` : ''} sending through ${at}`);
  }
  // Certificate problems first: they arrive as ESOCKET or ETLS with the TLS code as originalCode.
  const tlsReason = orig ? tlsReasonFor(orig) : null;
  if (tlsReason && tlsReason !== 'handshake') {
    return r('tls_failed', `TLS with ${at} failed: ${describeTlsReason(tlsReason)} (${orig})`, { tls: { error: tlsReason, detail: orig } });
  }
  if (/wrong version number|packet length too long|unknown protocol|http request/i.test(err.message) || orig === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return r(
      'tls_mode_mismatch',
      `${at} answered a TLS handshake in plain text: it does not speak implicit TLS, it speaks STARTTLS or plain SMTP (set EMAIL_USE_TLS=True and leave EMAIL_USE_SSL empty, or nodemailer secure: false)`,
      { detectedMode: 'starttls' as Mode },
    );
  }
  switch (code) {
    case 'ETIMEDOUT':
      if (err.timeoutType === 'CONNECT_TIMEOUT') {
        return r('connect_timeout', `no answer to the connection request to ${at} within ${o.timeouts.connectMs} ms: packets are being dropped, typically by an egress firewall`);
      }
      if (err.timeoutType === 'GREETING_TIMEOUT') {
        // nodemailer's connectionTimeout bounds the whole setup, the greeting included.
        const greetingMs = Math.min(o.timeouts.greetingMs, o.timeouts.connectMs);
        if (implicitPort && o.mode !== 'implicit-tls') {
          return r('tls_mode_mismatch', `${at} sent no greeting within ${greetingMs} ms: port ${o.port} speaks implicit TLS and waits for a TLS handshake (set EMAIL_USE_SSL=True and EMAIL_USE_TLS empty, or nodemailer secure: true)`, {
            detectedMode: 'implicit-tls',
          });
        }
        return r('greeting_timeout', `connected to ${at}, but no SMTP greeting came within ${greetingMs} ms${o.mode !== 'implicit-tls' ? ' (a server speaking implicit TLS on this port would look like this)' : ''}`);
      }
      return r('timeout', `${at} stopped answering${command && command !== 'CONN' ? ` after ${command}` : ''} for ${o.timeouts.commandMs} ms`);
    case 'EDNS':
      return r('dns_failed', `could not resolve ${o.host}: ${err.message}`);
    case 'EAUTH':
      if (/^Missing credentials/i.test(err.message)) return r('auth_unavailable', `no credentials for the login ${at} asks for`);
      return r('auth_failed', `${at} rejected the login${response ? `: ${response}` : ''}`);
    case 'ENOAUTH':
      return r('auth_unavailable', `${at} wants a login and none was configured: set EMAIL_HOST_USER and EMAIL_HOST_PASSWORD`);
    case 'EENVELOPE':
      if (command === 'MAIL FROM') return r('sender_rejected', `${at} refused the sender ${o.from.address}${response ? `: ${response}` : ''}`, { rejected: [] });
      if (command === 'RCPT TO') return r('recipient_rejected', `${at} refused the recipient ${o.to}${response ? `: ${response}` : ''}`, { rejected: [o.to] });
      return r('message_rejected', `${at} refused the message${response ? `: ${response}` : ` (${err.message})`}`);
    case 'EMESSAGE':
      return r('message_rejected', `${at} refused the message${response ? `: ${response}` : ` (${err.message})`}`);
    case 'EPROTOCOL':
      return r('smtp_rejected', `${at} did not accept the SMTP session${response ? `: ${response}` : ` (${err.message})`}`);
    case 'ETLS':
      if (command === 'STARTTLS' && response) {
        return r('starttls_unavailable', `STARTTLS is required (EMAIL_USE_TLS=True) but ${at} refused it: ${response}`);
      }
      if (tlsReason) return r('tls_failed', `TLS with ${at} failed: ${err.message}`, { tls: { error: tlsReason, detail: orig } });
      return r('tls_failed', `TLS with ${at} failed: ${err.message}`, { tls: { error: 'handshake', detail: err.message } });
    case 'ESOCKET':
    case 'ECONNECTION':
      if (orig && /^E[A-Z]+$/.test(orig)) {
        const outcome = outcomeForSocketError(orig);
        return r(outcome, describeSocketError(orig, `${outcome === 'connection_reset' ? 'talking to' : 'connecting to'} ${at}`));
      }
      if (response && /^[45]\d\d/.test(response)) return r('smtp_rejected', `${at} closed the session: ${response}`);
      if (/STARTTLS/.test(err.message) && o.mode === 'starttls') return r('starttls_unavailable', `${at}: ${err.message}`);
      return r('connection_reset', `${at} closed the connection: ${err.message}`);
    default:
      return r('failed', `sending through ${at} failed: ${err.message}`);
  }
}
