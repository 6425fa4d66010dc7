// Pasted logs cut into errors (events): a Python traceback chain, a printed JS error object with
// its stack and properties, a Java or .NET exception with its frames and causes, a Ruby backtrace.
// Each event is then judged whole: which client raised it (a mail client by its library name,
// frames or a mail port; another client by its own) and what it says.
import type { MailClient } from '../model/logs-report.ts';

export interface LogLine {
  /** 0-based index in the input. */
  index: number;
  text: string;
}

/** One Python traceback's frames, attached to the exception line that ends it. */
export interface Traceback {
  files: string[];
  fns: string[];
  code: string[];
}

export interface LogEvent {
  lines: LogLine[];
  /** Exception line index -> the traceback above it. */
  tracebacks: Map<number, Traceback>;
  /** Lines that are context, never evidence: Python frames and their source lines, stack frames. */
  context: Set<number>;
}

/** An event longer than this is cut into several (a paste of indented lines is not one error). */
const MAX_EVENT_LINES = 400;

const TRACEBACK = /Traceback \(most recent call last\):\s*$/;
const CHAIN = /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
export const FRAME = /^\s*File "([^"]*)", line \d+, in (\S+)/;
const CONTINUATION =
  /^(?:at\s|Caused by:|caused by:|\s*nested exception is|-{2,3}>|--- End of|Stack ?[Tt]race:?|\[stacktrace\]|## |#\d+ |\.\.\.|\(\d+ additional frame|\[Inner Exception\]|Exception (?:Type|Value|Location|Details):|Message:|from \S+:\d+:in |\S+\.rb:\d+:in |\d+: +\S+ -> |[}\])]|Emitted 'error' event|['"]?(?:code|errno|syscall|address|port|command|response|responseCode|hostname|host|stage|reason|cause|stack|smtp_error|last_error\w*)['"]?\s*:|"[\w$]+"\s*:)/;
/** A stack frame of JS, Java, .NET, Ruby or PHP: where, not what. */
const STACK_FRAME = /^\s*(?:at\s+\S|from \S+:\d+:in |#\d+ \S)/;
/** A dotted exception name (MailKit.Security.SslHandshakeException): its message may run over several paragraphs. */
const DOTTED_EXCEPTION = /\b[A-Z]\w*(?:\.\w+)+(?:Exception|Error)\b/;
const LOOKS_LIKE_HEADER = /^(?:\S*(?:Error|Exception)\b|Error\b|Traceback|\{|\[)/;

export function segment(lines: readonly (LogLine | null)[]): LogEvent[] {
  const events: LogEvent[] = [];
  let cur = null as LogEvent | null;
  let tb: Traceback | null = null;
  let chained = false;
  let tbDone = false;
  let prose = false;
  let last = -2;

  const start = (l: LogLine) => {
    cur = { lines: [l], tracebacks: new Map(), context: new Set() };
    events.push(cur);
    chained = false;
    tbDone = false;
    prose = (l.text.includes('Exception') || l.text.includes('Error')) && DOTTED_EXCEPTION.test(l.text);
  };

  for (const l of lines) {
    if (!l) continue;
    const t = l.text;
    const ev = cur;
    const full = ev !== null && ev.lines.length >= MAX_EVENT_LINES;
    if (t.includes('Traceback') && TRACEBACK.test(t)) {
      // A traceback joins the error it continues (a chain), or the log line right above it
      // ("Error sending e-mail" then the traceback); otherwise it starts one.
      if (ev && !full && (chained || (!tbDone && last === l.index - 1))) ev.lines.push(l);
      else start(l);
      tb = { files: [], fns: [], code: [] };
      chained = false;
      last = l.index;
      continue;
    }
    if (CHAIN.test(t) && ev && !full) {
      ev.lines.push(l);
      chained = true;
      last = l.index;
      continue;
    }
    const frame = FRAME.exec(t);
    if (tb && !frame && !/^\s/.test(t) && ev) {
      // The exception line that ends the traceback.
      ev.lines.push(l);
      ev.tracebacks.set(l.index, tb);
      tb = null;
      tbDone = true;
      chained = false;
      last = l.index;
      continue;
    }
    const continues = ev !== null && !full && (/^\s/.test(t) || frame !== null || CONTINUATION.test(t) || (prose && !LOOKS_LIKE_HEADER.test(t) && l.index - last <= 2));
    if (continues && ev) ev.lines.push(l);
    else start(l);
    if (cur && (frame || tb || STACK_FRAME.test(t))) cur.context.add(l.index);
    if (frame) {
      tb ??= { files: [], fns: [], code: [] };
      tb.files.push(frame[1] ?? '');
      tb.fns.push(frame[2] ?? '');
    } else if (tb && !/^\s*[~^]+\s*$/.test(t)) {
      tb.code.push(t.trim());
    }
    last = l.index;
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Whose error it is

/** Mail clients by their library names, classes and frames; the first that matches names the client. */
const MAIL_CLIENTS: readonly [MailClient, RegExp][] = [
  ['django', /django[\\/.]core[\\/.]mail|\bEMAIL_USE_(?:TLS|SSL)\b|\bEMAIL_HOST\b/],
  ['aiosmtplib', /aiosmtplib/],
  ['actionmailer', /ActionMailer|action_mailer|MailDeliveryJob|\bDeliveryJob\b/],
  ['net-smtp', /Net::SMTP|net[\\/]smtp\.rb|net-smtp-|\bmail[\\/]network[\\/]delivery_methods|tlsmail/],
  ['smtplib', /smtplib|\bSMTP(?:Authentication|ServerDisconnected|SenderRefused|RecipientsRefused|Data|Connect|Helo|NotSupported|Response)Error\b|\bSMTPException\b|\bsmtplib\.SMTP/],
  ['nodemailer', /nodemailer|smtp-connection|smtp-transport|smtp-pool|SMTPConnection|\bcode:\s*'E(?:SOCKET|AUTH|ENVELOPE|MESSAGE|CONNECTION|DNS|TLS|STREAMING|PROTOCOL)'|"code"\s*:\s*"E(?:SOCKET|AUTH|ENVELOPE|CONNECTION|DNS|TLS)"|command:\s*'(?:CONN|AUTH[^']*|API)'|Greeting never received|Invalid login:|Invalid greeting/],
  ['emailjs', /emailjs|while connecting to smtp server/],
  ['phpmailer', /PHPMailer|class\.smtp\.php|SMTP ERROR:|SMTP -> ERROR|SMTP connect\(\) failed|Mailer Error/],
  ['symfony-mailer', /Symfony\\+Component\\+Mailer|symfony[\\/]mailer|MAILER_DSN/],
  ['swiftmailer', /Swift_|swiftmailer/i],
  ['go-simple-mail', /go-simple-mail|xhit\/go-simple-mail|\bMail Error(?: on \w+)?:/],
  ['gomail', /gomail/],
  ['go-net-smtp', /\bnet\/smtp\b|\bsmtp\.(?:Dial|SendMail|PlainAuth|NewClient)\b|error authenticating: unencrypted connection|error while dialing SMTP/i],
  ['mailkit', /MailKit|MimeKit|SmtpCommandException|SslHandshakeException|AuthenticationInvalidCredentials/],
  ['system-net-mail', /System\.Net\.Mail|SmtpException|SmtpClient|Send-MailMessage|The SMTP server requires a secure connection|Failure sending mail|Server does not support secure connections/],
  ['spring-mail', /org\.springframework\.mail|\bo\.s\.m\.|MailSendException|MailAuthenticationException|JavaMailSender/],
  ['javamail', /javax\.mail|jakarta\.mail|com\.sun\.mail|angus\.mail|\bj\.m\.|\bc\.s\.m\.s\.|SMTPTransport|SMTPSendFailedException|MailConnectException|AuthenticationFailedException|Could not connect to SMTP host|Could not convert socket to TLS|jodd\.mail/],
];

/** Words that say "mail" without naming a library: enough when nothing says another client. */
const MAIL_TEXT = /smtp|\be-?mail|\bmail(?:er|s)?\b|sendmail|send_mail|gsmtp|\bMAIL FROM\b|\bRCPT\b|\bEHLO\b/i;

/** Other clients: databases, caches, queues, HTTP libraries. Their errors are never mail errors. */
const OTHER_CLIENT =
  /\b(?:psycopg2?|postgres(?:ql)?|PG::\w+|libpq|redis(?:client)?|ioredis|mysql2?|mysqli|mongo(?:db|ose)?|Mongo\w*Error|amqp|kombu|rabbitmq|memcached?|elasticsearch|SQLSTATE|JDBC|Communications link failure|sqlalchemy|django\.db|urllib3|requests\.(?:exceptions|packages)|HTTPS?ConnectionPool|NewConnectionError|Failed to establish a new connection|httpx|httpcore|aiohttp|httplib|http\.client|undici|fetch failed|axios|AxiosError|node-fetch|Guzzle\w*|cURL error|HttpClient|HttpRequestException|ConnectTimeoutError|UND_ERR_\w+|ERR_SOCKET_CONNECTION_TIMEOUT|_http_client|RedirectableRequest|websocket|grpc|Error posting to https?:|APIConnectionError|AnymailRequestsAPIError|Net::HTTP|Faraday|HTTParty|RestClient)\b|[\\/]node_modules[\\/](?:pg|pg-pool|redis|ioredis|mongodb|mysql2?|undici|axios|node-fetch|got|request)[\\/]|[\\/](?:requests|urllib3|redis|pymongo|psycopg2?)[\\/]|net[\\/]http\.rb/i;

export const MAIL_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 2525, 2587, 2465]);
/** Ports of the other clients seen in real logs: HTTP(S), databases, caches, queues. */
const OTHER_PORTS: ReadonlySet<number> = new Set([80, 443, 8080, 8443, 8009, 5432, 5433, 6379, 6380, 3306, 27017, 11211, 9200, 5672, 5671, 1433, 1521, 9092, 2181]);

/** A source location (`file.py:443:`, `index.js:774:19`): a line number, never a port. */
const SOURCE_FILE = /\.(?:py|pyx|js|mjs|cjs|ts|tsx|jsx|rb|php|java|kt|scala|cs|go|c|h|cpp|rs|ex|exs|erl|pl|lua)$/i;
/** `:587` after a host; `:443:` or `:12:5` is a line:column, never a port. */
const COLON_PORT = /:(\d{2,5})(?!\w|:\d)/g;
/** The host right before a `:port`: IPv4, [IPv6], IPv6 with the port run on, a name, localhost. */
const HOST_BEFORE = /(?:^|[^\w.-])(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}|(?:[A-Za-z0-9_-]+\.)+[A-Za-z]{2,}|localhost)$/;
/** How far back from `:port` the host may start (a long IPv6 address or host name). */
const HOST_REACH = 80;
const PORT_WORD = /\bport(?:\s*[:=]\s*|\s+|\s*\(\s*)'?(\d{2,5})\b|\bhost, port: [^,;\s]+, (\d{2,5})\b/gi;

export interface Endpoint {
  address: string | null;
  port: number;
}

/** Every host:port and `port N` in a line, source locations left out. */
export function endpointsIn(text: string): Endpoint[] {
  const out: Endpoint[] = [];
  if (text.includes(':')) {
    COLON_PORT.lastIndex = 0;
    for (let m = COLON_PORT.exec(text); m; m = COLON_PORT.exec(text)) {
      const host = HOST_BEFORE.exec(text.slice(Math.max(0, m.index - HOST_REACH), m.index))?.[1];
      if (host === undefined || SOURCE_FILE.test(host)) continue;
      const port = Number(m[1]);
      if (port > 0 && port < 65536) out.push({ address: host.replace(/^\[|\]$/g, '').replace(/:$/, ''), port });
    }
  }
  if (/port/i.test(text)) {
    PORT_WORD.lastIndex = 0;
    for (let m = PORT_WORD.exec(text); m; m = PORT_WORD.exec(text)) {
      const port = Number(m[1] ?? m[2]);
      if (port > 0 && port < 65536) out.push({ address: null, port });
    }
  }
  return out;
}

export type Owner = { kind: 'mail'; client: MailClient | null; evidence: 'library' | 'port' | 'text' | 'none' } | { kind: 'other' };

export function ownerOf(text: string, endpoints: readonly Endpoint[]): Owner {
  for (const [client, re] of MAIL_CLIENTS) if (re.test(text)) return { kind: 'mail', client, evidence: 'library' };
  if (endpoints.some((e) => MAIL_PORTS.has(e.port))) return { kind: 'mail', client: null, evidence: 'port' };
  if (OTHER_CLIENT.test(text) || endpoints.some((e) => OTHER_PORTS.has(e.port))) return { kind: 'other' };
  return { kind: 'mail', client: null, evidence: MAIL_TEXT.test(text) ? 'text' : 'none' };
}
