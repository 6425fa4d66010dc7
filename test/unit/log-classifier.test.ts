// The log classifier on log excerpts as the programs print them: a Django traceback from a
// Render service, smtplib and ssl exceptions (the greeting-timeout chain is verbatim Python
// 3.11 output), nodemailer errors as console.log / util.inspect prints them (captured from
// nodemailer against real servers), Node errno lines; every pattern the issue lists, and noise
// that must stay unrecognised.
import { describe, expect, it } from 'vitest';
import { classifyLogs, PATTERNS, stripLogPrefixes } from '../../lib/logs/classify.ts';
import { LogsReport } from '../../lib/model/logs-report.ts';
import { renderLogsText } from '../../lib/render/logs-text.ts';
import { handleClassifyLogs, MAX_LOGS_BODY_BYTES } from '../../lib/http/classify-logs.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { runCli } from '../helpers/cli.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Each line as Render's log stream shows it: an ISO timestamp, a space, the program's text. */
const onRender = (lines: string[], start = Date.parse('2026-11-20T10:00:00.000Z')) => lines.map((l, i) => `${new Date(start + i).toISOString()} ${l}`).join('\n');

const classify = (text: string) => LogsReport.parse(classifyLogs(text));
/** The outcome of the one recognised line of a one-line log (or null when nothing matched). */
const one = (line: string) => {
  const r = classify(line);
  expect(r.matches.length, `"${line}" should match once`).toBeLessThanOrEqual(1);
  return r.matches[0] ?? null;
};

const SITE = '/opt/render/project/src/.venv/lib/python3.12/site-packages';
const PY = '/opt/render/project/python/Python-3.12.7/lib/python3.12';

const DJANGO_ERRNO_101 = [
  '==> Deploying...',
  "==> Running 'gunicorn mysite.wsgi:application'",
  '[2026-11-20 10:00:00 +0000] [57] [INFO] Starting gunicorn 23.0.0',
  '[2026-11-20 10:00:00 +0000] [57] [INFO] Listening at: http://0.0.0.0:10000 (57)',
  '[2026-11-20 10:00:00 +0000] [58] [INFO] Booting worker with pid: 58',
  '==> Your service is live 🎉',
  'Internal Server Error: /contact/',
  'Traceback (most recent call last):',
  `  File "${SITE}/django/core/handlers/exception.py", line 55, in inner`,
  '    response = get_response(request)',
  '               ^^^^^^^^^^^^^^^^^^^^^',
  `  File "${SITE}/django/core/handlers/base.py", line 197, in _get_response`,
  '    response = wrapped_callback(request, *callback_args, **callback_kwargs)',
  '               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/render/project/src/contact/views.py", line 21, in contact',
  '    send_mail(',
  `  File "${SITE}/django/core/mail/__init__.py", line 88, in send_mail`,
  '    return mail.send()',
  '           ^^^^^^^^^^^',
  `  File "${SITE}/django/core/mail/message.py", line 301, in send`,
  '    return self.get_connection(fail_silently).send_messages([self])',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${SITE}/django/core/mail/backends/smtp.py", line 128, in send_messages`,
  '    new_conn_created = self.open()',
  '                       ^^^^^^^^^^^',
  `  File "${SITE}/django/core/mail/backends/smtp.py", line 86, in open`,
  '    self.connection = self.connection_class(',
  '                      ^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/smtplib.py", line 255, in __init__`,
  '    (code, msg) = self.connect(host, port)',
  '                  ^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/smtplib.py", line 341, in connect`,
  '    self.sock = self._get_socket(host, port, self.timeout)',
  '                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/smtplib.py", line 312, in _get_socket`,
  '    return socket.create_connection((host, port), timeout,',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/socket.py", line 865, in create_connection`,
  '    raise exceptions[0]',
  `  File "${PY}/socket.py", line 850, in create_connection`,
  '    sock.connect(sa)',
  'OSError: [Errno 101] Network is unreachable',
  '127.0.0.1 - - [20/Nov/2026:10:00:31 +0000] "POST /contact/ HTTP/1.1" 500 145 "https://mysite.onrender.com/contact/" "Mozilla/5.0 (X11; Linux x86_64)"',
];

