// The log classifier on log excerpts as the programs print them: a Django traceback from a
// Render service, smtplib and ssl exceptions (the greeting-timeout chain is verbatim Python
// 3.11 output), nodemailer errors as console.log / util.inspect prints them (captured from
// nodemailer against real servers), Node errno lines, the phrasings of other stacks; noise that
// must stay unrecognised; the CLI and the HTTP handler. The corpus of real excerpts pasted in
// public threads is run by log-classifier-corpus.test.ts.
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
/** The one mail error of a log excerpt (or null when none was found). */
const one = (text: string) => {
  const r = classify(text);
  expect(r.errors.length, `"${text}" should be one error`).toBeLessThanOrEqual(1);
  return r.errors[0] ?? null;
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

describe('log prefixes', () => {
  it.each([
    ['2026-11-20T10:00:00.000Z OSError: boom', 'OSError: boom', null],
    ['2026-11-20T10:00:00.123456+00:00   File "x.py", line 1', '  File "x.py", line 1', null],
    ['==> Deploying...', 'Deploying...', 'render'],
    ['Nov 20 10:00:00 AM  Traceback (most recent call last):', ' Traceback (most recent call last):', null],
    ['<134>1 2026-11-20T10:00:00.000Z srv-d1abc2def3ghi4 web 7 - - Error: Greeting never received', 'Error: Greeting never received', 'render'],
    ['[2026-11-20 10:00:00,123] ERROR Send Error: Greeting never received', 'ERROR Send Error: Greeting never received', null],
    ['\u001b[31mError: read ECONNRESET\u001b[39m', 'Error: read ECONNRESET', null],
    ['2013-05-26T04:50:01.345671+00:00 app[web.1]: Net::SMTPAuthenticationError (534-5.7.9', 'Net::SMTPAuthenticationError (534-5.7.9', 'heroku'],
    ['bookwyrm-web-1             | [2023-06-17 16:08:07 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:6)', '[1] [CRITICAL] WORKER TIMEOUT (pid:6)', null],
    ['#9 0.329     at internalConnectMultiple (node:net:1116:18)', '    at internalConnectMultiple (node:net:1116:18)', null],
  ])('%j -> %j', (raw, text, platform) => {
    const s = stripLogPrefixes(raw);
    expect(s.text).toBe(text);
    expect(s.platform).toBe(platform);
  });
});

describe('a Django traceback as Render shows it', () => {
  const report = classify(onRender(DJANGO_ERRNO_101));

  it('is one error, decided by its exception line: network_unreachable from Django (smtplib); every other line is counted as unrecognised', () => {
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
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ client: 'django', mailEvidence: 'library', outcome: 'network_unreachable', headline: 'Django (smtplib) could not connect: the network is unreachable' });
    expect(report.lines).toEqual({ total: DJANGO_ERRNO_101.length, blank: 0, recognised: 1, unrecognised: DJANGO_ERRNO_101.length - 1 });
  });

  it("explains Python's last-address Errno 101 and, from the Render prefixes, names Render's policy", () => {
    expect(report.platform).toEqual({ name: 'render', from: 'logs' });
    const m = report.summary.mostLikely;
    expect(m).toMatchObject({ outcome: 'network_unreachable', confidence: 'high', events: 1, client: 'django' });
    expect(m?.cause).toMatch(/create_connection tries every address.*last one's error/);
    expect(m?.cause).toMatch(/These logs come from Render: .*25, 465 and 587/);
    expect(m?.fixes[0]).toMatch(/On Render: move the service to .*paid instance type/);
    expect(m?.fixes.join(' ')).toMatch(/2525/);
    expect(m?.fixes.join(' ')).toMatch(/HTTPS mail API/);
    expect(report.summary.text).toMatch(/^Most likely network_unreachable/);
  });

  it('renders what was found, then the one most likely cause, then the fixes', () => {
    const text = renderLogsText(report, undefined, { width: 200 });
    expect(text).toContain('logs from render');
    const found = text.indexOf('Found');
    const likely = text.indexOf('Most likely network_unreachable');
    const cause = text.indexOf('Cause ');
    const fixes = text.indexOf('Fixes');
    expect(found).toBeGreaterThan(0);
    expect(likely).toBeGreaterThan(found);
    expect(cause).toBeGreaterThan(likely);
    expect(fixes).toBeGreaterThan(cause);
    expect(text).toContain('OSError: [Errno 101] Network is unreachable');
    expect(text).toContain(`${DJANGO_ERRNO_101.length - 1} lines were not recognised: counted, not classified`);
  });
});

