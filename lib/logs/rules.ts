// The patterns, most specific first: each line of an error takes the first rule that matches it,
// and the error takes the line whose rule comes first in this list. So a reply text that names
// the failure ("530 Must issue a STARTTLS command first") wins over the exception class around it
// (Net::SMTPAuthenticationError), and a DNS syscall (`queryA ECONNREFUSED`) over the errno name.
import type { Confidence, LogOutcome, LogSource } from '../model/logs-report.ts';
import type { TlsErrorReason } from '../model/probe-report.ts';
import type { NoteId } from './advice.ts';
import type { Endpoint, Traceback } from './events.ts';

export interface RuleContext {
  /** The whole error's text (its lines joined). */
  eventText: string;
  /** The ports and addresses the error names. */
  endpoints: readonly Endpoint[];
  /** The Python traceback this line ends, when it is the exception line of one. */
  traceback: Traceback | null;
  /** Every function name in the error's Python tracebacks. */
  fns: ReadonlySet<string>;
}

export interface Hit {
  outcome: LogOutcome | null;
  confidence?: Confidence;
  note?: NoteId;
  errno?: string;
  tlsReason?: TlsErrorReason;
  /** The address the line names (`connect ENETUNREACH 2a00:...:587`). */
  address?: string | null;
  port?: number | null;
}

export interface Rule {
  id: string;
  /** The stack the text belongs to; null when the same text is printed by several (Windows socket messages). */
  source: LogSource | null;
  re: RegExp;
  hit: (m: RegExpExecArray, ctx: RuleContext) => Hit | null;
}

const is = (outcome: LogOutcome | null, more: Omit<Hit, 'outcome'> = {}) => (): Hit => ({ outcome, ...more });

// ---------------------------------------------------------------------------------------------
// System errors: one table for Node's names, errno numbers (Linux, macOS, Windows) and the texts

interface SysError {
  outcome: LogOutcome;
  confidence: Confidence;
  note?: NoteId;
}

const SYS: Record<string, SysError> = {
  ENETUNREACH: { outcome: 'network_unreachable', confidence: 'high' },
  EHOSTUNREACH: { outcome: 'host_unreachable', confidence: 'high' },
  ETIMEDOUT: { outcome: 'connect_timeout', confidence: 'high' },
  ECONNREFUSED: { outcome: 'connection_refused', confidence: 'high' },
  ECONNRESET: { outcome: 'connection_reset', confidence: 'high' },
  ECONNABORTED: { outcome: 'connection_reset', confidence: 'high' },
  EPIPE: { outcome: 'connection_reset', confidence: 'medium' },
  EADDRNOTAVAIL: { outcome: 'network_unreachable', confidence: 'medium', note: 'no-source-address' },
  ENOTFOUND: { outcome: 'dns_failed', confidence: 'high' },
  EAI_AGAIN: { outcome: 'dns_failed', confidence: 'high', note: 'dns-server' },
  EAI_FAIL: { outcome: 'dns_failed', confidence: 'high', note: 'dns-server' },
  EAI_NONAME: { outcome: 'dns_failed', confidence: 'high' },
  EAI_NODATA: { outcome: 'dns_failed', confidence: 'high' },
  // This machine refused to open the socket: nothing left it.
  EACCES: { outcome: 'local_error', confidence: 'medium' },
  EPERM: { outcome: 'local_error', confidence: 'medium' },
  EMFILE: { outcome: 'local_error', confidence: 'high' },
  ENOBUFS: { outcome: 'local_error', confidence: 'high' },
};
/** Names matched anywhere in a line; the local ones (EACCES is also a file error) only after `connect`. */
const SYS_NAMES = Object.keys(SYS).filter((n) => SYS[n]?.outcome !== 'local_error').join('|');

/** errno numbers: Linux, macOS (60, 61, 65, 51, 49) and Windows sockets (100xx). */
const ERRNO: Record<number, string> = {
  101: 'ENETUNREACH', 51: 'ENETUNREACH', 10051: 'ENETUNREACH',
  113: 'EHOSTUNREACH', 65: 'EHOSTUNREACH', 10065: 'EHOSTUNREACH',
  110: 'ETIMEDOUT', 60: 'ETIMEDOUT', 10060: 'ETIMEDOUT',
  111: 'ECONNREFUSED', 61: 'ECONNREFUSED', 10061: 'ECONNREFUSED',
  104: 'ECONNRESET', 10054: 'ECONNRESET',
  103: 'ECONNABORTED', 10053: 'ECONNABORTED',
  32: 'EPIPE',
  99: 'EADDRNOTAVAIL', 49: 'EADDRNOTAVAIL', 10049: 'EADDRNOTAVAIL',
};
/** Node's negative errno values: Linux, macOS, and libuv's Windows codes. */
const NODE_ERRNO: Record<number, string> = {
  [-101]: 'ENETUNREACH', [-51]: 'ENETUNREACH', [-4062]: 'ENETUNREACH',
  [-113]: 'EHOSTUNREACH', [-65]: 'EHOSTUNREACH', [-4074]: 'EHOSTUNREACH',
  [-110]: 'ETIMEDOUT', [-60]: 'ETIMEDOUT', [-4039]: 'ETIMEDOUT',
  [-111]: 'ECONNREFUSED', [-61]: 'ECONNREFUSED', [-4078]: 'ECONNREFUSED',
  [-104]: 'ECONNRESET', [-54]: 'ECONNRESET', [-4077]: 'ECONNRESET',
  [-3008]: 'ENOTFOUND', [-3001]: 'EAI_AGAIN',
};