// Verbatim Python 3.11 output of smtplib.SMTP(host, port, timeout=0.3) against a server that
// accepts and never speaks (paths shortened to a Render layout).
const PY_GREETING_TIMEOUT_CHAIN = [
  'Traceback (most recent call last):',
  `  File "${PY}/smtplib.py", line 398, in getreply`,
  '    line = self.file.readline(_MAXLINE + 1)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/socket.py", line 706, in readinto`,
  '    return self._sock.recv_into(b)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^',
  'TimeoutError: timed out',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  `  File "${SITE}/django/core/mail/backends/smtp.py", line 86, in open`,
  '    self.connection = self.connection_class(',
  `  File "${PY}/smtplib.py", line 255, in __init__`,
  '    (code, msg) = self.connect(host, port)',
  '                  ^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PY}/smtplib.py", line 343, in connect`,
  '    (code, msg) = self.getreply()',
  '                  ^^^^^^^^^^^^^^^',
  `  File "${PY}/smtplib.py", line 401, in getreply`,
  '    raise SMTPServerDisconnected("Connection unexpectedly closed: "',
  'smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out',
];

const pyTraceback = (frames: [string, string, string][], exception: string) => [
  'Traceback (most recent call last):',
  ...frames.flatMap(([file, fn, code]) => [`  File "${file}", line 1, in ${fn}`, `    ${code}`]),
  exception,
];
const SMTP_CONNECT_FRAMES: [string, string, string][] = [
  [`${SITE}/django/core/mail/backends/smtp.py`, 'open', 'self.connection = self.connection_class('],
  [`${PY}/smtplib.py`, '__init__', '(code, msg) = self.connect(host, port)'],
  [`${PY}/smtplib.py`, 'connect', 'self.sock = self._get_socket(host, port, self.timeout)'],
  [`${PY}/smtplib.py`, '_get_socket', 'return socket.create_connection((host, port), timeout,'],
  [`${PY}/socket.py`, 'create_connection', 'sock.connect(sa)'],
];

