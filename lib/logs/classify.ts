// The log classifier: pasted logs in, every line it recognises mapped to the probe's outcome
// codes with a cause and a fix, a summary with counts and the most likely cause. It reads
// Python/Django tracebacks (smtplib, ssl, socket errno), nodemailer errors as console.log /
// util.inspect prints them, Node's errno lines, with Render's log prefixes stripped.
//
// It never guesses: a line no pattern matches is counted as unrecognised; a line that is a mail
// error but does not say which (nodemailer's bare ESOCKET) is recognised with a null outcome and
// takes its outcome from the error it belongs to, if that says more. Errors of other clients in
// the same logs (a Postgres or Redis refusal, an HTTPS call through urllib3) are left alone.
import { maskCredentials } from '../security/redact.ts';
import type { Outcome, TlsErrorReason } from '../model/probe-report.ts';
import { LOGS_SCHEMA_ID, type Confidence, type LogMatch, type LogSource, type LogsReport, type OutcomeCount } from '../model/logs-report.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';

/** Lines longer than this are matched on their first part only. */
const MAX_LINE_CHARS = 4096;
/** A match's `text` is cut to this many characters. */
const MAX_TEXT_CHARS = 300;
export const DEFAULT_MAX_MATCHES = 1000;

// ---------------------------------------------------------------------------------------------
// Log prefixes

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** Prefixes a log pipeline puts before the program's own text, stripped repeatedly. */
const PREFIXES: readonly RegExp[] = [
  // RFC 5424 syslog, as a Render log stream delivers it: <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD
  /^<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ (?:-|\[[^\]]*\])(?: |$)/,
  /^<\d{1,3}>/,
  // ISO 8601 timestamps: `2026-11-20T10:00:00.000Z `, `[2026-11-20 10:00:00,123] `
  /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?\]?(?:[ \t]|$)/,
  // The dashboard's `Nov 20 10:00:00 AM `
  /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2},? (?:\d{4} )?\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?: ?[AP]M)?(?:[ \t]|$)/,
  // Render service and instance ids: `srv-d1a2b3c4d5e6f7 `, `[srv-d1a2b3c4d5e6f7-x8k2p]`
  /^\[?(?:srv|crn|wrk|dpg|red|evg)-[a-z0-9]{6,}(?:-[a-z0-9]{3,})?\]?(?:[ \t]|$)/,
  // Render's own build and deploy messages: `==> Deploying...`
  /^==> ?/,
];
const RENDER_HINT = /^==>|\/opt\/render\/|\.onrender\.com\b|\brender\.com\/docs\b|\bRENDER_(?:SERVICE|INSTANCE|GIT|EXTERNAL)_\w+/;
const RENDER_PREFIX = /^(?:==>|\[?(?:srv|crn|wrk)-[a-z0-9]{6,}|<\d{1,3}>1 \S+ (?:srv|crn|wrk)-[a-z0-9]{6,})/;

export function stripLogPrefixes(raw: string): { text: string; render: boolean } {
  let text = raw.replace(ANSI, '');
  let render = RENDER_HINT.test(text);
  for (let round = 0; round < 6; round += 1) {
    const re = PREFIXES.find((p) => p.test(text));
    if (!re) break;
    if (RENDER_PREFIX.test(text)) render = true;
    text = text.replace(re, '');
  }
  return { text, render: render || RENDER_HINT.test(text) };
}

// ---------------------------------------------------------------------------------------------
// Advice per outcome: the cause a line implies and the fixes, in the order to try them

const RENDER = egressPolicyFor('render');
const PROBE_FIX = 'Run `smtp-egress probe` (or `node smtp-egress.mjs probe --compare https://SITE/api/probe`) on the same service: it shows which ports and address families get out.';

interface Advice {
  summary: string;
  cause: string;
  fixes: string[];
}

const EGRESS_FIXES = [
  'Use an alternative port your provider serves (2525, 2587 or 2465), if it offers one.',
  'Send through an HTTPS mail API on port 443 instead (Amazon SES v2, SendGrid, Mailgun, Postmark, Resend).',
  'Or move to a paid plan where outbound SMTP is open.',
  PROBE_FIX,
];

export const ADVICE: Record<Outcome, Advice> = {
  network_unreachable: {
    summary: 'the network has no route for the mail connection (ENETUNREACH, Errno 101)',
    cause: `The platform's network refuses the connection before it leaves: an egress that blocks outbound SMTP (${RENDER?.note ?? 'Render blocks 25, 465 and 587 on free instances'}), or an IPv6 address tried on a network without outbound IPv6.`,
    fixes: [...EGRESS_FIXES.slice(0, 2), 'If only IPv6 fails, force IPv4: nodemailer `family: 4`; in Python connect to the IPv4 address of the host.', ...EGRESS_FIXES.slice(2)],
  },
  host_unreachable: {
    summary: 'there is no route to the mail host (EHOSTUNREACH, Errno 113)',
    cause: 'A firewall on the way answers "host unreachable" (an egress that rejects SMTP), or the host is down or the address is wrong.',
    fixes: [`Check EMAIL_HOST / the host name against your provider's documentation.`, ...EGRESS_FIXES],
  },
  connect_timeout: {
    summary: 'the connection attempt timed out: nothing answered (typical of an egress firewall that drops SMTP)',
    cause: 'The connection was never answered: an egress firewall that silently drops outbound SMTP does exactly this; a wrong host or port can too.',
    fixes: [...EGRESS_FIXES, 'Set a timeout on the mail connection (Django EMAIL_TIMEOUT=10, nodemailer connectionTimeout) so a blocked port fails fast instead of hanging a worker.'],
  },
  connection_refused: {
    summary: 'the connection was refused (ECONNREFUSED, Errno 111)',
    cause: "Nothing listens on that host and port, or a firewall rejects it with a reset. When the address is localhost, the mail settings never reached the app: Django's defaults are localhost:25.",
    fixes: ['Check that EMAIL_HOST and EMAIL_PORT (or the nodemailer host and port) are set in the service environment and read by the app.', "Check the port against your provider's documentation (587 STARTTLS, 465 implicit TLS).", PROBE_FIX],
  },
  connection_reset: {
    summary: 'the server closed or reset the connection in the middle of the dialogue',
    cause: "The other side dropped the connection: a server refusing the platform's IP (reputation, rate limit), a TLS mode mismatch, or a middlebox.",
    fixes: ['Check the port and TLS mode (587 with STARTTLS, 465 with implicit TLS).', "Ask the provider whether it drops connections from your platform's IP range.", PROBE_FIX],
  },
  dns_failed: {
    summary: 'the mail host name does not resolve',
    cause: 'A typo in EMAIL_HOST / host, a record that does not exist, or no working resolver.',
    fixes: ["Check the spelling of the host against your provider's documentation.", 'Compare with a lookup from another network (dig, or `smtp-egress probe` elsewhere).'],
  },
  greeting_timeout: {
    summary: 'the connection was made but the server never sent its 220 greeting',
    cause: 'A plain or STARTTLS client on an implicit-TLS port (465 without EMAIL_USE_SSL / nodemailer secure: true) waits for a greeting the server will not send before TLS; a proxy that accepts and stalls does the same.',
    fixes: ['On 465 set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False (nodemailer secure: true); on 587 the reverse (secure: false).', PROBE_FIX],
  },
  smtp_rejected: {
    summary: 'the server answered and refused (a 4xx/5xx reply)',
    cause: "The server refused the connection, the sender or a recipient: the platform's IP on a blocklist, an unverified sender (Amazon SES sandbox), or relaying without logging in.",
    fixes: ['Read the server reply on the line: it names the reason.', 'Use a From address (DEFAULT_FROM_EMAIL) your provider has verified; in the SES sandbox, verify the recipients too.', "Ask the provider whether it blocks your platform's IP range; or send through its HTTPS API."],
  },
  tls_mode_mismatch: {
    summary: "the client's TLS mode does not match the port (implicit TLS against STARTTLS, or the reverse)",
    cause: 'The client started TLS at once (EMAIL_USE_SSL=True, nodemailer secure: true) on a port that speaks plain SMTP then STARTTLS (587), or the reverse on 465.',
    fixes: ['On 587 set EMAIL_USE_TLS=True and EMAIL_USE_SSL=False (nodemailer secure: false).', 'On 465 set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False (nodemailer secure: true).'],
  },
  starttls_unavailable: {
    summary: 'the server does not offer STARTTLS on this port',
    cause: 'The client asked for STARTTLS (EMAIL_USE_TLS=True, nodemailer requireTLS) and the server does not offer it here: a port meant for implicit TLS or for plain relaying, or a middlebox stripping STARTTLS.',
    fixes: ['Use the submission port with STARTTLS (587, EMAIL_USE_TLS=True) or implicit TLS (465, EMAIL_USE_SSL=True).', PROBE_FIX],
  },
  tls_failed: {
    summary: 'the TLS handshake or certificate check failed',
    cause: 'TLS did not come up: a certificate that has expired, names another host or is not trusted, or a handshake the server broke off.',
    fixes: ['Use the host name the certificate names as EMAIL_HOST (the provider documents it).', 'Do not turn certificate checks off in production; ask the provider to fix its certificate.', PROBE_FIX],
  },
  auth_failed: {
    summary: 'the server refused the login',
    cause: 'Wrong user or password; an app password needed (Gmail, Outlook with 2FA); SMTP AUTH disabled for the mailbox (Microsoft 365); or for Amazon SES a raw IAM secret key used instead of the SMTP password derived from it.',
    fixes: ['Check EMAIL_HOST_USER / EMAIL_HOST_PASSWORD (nodemailer auth) in the service environment.', 'Amazon SES: use the SMTP credentials from the SES console, or derive the SMTP password from the secret key (`smtp-egress check`).', 'Gmail / Outlook: create an app password; Microsoft 365: enable SMTP AUTH for the mailbox.'],
  },
  auth_unavailable: {
    summary: 'the server offers no login on this connection',
    cause: 'Servers offer AUTH only after STARTTLS: a client on 587 without EMAIL_USE_TLS=True never sees it.',
    fixes: ['On 587 set EMAIL_USE_TLS=True (nodemailer requireTLS: true); on 465 use EMAIL_USE_SSL=True.'],
  },
  timeout: {
    summary: 'a phase after the connect timed out (TLS or a command reply)',
    cause: 'The connection was made but a later step got no answer in time: a TLS mode mismatch, a slow or overloaded server, or a middlebox.',
    fixes: ['Check the port and TLS mode (587 STARTTLS, 465 implicit TLS).', PROBE_FIX],
  },
  blocked_by_policy: {
    summary: 'the connection was refused by an address policy',
    cause: "A guard refused the target (a private address or a host not on the allow-list).",
    fixes: ['Use the public name of the mail provider.'],
  },
  local_error: {
    summary: 'this machine could not open a socket (EPERM, EACCES, EMFILE, ENOBUFS)',
    cause: 'The connection never left this machine: a local firewall or sandbox forbids it, or the process ran out of descriptors or buffers.',
    fixes: ['Check the local firewall or sandbox rules and the process limits (ulimit -n); this says nothing about the mail server.'],
  },
  ok: { summary: 'no failure', cause: 'The connection worked.', fixes: [] },
};

// ---------------------------------------------------------------------------------------------
// System errors: one table for Node's names, Linux errno numbers and Python's [Errno N]

interface SysError {
  name: string;
  errno: number;
  outcome: Outcome;
  confidence: Confidence;
}

const SYSTEM_ERRORS: readonly SysError[] = [
  { name: 'ENETUNREACH', errno: 101, outcome: 'network_unreachable', confidence: 'high' },
  { name: 'EHOSTUNREACH', errno: 113, outcome: 'host_unreachable', confidence: 'high' },
  { name: 'ETIMEDOUT', errno: 110, outcome: 'connect_timeout', confidence: 'high' },
  { name: 'ECONNREFUSED', errno: 111, outcome: 'connection_refused', confidence: 'high' },
  { name: 'ECONNRESET', errno: 104, outcome: 'connection_reset', confidence: 'high' },
  { name: 'ECONNABORTED', errno: 103, outcome: 'connection_reset', confidence: 'high' },
  { name: 'EPIPE', errno: 32, outcome: 'connection_reset', confidence: 'medium' },
  // No source address of that family: an IPv6 connection on a host without IPv6.
  { name: 'EADDRNOTAVAIL', errno: 99, outcome: 'network_unreachable', confidence: 'medium' },
  { name: 'ENOTFOUND', errno: 3008, outcome: 'dns_failed', confidence: 'high' },
  { name: 'EAI_AGAIN', errno: 3001, outcome: 'dns_failed', confidence: 'high' },
];
const byName = new Map(SYSTEM_ERRORS.map((e) => [e.name, e]));
const byErrno = new Map(SYSTEM_ERRORS.map((e) => [e.errno, e]));
const SYS_NAMES = SYSTEM_ERRORS.map((e) => e.name).join('|');

/** Python's socket.gaierror numbers (glibc EAI_*): all mean the name did not resolve. */
const PY_GAI_ERRNOS = new Set([-2, -3, -5, -9, 8, 11001, 11004]);
const PY_ERRNO_NAMES: Record<number, string> = { 101: 'ENETUNREACH', 113: 'EHOSTUNREACH', 110: 'ETIMEDOUT', 111: 'ECONNREFUSED', 104: 'ECONNRESET', 103: 'ECONNABORTED', 32: 'EPIPE', 99: 'EADDRNOTAVAIL' };

// ---------------------------------------------------------------------------------------------
// Context the patterns may read

interface Traceback {
  fns: string[];
  files: string[];
  code: string[];
}

interface LineContext {
  /** The Python traceback this line ends, when it is the exception line of one. */
  traceback: Traceback | null;
  /** Inside a printed JS error object (stack and property lines after an error header). */
  inErrorObject: boolean;
}

interface Hit {
  outcome: Outcome | null;
  confidence?: Confidence;
  cause?: string;
  fix?: string;
  errno?: string | null;
  port?: number | null;
  tlsReason?: TlsErrorReason | null;
}

interface Pattern {
  id: string;
  source: LogSource;
  re: RegExp;
  hit: (m: RegExpExecArray, ctx: LineContext, line: string) => Hit | null;
}

const LOOPBACK = /\b(?:127\.\d+\.\d+\.\d+|localhost)\b|(?:^|[\s(])::1\b|\[::1\]/;

function sysHit(e: SysError, line: string, port: number | null, address: string | null): Hit {
  let cause: string | undefined;
  const v6 = address !== null && address.includes(':');
  if (e.outcome === 'network_unreachable' && v6) {
    cause = `The address tried is IPv6 (${address}) and this network has no route for IPv6: the host has an AAAA record but the platform has no outbound IPv6${RENDER ? ' (Render has none)' : ''}.`;
  } else if (e.outcome === 'network_unreachable' && e.name === 'EADDRNOTAVAIL') {
    cause = 'No local address of that family to connect from (EADDRNOTAVAIL): usually an IPv6 address on a host without IPv6.';
  } else if (e.outcome === 'connection_refused' && LOOPBACK.test(line)) {
    cause = "The connection went to this machine itself (localhost), where no mail server listens: the mail settings did not reach the app (Django's defaults are localhost:25).";
  }
  return {
    outcome: e.outcome,
    confidence: e.confidence,
    errno: e.name,
    port,
    cause,
    fix: v6 && e.outcome === 'network_unreachable' ? 'Force IPv4 for the mail connection (nodemailer `family: 4`; in Python connect to the IPv4 address), or use a provider port that gets out over IPv4.' : undefined,
  };
}

/** `1.2.3.4:587`, `2a00:1450:400c:c07::6c:587`, `[::1]:25` -> address and port. */
function splitAddress(s: string | undefined): { address: string | null; port: number | null } {
  if (!s) return { address: null, port: null };
  const m = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/.exec(s);
  if (!m?.[1] || !m[2]) return { address: null, port: null };
  return { address: m[1], port: Number(m[2]) };
}

/** Where a Python socket timeout happened, from the frames of its traceback. */
function pythonTimeout(tb: Traceback | null): Hit {
  if (!tb || tb.fns.length === 0) {
    return { outcome: 'connect_timeout', confidence: 'medium', cause: 'A socket timeout with no traceback to place it: most often the connect to a port an egress firewall drops (with EMAIL_TIMEOUT set, Python reports "timed out" instead of Errno 110).' };
  }
  const fns = tb.fns;
  const lastCode = tb.code[tb.code.length - 1] ?? '';
  const last = fns[fns.length - 1];
  if (last === 'create_connection' || /\bsock\.connect\(|\.connect\(sa\)/.test(lastCode)) {
    return { outcome: 'connect_timeout', confidence: 'high', cause: 'The TCP connect itself timed out (socket.create_connection): nothing answered, the signature of an egress firewall dropping SMTP.' };
  }
  if (fns.some((f) => f === 'starttls' || f === 'do_handshake' || f === 'wrap_socket')) {
    return { outcome: 'timeout', confidence: 'high', cause: 'The TLS handshake timed out after the connection was made: often a TLS mode mismatch, or a middlebox.' };
  }
  const commands = ['ehlo', 'helo', 'ehlo_or_helo_if_needed', 'login', 'auth', 'sendmail', 'send_message', 'mail', 'rcpt', 'data', 'docmd', 'noop', 'quit'];
  if (fns.includes('connect') && fns.includes('getreply') && !fns.some((f) => commands.includes(f))) {
    return { outcome: 'greeting_timeout', confidence: 'high', cause: "Connected, then no 220 greeting within the timeout (smtplib's connect -> getreply): a plain client on an implicit-TLS port (465 with EMAIL_USE_SSL=False), or a middlebox that accepts and stalls." };
  }
  const cmd = fns.find((f) => commands.includes(f));
  if (cmd) return { outcome: 'timeout', confidence: 'high', cause: `Connected, then the reply to ${cmd.toUpperCase()} did not come in time.` };
  if (fns.some((f) => ['getreply', 'readline', 'readinto', 'recv', 'recv_into', 'send', 'sendall'].includes(f))) {
    return { outcome: 'timeout', confidence: 'medium', cause: 'A read or write on an open connection timed out (which SMTP step, the frames do not say).' };
  }
  return { outcome: 'connect_timeout', confidence: 'medium', cause: 'A socket timeout; the traceback does not place it, and the connect is where it most often happens.' };
}

/** SMTP replies inside a Python exception: `(535, b'5.7.8 Username...')`. */
const PY_REPLY = /\(\s*(\d{3}),\s*b?(['"])(.*?)(?:\2|$)/;

function authHit(code: string | undefined, text: string): Hit {
  const t = text;
  if (/Authentication Credentials Invalid/i.test(t)) {
    return { outcome: 'auth_failed', cause: 'Amazon SES refused the SMTP credentials: the SMTP password is derived from the IAM secret key (it is not the secret key itself), per region, and the user is the access key id.', fix: 'Create SMTP credentials in the SES console, or derive the SMTP password from the secret key for the endpoint\'s region (`smtp-egress check`).' };
  }
  if (/Application-specific password required|InvalidSecondFactor|\b5\.7\.9\b/i.test(t) || code === '534') {
    return { outcome: 'auth_failed', cause: 'The account has two-factor authentication: the provider wants an app password, not the account password.', fix: 'Create an app password (Google Account > Security > App passwords) and use it as EMAIL_HOST_PASSWORD.' };
  }
  if (/BadCredentials|Username and Password not accepted/i.test(t)) {
    return { outcome: 'auth_failed', cause: 'Gmail refused the user name and password: with 2FA it needs an app password, and the user must be the full address.', fix: 'Use the full Gmail address as the user and an app password as the password.' };
  }
  if (/SmtpClientAuthentication is disabled|5\.7\.139|5\.7\.3 /i.test(t)) {
    return { outcome: 'auth_failed', cause: 'Microsoft 365 refused the login: SMTP AUTH is disabled for the tenant or the mailbox (or basic auth is off).', fix: 'Enable Authenticated SMTP for the mailbox in the Microsoft 365 admin center, or send through an API.' };
  }
  return { outcome: 'auth_failed' };
}

function tlsReasonOf(text: string): { reason: TlsErrorReason; cause: string } {
  if (/Hostname mismatch|does not match certificate|not valid for|ALTNAME_INVALID|IP address mismatch/i.test(text)) {
    return { reason: 'hostname_mismatch', cause: "The server's certificate does not name the host in the settings: EMAIL_HOST differs from the name the provider's certificate covers (or an IP address was used)." };
  }
  if (/expired|CERT_HAS_EXPIRED/i.test(text)) return { reason: 'cert_expired', cause: "The server's certificate has expired." };
  if (/self[- ]signed|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN/i.test(text)) {
    return { reason: 'self_signed', cause: 'The server presents a self-signed certificate (or one from a private CA): this client does not trust it.' };
  }
  if (/unable to get local issuer|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERTIFICATE_VERIFY_FAILED/i.test(text)) {
    return { reason: 'untrusted', cause: "The server's certificate chain does not lead to an authority this client trusts: a missing intermediate, a private CA, or an outdated CA bundle on the client." };
  }
  return { reason: 'handshake', cause: 'The TLS handshake failed.' };
}

const WRONG_VERSION_CAUSE = 'The client spoke TLS from the first byte (implicit TLS: EMAIL_USE_SSL=True, nodemailer secure: true) and the server answered in plain text: a STARTTLS port (587, 25, 2525) configured as SSL.';
const WRONG_VERSION_FIX = 'On 587 set EMAIL_USE_TLS=True and EMAIL_USE_SSL=False (nodemailer secure: false); for implicit TLS use port 465.';

// ---------------------------------------------------------------------------------------------
// The patterns, most specific first: the first that matches a line classifies it.

export const PATTERNS: readonly Pattern[] = [
  // --- Python: socket errno as OSError / ConnectionRefusedError / TimeoutError / socket.gaierror
  {
    id: 'python-gaierror',
    source: 'python',
    re: /\bgaierror\b.*?\[Errno (-?\d+)\]\s*([^\n]*)|\[Errno (-?\d+)\]\s*(Name or service not known|Temporary failure in name resolution|No address associated with hostname|nodename nor servname provided|getaddrinfo failed)/,
    hit: (m) => {
      const n = Number(m[1] ?? m[3]);
      if (!PY_GAI_ERRNOS.has(n)) return null;
      return { outcome: 'dns_failed', errno: `EAI ${n}` };
    },
  },
  {
    id: 'python-errno',
    source: 'python',
    // `[Errno 101] Network is unreachable` as printed, or `OSError(101, 'Network is unreachable')`
    // as repr() shows it (Celery's "raised unexpected", logger calls with %r).
    re: /(?:\[Errno (\d+)\]\s*|\b[A-Z]\w*Error\((\d+), ')(?:Network is unreachable|No route to host|Connection timed out|Connection refused|Connection reset by peer|Software caused connection abort|Broken pipe|Cannot assign requested address)/,
    hit: (m, _ctx, line) => {
      const n = Number(m[1] ?? m[2]);
      const e = byErrno.get(n);
      if (!e || PY_ERRNO_NAMES[n] !== e.name) return null;
      const h = sysHit(e, line, null, null);
      return { ...h, errno: `Errno ${n} (${e.name})` };
    },
  },
  // --- Python: smtplib exceptions
  {
    id: 'python-smtp-auth',
    source: 'python',
    re: /\bSMTPAuthenticationError\b(.*)/,
    hit: (m) => {
      const r = PY_REPLY.exec(m[1] ?? '');
      return { ...authHit(r?.[1], m[1] ?? ''), errno: null };
    },
  },
  {
    id: 'python-smtp-starttls-unsupported',
    source: 'python',
    re: /\bSMTPNotSupportedError\b.*STARTTLS extension not supported|STARTTLS extension not supported by server/,
    hit: () => ({ outcome: 'starttls_unavailable' }),
  },
  {
    id: 'python-smtp-auth-unsupported',
    source: 'python',
    re: /SMTP AUTH extension not supported by server/,
    hit: () => ({ outcome: 'auth_unavailable' }),
  },
  {
    id: 'python-ssl-wrong-version',
    source: 'python',
    re: /\[SSL: WRONG_VERSION_NUMBER\]|\bSSLError\b.*wrong version number/,
    hit: () => ({ outcome: 'tls_mode_mismatch', cause: WRONG_VERSION_CAUSE, fix: WRONG_VERSION_FIX }),
  },
  {
    id: 'python-ssl-record-layer',
    source: 'python',
    re: /\[SSL(?:: RECORD_LAYER_FAILURE)?\] record layer failure|\[SSL: (?:PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNKNOWN_PROTOCOL)\]/,
    hit: () => ({ outcome: 'tls_mode_mismatch', confidence: 'medium', cause: `${WRONG_VERSION_CAUSE} (Newer OpenSSL reports this as "record layer failure".)`, fix: WRONG_VERSION_FIX }),
  },
  {
    id: 'python-ssl-cert',
    source: 'python',
    re: /\bSSLCertVerificationError\b|\[SSL: CERTIFICATE_VERIFY_FAILED\]/,
    hit: (_m, _c, line) => {
      const r = tlsReasonOf(line);
      return { outcome: 'tls_failed', tlsReason: r.reason, cause: r.cause };
    },
  },
  {
    id: 'python-ssl-eof',
    source: 'python',
    re: /\bSSLEOFError\b|UNEXPECTED_EOF_WHILE_READING|EOF occurred in violation of protocol|\bSSLZeroReturnError\b/,
    hit: () => ({ outcome: 'tls_failed', tlsReason: 'handshake', cause: 'The server closed the connection in the middle of the TLS handshake: a protocol or cipher it refuses, or it does not want this client.' }),
  },
  {
    id: 'python-ssl-error',
    source: 'python',
    re: /\bssl\.SSLError\b|^SSLError: |\[SSL: [A-Z_]+\]/,
    hit: () => ({ outcome: 'tls_failed', confidence: 'medium', tlsReason: 'handshake' }),
  },
  {
    id: 'python-smtp-sender-refused',
    source: 'python',
    re: /\bSMTPSenderRefused\b(.*)/,
    hit: (m) => {
      const rest = m[1] ?? '';
      const r = PY_REPLY.exec(rest);
      if (/STARTTLS/i.test(rest)) return { outcome: 'tls_mode_mismatch', cause: 'The server wants STARTTLS before mail (530 Must issue a STARTTLS command first): the client did not upgrade.', fix: 'On 587 set EMAIL_USE_TLS=True (nodemailer requireTLS: true).' };
      if (/authenticat/i.test(rest) || r?.[1] === '530') return { outcome: 'auth_failed', cause: 'The server wants a login before mail (530 Authentication required): the client sent without logging in, EMAIL_HOST_USER / EMAIL_HOST_PASSWORD are empty or not read.', fix: 'Set EMAIL_HOST_USER and EMAIL_HOST_PASSWORD in the service environment.' };
      return { outcome: 'smtp_rejected', cause: `The server refused the sender${r ? ` (${r[1]} ${(r[3] ?? '').slice(0, 120)})` : ''}: the From address (DEFAULT_FROM_EMAIL) is not one this account may send as, or is not verified.`, fix: 'Send from an address or domain verified with your provider (DEFAULT_FROM_EMAIL).' };
    },
  },
  {
    id: 'python-smtp-recipients-refused',
    source: 'python',
    re: /\bSMTPRecipientsRefused\b(.*)/,
    hit: (m) => {
      const rest = m[1] ?? '';
      if (/relay(?:ing)? (?:access )?denied|not permitted to relay|Relaying denied/i.test(rest)) {
        return { outcome: 'smtp_rejected', cause: 'The server refuses to relay: the client is not logged in, or not allowed to send to outside domains.', fix: 'Log in (EMAIL_HOST_USER / EMAIL_HOST_PASSWORD) on the submission port 587.' };
      }
      return { outcome: 'smtp_rejected', cause: 'The server refused every recipient: unknown addresses, or (Amazon SES sandbox) recipients that are not verified.', fix: 'Check the recipient addresses; in the SES sandbox verify them or request production access.' };
    },
  },
  {
    id: 'python-smtp-data-error',
    source: 'python',
    re: /\bSMTPDataError\b(.*)/,
    hit: (m) => {
      const rest = m[1] ?? '';
      if (/not verified|Email address is not verified/i.test(rest)) {
        return { outcome: 'smtp_rejected', cause: 'Amazon SES refused the message: the sender (or, in the sandbox, a recipient) is not verified.', fix: 'Verify the sender address or domain in SES; in the sandbox verify the recipients or request production access.' };
      }
      const r = PY_REPLY.exec(rest);
      return { outcome: 'smtp_rejected', cause: `The server refused the message${r ? ` with ${r[1]}` : ''}: content, sender or the platform's IP reputation (554 often means a blocklist).` };
    },
  },
  {
    id: 'python-smtp-connect-error',
    source: 'python',
    re: /\bSMTPConnectError\b(.*)|\bSMTPHeloError\b(.*)/,
    hit: () => ({ outcome: 'smtp_rejected', cause: "The server refused the session at the greeting or HELO: often the platform's IP is on a blocklist or the server limits connections." }),
  },
  {
    id: 'python-smtp-disconnected',
    source: 'python',
    re: /\bSMTPServerDisconnected\b:?\s*(.*)/,
    hit: (m, ctx) => {
      const msg = m[1] ?? '';
      if (/timed out/i.test(msg)) return pythonTimeout(ctx.traceback);
      if (/please run connect\(\) first/i.test(msg)) {
        return { outcome: 'connection_reset', confidence: 'medium', cause: 'smtplib had no open connection when it was used: an earlier failure closed it (look for the first error above), or a connection was reused after the server dropped it.' };
      }
      return { outcome: 'connection_reset', cause: 'The server closed the connection without a reply: a TLS mode mismatch (plain client on 465), a server dropping clients from the platform\'s IP, or a middlebox.' };
    },
  },
  {
    id: 'python-timeout',
    source: 'python',
    // Only Python's own spelling: a JS `TimeoutError` (AbortSignal.timeout) is another thing.
    re: /^(?:builtins\.)?TimeoutError(?::\s*(?:timed out|.*handshake operation timed out))?\s*$|^socket\.timeout(?::.*)?$|\b(?:socket\.timeout|TimeoutError): timed out\b/,
    hit: (_m, ctx, line) =>
      /handshake operation timed out/.test(line)
        ? { outcome: 'timeout', cause: 'The TLS handshake timed out after the connection was made (ssl: "The handshake operation timed out").' }
        : pythonTimeout(ctx.traceback),
  },

  // --- Node: system errors as their syscall lines print them (`connect ENETUNREACH 1.2.3.4:587`)
  {
    id: 'node-syscall-errno',
    source: 'node',
    re: new RegExp(`\\b(connect|read|write|getaddrinfo|queryA{1,4}|lookup|querySrv)\\s+(${SYS_NAMES})\\b(?:\\s+(\\S+))?`),
    hit: (m, _ctx, line) => {
      const e = byName.get(m[2] ?? '');
      if (!e) return null;
      const { address, port } = m[1] === 'connect' ? splitAddress(m[3]) : { address: null, port: null };
      return sysHit(e, line, port, address);
    },
  },

  // --- nodemailer: its error messages
  {
    id: 'nodemailer-greeting',
    source: 'nodemailer',
    re: /Greeting never received|'GREETING_TIMEOUT'/,
    hit: () => ({ outcome: 'greeting_timeout', errno: 'ETIMEDOUT' }),
  },
  {
    id: 'nodemailer-connection-timeout',
    source: 'nodemailer',
    re: /\bError: Connection timeout\b|^\s*\[?Error: Connection timeout|'CONNECT_TIMEOUT'|Connection timeout(?=\s*(?:$|\{|\]))/,
    hit: () => ({ outcome: 'connect_timeout', errno: 'ETIMEDOUT', cause: 'nodemailer gave up connecting (connectionTimeout): nothing answered, the signature of an egress firewall dropping SMTP.' }),
  },
  {
    id: 'nodemailer-tls-timeout',
    source: 'nodemailer',
    re: /TLS handshake timed out|'UPGRADE_TIMEOUT'/,
    hit: () => ({ outcome: 'timeout', errno: 'ETIMEDOUT', cause: 'The TLS handshake (or the STARTTLS upgrade) timed out after the connection was made.' }),
  },
  {
    id: 'nodemailer-socket-timeout',
    source: 'nodemailer',
    re: /^\s*\[?Error: Timeout(?:\]|\s*\{|\s*$)|'SOCKET_TIMEOUT'/,
    hit: () => ({ outcome: 'timeout', errno: 'ETIMEDOUT', cause: 'The connection went idle past socketTimeout: the server stopped answering in the middle of the dialogue.' }),
  },
  {
    id: 'tls-wrong-version',
    source: 'nodemailer',
    re: /wrong version number|ERR_SSL_WRONG_VERSION_NUMBER/,
    hit: () => ({ outcome: 'tls_mode_mismatch', errno: 'ERR_SSL_WRONG_VERSION_NUMBER', cause: WRONG_VERSION_CAUSE, fix: WRONG_VERSION_FIX }),
  },
  {
    id: 'node-tls-certificate',
    source: 'node',
    re: /Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|\bcertificate has expired\b|\bCERT_HAS_EXPIRED\b|\bself[- ]signed certificate\b|\bDEPTH_ZERO_SELF_SIGNED_CERT\b|\bSELF_SIGNED_CERT_IN_CHAIN\b|unable to verify the first certificate|\bUNABLE_TO_VERIFY_LEAF_SIGNATURE\b|unable to get local issuer certificate|\bUNABLE_TO_GET_ISSUER_CERT_LOCALLY\b/,
    hit: (_m, _c, line) => {
      const r = tlsReasonOf(line);
      return { outcome: 'tls_failed', tlsReason: r.reason, cause: r.cause };
    },
  },
  {
    id: 'nodemailer-starttls',
    source: 'nodemailer',
    re: /Error upgrading connection with STARTTLS|EHLO failed but HELO does not support required STARTTLS/,
    hit: () => ({ outcome: 'starttls_unavailable', errno: 'ETLS', cause: 'nodemailer was told to use STARTTLS (requireTLS, or secure: false on 587) and the server refused the upgrade or does not offer it.' }),
  },
  {
    id: 'nodemailer-tls-initiating',
    source: 'nodemailer',
    re: /Error initiating TLS/,
    hit: () => ({ outcome: 'tls_failed', tlsReason: 'handshake', errno: 'ETLS' }),
  },
  {
    id: 'nodemailer-auth',
    source: 'nodemailer',
    re: /\bInvalid login:?\s*(\d{3})?(.*)|Missing credentials for "[A-Z0-9-]+"|Invalid login sequence|\bcode:\s*'EAUTH'|"code"\s*:\s*"EAUTH"|\bEAUTH\b/,
    hit: (m, _c, line) => {
      if (/Missing credentials/.test(line)) {
        return { outcome: 'auth_failed', errno: 'EAUTH', cause: 'nodemailer had no user or password to log in with: the auth settings did not reach the app.', fix: 'Set the SMTP user and password in the service environment and pass them as auth: { user, pass }.' };
      }
      return { ...authHit(m[1], line), errno: 'EAUTH' };
    },
  },
  {
    id: 'nodemailer-greeting-rejected',
    source: 'nodemailer',
    re: /Invalid greeting\. response=(\d{3})?|Server terminates connection\. response=(\d{3})?/,
    hit: () => ({ outcome: 'smtp_rejected', errno: 'EPROTOCOL', cause: "The server refused the session at the greeting or EHLO (a 4xx/5xx reply): often the platform's IP is on a blocklist or the server limits connections." }),
  },
  {
    id: 'nodemailer-envelope',
    source: 'nodemailer',
    re: /all recipients were rejected|\bMessage failed\b(?::| for recipient)|Data command failed|\bcode:\s*'(?:EENVELOPE|EMESSAGE)'|\bEENVELOPE\b/,
    hit: () => ({ outcome: 'smtp_rejected', errno: 'EENVELOPE' }),
  },
  {
    id: 'nodemailer-connection-closed',
    source: 'nodemailer',
    re: /Connection closed unexpectedly|Server closed the connection|\bcode:\s*'ECONNECTION'|"code"\s*:\s*"ECONNECTION"|\bECONNECTION\b/,
    hit: () => ({ outcome: 'connection_reset', errno: 'ECONNECTION', cause: 'The server closed the connection in the middle of the SMTP dialogue (nodemailer ECONNECTION): a TLS mode mismatch, or a server dropping clients from the platform\'s IP.' }),
  },
  {
    id: 'nodemailer-dns',
    source: 'nodemailer',
    re: /\bcode:\s*'EDNS'|"code"\s*:\s*"EDNS"|\bEDNS\b/,
    hit: () => ({ outcome: 'dns_failed', errno: 'EDNS' }),
  },

  // --- Node: errno names and numbers on their own (error object properties, JSON logs)
  {
    id: 'node-errno-number',
    source: 'node',
    re: /^\s*errno:\s*(-\d+),?\s*$/,
    hit: (m, _c, line) => {
      const e = byErrno.get(-Number(m[1]));
      return e ? sysHit(e, line, null, null) : null;
    },
  },
  {
    id: 'node-errno-name',
    source: 'node',
    re: new RegExp(`\\b(${SYS_NAMES.replace('ETIMEDOUT|', '')})\\b`),
    hit: (m, _c, line) => {
      const e = byName.get(m[1] ?? '');
      return e ? sysHit(e, line, null, null) : null;
    },
  },

  // --- nodemailer's generic codes: they say a socket error or a timeout, not which one
  {
    id: 'nodemailer-etimedout',
    source: 'nodemailer',
    re: /\bETIMEDOUT\b/,
    hit: (_m, ctx) =>
      ctx.inErrorObject
        ? { outcome: null, errno: 'ETIMEDOUT' }
        : { outcome: 'connect_timeout', confidence: 'medium', errno: 'ETIMEDOUT', cause: 'A timeout (ETIMEDOUT) with nothing around it to place it: most often the connect to a port an egress firewall drops.' },
  },
  {
    id: 'nodemailer-etls',
    source: 'nodemailer',
    re: /\bETLS\b/,
    hit: (_m, ctx) => (ctx.inErrorObject ? { outcome: null, errno: 'ETLS' } : { outcome: 'tls_failed', confidence: 'medium', errno: 'ETLS', tlsReason: 'handshake' }),
  },
  {
    id: 'nodemailer-esocket',
    source: 'nodemailer',
    re: /\bESOCKET\b/,
    hit: () => ({
      outcome: null,
      errno: 'ESOCKET',
      cause: 'nodemailer ESOCKET: a socket error (refused, unreachable, reset or TLS) without the line that says which: paste the whole error object.',
      fix: PROBE_FIX,
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// Lines that belong to other clients: never read as mail errors

const NON_MAIL_LINE =
  /\b(?:psycopg2?|postgres(?:ql)?|redis|ioredis|mysql|mysql2|mongo(?:db|ose)?|amqp|kombu|memcached?|elasticsearch|urllib3|requests\.exceptions|httpx|httpcore|aiohttp|undici|axios|HTTPS?ConnectionPool|fetch failed|django\.db|sqlalchemy)\b|(?:port |:)(?:5432|6379|6380|3306|27017|11211|9200|5672|443|80)\b/i;
const MAIL_FRAME = /smtplib|[\\/]core[\\/]mail[\\/]|anymail|flask_mail|yagmail|redmail|fastapi_mail|aiosmtplib|[\\/]nodemailer[\\/]|smtp-connection|smtp-transport|smtp-pool/i;
const OTHER_CLIENT_FRAME = /urllib3|[\\/]requests[\\/]|httpx|httpcore|aiohttp|http[\\/]client\.py|psycopg|[\\/]django[\\/]db[\\/]|[\\/]redis[\\/]|kombu|pymongo|pymysql|MySQLdb|botocore|[\\/]node_modules[\\/](?:pg|pg-pool|redis|ioredis|mongodb|mysql2?|undici|axios|node-fetch|got)[\\/]|node:internal[\\/]deps[\\/]undici/i;

// ---------------------------------------------------------------------------------------------
// The classifier

interface Event {
  id: number;
  outcome: Outcome | null;
  confidence: Confidence;
  defining: LogMatch | null;
  mailEvidence: boolean;
  otherEvidence: boolean;
  matches: LogMatch[];
}

const TRACEBACK_START = /^Traceback \(most recent call last\):\s*$/;
const CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
const FRAME = /^\s+File "([^"]*)", line \d+, in (\S+)/;
const STACK_LINE = /^\s+at\s/;
const PROPERTY_LINE = /^\s+(?:\[[\w ]+\]|[\w$]+|'[^']*'):\s/;
const BRACE_LINE = /^\s*(?:\]\s*\{?|\{|\}|\},?)\s*$/;
const ERROR_HEADER = /(?:^|\s)\[?(?:[A-Z]\w*)?Error(?: \[[A-Z_]+\])?:\s|^\s*\[?Error\b/;

export interface ClassifyOptions {
  /** List at most this many matches (counts still cover all). */
  maxMatches?: number;
}

export function classifyLogs(input: string, options: ClassifyOptions = {}): LogsReport {
  const maxMatches = options.maxMatches ?? DEFAULT_MAX_MATCHES;
  const rawLines = input.split(/\r\n|\n|\r/);
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();

  let blank = 0;
  let render = false;
  const events: Event[] = [];
  const newEvent = (): Event => {
    const e: Event = { id: events.length + 1, outcome: null, confidence: 'medium', defining: null, mailEvidence: false, otherEvidence: false, matches: [] };
    events.push(e);
    return e;
  };

  // Python traceback state
  let tb: Traceback | null = null;
  let chainTo: Event | null = null;
  let lastPyEvent: Event | null = null;
  // JS printed-error-object state
  let objectOpen = false;
  let objectEvent: Event | null = null;

  rawLines.forEach((raw, index) => {
    const stripped = stripLogPrefixes(raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw);
    if (stripped.render) render = true;
    const text = stripped.text;
    if (text.trim() === '') {
      blank += 1;
      return;
    }

    // Python tracebacks: frames are context, only the exception line is classified.
    if (TRACEBACK_START.test(text)) {
      tb = { fns: [], files: [], code: [] };
      objectOpen = false;
      return;
    }
    // A traceback whose first line was cut off: its frames still start one.
    if (!tb && FRAME.test(text)) tb = { fns: [], files: [], code: [] };
    if (CHAIN.test(text)) {
      chainTo = lastPyEvent;
      return;
    }
    let traceback: Traceback | null = null;
    if (tb) {
      if (/^\s/.test(text)) {
        const f = FRAME.exec(text);
        if (f) {
          (tb as Traceback).files.push(f[1] ?? '');
          (tb as Traceback).fns.push(f[2] ?? '');
        } else if (!/^\s*[~^]+\s*$/.test(text)) (tb as Traceback).code.push(text.trim());
        return;
      }
      traceback = tb;
      tb = null;
    }

    // Printed JS error objects: an error line, then `at ...` stack lines and `key: value` lines.
    const continuation = objectOpen && (STACK_LINE.test(text) || PROPERTY_LINE.test(text) || BRACE_LINE.test(text));
    if (!continuation) {
      objectOpen = false;
      objectEvent = null;
    }
    if (continuation && objectEvent && STACK_LINE.test(text)) {
      if (MAIL_FRAME.test(text)) objectEvent.mailEvidence = true;
      else if (OTHER_CLIENT_FRAME.test(text)) objectEvent.otherEvidence = true;
    }

    const ctx: LineContext = { traceback, inErrorObject: continuation };
    const found = NON_MAIL_LINE.test(text) ? null : matchLine(text, ctx);

    if (found) {
      let event: Event;
      if (traceback || (chainTo && !continuation)) {
        event = chainTo ?? newEvent();
        chainTo = null;
        lastPyEvent = event;
        if (traceback) {
          if (traceback.files.some((f) => MAIL_FRAME.test(f))) event.mailEvidence = true;
          else if (traceback.files.some((f) => OTHER_CLIENT_FRAME.test(f))) event.otherEvidence = true;
        }
      } else if (continuation && objectEvent) {
        event = objectEvent;
      } else {
        event = newEvent();
        lastPyEvent = found.source === 'python' ? event : lastPyEvent;
      }
      const match: LogMatch = { line: index + 1, text: cut(text.trim()), ...found, event: event.id };
      event.matches.push(match);
      if (match.outcome && (event.outcome === null || (match.confidence === 'high' && event.confidence === 'medium'))) {
        event.outcome = match.outcome;
        event.confidence = match.confidence;
        event.defining = match;
      }
      if (!continuation) {
        objectOpen = true;
        objectEvent = event;
      } else if (!objectEvent) {
        objectEvent = event;
      }
    } else if (!continuation && ERROR_HEADER.test(text)) {
      // An error header no pattern knows: its properties may still say (code: 'ESOCKET' ...).
      objectOpen = true;
      objectEvent = null;
      if (traceback) chainTo = null;
    } else if (traceback) {
      chainTo = null;
    }
    // util.inspect closes an error object with a `}` of its own.
    if (continuation && /^\}\s*$/.test(text)) objectOpen = false;
  });

  // Errors of other clients (an HTTP library, a database driver) are not mail errors.
  const kept = events.filter((e) => !(e.otherEvidence && !e.mailEvidence));
  // Lines that did not say which outcome take their error's, when another line of it says.
  for (const e of kept) {
    for (const m of e.matches) {
      if (m.outcome === null && e.outcome !== null && e.defining) {
        m.outcome = e.outcome;
        m.confidence = e.confidence;
        m.tlsReason = e.defining.tlsReason;
        m.cause = `Part of the error on line ${e.defining.line}: ${e.defining.cause}`;
        m.fix = e.defining.fix;
      }
    }
  }
  const matches = kept.flatMap((e) => e.matches).sort((a, b) => a.line - b.line);
  // Renumber events 1..n in order of appearance.
  const renumber = new Map(kept.map((e, i) => [e.id, i + 1]));
  for (const m of matches) m.event = renumber.get(m.event) ?? m.event;

  const total = rawLines.length;
  const recognised = matches.length;
  const platformHint = render ? 'render' : null;
  const summary = summarise(kept, matches, platformHint);
  summary.text = summaryText(summary, { total, recognised, unrecognised: total - blank - recognised });
  return {
    schema: LOGS_SCHEMA_ID,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    lines: { total, blank, recognised, unrecognised: total - blank - recognised },
    platformHint,
    matches: matches.slice(0, maxMatches),
    matchesTruncated: matches.length > maxMatches,
    summary,
  };
}

type Found = Omit<LogMatch, 'line' | 'text' | 'event'>;

function matchLine(text: string, ctx: LineContext): Found | null {
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    const m = p.re.exec(text);
    if (!m) continue;
    const h = p.hit(m, ctx, text);
    if (!h) continue;
    const advice = h.outcome ? ADVICE[h.outcome] : null;
    return {
      pattern: p.id,
      source: p.source,
      outcome: h.outcome,
      confidence: h.confidence ?? 'high',
      errno: h.errno ?? null,
      port: h.port ?? null,
      tlsReason: h.tlsReason ?? null,
      cause: h.cause ?? advice?.cause ?? 'A mail error that does not say which.',
      fix: h.fix ?? advice?.fixes[0] ?? PROBE_FIX,
    };
  }
  return null;
}

// Echoed lines are masked where they look like credentials: pasted logs often hold a password.
const cut = (raw: string) => {
  const s = maskCredentials(raw);
  return s.length > MAX_TEXT_CHARS ? `${s.slice(0, MAX_TEXT_CHARS - 3)}...` : s;
};

/** Earlier in the connection comes first: when counts tie, the more basic failure explains more. */
const ROOT_ORDER: readonly Outcome[] = [
  'network_unreachable',
  'host_unreachable',
  'connect_timeout',
  'connection_refused',
  'dns_failed',
  'blocked_by_policy',
  'tls_mode_mismatch',
  'greeting_timeout',
  'starttls_unavailable',
  'tls_failed',
  'smtp_rejected',
  'auth_failed',
  'auth_unavailable',
  'connection_reset',
  'timeout',
  'ok',
];
const CONNECT_FAILURES: readonly Outcome[] = ['network_unreachable', 'host_unreachable', 'connect_timeout'];

function summarise(events: Event[], matches: LogMatch[], platformHint: string | null): LogsReport['summary'] {
  const counts = new Map<Outcome, OutcomeCount>();
  for (const e of events) {
    if (!e.outcome) continue;
    const c = counts.get(e.outcome) ?? { outcome: e.outcome, events: 0, lines: 0 };
    c.events += 1;
    counts.set(e.outcome, c);
  }
  for (const m of matches) {
    if (!m.outcome) continue;
    const c = counts.get(m.outcome) ?? { outcome: m.outcome, events: 0, lines: 0 };
    c.lines += 1;
    counts.set(m.outcome, c);
  }
  const byOutcome = [...counts.values()].sort((a, b) => b.events - a.events || ROOT_ORDER.indexOf(a.outcome) - ROOT_ORDER.indexOf(b.outcome));
  const undetermined = events.filter((e) => e.outcome === null).length;
  const top = byOutcome[0];
  let mostLikely: LogsReport['summary']['mostLikely'] = null;
  if (top && top.events > 0) {
    const its = events.filter((e) => e.outcome === top.outcome);
    const best = its.find((e) => e.confidence === 'high') ?? its[0];
    const advice = ADVICE[top.outcome];
    let cause = best?.defining?.cause ?? advice.cause;
    if (platformHint === 'render' && CONNECT_FAILURES.includes(top.outcome) && RENDER && !cause.includes('Render')) {
      cause = `${cause} These logs come from Render: ${RENDER.note} (${RENDER.source}).`;
    }
    const firstFix = best?.defining?.fix;
    const fixes = [...new Set([...(firstFix ? [firstFix] : []), ...advice.fixes])];
    mostLikely = {
      outcome: top.outcome,
      confidence: best?.confidence ?? 'medium',
      events: top.events,
      summary: advice.summary,
      cause,
      fixes,
    };
  }
  return { events: events.length, undetermined, byOutcome, mostLikely, text: '' };
}

function summaryText(s: LogsReport['summary'], lines: { total: number; recognised: number; unrecognised: number }): string {
  const counted = `${lines.recognised} of ${lines.total} lines recognised, ${lines.unrecognised} unrecognised`;
  if (!s.mostLikely) {
    if (s.events > 0) return `${s.events} mail error${s.events === 1 ? '' : 's'} found, none saying which failure it is (${counted}): paste the whole error, or run \`smtp-egress probe\`.`;
    return `No mail error recognised (${counted}). Paste the lines around the failure: the whole traceback or the printed error object.`;
  }
  const m = s.mostLikely;
  return `Most likely ${m.outcome} (${m.events} of ${s.events} error${s.events === 1 ? '' : 's'}): ${m.summary}. ${counted[0]?.toUpperCase()}${counted.slice(1)}.`;
}