describe('platform advice only where the platform is known', () => {
  const bare = 'OSError: [Errno 101] Network is unreachable';
  it('an Errno 101 with nothing that says where: no platform named', () => {
    const r = classify(bare);
    expect(r.platform).toBeNull();
    expect(JSON.stringify(r.errors)).not.toMatch(/Render/);
  });
  it('the caller says render: its policy joins the cause; the machine it runs on counts only when nothing else tells', () => {
    expect(classifyLogs(bare, { platform: 'render' }).errors[0]?.cause).toMatch(/Render/);
    expect(classifyLogs(bare, { deployment: 'render' }).platform).toEqual({ name: 'render', from: 'deployment' });
    expect(classifyLogs(bare, { deployment: 'local' }).platform).toBeNull();
    // The logs' own prefixes win over the machine this runs on.
    expect(classifyLogs(`2013-05-26T04:50:01+00:00 app[web.1]: ${bare}`, { deployment: 'render' }).platform).toEqual({ name: 'heroku', from: 'logs' });
  });
  it('a refused connection is not blamed on the platform', () => {
    expect(classifyLogs('ConnectionRefusedError: [Errno 111] Connection refused', { platform: 'render' }).errors[0]?.cause).not.toMatch(/Render/);
  });
});

describe('Python: smtplib, ssl and socket exceptions', () => {
  it.each([
    ['OSError: [Errno 101] Network is unreachable', 'network_unreachable'],
    ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection_refused'],
    ['TimeoutError: [Errno 110] Connection timed out', 'connect_timeout'],
    ['OSError: [Errno 113] No route to host', 'host_unreachable'],
    ['ConnectionResetError: [Errno 104] Connection reset by peer', 'connection_reset'],
    ['OSError: [Errno 99] Cannot assign requested address', 'network_unreachable'],
    ['TimeoutError: [WinError 10060] A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond', 'connect_timeout'],
    ['ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it', 'connection_refused'],
    ['ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host', 'connection_reset'],
    ['OSError: [WinError 10051] A socket operation was attempted to an unreachable network', 'network_unreachable'],
    ['TimeoutError: [Errno 60] Operation timed out', 'connect_timeout'],
    ['ConnectionRefusedError: [Errno 61] Connection refused', 'connection_refused'],
    ['OSError: [Errno 65] No route to host', 'host_unreachable'],
    ['socket.gaierror: [Errno -2] Name or service not known', 'dns_failed'],
    ['socket.gaierror: [Errno -3] Temporary failure in name resolution', 'dns_failed'],
    ['socket.gaierror: [Errno 8] nodename nor servname provided, or not known', 'dns_failed'],
    ['TimeoutError: timed out', 'connect_timeout'],
    ['socket.timeout: timed out', 'connect_timeout'],
    ['TimeoutError', 'connect_timeout'],
    ['TimeoutError: _ssl.c:989: The handshake operation timed out', 'timeout'],
    ["smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. For more information, go to\\n5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-7b') ", 'auth_failed'],
    ['smtplib.SMTPServerDisconnected: Connection unexpectedly closed', 'connection_reset'],
    ['smtplib.SMTPServerDisconnected: please run connect() first', 'connection_reset'],
    ["smtplib.SMTPServerDisconnected: Connection unexpectedly closed: ('The read operation timed out',)", 'timeout'],
    ['smtplib.SMTPNotSupportedError: STARTTLS extension not supported by server.', 'starttls_unavailable'],
    ['smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.', 'auth_unavailable'],
    ['ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)', 'tls_mode_mismatch'],
    ['ssl.SSLError: [SSL] record layer failure (_ssl.c:1000)', 'tls_mode_mismatch'],
    ["ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'smtp.example.com'. (_ssl.c:1006)", 'tls_failed'],
    ['ssl.SSLEOFError: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)', 'tls_failed'],
    ['ssl.SSLError: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)', 'tls_failed'],
    ["smtplib.SMTPSenderRefused: (553, b'5.7.1 <noreply@example.com>: Sender address rejected: not owned by user app@example.net', 'noreply@example.com')", 'smtp_rejected'],
    ["smtplib.SMTPRecipientsRefused: {'someone@example.org': (550, b'5.1.1 <someone@example.org>: Recipient address rejected: User unknown')}", 'smtp_rejected'],
    ["smtplib.SMTPDataError: (554, b'Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: noreply@example.com')", 'smtp_rejected'],
    ["smtplib.SMTPConnectError: (554, b'5.7.1 Service unavailable; Client host [216.24.57.1] blocked using zen.spamhaus.org')", 'smtp_rejected'],
    ['ValueError: EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.', 'settings_conflict'],
  ])('%s -> %s', (line, outcome) => {
    expect(one(line)).toMatchObject({ outcome });
  });

  it('a bare timeout is connect_timeout with medium confidence; with the connect frames above it, high', () => {
    expect(one('TimeoutError: timed out')?.confidence).toBe('medium');
    const r = classify(pyTraceback(SMTP_CONNECT_FRAMES, 'TimeoutError: timed out').join('\n'));
    expect(r.matches).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ outcome: 'connect_timeout', confidence: 'high', client: 'django' });
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
    expect(classify(tls.join('\n')).errors[0]).toMatchObject({ outcome: 'timeout', confidence: 'high' });
    const ehlo = pyTraceback([[`${PY}/smtplib.py`, 'ehlo', '(code, msg) = self.getreply()'], [`${PY}/smtplib.py`, 'getreply', 'line = self.file.readline(_MAXLINE + 1)']], 'TimeoutError: timed out');
    expect(classify(ehlo.join('\n')).errors[0]).toMatchObject({ outcome: 'timeout', confidence: 'high' });
  });

  it('WRONG_VERSION_NUMBER raised inside starttls() is worded for STARTTLS, not blamed on EMAIL_USE_SSL', () => {
    const tb = pyTraceback(
      [
        [`${SITE}/django/core/mail/backends/smtp.py`, 'open', 'self.connection.starttls(context=self.ssl_context)'],
        [`${PY}/smtplib.py`, 'starttls', 'self.sock = context.wrap_socket(self.sock,'],
        [`${PY}/ssl.py`, 'do_handshake', 'self._sslobj.do_handshake()'],
      ],
      'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)',
    );
    const e = classify(tb.join('\n')).errors[0];
    expect(e).toMatchObject({ outcome: 'tls_mode_mismatch', client: 'django' });
    expect(e?.cause).toMatch(/inside starttls\(\)/);
    expect(e?.cause).toMatch(/Implicit-TLS settings are not the cause/);
    expect(e?.headline).toMatch(/STARTTLS/);
    // Without starttls() in the frames, the usual reading: SSL on a STARTTLS port.
    expect(one('ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)')?.cause).toMatch(/implicit TLS.*STARTTLS port/);
  });

  it('reads the reply of an auth failure: SES, Gmail app passwords, Microsoft 365', () => {
    expect(one("smtplib.SMTPAuthenticationError: (535, b'Authentication Credentials Invalid')")?.cause).toMatch(/SES.*derived/);
    expect(one("smtplib.SMTPAuthenticationError: (534, b'5.7.9 Application-specific password required. For more information, go to\\n5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor')")?.cause).toMatch(/app password/);
    expect(one("smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.')")?.cause).toMatch(/Microsoft 365/);
  });

  it('"530 Must issue a STARTTLS command first" is starttls_unavailable, not a password problem; "530 Authentication Required" is a login', () => {
    const starttls = one("smtplib.SMTPSenderRefused: (530, b'5.7.0 Must issue a STARTTLS command first. d2e1a72fcca58-7b', 'noreply@example.com')");
    expect(starttls).toMatchObject({ outcome: 'starttls_unavailable' });
    expect(starttls?.fixes[0]).toMatch(/EMAIL_USE_TLS=True/);
    expect(one('530 5.7.0 Must issue a STARTTLS command first. w29sm21914057vcr.2 (Net::SMTPAuthenticationError)')?.outcome).toBe('starttls_unavailable');
    expect(one("smtplib.SMTPSenderRefused: (530, b'5.7.0 Authentication Required.', 'noreply@example.com')")?.outcome).toBe('auth_failed');
  });

  it('certificate failures carry their reason', () => {
    expect(one('ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')?.tlsReason).toBe('cert_expired');
    expect(one('ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')?.tlsReason).toBe('self_signed');
    expect(one('ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')?.tlsReason).toBe('untrusted');
  });

  it("repr() forms, as Celery prints a failed task, are recognised, and Celery's handshake timeout is a later-phase timeout", () => {
    expect(one("[2026-11-20 10:00:31,002: ERROR/ForkPoolWorker-2] Task contact.tasks.send_contact_mail[5f1c] raised unexpected: OSError(101, 'Network is unreachable')")).toMatchObject({ outcome: 'network_unreachable' });
    expect(one("Task raised unexpected: ConnectionRefusedError(111, 'Connection refused')")?.outcome).toBe('connection_refused');
    expect(one("Task raised unexpected: SMTPAuthenticationError(535, b'5.7.8 Username and Password not accepted.')")?.outcome).toBe('auth_failed');
    expect(one("[2026-11-20 10:00:31,002: ERROR/ForkPoolWorker-2] Task send_mail[5f1c] raised unexpected: TimeoutError('_ssl.c:980: The handshake operation timed out')")?.outcome).toBe('timeout');
  });

  it('"The read operation timed out" is a later-phase timeout, not a connect timeout', () => {
    expect(one("smtplib.SMTPServerDisconnected: Connection unexpectedly closed: ('The read operation timed out',)")).toMatchObject({ outcome: 'timeout' });
    expect(one('TimeoutError: The read operation timed out')?.outcome).toBe('timeout');
  });

  it('a traceback whose first line was cut off: frames and source lines are still context', () => {
    const r = classify(PY_GREETING_TIMEOUT_CHAIN.slice(12).join('\n'));
    expect(r.matches.map((m) => m.text)).toEqual(['smtplib.SMTPServerDisconnected: Connection unexpectedly closed: timed out']);
    expect(r.errors[0]).toMatchObject({ outcome: 'greeting_timeout', confidence: 'high' });
  });

  it('an errno inside an application log line is recognised, and a source location such as `mailer.py:443:` does not hide it', () => {
    expect(one('ERROR 2026-11-20 10:00:31,002 views 58 140 Could not send the contact mail: [Errno 101] Network is unreachable')?.outcome).toBe('network_unreachable');
    expect(one('ERROR app/mailer.py:443: send failed: [Errno 111] Connection refused')?.outcome).toBe('connection_refused');
    expect(one('mail.py:80: send_mail failed: TimeoutError: [Errno 110] Connection timed out')?.outcome).toBe('connect_timeout');
  });

  it('gunicorn WORKER TIMEOUT with a traceback through smtplib / create_connection is connect_timeout; a bare WORKER TIMEOUT stays unclassified', () => {
    // gunicorn >= 20 prints the interrupted worker's stack, ending in handle_abort -> SystemExit: 1.
    const hang = [
      '[2026-11-20 10:02:00 +0000] [57] [CRITICAL] WORKER TIMEOUT (pid:58)',
      '[2026-11-20 10:02:00 +0000] [58] [ERROR] Error handling request /contact/',
      ...pyTraceback(
        [
          [`${SITE}/gunicorn/workers/sync.py`, 'handle', 'self.handle_request(listener, req, client, addr)'],
          ...SMTP_CONNECT_FRAMES,
          [`${SITE}/gunicorn/workers/base.py`, 'handle_abort', 'sys.exit(1)'],
        ],
        'SystemExit: 1',
      ),
      '[2026-11-20 10:02:00 +0000] [58] [INFO] Worker exiting (pid: 58)',
    ];
    const e = one(onRender(hang));
    expect(e).toMatchObject({ outcome: 'connect_timeout', client: 'django' });
    expect(e?.headline).toMatch(/WORKER TIMEOUT/);
    expect(e?.fixes.join(' ')).toMatch(/EMAIL_TIMEOUT/);
    // The same worker kill in an HTTPS call (no smtplib, no create_connection): not a mail error.
    const http = pyTraceback([[`${SITE}/gunicorn/workers/sync.py`, 'handle', 'self.handle_request(listener, req, client, addr)'], [`${SITE}/app/notify.py`, 'notify_via_matrix', 'client.post(url)'], [`${SITE}/gunicorn/workers/base.py`, 'handle_abort', 'sys.exit(1)']], 'SystemExit: 1');
    expect(classify([hang[0] ?? '', ...http].join('\n')).errors).toEqual([]);
    expect(classify(hang[0] ?? '').errors).toEqual([]);
  });
});