// nodemailer errors printed with console.log(err), captured from nodemailer 10 against real
// servers (stack lines kept as Node prints them).
const NM = '/opt/render/project/src/node_modules/nodemailer/lib/smtp-connection/index.js';
const NODEMAILER_REFUSED = [
  'Error: connect ECONNREFUSED 203.0.113.10:587',
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {',
  '  errno: -111,',
  "  code: 'ESOCKET',",
  "  syscall: 'connect',",
  "  address: '203.0.113.10',",
  '  port: 587,',
  "  originalCode: 'ECONNREFUSED',",
  "  command: 'CONN'",
  '}',
];
const NODEMAILER_GREETING = [
  'Error: Greeting never received',
  `    at SMTPConnection._formatError (${NM}:798:19)`,
  `    at SMTPConnection._onError (${NM}:784:20)`,
  `    at Timeout.<anonymous> (${NM}:398:18)`,
  '    at listOnTimeout (node:internal/timers:581:17)',
  '    at process.processTimers (node:internal/timers:519:7) {',
  "  timeoutType: 'GREETING_TIMEOUT',",
  "  code: 'ETIMEDOUT',",
  "  command: 'CONN'",
  '}',
];
const NODEMAILER_CONNECTION_TIMEOUT = [
  'Error: Connection timeout',
  `    at SMTPConnection._formatError (${NM}:798:19)`,
  `    at SMTPConnection._onError (${NM}:784:20)`,
  `    at Timeout.<anonymous> (${NM}:237:22)`,
  '    at listOnTimeout (node:internal/timers:581:17)',
  '    at process.processTimers (node:internal/timers:519:7) {',
  "  code: 'ETIMEDOUT',",
  "  command: 'CONN'",
  '}',
];
const NODEMAILER_WRONG_VERSION = [
  '[Error: 80EC2C456B7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:',
  '] {',
  "  library: 'SSL routines',",
  "  reason: 'wrong version number',",
  "  code: 'ESOCKET',",
  "  originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER',",
  "  command: 'CONN'",
  '}',
];
const NODEMAILER_AUTH = [
  "Error: Invalid login: 535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8  https://support.google.com/mail/?p=BadCredentials",
  `    at SMTPConnection._formatError (${NM}:798:19)`,
  `    at SMTPConnection._actionAUTHComplete (${NM}:1577:34)`,
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {',
  "  code: 'EAUTH',",
  "  response: '535-5.7.8 Username and Password not accepted. For more information, go to\\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials',",
  '  responseCode: 535,',
  "  command: 'AUTH PLAIN'",
  '}',
];
const NODEMAILER_IPV6 = [
  'Error: connect ENETUNREACH 2a00:1450:400c:c07::6c:587 - Local (:::0)',
  '    at internalConnect (node:net:1096:16)',
  '    at defaultTriggerAsyncIdScope (node:internal/async_hooks:464:18)',
  '    at node:net:1281:9',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:77:11) {',
  '  errno: -101,',
  "  code: 'ESOCKET',",
  "  syscall: 'connect',",
  "  address: '2a00:1450:400c:c07::6c',",
  '  port: 587,',
  "  command: 'CONN'",
  '}',
];

describe('Render log prefixes', () => {
  it.each([
    ['2026-11-20T10:00:00.000Z OSError: boom', 'OSError: boom', false],
    ['2026-11-20T10:00:00.123456+00:00   File "x.py", line 1', '  File "x.py", line 1', false],
    ['==> Deploying...', 'Deploying...', true],
    ['Nov 20 10:00:00 AM  Traceback (most recent call last):', ' Traceback (most recent call last):', false],
    ['<134>1 2026-11-20T10:00:00.000Z srv-d1abc2def3ghi4 web 7 - - Error: Greeting never received', 'Error: Greeting never received', true],
    ['[2026-11-20 10:00:00,123] ERROR Send Error: Greeting never received', 'ERROR Send Error: Greeting never received', false],
    ['\u001b[31mError: read ECONNRESET\u001b[39m', 'Error: read ECONNRESET', false],
  ])('%j -> %j', (raw, text, render) => {
    const s = stripLogPrefixes(raw);
    expect(s.text).toBe(text);
    expect(s.render).toBe(render);
  });
});

describe('a Django traceback as Render shows it', () => {
  const report = classify(onRender(DJANGO_ERRNO_101));

  it('recognises exactly the exception line: network_unreachable, and every other line is counted as unrecognised', () => {
    expect(report.matches).toHaveLength(1);
    expect(report.matches[0]).toMatchObject({
      line: DJANGO_ERRNO_101.indexOf('OSError: [Errno 101] Network is unreachable') + 1,
      text: 'OSError: [Errno 101] Network is unreachable',
      pattern: 'python-errno',
      source: 'python',
      outcome: 'network_unreachable',
      confidence: 'high',
      event: 1,
    });
    expect(report.lines).toEqual({ total: DJANGO_ERRNO_101.length, blank: 0, recognised: 1, unrecognised: DJANGO_ERRNO_101.length - 1 });
  });

  it('sees the Render log format and names Render egress policy in the most likely cause', () => {
    expect(report.platformHint).toBe('render');
    expect(report.summary.mostLikely).toMatchObject({ outcome: 'network_unreachable', confidence: 'high', events: 1 });
    expect(report.summary.mostLikely?.cause).toMatch(/Render/);
    expect(report.summary.mostLikely?.fixes.join(' ')).toMatch(/2525/);
    expect(report.summary.mostLikely?.fixes.join(' ')).toMatch(/HTTPS mail API/);
    expect(report.summary.text).toMatch(/^Most likely network_unreachable/);
  });

  it('renders a readable table', () => {
    const text = renderLogsText(report);
    expect(text).toContain('network_unreachable');
    expect(text).toContain('Render log format');
    expect(text).toMatch(/Most likely network_unreachable/);
    expect(text).toContain(`${DJANGO_ERRNO_101.length - 1} lines were not recognised: counted, not classified`);
  });
});

describe('Python: smtplib, ssl and socket exceptions', () => {
  it.each([
    ['OSError: [Errno 101] Network is unreachable', 'network_unreachable', 'python-errno'],
    ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection_refused', 'python-errno'],
    ['TimeoutError: [Errno 110] Connection timed out', 'connect_timeout', 'python-errno'],
    ['OSError: [Errno 113] No route to host', 'host_unreachable', 'python-errno'],
    ['ConnectionResetError: [Errno 104] Connection reset by peer', 'connection_reset', 'python-errno'],
    ['OSError: [Errno 99] Cannot assign requested address', 'network_unreachable', 'python-errno'],
    ['socket.gaierror: [Errno -2] Name or service not known', 'dns_failed', 'python-gaierror'],
    ['socket.gaierror: [Errno -3] Temporary failure in name resolution', 'dns_failed', 'python-gaierror'],
    ['TimeoutError: timed out', 'connect_timeout', 'python-timeout'],
    ['socket.timeout: timed out', 'connect_timeout', 'python-timeout'],
    ['TimeoutError', 'connect_timeout', 'python-timeout'],
    ["TimeoutError: _ssl.c:989: The handshake operation timed out", 'timeout', 'python-timeout'],
    ["smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-7b') ", 'auth_failed', 'python-smtp-auth'],
    ['smtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'connection_reset', 'python-smtp-disconnected'],
    ['smtplib.SMTPServerDisconnected: please run connect() first', 'connection_reset', 'python-smtp-disconnected'],
    ['smtplib.SMTPNotSupportedError: STARTTLS extension not supported by server.', 'starttls_unavailable', 'python-smtp-starttls-unsupported'],
    ['smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.', 'auth_unavailable', 'python-smtp-auth-unsupported'],
    ['ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)', 'tls_mode_mismatch', 'python-ssl-wrong-version'],
    ['ssl.SSLError: [SSL] record layer failure (_ssl.c:1000)', 'tls_mode_mismatch', 'python-ssl-record-layer'],
    ["ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'smtp.example.com'. (_ssl.c:1006)", 'tls_failed', 'python-ssl-cert'],
    ['ssl.SSLEOFError: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)', 'tls_failed', 'python-ssl-eof'],
    ["smtplib.SMTPSenderRefused: (553, b'5.7.1 <noreply@example.com>: Sender address rejected: not owned by user app@example.net', 'noreply@example.com')", 'smtp_rejected', 'python-smtp-sender-refused'],
    ["smtplib.SMTPRecipientsRefused: {'someone@example.org': (550, b'5.1.1 <someone@example.org>: Recipient address rejected: User unknown')}", 'smtp_rejected', 'python-smtp-recipients-refused'],
    ["smtplib.SMTPDataError: (554, b'Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: noreply@example.com')", 'smtp_rejected', 'python-smtp-data-error'],
    ["smtplib.SMTPConnectError: (554, b'5.7.1 Service unavailable; Client host [216.24.57.1] blocked using zen.spamhaus.org')", 'smtp_rejected', 'python-smtp-connect-error'],
  ])('%s -> %s', (line, outcome, pattern) => {
    expect(one(line)).toMatchObject({ outcome, pattern, source: 'python' });
  });

  it('a bare timeout is connect_timeout with medium confidence; with the connect frames above it, high', () => {
    expect(one('TimeoutError: timed out')?.confidence).toBe('medium');
    const r = classify(pyTraceback(SMTP_CONNECT_FRAMES, 'TimeoutError: timed out').join('\n'));
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({ outcome: 'connect_timeout', confidence: 'high' });
  });

  it('the greeting-timeout chain (TimeoutError then SMTPServerDisconnected) is one greeting_timeout error; code lines stay unrecognised', () => {
    const r = classify(onRender(PY_GREETING_TIMEOUT_CHAIN));
    expect(r.matches.map((m) => [m.line, m.outcome, m.event])).toEqual([
      [8, 'timeout', 1],
      [23, 'greeting_timeout', 1],
    ]);
    expect(r.summary.events).toBe(1);
    expect(r.summary.mostLikely).toMatchObject({ outcome: 'greeting_timeout', confidence: 'high', events: 1 });
    // `raise SMTPServerDisconnected("Connection unexpectedly closed: "` is source code in a frame.
    expect(r.matches.some((m) => m.text.startsWith('raise'))).toBe(false);
    expect(r.lines.blank).toBe(2);
  });

  it('a timeout inside STARTTLS or after EHLO is a later-phase timeout', () => {
    const tls = pyTraceback([[`${PY}/smtplib.py`, 'starttls', 'self.sock = context.wrap_socket(self.sock,'], [`${PY}/ssl.py`, 'do_handshake', 'self._sslobj.do_handshake()']], 'TimeoutError: timed out');
    expect(classify(tls.join('\n')).matches[0]).toMatchObject({ outcome: 'timeout', confidence: 'high' });
    const ehlo = pyTraceback([[`${PY}/smtplib.py`, 'ehlo', '(code, msg) = self.getreply()'], [`${PY}/smtplib.py`, 'getreply', 'line = self.file.readline(_MAXLINE + 1)']], 'TimeoutError: timed out');
    expect(classify(ehlo.join('\n')).matches[0]).toMatchObject({ outcome: 'timeout', confidence: 'high' });
  });

  it('reads the reply of an auth failure: SES, Gmail app passwords, Microsoft 365', () => {
    expect(one("smtplib.SMTPAuthenticationError: (535, b'Authentication Credentials Invalid')")?.cause).toMatch(/SES.*derived/);
    expect(one("smtplib.SMTPAuthenticationError: (534, b'5.7.9 Application-specific password required. For more information, go to\\n5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor')")?.cause).toMatch(/app password/);
    expect(one("smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.')")?.cause).toMatch(/Microsoft 365/);
  });

  it('sender refusals that mean STARTTLS or login are named as such', () => {
    expect(one("smtplib.SMTPSenderRefused: (530, b'5.7.0 Must issue a STARTTLS command first. d2e1a72fcca58-7b', 'noreply@example.com')")?.outcome).toBe('tls_mode_mismatch');
    expect(one("smtplib.SMTPSenderRefused: (530, b'5.7.0 Authentication Required.', 'noreply@example.com')")?.outcome).toBe('auth_failed');
  });

  it('certificate failures carry their reason', () => {
    expect(one("ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)")?.tlsReason).toBe('cert_expired');
    expect(one('ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')?.tlsReason).toBe('self_signed');
    expect(one('ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')?.tlsReason).toBe('untrusted');
  });

  it('repr() forms, as Celery prints a failed task, are recognised', () => {
    expect(one("[2026-11-20 10:00:31,002: ERROR/ForkPoolWorker-2] Task contact.tasks.send_contact_mail[5f1c] raised unexpected: OSError(101, 'Network is unreachable')")).toMatchObject({ outcome: 'network_unreachable', pattern: 'python-errno' });
    expect(one("Task raised unexpected: ConnectionRefusedError(111, 'Connection refused')")?.outcome).toBe('connection_refused');
    expect(one("Task raised unexpected: SMTPAuthenticationError(535, b'5.7.8 Username and Password not accepted.')")?.outcome).toBe('auth_failed');
  });

  it('a traceback whose first line was cut off: frames and source lines are still context', () => {
    const r = classify(PY_GREETING_TIMEOUT_CHAIN.slice(12).join('\n'));
    expect(r.matches.map((m) => m.text)).toEqual(['smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out']);
    expect(r.matches[0]).toMatchObject({ outcome: 'greeting_timeout', confidence: 'high' });
  });

  it('an errno inside an application log line is recognised too', () => {
    expect(one('ERROR 2026-11-20 10:00:31,002 views 58 140 Could not send the contact mail: [Errno 101] Network is unreachable')?.outcome).toBe('network_unreachable');
  });
});

describe('nodemailer errors as printed', () => {
  it('ECONNREFUSED (ESOCKET): one error, the property lines belong to it, `code: ESOCKET` takes its outcome', () => {
    const r = classify(NODEMAILER_REFUSED.join('\n'));
    expect(r.summary.events).toBe(1);
    expect(r.matches.map((m) => [m.line, m.outcome, m.pattern])).toEqual([
      [1, 'connection_refused', 'node-syscall-errno'],
      [3, 'connection_refused', 'node-errno-number'],
      [4, 'connection_refused', 'nodemailer-esocket'],
      [8, 'connection_refused', 'node-errno-name'],
    ]);
    expect(r.matches[0]).toMatchObject({ port: 587, errno: 'ECONNREFUSED' });
    expect(r.matches[2]?.cause).toMatch(/^Part of the error on line 1/);
    expect(r.summary.byOutcome).toEqual([{ outcome: 'connection_refused', events: 1, lines: 4 }]);
  });

  it.each([
    ['Greeting never received', NODEMAILER_GREETING, 'greeting_timeout', 'nodemailer-greeting'],
    ['Connection timeout (ETIMEDOUT)', NODEMAILER_CONNECTION_TIMEOUT, 'connect_timeout', 'nodemailer-connection-timeout'],
    ['wrong version number', NODEMAILER_WRONG_VERSION, 'tls_mode_mismatch', 'tls-wrong-version'],
    ['EAUTH', NODEMAILER_AUTH, 'auth_failed', 'nodemailer-auth'],
    ['ENETUNREACH over IPv6', NODEMAILER_IPV6, 'network_unreachable', 'node-syscall-errno'],
  ])('%s', (_name, lines, outcome, pattern) => {
    const r = classify(onRender(lines));
    expect(r.summary.events).toBe(1);
    expect(r.matches[0]).toMatchObject({ line: 1, outcome, pattern });
    expect(r.matches.every((m) => m.outcome === outcome && m.event === 1)).toBe(true);
    expect(r.summary.mostLikely?.outcome).toBe(outcome);
    // Stack lines and the other properties are context, not evidence.
    expect(r.matches.some((m) => m.text.startsWith('at ') || m.text.startsWith("command:"))).toBe(false);
  });

  it('the `code:` lines of a printed error take the outcome its message says', () => {
    const greeting = classify(NODEMAILER_GREETING.join('\n'));
    expect(greeting.matches.find((m) => m.text === "code: 'ETIMEDOUT',")).toMatchObject({ outcome: 'greeting_timeout', pattern: 'nodemailer-etimedout' });
    const auth = classify(NODEMAILER_AUTH.join('\n'));
    expect(auth.matches.find((m) => m.text === "code: 'EAUTH',")?.outcome).toBe('auth_failed');
    expect(auth.matches[0]?.cause).toMatch(/Gmail/);
  });

  it('ENETUNREACH to an IPv6 address says IPv6 and offers family: 4', () => {
    const m = classify(NODEMAILER_IPV6.join('\n')).matches[0];
    expect(m).toMatchObject({ port: 587, errno: 'ENETUNREACH' });
    expect(m?.cause).toMatch(/IPv6/);
    expect(m?.fix).toMatch(/family: 4/);
  });

  it.each([
    ['Error: Connection closed unexpectedly', 'connection_reset', 'nodemailer-connection-closed'],
    ["  code: 'ECONNECTION',", 'connection_reset', 'nodemailer-connection-closed'],
    ['Error: Error upgrading connection with STARTTLS: 500 5.5.1 Unrecognized command', 'starttls_unavailable', 'nodemailer-starttls'],
    ['Error: Missing credentials for "PLAIN"', 'auth_failed', 'nodemailer-auth'],
    ['Error: Invalid greeting. response=554 5.7.1 Client host rejected: blocked using zen.spamhaus.org: 554 5.7.1 Client host rejected', 'smtp_rejected', 'nodemailer-greeting-rejected'],
    ["Error: Can't send mail - all recipients were rejected: 550 5.1.1 <x@example.org>: Recipient address rejected", 'smtp_rejected', 'nodemailer-envelope'],
    ['Error: TLS handshake timed out', 'timeout', 'nodemailer-tls-timeout'],
    ['Error: Timeout', 'timeout', 'nodemailer-socket-timeout'],
    ["Error: Hostname/IP does not match certificate's altnames: Host: smtp.example.com. is not in the cert's altnames: DNS:*.mailgun.org", 'tls_failed', 'node-tls-certificate'],
    ['[2026-11-20 10:00:31] ERROR Send Error: Greeting never received', 'greeting_timeout', 'nodemailer-greeting'],
    ['{"level":50,"time":1763632831000,"msg":"mail failed","err":{"code":"EAUTH","responseCode":535}}', 'auth_failed', 'nodemailer-auth'],
    ['{"level":"error","message":"send failed","code":"ETIMEDOUT"}', 'connect_timeout', 'nodemailer-etimedout'],
    ['Mail transport error: ETLS', 'tls_failed', 'nodemailer-etls'],
  ])('%s -> %s', (line, outcome, pattern) => {
    expect(one(line)).toMatchObject({ outcome, pattern });
  });

  it('a bare ESOCKET is a mail error that does not say which: recognised, undetermined, never guessed', () => {
    const r = classify('2026-11-20T10:00:31.000Z Failed to send contact mail: ESOCKET');
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({ outcome: null, pattern: 'nodemailer-esocket' });
    expect(r.summary).toMatchObject({ events: 1, undetermined: 1, byOutcome: [], mostLikely: null });
    expect(r.summary.text).toMatch(/none saying which/);
    expect(renderLogsText(r)).toContain('undetermined');
  });

  it('a bare ETIMEDOUT outside an error object is a likely connect timeout, with medium confidence', () => {
    expect(one('code: ETIMEDOUT')).toMatchObject({ outcome: 'connect_timeout', confidence: 'medium' });
  });
});

describe('Node errno lines', () => {
  it.each([
    ['Error: connect ETIMEDOUT 203.0.113.10:587', 'connect_timeout', 587],
    ['Error: connect ENETUNREACH 203.0.113.10:465 - Local (0.0.0.0:0)', 'network_unreachable', 465],
    ['Error: connect EHOSTUNREACH 203.0.113.10:2525', 'host_unreachable', 2525],
    ['Error: connect ECONNREFUSED 203.0.113.10:25', 'connection_refused', 25],
    ['Error: read ECONNRESET', 'connection_reset', null],
    ['Error: getaddrinfo ENOTFOUND smtp.exmaple.com', 'dns_failed', null],
    ['Error: getaddrinfo EAI_AGAIN smtp.example.com', 'dns_failed', null],
    ['Error: write EPIPE', 'connection_reset', null],
  ])('%s -> %s', (line, outcome, port) => {
    expect(one(line)).toMatchObject({ outcome, port, source: 'node', pattern: 'node-syscall-errno' });
  });

  it('a refusal from localhost says the settings did not reach the app', () => {
    expect(one('Error: connect ECONNREFUSED 127.0.0.1:587')?.cause).toMatch(/localhost/);
    expect(one('Error: connect ECONNREFUSED ::1:25')?.cause).toMatch(/localhost/);
  });
});

describe('noise stays unrecognised', () => {
  const NOISE = [
    '==> Cloning from https://github.com/example/mysite',
    '==> Build successful 🎉',
    '==> Your service is live 🎉',
    '[2026-11-20 10:00:00 +0000] [58] [INFO] Booting worker with pid: 58',
    '[2026-11-20 10:02:00 +0000] [57] [CRITICAL] WORKER TIMEOUT (pid:58)',
    '127.0.0.1 - - [20/Nov/2026:10:00:31 +0000] "POST /contact/ HTTP/1.1" 500 145 "-" "Mozilla/5.0"',
    'Internal Server Error: /contact/',
    'Traceback (most recent call last):',
    'EMAIL_TIMEOUT=10',
    '    connectionTimeout: 10000,',
    'greetingTimeout: 5000, socketTimeout: 20000',
    'Sending password reset email to user@example.com',
    'Email sent: 250 2.0.0 OK  1763632831 d2e1a72fcca58-7b',
    `    at SMTPConnection._onError (${NM}:784:20)`,
    'Error: Timeout waiting for the database pool',
    'TimeoutError: The operation was aborted due to timeout',
    'Network settings loaded',
    // Other clients: a database, a cache, an HTTPS API.
    'django.db.utils.OperationalError: connection to server at "dpg-d1abc2def3ghi4-a" (10.214.0.5), port 5432 failed: Connection refused',
    'Error: connect ECONNREFUSED 127.0.0.1:6379',
    "redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.",
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f3a>: Failed to establish a new connection: [Errno 101] Network is unreachable'))",
    'Error: connect ETIMEDOUT 104.18.2.3:443',
    'TypeError: fetch failed',
  ];

  it.each(NOISE)('%s', (line) => {
    expect(classify(line).matches).toEqual([]);
  });

  it('all together: nothing recognised, every line counted, no cause guessed', () => {
    const r = classify(onRender(NOISE));
    expect(r.lines).toEqual({ total: NOISE.length, blank: 0, recognised: 0, unrecognised: NOISE.length });
    expect(r.summary).toMatchObject({ events: 0, undetermined: 0, byOutcome: [], mostLikely: null });
    expect(r.summary.text).toMatch(/^No mail error recognised/);
  });

  it('an Errno 101 at the end of a urllib3 traceback is an HTTP client error, not mail', () => {
    const tb = pyTraceback(
      [
        [`${SITE}/urllib3/connection.py`, '_new_conn', 'sock = connection.create_connection('],
        [`${SITE}/urllib3/util/connection.py`, 'create_connection', 'sock.connect(sa)'],
      ],
      'OSError: [Errno 101] Network is unreachable',
    );
    expect(classify(tb.join('\n')).matches).toEqual([]);
  });

  it('a printed ECONNREFUSED whose stack is in the pg driver is not mail', () => {
    const lines = ['Error: connect ECONNREFUSED 10.214.0.5:45000', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)', '    at Client._connect (/opt/render/project/src/node_modules/pg/lib/client.js:132:11) {', '  errno: -111,', "  code: 'ECONNREFUSED',", '}'];
    expect(classify(lines.join('\n')).matches).toEqual([]);
  });
});

describe('summary', () => {
  it('counts errors per outcome and picks the most frequent as most likely', () => {
    const logs = onRender([
      ...DJANGO_ERRNO_101,
      ...DJANGO_ERRNO_101.slice(6),
      "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted.')",
      ...NODEMAILER_GREETING,
    ]);
    const r = classify(logs);
    expect(r.summary.byOutcome).toEqual([
      { outcome: 'network_unreachable', events: 2, lines: 2 },
      { outcome: 'greeting_timeout', events: 1, lines: 3 },
      { outcome: 'auth_failed', events: 1, lines: 1 },
    ]);
    expect(r.summary.events).toBe(4);
    expect(r.summary.mostLikely).toMatchObject({ outcome: 'network_unreachable', events: 2 });
    expect(new Set(r.matches.map((m) => m.event))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('on a tie, the failure earlier in the connection wins', () => {
    const r = classify(['ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)', 'TimeoutError: [Errno 110] Connection timed out'].join('\n'));
    expect(r.summary.mostLikely?.outcome).toBe('connect_timeout');
  });

  it('lists at most maxMatches lines but counts them all', () => {
    const r = classifyLogs(Array.from({ length: 30 }, () => 'OSError: [Errno 101] Network is unreachable').join('\n'), { maxMatches: 10 });
    expect(r.matches).toHaveLength(10);
    expect(r.matchesTruncated).toBe(true);
    expect(r.lines.recognised).toBe(30);
    expect(r.summary.byOutcome[0]).toEqual({ outcome: 'network_unreachable', events: 30, lines: 30 });
  });

  it('empty input: nothing, no crash', () => {
    const r = classify('');
    expect(r.lines).toEqual({ total: 0, blank: 0, recognised: 0, unrecognised: 0 });
    expect(r.summary.mostLikely).toBeNull();
  });

  it('a very long line is cut in the report', () => {
    const r = classify(`OSError: [Errno 101] Network is unreachable ${'x'.repeat(10_000)}`);
    expect(r.matches[0]?.text.length).toBeLessThanOrEqual(300);
  });

  it('every pattern id is unique', () => {
    const ids = PATTERNS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('smtp-egress logs (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-logs-'));
  const file = join(dir, 'render.log');
  writeFileSync(file, onRender(DJANGO_ERRNO_101));

  it('reads a file and prints the table; exit 1 when mail errors are found', async () => {
    const r = await runCli(['logs', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/network_unreachable/);
    expect(r.stdout).toMatch(/Most likely network_unreachable/);
  });

  it('reads standard input with - (and with no file), --json gives the smtp-egress/logs@1 report', async () => {
    for (const argv of [['logs', '-', '--json'], ['logs', '--json']]) {
      const r = await runCli(argv, {}, NODEMAILER_GREETING.join('\n'));
      expect(r.code).toBe(1);
      const report = LogsReport.parse(JSON.parse(r.stdout));
      expect(report.schema).toBe('smtp-egress/logs@1');
      expect(report.summary.mostLikely?.outcome).toBe('greeting_timeout');
    }
  });

  it('exit 0 when nothing is recognised; 2 for a missing file or two files', async () => {
    expect((await runCli(['logs', '-'], {}, 'all good\n')).code).toBe(0);
    const missing = await runCli(['logs', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.log: no such file/);
    expect((await runCli(['logs', file, file])).code).toBe(2);
    expect((await runCli(['logs', '--help'])).stdout).toMatch(/Usage:\n {2}smtp-egress logs/);
  });
});

describe('POST /api/classify-logs (handler)', () => {
  const ctx = nodeHandlerContext({});
  const post = (body: string, type = 'application/json') => handleClassifyLogs(new Request('http://x/api/classify-logs', { method: 'POST', headers: { 'content-type': type }, body }), ctx);

  it('answers the report, with no token', async () => {
    const res = await post(JSON.stringify({ logs: onRender(DJANGO_ERRNO_101) }));
    expect(res.status).toBe(200);
    const report = LogsReport.parse(await res.json());
    expect(report.summary.mostLikely?.outcome).toBe('network_unreachable');
  });

  it.each([
    ['no logs field', JSON.stringify({}), 'application/json', 400, 'missing_field'],
    ['logs not a string', JSON.stringify({ logs: 42 }), 'application/json', 400, 'invalid_input'],
    ['an unknown field', JSON.stringify({ logs: '', extra: 1 }), 'application/json', 400, 'unknown_field'],
    ['not JSON', 'OSError: [Errno 101]', 'text/plain', 415, 'unsupported_media_type'],
    ['too large', JSON.stringify({ logs: 'x'.repeat(MAX_LOGS_BODY_BYTES) }), 'application/json', 413, 'payload_too_large'],
  ])('refuses %s', async (_name, body, type, status, code) => {
    const res = await post(body, type);
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });

  it('refuses GET with 405', async () => {
    const res = await handleClassifyLogs(new Request('http://x/api/classify-logs'), ctx);
    expect(res.status).toBe(405);
  });
});