/** The socket messages of every OS (and the PHP, Go, Java spellings of them), lowercase. */
const SOCKET_TEXTS: readonly [RegExp, string][] = [
  [/network is unreachable|socket operation was attempted to an unreachable network/, 'ENETUNREACH'],
  [/no route to host|socket operation was attempted to an unreachable host/, 'EHOSTUNREACH'],
  [/connection timed out|operation timed out|connected party did not properly respond|connect timed out/, 'ETIMEDOUT'],
  [/connection refused|actively refused/, 'ECONNREFUSED'],
  [/connection reset|forcibly closed by the remote host/, 'ECONNRESET'],
  [/software caused connection abort|connection was aborted by the software/, 'ECONNABORTED'],
  [/broken pipe/, 'EPIPE'],
  [/can(?:'|no)t assign requested address/, 'EADDRNOTAVAIL'],
];

function sysByText(text: string): string | null {
  const t = text.toLowerCase();
  for (const [re, name] of SOCKET_TEXTS) if (re.test(t)) return name;
  return null;
}

const LOOPBACK = /\b(?:127\.\d+\.\d+\.\d+|localhost)\b|(?:^|[\s('"])::1\b|\[::1\]|for nil port|dial tcp :\d/;
const IPV6 = /^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}$/;

/** A system error as a hit, with the notes its address adds (IPv6, localhost). */
function sysHit(name: string, ctx: RuleContext, line: string, address: string | null = null, port: number | null = null): Hit | null {
  const e = SYS[name];
  if (!e) return null;
  const v6 = address !== null && IPV6.test(address);
  let note = e.note;
  if (e.outcome === 'network_unreachable' && v6) note = 'ipv6-unreachable';
  else if (e.outcome === 'host_unreachable' && v6) note = 'ipv6-unreachable';
  else if (e.outcome === 'network_unreachable' && name === 'ENETUNREACH' && (ctx.fns.has('create_connection') || /smtplib|socket\.py|\[Errno 101\]/.test(ctx.eventText))) note = 'python-last-address';
  else if (e.outcome === 'connection_refused' && (LOOPBACK.test(line) || (address !== null && LOOPBACK.test(address)))) note = 'refused-localhost';
  return { outcome: e.outcome, confidence: e.confidence, errno: name, note, address, port };
}

/** `1.2.3.4:587`, `2a00:1450:400c:c07::6c:587`, `[::1]:25` -> address and port. */
function splitAddress(s: string | undefined): { address: string | null; port: number | null } {
  if (!s) return { address: null, port: null };
  const m = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})[,.;)\]'"]*$/.exec(s);
  if (!m?.[1] || !m[2]) return { address: s.replace(/[,.;)\]'"]+$/, '') || null, port: null };
  return { address: m[1], port: Number(m[2]) };
}

// ---------------------------------------------------------------------------------------------
// Python timeouts: where in the dialogue, from the frames

const SMTP_COMMANDS = new Set(['ehlo', 'helo', 'ehlo_or_helo_if_needed', 'login', 'auth', 'sendmail', 'send_message', 'mail', 'rcpt', 'data', 'docmd', 'noop', 'quit', 'rset']);

function pythonTimeout(tb: Traceback | null, fns: ReadonlySet<string>, bare: Hit): Hit {
  const all = tb?.fns.length ? tb.fns : [...fns];
  if (all.length === 0) return bare;
  const last = all[all.length - 1];
  const lastCode = tb?.code[tb.code.length - 1] ?? '';
  if (last === 'create_connection' || /\bsock\.connect\(|\.connect\(sa\)/.test(lastCode)) return { outcome: 'connect_timeout', confidence: 'high' };
  if (all.some((f) => f === 'starttls' || f === 'do_handshake' || f === 'wrap_socket')) return { outcome: 'timeout', confidence: 'high', note: 'tls-handshake-timeout' };
  if (all.includes('connect') && all.includes('getreply') && !all.some((f) => SMTP_COMMANDS.has(f))) return { outcome: 'greeting_timeout', confidence: 'high'};
  if (all.some((f) => SMTP_COMMANDS.has(f))) return { outcome: 'timeout', confidence: 'high', note: 'command-timeout' };
  if (all.some((f) => ['getreply', 'readline', 'readinto', 'recv', 'recv_into', 'send', 'sendall', 'read'].includes(f))) return { outcome: 'timeout', confidence: 'medium', note: 'read-timeout' };
  if (all.includes('create_connection') || all.includes('_get_socket')) return { outcome: 'connect_timeout', confidence: 'high' };
  return bare;
}

// ---------------------------------------------------------------------------------------------
// Server replies: `535 5.7.8 ...`, `(534, b'5.7.9 ...')`, `Invalid login: 534-5.7.9`

/** The auth failure a reply text names, as a note. */
function authNote(text: string): NoteId | undefined {
  if (/Authentication Credentials Invalid/i.test(text)) return 'ses-credentials';
  if (/Application-specific password required|InvalidSecondFactor|\b5\.7\.9\b/i.test(text)) return 'gmail-app-password';
  if (/BadCredentials|Username and Password not accepted/i.test(text)) return 'gmail-bad-credentials';
  if (/5\.7\.14|log in via your web browser|ContinueSignIn/i.test(text)) return 'gmail-web-login';
  if (/SmtpClientAuthentication is disabled|basic authentication is disabled|5\.7\.139|\b5\.7\.3 Authentication unsuccessful|Authentication unsuccessful/i.test(text)) return 'ms365-smtp-auth-disabled';
  if (/Authentication Required|not authenticated|\b530[ -]5\.7\.0\b|5\.7\.57|5\.5\.1 Authentication/i.test(text)) return 'login-required';
  return undefined;
}

function replyHit(code: number, text: string): Hit {
  if (code === 534 || code === 535 || (code === 530 && /authenticat/i.test(text))) return { outcome: 'auth_failed', note: authNote(text) };
  if (code === 530 || /\b5\.7\.0 Authentication/i.test(text)) return { outcome: 'auth_failed', note: 'login-required' };
  if (/spamhaus|blocked using|blocklist|blacklist|\bRBL\b|reputation/i.test(text)) return { outcome: 'smtp_rejected', note: 'ip-blocklist' };
  if (/not verified/i.test(text)) return { outcome: 'smtp_rejected', note: 'ses-not-verified' };
  return { outcome: 'smtp_rejected' };
}

function tlsReason(text: string): { tlsReason: TlsErrorReason; note?: NoteId } {
  // MailKit lists every possible reason in its message: that names none of them.
  if (/following reasons:?\s*1\. The server is using a self-signed/.test(text)) return { tlsReason: 'handshake' };
  if (/Hostname mismatch|does not match certificate|not valid for|ALTNAME|IP address mismatch|host name did not match|doesn't match any of the subject alternative names|No subject alternative/i.test(text)) return { tlsReason: 'hostname_mismatch', note: 'hostname-mismatch' };
  if (/expired|CERT_HAS_EXPIRED/i.test(text)) return { tlsReason: 'cert_expired' };
  if (/self[- ]signed|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN/i.test(text)) return { tlsReason: 'self_signed', note: 'self-signed' };
  if (/unable to get local issuer|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERTIFICATE_VERIFY_FAILED|PKIX path|unable to find valid certification path|could not be validated|RemoteCertificateValidationCallback|certificate verify failed|x509: certificate signed by unknown authority|unable to get certificate CRL/i.test(text)) return { tlsReason: 'untrusted', note: 'untrusted' };
  return { tlsReason: 'handshake' };
}

const tlsFailed = (_m: RegExpExecArray, ctx: RuleContext): Hit => ({ outcome: 'tls_failed', ...tlsReason(ctx.eventText) });

// ---------------------------------------------------------------------------------------------
// The rules

export const RULES: readonly Rule[] = [
  // --- Settings the client refuses before it connects
  {
    id: 'django-tls-ssl-exclusive',
    source: 'python',
    re: /EMAIL_USE_TLS\/EMAIL_USE_SSL are mutually exclusive/,
    hit: is('settings_conflict'),
  },

  // --- Replies that name the failure, whatever exception carries them
  {
    id: 'reply-timeout',
    source: 'smtp',
    re: /\b4\.4\.[12]\b[^\n]*?(?:timeout|timed out)/i,
    hit: is('timeout', { note: 'reply-timeout' }),
  },
  {
    id: 'starttls-required',
    source: 'smtp',
    re: /Must issue a STARTTLS command first|STARTTLS is required to send mail|STARTTLS is required but host does not support STARTTLS|must issue a STARTTLS/i,
    hit: (m) => ({ outcome: 'starttls_unavailable', note: /but host does not support/i.test(m[0]) ? 'starttls-not-offered' : 'starttls-required' }),
  },
  {
    id: 'starttls-not-offered',
    source: null,
    re: /STARTTLS extension not supported by server|Server does not support secure connections|does not support the STARTTLS extension|EHLO failed but HELO does not support required STARTTLS|Error upgrading connection with STARTTLS/,
    hit: is('starttls_unavailable', { note: 'starttls-not-offered' }),
  },
  {
    id: 'go-unencrypted-auth',
    source: 'go',
    re: /unencrypted connection/,
    hit: is('starttls_unavailable', { note: 'unencrypted-auth' }),
  },
  {
    id: 'reply-service-not-active',
    source: 'smtp',
    re: /\b421\b[: -]+4\.\d\.\d|\b4\.3\.2 Service not active/,
    hit: is('smtp_rejected'),
  },

  // --- TLS mode mismatches
  {
    id: 'tls-wrong-version',
    source: null,
    re: /WRONG_VERSION_NUMBER|wrong version number/i,
    hit: (_m, ctx) => ({ outcome: 'tls_mode_mismatch', errno: 'WRONG_VERSION_NUMBER', note: ctx.fns.has('starttls') || /\.starttls\(/.test(ctx.eventText) ? 'wrong-version-in-starttls' : 'wrong-version' }),
  },
  {
    id: 'tls-plaintext-answer',
    source: null,
    re: /Unrecognized SSL message, plaintext connection|unexpected packet format|port 587 is typically reserved for plain-text|trying to connect to a port which does not support SSL|first record does not look like a TLS handshake|\[SSL(?:: RECORD_LAYER_FAILURE)?\] record layer failure|\[SSL: (?:PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNKNOWN_PROTOCOL)\]|packet length too long|ssl3_get_record:http request/i,
    hit: is('tls_mode_mismatch', { note: 'wrong-version' }),
  },

  // --- Certificates and handshakes
  {
    id: 'tls-certificate',
    source: null,
    re: /CERTIFICATE_VERIFY_FAILED|certificate verify failed|SSLCertVerificationError|Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|certificate has expired|CERT_HAS_EXPIRED|self[- ]signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to get local issuer certificate|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|PKIX path (?:building|validation) failed|unable to find valid certification path|certificate could not be validated|RemoteCertificateValidationCallback|host name did not match the name given in the server's SSL certificate|x509: certificate/i,
    hit: tlsFailed,
  },
  {
    id: 'tls-disconnected',
    source: 'node',
    re: /Client network socket disconnected before secure TLS connection was established/,
    hit: is('tls_failed', { tlsReason: 'handshake', note: 'tls-disconnected' }),
  },
  {
    id: 'tls-handshake-timeout',
    source: null,
    re: /handshake operation timed out|TLS handshake timed out|'UPGRADE_TIMEOUT'/i,
    hit: is('timeout', { note: 'tls-handshake-timeout' }),
  },
  {
    id: 'tls-read-timeout',
    source: 'python',
    re: /The (?:read|write) operation timed out/,
    hit: is('timeout', { note: 'read-timeout' }),
  },
  {
    id: 'tls-handshake-failed',
    source: null,
    re: /\bSSLEOFError\b|UNEXPECTED_EOF_WHILE_READING|unexpected eof while reading|EOF occurred in violation of protocol|\bSSLZeroReturnError\b|sslv3 alert handshake failure|tlsv1 alert (?:protocol version|internal error)|unsupported protocol|no protocols available|dh key too small|unsafe legacy renegotiation|wrong signature type|SslHandshakeException|error occurred while attempting to establish an SSL or TLS connection|Could not convert socket to TLS|SSLHandshakeException|Error initiating TLS|\bssl\.SSLError\b|^SSLError: |\[SSL: [A-Z_]+\]|ERR_SSL_\w+|OpenSSL::SSL::SSLError|tls: (?:handshake failure|protocol version)/i,
    hit: tlsFailed,
  },

  // --- Logins
  {
    id: 'auth-unavailable',
    source: null,
    re: /SMTP AUTH extension not supported by server|AUTH (?:command|extension) not (?:supported|available)|No (?:supported )?authentication mechanisms? (?:available|supported)/i,
    hit: (_m, ctx) => ({ outcome: 'auth_unavailable', note: ctx.endpoints.some((e) => e.port === 587) || /gmail|office365|outlook/i.test(ctx.eventText) ? 'auth-before-starttls' : undefined }),
  },
  {
    id: 'nodemailer-missing-credentials',
    source: 'node',
    re: /Missing credentials for "[A-Z0-9-]+"/,
    hit: is('auth_failed', { note: 'missing-credentials', errno: 'EAUTH' }),
  },
  {
    id: 'auth-exception',
    source: null,
    re: /\b(?:SMTPAuthenticationError|Net::SMTPAuthenticationError|AuthenticationFailedException|MailAuthenticationException|LoginBadCredentialsException|AuthenticationInvalidCredentials|Invalid login|EAUTH|Authentication (?:failed|unsuccessful|Required)|authentication error|Mail Error on Auth|535 AUTH failed|Could not authenticate|Username and Password not accepted|Application-specific password required|client (?:was|is) not authenticated)\b/i,
    hit: (_m, ctx) => ({ outcome: 'auth_failed', note: authNote(ctx.eventText), errno: /EAUTH|Invalid login/.test(ctx.eventText) ? 'EAUTH' : undefined }),
  },

  // --- Refusals by the server
  {
    id: 'reply-blocked',
    source: 'smtp',
    re: /blocked using [\w.]*spamhaus|blocked using \S+|short response: .*\bblocked\b|This IP \[[^\]]*\] is blocked/i,
    hit: is('smtp_rejected', { note: 'ip-blocklist' }),
  },
  {
    id: 'nodemailer-rejected',
    source: 'node',
    re: /Invalid greeting|Server terminates connection|all recipients were rejected|Message failed|Data command failed|'EENVELOPE'|'EMESSAGE'|\bEENVELOPE\b|Can't send mail - /,
    hit: (_m, ctx) => replyHit(Number(/\b([45]\d\d)\b/.exec(ctx.eventText)?.[1] ?? 554), ctx.eventText),
  },
  {
    id: 'python-smtp-refused',
    source: 'python',
    re: /\b(SMTPSenderRefused|SMTPRecipientsRefused|SMTPDataError|SMTPConnectError|SMTPHeloError|SMTPResponseException)\b(.*)/,
    hit: (m, ctx) => {
      if (/Unexpected EOF received/.test(m[2] ?? '')) return { outcome: 'connection_reset', note: 'eof-from-server' };
      if (m[1] === 'SMTPConnectError' && !/\(\s*\d{3}/.test(m[2] ?? '')) return { outcome: 'connection_reset', confidence: 'medium' };
      const code = Number(/\(\s*(\d{3})/.exec(m[2] ?? '')?.[1] ?? 554);
      return replyHit(code, ctx.eventText);
    },
  },
  {
    id: 'java-send-failed',
    source: 'java',
    re: /SMTPSendFailedException|SMTPAddressFailedException|SendFailedException: Invalid Addresses/,
    hit: (_m, ctx) => replyHit(Number(/\b([45]\d\d)[ -]\d\.\d/.exec(ctx.eventText)?.[1] ?? 554), ctx.eventText),
  },

  // --- DNS: the name did not resolve, or the DNS server failed
  {
    id: 'node-syscall',
    source: 'node',
    re: new RegExp(`\\b(connect|read|write|getaddrinfo|query(?:A|AAAA|Mx|Srv|Any)?|lookup|resolve\\w*)\\s+(E[A-Z_]+)\\b(?:\\s+(\\S+))?`),
    hit: (m, ctx) => {
      const syscall = m[1] ?? '';
      const name = m[2] ?? '';
      if (syscall !== 'connect' && syscall !== 'read' && syscall !== 'write') {
        return { outcome: 'dns_failed', errno: name, note: /^(?:ECONNREFUSED|EREFUSED|ETIMEOUT|ESERVFAIL|EAI_AGAIN|EAI_FAIL)$/.test(name) ? 'dns-server' : undefined };
      }
      const { address, port } = splitAddress(m[3]);
      if (syscall === 'read' && name === 'ETIMEDOUT') return { outcome: 'timeout', errno: name, note: 'read-timeout', address, port };
      return sysHit(name, ctx, m[0], address, port);
    },
  },
  {
    id: 'dns-failed',
    source: null,
    re: /\bgaierror\b|Name or service not known|nodename nor servname provided|getaddrinfo failed|Temporary failure in name resolution|No address associated with hostname|Name does not resolve|No such host is known|The remote name could not be resolved|php_network_getaddresses|UnknownHostException|\blookup \S+(?: on \S+)?: no such host|server misbehaving|\bENOTFOUND\b|\bEAI_(?:AGAIN|FAIL|NONAME|NODATA)\b|Could not resolve host|getaddrinfo: /,
    hit: (m) => ({ outcome: 'dns_failed', note: /Temporary failure|EAI_AGAIN|EAI_FAIL|server misbehaving/.test(m[0]) ? 'dns-server' : undefined }),
  },
  {
    id: 'nodemailer-edns',
    source: 'node',
    re: /\bcode:\s*'EDNS'|"code"\s*:\s*"EDNS"|\bEDNS\b/,
    hit: (_m, ctx) => ({ outcome: 'dns_failed', errno: 'EDNS', note: /errno:\s*'?(?:ECONNREFUSED|EREFUSED|ETIMEOUT|ESERVFAIL)|query\w*\s+E(?:CONNREFUSED|REFUSED|TIMEOUT)/.test(ctx.eventText) ? 'dns-server' : undefined }),
  },

  // --- Timeouts that say which step
  {
    id: 'dotnet-read-timeout',
    source: 'dotnet',
    re: /Unable to read data from the transport connection: A connection attempt failed|TimeoutException: Operation timed out after|The operation has timed out/,
    hit: (m, ctx) => (/operation has timed out/.test(m[0]) && ctx.endpoints.some((e) => e.port === 465) ? { outcome: 'tls_mode_mismatch', note: 'smtpclient-465' } : { outcome: 'timeout', note: 'read-timeout', confidence: /operation has timed out/.test(m[0]) ? 'medium' : 'high' }),
  },
  {
    id: 'dotnet-connection-closed',
    source: 'dotnet',
    re: /net_io_connectionclosed|transport connection: The connection was closed/,
    hit: is('connection_reset', { note: 'eof-from-server' }),
  },
  {
    id: 'python-disconnected',
    source: 'python',
    re: /\bSMTPServerDisconnected\b[^:]*:?\s*(.*)|Connection unexpectedly closed(?::\s*(.*))?/,
    hit: (m, ctx) => {
      const msg = m[1] ?? m[2] ?? '';
      if (/timed out/i.test(msg)) return pythonTimeout(ctx.traceback, ctx.fns, { outcome: 'timeout', confidence: 'medium', note: 'read-timeout' });
      const errno = /\[Errno (\d+)\]/.exec(msg);
      if (errno) return sysHit(ERRNO[Number(errno[1])] ?? '', ctx, msg);
      if (/please run connect\(\) first/i.test(msg)) return { outcome: 'connection_reset', confidence: 'medium', note: 'disconnected-after-failure' };
      return { outcome: 'connection_reset', confidence: 'medium', note: 'eof-from-server' };
    },
  },
  {
    id: 'gunicorn-worker-abort',
    source: 'python',
    re: /^SystemExit: 1\s*$/,
    hit: (_m, ctx) => {
      const fns = ctx.traceback?.fns ?? [];
      const files = ctx.traceback?.files ?? [];
      if (!fns.includes('handle_abort')) return null;
      const mail = files.some((f) => /smtplib|[\\/]core[\\/]mail[\\/]/.test(f));
      if (!mail && !fns.includes('create_connection')) return null;
      const before = fns.slice(0, fns.indexOf('handle_abort'));
      const placed = pythonTimeout({ files, fns: before, code: [] }, new Set(before), { outcome: 'connect_timeout', confidence: 'medium' });
      return { ...placed, note: placed.outcome === 'connect_timeout' ? 'worker-timeout' : placed.note };
    },
  },
  {
    id: 'python-timeout',
    source: 'python',
    // Python's own spellings only: a JS `TimeoutError` (AbortSignal.timeout) is another thing.
    re: /^(?:builtins\.)?TimeoutError(?::\s*(?:timed out)?)?\s*$|^socket\.timeout(?::.*)?$|\b(?:socket\.timeout|TimeoutError|timeout): timed out\b|\btimeout\('timed out'\)/,
    hit: (_m, ctx) => pythonTimeout(ctx.traceback, ctx.fns, { outcome: 'connect_timeout', confidence: 'medium' }),
  },
  {
    id: 'ruby-open-timeout',
    source: 'ruby',
    re: /Net::OpenTimeout|Timeout::Error: execution expired/,
    hit: (_m, ctx) => (/ssl_socket_connect|SSLSocket|connect_nonblock.*ssl/.test(ctx.eventText) ? { outcome: 'timeout', note: 'tls-handshake-timeout' } : { outcome: 'connect_timeout', confidence: /TCPSocket|tcp_socket|smtp\.rb:5[34]\d/.test(ctx.eventText) ? 'high' : 'medium' }),
  },
  {
    id: 'ruby-read-timeout',
    source: 'ruby',
    re: /Net::ReadTimeout|Net::WriteTimeout/,
    hit: is('timeout', { note: 'command-timeout' }),
  },
  {
    id: 'java-socket-timeout',
    source: 'java',
    re: /SocketTimeoutException: (?:connect timed out|Connect timed out)|SocketTimeoutException: Read timed out|Could not connect to SMTP host: [^,]+, port: \d+, response: -1/,
    hit: (m) => (/Read timed out/.test(m[0]) ? { outcome: 'timeout', note: 'read-timeout' } : /response: -1/.test(m[0]) ? { outcome: 'greeting_timeout'} : { outcome: 'connect_timeout' }),
  },
  {
    id: 'go-io-timeout',
    source: 'go',
    re: /\bdial tcp[46]?(?: (\S+?))?: i\/o timeout|\bread tcp \S+: i\/o timeout|SMTP Connection timed out/,
    hit: (m) => {
      if (/^read/.test(m[0])) return { outcome: 'timeout', note: 'read-timeout' };
      const { address, port } = splitAddress(m[1]);
      return { outcome: 'connect_timeout', errno: 'ETIMEDOUT', address, port };
    },
  },
  {
    id: 'nodemailer-greeting',
    source: 'node',
    re: /Greeting never received|'GREETING_TIMEOUT'/,
    hit: (_m, ctx) => (ctx.endpoints.some((e) => e.port === 465) ? { outcome: 'tls_mode_mismatch', note: 'plaintext-on-465', errno: 'ETIMEDOUT' } : { outcome: 'greeting_timeout', errno: 'ETIMEDOUT'}),
  },
  {
    id: 'nodemailer-connection-timeout',
    source: 'node',
    re: /\bError: Connection timeout\b|\[Error: Connection timeout\]|'CONNECT_TIMEOUT'|^Connection timeout$|timedout while connecting to smtp server/,
    hit: is('connect_timeout', { errno: 'ETIMEDOUT' }),
  },
  {
    id: 'nodemailer-socket-timeout',
    source: 'node',
    re: /^\s*\{?\s*\[?Error: Timeout(?:\]|\s*\{|\s*$)|'SOCKET_TIMEOUT'/,
    hit: is('timeout', { errno: 'ETIMEDOUT', note: 'command-timeout' }),
  },

  // --- Connection failures, per stack
  {
    id: 'python-errno',
    source: 'python',
    // `[Errno 101] Network is unreachable`, `[WinError 10060] A connection attempt failed...`,
    // repr() forms `OSError(101, 'Network is unreachable')` and Python 2's `error: (111, 'Connection refused')`.
    re: /\[(?:Errno|WinError) (-?\d+)\]\s*([^\n'"]*)|\b\w*Error\((\d+), '([^']*)'|\berror: \((\d+), '([^']*)'\)/,
    hit: (m, ctx) => {
      const n = Number(m[1] ?? m[3] ?? m[5]);
      const text = m[2] ?? m[4] ?? m[6] ?? '';
      const name = ERRNO[n] ?? sysByText(text);
      if (!name) return null;
      const h = sysHit(name, ctx, m[0]);
      return h ? { ...h, errno: `Errno ${n} (${name})` } : null;
    },
  },
  {
    id: 'php-socket',
    source: 'php',
    // PHPMailer `Failed to connect to server: Connection timed out (110)`, Swift `[Connection refused #111]`,
    // Symfony `stream_socket_client(): Unable to connect to ssl://host:465 (Connection timed out)`.
    re: /Failed to connect to server: ([^(\n]+?)\s*(?:\((\d+)\)|$)|\[([^\]#]+?) #(\d+)\]|stream_socket_client\(\): [Uu]nable to connect to (\S+) \(([^)]+)\)/,
    hit: (m, ctx) => {
      const text = m[1] ?? m[3] ?? m[6] ?? '';
      const n = Number(m[2] ?? m[4] ?? NaN);
      const name = ERRNO[n] ?? sysByText(text);
      if (!name) return null;
      const target = m[5] ? splitAddress(m[5].replace(/^\w+:\/\//, '')) : { address: null, port: null };
      return sysHit(name, ctx, m[0], target.address, target.port);
    },
  },
  {
    id: 'php-no-connection',
    source: 'php',
    // Symfony Mailer / Swift Mailer: the socket message may be cut over lines ("Unable to connect t / o host").
    re: /Connection could not be established with host/,
    hit: (_m, ctx) => {
      const name = sysByText(ctx.eventText);
      return name ? sysHit(name, ctx, ctx.eventText) : null;
    },
  },
  {
    id: 'ruby-errno',
    source: 'ruby',
    re: /Errno::(E[A-Z]+)|\b(Connection refused|Connection timed out|Network is unreachable|No route to host|Connection reset by peer) - connect\(2\)/,
    hit: (m, ctx) => sysHit(m[1] ?? sysByText(m[2] ?? '') ?? '', ctx, ctx.eventText),
  },
  {
    id: 'go-dial',
    source: 'go',
    re: /\bdial tcp[46]? (\S*?):? (?:(?:connect|getsockopt|connectex): )?([A-Za-z][^\n:]*?)\.?(?:$|\s+exit status)|\b(?:read|write) tcp \S+: (?:read|write): (connection reset by peer|broken pipe)/,
    hit: (m, ctx) => {
      const name = sysByText(m[2] ?? m[3] ?? '');
      if (!name) return null;
      const { address, port } = splitAddress(m[1]);
      return sysHit(name, ctx, m[0], address, port);
    },
  },
  {
    id: 'java-connect',
    source: 'java',
    re: /(?:ConnectException|NoRouteToHostException|SocketException): ([^\n.;]+)|isConnected failed: (E[A-Z]+)/,
    hit: (m, ctx) => {
      const name = m[2] ?? sysByText(m[1] ?? '');
      if (!name) return null;
      const v6 = /\/([0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}) \(port (\d+)\)/i.exec(m[0]);
      return sysHit(name, ctx, m[0], v6?.[1] ?? null, v6?.[2] ? Number(v6[2]) : null);
    },
  },
  {
    id: 'socket-text',
    source: null,
    // Windows socket messages as .NET, PHP, Python and Deno print them, and errno names anywhere.
    re: new RegExp(`connected party did not properly respond|actively refused|forcibly closed by the remote host|socket operation was attempted to an unreachable (?:network|host)|established connection was aborted by the software|\\b(${SYS_NAMES})\\b(?:\\s+(\\S+:\\d+))?`),
    hit: (m, ctx) => {
      const name = m[1] ?? sysByText(m[0]);
      if (!name) return null;
      const { address, port } = splitAddress(m[2]);
      const h = sysHit(name, ctx, m[0], address, port);
      // A bare errno name with nothing around it: medium, its context could change it.
      return h && m[1] && !m[2] ? { ...h, confidence: 'medium' } : h;
    },
  },
  {
    id: 'node-errno-number',
    source: 'node',
    re: /^\s*['"]?errno['"]?\s*:\s*(-\d+),?\s*$/,
    hit: (m, ctx) => sysHit(NODE_ERRNO[Number(m[1])] ?? '', ctx, m[0]),
  },

  // --- Wrappers: mail errors that do not say which failure (counted, never guessed)
  {
    id: 'java-mail-connect',
    source: 'java',
    re: /MailConnectException: Couldn't connect to host|Could not connect to SMTP host|Mail server connection failed/,
    hit: is('connect_timeout', { confidence: 'medium' }),
  },
  {
    id: 'bare-reply',
    source: 'smtp',
    // A reply line: `535 5.7.8 Error: authentication failed`, `(534, b'5.7.9 ...')`, `Got: 535 ...`.
    re: /(?:^|[\s(:,'"`]|\\n)([45]\d\d)(?:[ -]|, b?['"])([245]\.\d{1,3}\.\d{1,3})\b|^\s*([245]\.\d\.\d{1,3}) [A-Z]|(?:^|\s)(535|534) [A-Z]/,
    hit: (m, ctx) => replyHit(Number(m[1] ?? m[4] ?? (m[3]?.startsWith('5.7') ? 535 : 554)), ctx.eventText),
  },
  {
    id: 'nodemailer-connection-closed',
    source: 'node',
    re: /Connection closed unexpectedly|Server closed the connection/,
    hit: is('connection_reset', { errno: 'ECONNECTION', note: 'eof-from-server' }),
  },
  {
    id: 'nodemailer-generic-code',
    source: 'node',
    re: /\b(ESOCKET|ECONNECTION|ETLS)\b/,
    hit: (m) => ({ outcome: null, errno: m[1], note: 'undetermined-socket' }),
  },
  {
    id: 'mail-wrapper',
    source: null,
    re: /Failure sending mail|SMTP connect\(\) failed|Unable to connect to the remote server|Mail Error:|MailException: Failed to connect/,
    hit: is(null, { note: 'wrapper-only' }),
  },
];

/**
 * Cheap tests before the rules: a line with none of these words cannot match any rule (each rule
 * needs at least one of them). Errno names are matched case-sensitively (ESOCKET, ENOTFOUND).
 */
const CANDIDATE_WORDS = /exclusive|secure|(?<![\d.])[245]\.\d{1,3}\.\d|tls|ssl|unencrypted|version|packet|plain-text|certif|pkix|x509|self|handshake|eof|alert|protocol|dh key|renegotiation|signature|operation|auth|login|credential|password|blocked|greeting|terminates|reject|fail|send mail|smtp|errno|error|name|getaddrinfo|no address|no such host|resolve|misbehaving|transport|timeout|timed ?out|disconnect|closed|systemexit|could not|couldn't|unable|stream_socket|#\d+\]|established|connect\(2\)|tcp|exception|respond|refused|unreachable|abort|53[45]/i;
const CANDIDATE_ERRNO = /\bE[A-Z_]{3,}/;

export function isCandidate(line: string): boolean {
  return CANDIDATE_WORDS.test(line) || CANDIDATE_ERRNO.test(line);
}