describe('nodemailer errors as printed', () => {
  it('ECONNREFUSED (ESOCKET): one error, the property lines belong to it', () => {
    const r = classify(NODEMAILER_REFUSED.join('\n'));
    expect(r.summary.events).toBe(1);
    expect(r.errors[0]).toMatchObject({ outcome: 'connection_refused', client: 'nodemailer', port: 587, errno: 'ECONNREFUSED', definingLine: 1, headline: 'nodemailer could not connect to port 587: connection refused' });
    expect(r.matches.every((m) => m.event === 1 && m.outcome === 'connection_refused')).toBe(true);
    expect(r.summary.byOutcome).toEqual([{ outcome: 'connection_refused', events: 1, lines: r.matches.length }]);
  });

  it.each([
    ['Greeting never received', NODEMAILER_GREETING, 'greeting_timeout'],
    ['Connection timeout (ETIMEDOUT)', NODEMAILER_CONNECTION_TIMEOUT, 'connect_timeout'],
    ['wrong version number', NODEMAILER_WRONG_VERSION, 'tls_mode_mismatch'],
    ['EAUTH', NODEMAILER_AUTH, 'auth_failed'],
    ['ENETUNREACH over IPv6', NODEMAILER_IPV6, 'network_unreachable'],
  ])('%s', (_name, lines, outcome) => {
    const r = classify(onRender(lines));
    expect(r.summary.events).toBe(1);
    expect(r.errors[0]).toMatchObject({ outcome, client: 'nodemailer', firstLine: 1, lastLine: lines.length });
    expect(r.matches.every((m) => m.outcome === outcome && m.event === 1)).toBe(true);
    expect(r.summary.mostLikely?.outcome).toBe(outcome);
    // Stack lines and the other properties are context, not evidence.
    expect(r.matches.some((m) => m.text.startsWith('at ') || m.text.startsWith('command:'))).toBe(false);
  });

  it('a Gmail login refusal names the app password', () => {
    expect(classify(NODEMAILER_AUTH.join('\n')).errors[0]?.cause).toMatch(/Gmail/);
  });

  it('ENETUNREACH to an IPv6 address says IPv6 and how to force IPv4', () => {
    const e = classify(NODEMAILER_IPV6.join('\n')).errors[0];
    expect(e).toMatchObject({ port: 587, errno: 'ENETUNREACH', address: '2a00:1450:400c:c07::6c' });
    expect(e?.cause).toMatch(/IPv6/);
    expect(e?.fixes[0]).toMatch(/IPv4/);
  });

  it('EHOSTUNREACH to an IPv6 address gets the IPv6 hint too', () => {
    const e = one('Error: connect EHOSTUNREACH 2a00:1450:400c:c07::6c:587');
    expect(e).toMatchObject({ outcome: 'host_unreachable' });
    expect(e?.cause).toMatch(/IPv6/);
  });

  it.each([
    ['Error: Connection closed unexpectedly', 'connection_reset'],
    ['Error: Error upgrading connection with STARTTLS: 500 5.5.1 Unrecognized command', 'starttls_unavailable'],
    ['Error: Missing credentials for "PLAIN"', 'auth_failed'],
    ['Error: Invalid greeting. response=554 5.7.1 Client host rejected: blocked using zen.spamhaus.org: 554 5.7.1 Client host rejected', 'smtp_rejected'],
    ["Error: Can't send mail - all recipients were rejected: 550 5.1.1 <x@example.org>: Recipient address rejected", 'smtp_rejected'],
    ['Error: TLS handshake timed out', 'timeout'],
    ['Error: Timeout', 'timeout'],
    ["Error: Hostname/IP does not match certificate's altnames: Host: smtp.example.com. is not in the cert's altnames: DNS:*.mailgun.org", 'tls_failed'],
    ['Error: Client network socket disconnected before secure TLS connection was established', 'tls_failed'],
    ['Error: 40184D5F147F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:', 'tls_mode_mismatch'],
    ['[2026-11-20 10:00:31] ERROR Send Error: Greeting never received', 'greeting_timeout'],
    ['{"level":50,"time":1763632831000,"msg":"mail failed","err":{"code":"EAUTH","responseCode":535}}', 'auth_failed'],
  ])('%s -> %s', (line, outcome) => {
    expect(one(line)).toMatchObject({ outcome });
  });

  it('DNS-server failures are dns_failed with a resolver cause, not TCP refusals', () => {
    const queryA = ['{ Error: queryA ECONNREFUSED smtp.mail.yahoo.co.jp', '    at QueryReqWrap.onresolve [as oncomplete] (dns.js:197:19)', "  errno: 'ECONNREFUSED',", "  code: 'EDNS',", "  syscall: 'queryA',", "  hostname: 'smtp.mail.yahoo.co.jp',", "  command: 'CONN' }"];
    const e = one(queryA.join('\n'));
    expect(e).toMatchObject({ outcome: 'dns_failed', client: 'nodemailer' });
    expect(e?.cause).toMatch(/DNS server itself failed/);
    expect(one('Error: queryA ETIMEOUT smtp.exmail.qq.com')?.outcome).toBe('dns_failed');
    expect(one('Error: getaddrinfo EAI_FAIL smtp.example.com')?.outcome).toBe('dns_failed');
  });

  it('a bare ESOCKET is a mail error that does not say which: recognised, undetermined, never guessed', () => {
    const r = classify('2026-11-20T10:00:31.000Z Failed to send contact mail: ESOCKET');
    expect(r.matches).toHaveLength(1);
    expect(r.matches[0]).toMatchObject({ outcome: null });
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
    ['Error: connect EACCES 203.0.113.10:587', 'local_error', 587],
  ])('%s -> %s', (line, outcome, port) => {
    expect(one(line)).toMatchObject({ outcome, port, source: 'node' });
  });

  it('EACCES outside a connect is a file error, not a mail error', () => {
    expect(classify("Error: EACCES: permission denied, open '/app/logs/mail.log'").errors).toEqual([]);
  });

  it('a refusal from localhost says the settings did not reach the app', () => {
    expect(one('Error: connect ECONNREFUSED 127.0.0.1:587')?.cause).toMatch(/localhost/);
    expect(one('Error: connect ECONNREFUSED ::1:25')?.cause).toMatch(/localhost/);
  });
});

describe('other stacks: the client is named and the advice is its own', () => {
  it.each([
    ['SMTP ERROR: Failed to connect to server: Connection timed out (110)SMTP connect() failed. https://github.com/PHPMailer/PHPMailer/wiki/Troubleshooting', 'connect_timeout', 'phpmailer', 'php', /\$mail->/],
    ['2018-04-25 05:01:00 Connection failed. Error #2: stream_socket_client(): unable to connect to mail.example.com:587 (Connection timed out) [/home/app/phpmailer/class.smtp.php line 299]', 'connect_timeout', 'phpmailer', 'php', /\$mail->/],
    ['Connection could not be established with host smtp.gmail.com [Connection refused #111] {"exception":"[object] (Swift_TransportException(code: 0): Connection could not be established"}', 'connection_refused', 'swiftmailer', 'php', /MAIL_/],
    ['Connection could not be established with host "ssl://smtp.example.com:465": stream_socket_client(): Unable to connect to ssl://smtp.example.com:465 (Connection timed out) at /app/vendor/symfony/mailer/Transport/Smtp/Stream/SocketStream.php:154', 'connect_timeout', 'symfony-mailer', 'php', /DSN/],
    ['Errno::ECONNREFUSED (Connection refused - connect(2) for "localhost" port 25):\n/app/vendor/ruby-2.7.4/lib/ruby/2.7.0/net/smtp.rb:539:in `initialize\'', 'connection_refused', 'net-smtp', 'ruby', /smtp_settings/],
    ['**Net::OpenTimeout** in **ActionMailer::MailDeliveryJob@mailers**\nexecution expired\n\n    gems/net-smtp-0.5.1/lib/net/smtp.rb:663 - TCPSocket#initialize', 'connect_timeout', 'actionmailer', 'ruby', /open_timeout/],
    ['SSL_connect returned=1 errno=0 peeraddr=192.0.2.10:587 state=error: wrong version number', 'tls_mode_mismatch', null, 'ruby', /587/],
    ['level=error msg="Error while dialing SMTP server: dial tcp 142.250.182.69:587: i/o timeout"', 'connect_timeout', 'go-net-smtp', 'go', /DialTimeout/],
    ['dial tcp 127.0.0.1:25: connect: connection refused', 'connection_refused', null, 'go', /dialer/],
    ['dial tcp 74.125.71.26:25: getsockopt: no route to host', 'host_unreachable', null, 'go', /dialer/],
    ['System.Net.Mail.SmtpException: Failure sending mail. ---> System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond 65.55.172.254:587', 'connect_timeout', 'system-net-mail', 'dotnet', /SmtpClient\.Timeout/],
    ['MailKit.Security.SslHandshakeException: An error occurred while attempting to establish an SSL or TLS connection.\n\nWhen connecting to an SMTP service, port 587 is typically reserved for plain-text connections. If you intended to connect to SMTP on the SSL port, try connecting to port 465 instead.', 'tls_mode_mismatch', 'mailkit', 'dotnet', /SecureSocketOptions/],
    ['System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.0 Must issue a STARTTLS command first.', 'starttls_unavailable', 'system-net-mail', 'dotnet', /EnableSsl/],
    ['System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 'auth_failed', 'system-net-mail', 'dotnet', /Microsoft 365|Authenticated SMTP/],
    ["org.springframework.mail.MailSendException: Mail server connection failed; nested exception is javax.mail.MessagingException: Could not connect to SMTP host: smtp.office365.com, port: 587;\n  nested exception is:\n\tjava.net.SocketTimeoutException: connect timed out", 'connect_timeout', 'spring-mail', 'java', /mail\.smtp\.connectiontimeout/],
    ['javax.mail.MessagingException: Could not connect to SMTP host: smtp.gmail.com, port: 25;\n  nested exception is:\n        javax.net.ssl.SSLException: Unrecognized SSL message, plaintext connection?', 'tls_mode_mismatch', 'javamail', 'java', /mail\.smtp\.starttls\.enable/],
    ['com.sun.mail.smtp.SMTPSendFailedException: 530 5.7.0 Must issue a STARTTLS command first', 'starttls_unavailable', 'javamail', 'java', /mail\.smtp\.starttls\.enable/],
  ])('%s -> %s', (text, outcome, client, source, advice) => {
    const e = one(text);
    expect(e).toMatchObject({ outcome, client, source });
    expect([e?.cause, ...(e?.fixes ?? [])].join(' ')).toMatch(advice);
  });

  it('the headline names the client and the port: "PHPMailer could not connect to port 587: timed out"', () => {
    const e = one('2018-04-25 05:00:30 Connection: opening to smtp.example.com:587, timeout=30, options=array ()\n2018-04-25 05:01:00 SMTP ERROR: Failed to connect to server: Connection timed out (110)');
    expect(e?.headline).toBe('PHPMailer could not connect to port 587: timed out');
  });

  it('bare reply lines without a library keyword are read by their codes', () => {
    expect(one('535 5.7.139 Authentication unsuccessful, basic authentication is disabled.')?.outcome).toBe('auth_failed');
    expect(one("(534, b'5.7.9 Application-specific password required. Learn more at')")?.outcome).toBe('auth_failed');
    expect(one('550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org')?.outcome).toBe('smtp_rejected');
    expect(one('MailKit.Net.Smtp.SmtpCommandException: 4.4.2 mx.example.com Error: timeout exceeded')?.outcome).toBe('timeout');
  });
});

describe("other clients' errors are never mail errors", () => {
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
    'Error: connect ENETUNREACH 2606:4700::6810:84e5:443',
    'TypeError: fetch failed',
  ];

  it.each(NOISE)('%s', (line) => {
    expect(classify(line).matches).toEqual([]);
  });

  it('all together: nothing recognised, every line counted, no cause guessed, no request to paste more of a long log', () => {
    const r = classify(onRender(NOISE));
    expect(r.lines).toEqual({ total: NOISE.length, blank: 0, recognised: 0, unrecognised: NOISE.length });
    expect(r.summary).toMatchObject({ events: 0, undetermined: 0, byOutcome: [], mostLikely: null });
    expect(r.summary.otherClientErrors).toBeGreaterThanOrEqual(4);
    expect(r.summary.text).toMatch(/^No mail error recognised/);
    expect(r.summary.text).not.toMatch(/Paste/);
    expect(classify('all good').summary.text).toMatch(/Paste the lines around the failure/);
  });

  it("a Redis refusal printed by Node: its `errno:` / `code:` lines stay Redis's", () => {
    const lines = ['Error: connect ECONNREFUSED 127.0.0.1:6379', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1247:16) {', '  errno: -111,', "  code: 'ECONNREFUSED',", "  syscall: 'connect',", "  address: '127.0.0.1',", '  port: 6379', '}'];
    const r = classify(lines.join('\n'));
    expect(r.matches).toEqual([]);
    expect(r.summary.otherClientErrors).toBe(1);
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

  it('a mail error next to a database error: the mail error alone is classified', () => {
    const r = classify(['Error: connect ECONNREFUSED 127.0.0.1:5432', '  errno: -111,', '', ...NODEMAILER_CONNECTION_TIMEOUT].join('\n'));
    expect(r.errors.map((e) => e.outcome)).toEqual(['connect_timeout']);
    expect(r.summary.otherClientErrors).toBe(1);
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
    expect(r.summary.byOutcome.map((o) => [o.outcome, o.events])).toEqual([
      ['network_unreachable', 2],
      ['greeting_timeout', 1],
      ['auth_failed', 1],
    ]);
    expect(r.summary.events).toBe(4);
    expect(r.summary.mostLikely).toMatchObject({ outcome: 'network_unreachable', events: 2 });
    expect(r.errors.map((e) => e.outcome)).toEqual(['network_unreachable', 'network_unreachable', 'greeting_timeout', 'auth_failed']);
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
    expect(r.errors[0]?.quote.length).toBeLessThanOrEqual(300);
  });

  it('every pattern id is unique', () => {
    const ids = PATTERNS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the text report shows the line that says it, never a bare `errno:` line', () => {
    const text = renderLogsText(classify(['{', '  errno: -111,', "  code: 'ECONNREFUSED',", "  syscall: 'connect',", "  address: '192.0.2.1',", '  port: 587,', "  command: 'CONN'", '}'].join('\n')));
    expect(text).toMatch(/connection_refused/);
    expect(text).not.toMatch(/^\s*errno:/m);
  });
});

describe('smtp-egress logs (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-logs-'));
  const file = join(dir, 'render.log');
  writeFileSync(file, onRender(DJANGO_ERRNO_101));
  const bare = join(dir, 'bare.log');
  writeFileSync(bare, 'OSError: [Errno 101] Network is unreachable\n');

  it('reads a file and prints what it found; exit 1 when mail errors are found', async () => {
    const r = await runCli(['logs', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/network_unreachable/);
    expect(r.stdout).toMatch(/Most likely network_unreachable/);
  });

  it('reads standard input with - (and with no file), --json gives the smtp-egress/logs@2 report', async () => {
    for (const argv of [['logs', '-', '--json'], ['logs', '--json']]) {
      const r = await runCli(argv, {}, NODEMAILER_GREETING.join('\n'));
      expect(r.code).toBe(1);
      const report = LogsReport.parse(JSON.parse(r.stdout));
      expect(report.schema).toBe('smtp-egress/logs@2');
      expect(report.summary.mostLikely?.outcome).toBe('greeting_timeout');
    }
  });

  it('--platform render adds its policy; an unknown platform is a usage error naming the flag', async () => {
    const plain = await runCli(['logs', bare, '--json']);
    expect(JSON.parse(plain.stdout).platform).toBeNull();
    const r = await runCli(['logs', bare, '--platform', 'render', '--json']);
    const report = LogsReport.parse(JSON.parse(r.stdout));
    expect(report.platform).toEqual({ name: 'render', from: 'option' });
    expect(report.summary.mostLikely?.cause).toMatch(/Render/);
    const bad = await runCli(['logs', bare, '--platform', 'nas']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--platform "nas" is not known/);
    // Run on a Render service itself, the deployment says where the logs come from.
    const onService = await runCli(['logs', bare, '--json'], { RENDER: 'true', RENDER_SERVICE_ID: 'srv-x' });
    expect(JSON.parse(onService.stdout).platform).toEqual({ name: 'render', from: 'deployment' });
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

  it('a platform field adds that platform’s policy', async () => {
    const res = await post(JSON.stringify({ logs: 'OSError: [Errno 101] Network is unreachable', platform: 'render' }));
    const report = LogsReport.parse(await res.json());
    expect(report.platform).toEqual({ name: 'render', from: 'option' });
    expect(report.summary.mostLikely?.cause).toMatch(/Render/);
  });

  it.each([
    ['no logs field', JSON.stringify({}), 'application/json', 400, 'missing_field'],
    ['logs not a string', JSON.stringify({ logs: 42 }), 'application/json', 400, 'invalid_input'],
    ['an unknown platform', JSON.stringify({ logs: '', platform: 'nas' }), 'application/json', 400, 'invalid_input'],
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
