// The log classifier: pasted logs in, every mail error in them mapped to the probe's outcome
// codes with the client that raised it, a cause and the fixes; a summary with counts and the most
// likely cause. It decides per error, not per line: the logs are cut into errors (a traceback
// chain, a printed error object, an exception with its frames), each error is tied to a mail
// client (its library, its frames, a mail port) or to another client (a database, an HTTP
// library), and only mail errors are classified: the `errno:` lines of a Redis refusal stay
// Redis's. It never guesses: a mail error that does not say which failure it is stays
// undetermined, and lines no pattern matches are counted as unrecognised.
import { maskCredentials } from '../security/redact.ts';
import { LOGS_SCHEMA_ID } from '../model/logs-codes.ts';
import type { Confidence, LogError, LogMatch, LogOutcome, LogSource, LogsPlatform, LogsReport, MailClient, OutcomeCount } from '../model/logs-report.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { ADVICE, CLIENT_LABEL, adviceFor, familyOf, platformAdvice, type Family, type NoteId } from './advice.ts';
import { MAIL_PORTS, endpointsIn, ownerOf, segment, type Endpoint, type LogEvent, type LogLine, type Owner } from './events.ts';
import { stripLogPrefixes } from './prefixes.ts';
import { RULES, isCandidate, type Hit, type RuleContext } from './rules.ts';

export { stripLogPrefixes } from './prefixes.ts';
export { RULES as PATTERNS } from './rules.ts';

/** Lines longer than this are matched on their first part only. */
const MAX_LINE_CHARS = 4096;
/** A match's `text` is cut to this many characters. */
const MAX_TEXT_CHARS = 300;
export const DEFAULT_MAX_MATCHES = 1000;
const NOT_BLANK = /\S/;
/** Distinct one-line errors remembered, so a memory of them stays bounded. */
const MAX_REPEATED = 2000;
/** How many lines after an error a wrapper that says nothing is folded into it. */
const WRAPPER_REACH = 2;
/** How many lines after a log line that announced a mail endpoint an error still takes its port. */
const ANNOUNCED_REACH = 10;
/** Errors listed in the report (the counts cover all of them). */
const MAX_ERRORS = 200;

export interface ClassifyOptions {
  /** List at most this many matches (counts still cover all). */
  maxMatches?: number;
  /** The platform the logs come from, as the caller says (`--platform`, the `platform` field): it wins. */
  platform?: string | null;
  /** The platform this runs on (the CLI on the app's own service): used when the logs do not tell. */
  deployment?: string | null;
}

interface LineHit {
  line: LogLine;
  rule: number;
  hit: Hit;
}

/** What the summary needs of every error; the full LogError is written only for those listed. */
interface Brief {
  c: Classified;
  event: number;
  outcome: LogOutcome | null;
  confidence: Confidence;
  client: MailClient | null;
  firstLine: number;
}

interface Classified {
  event: LogEvent;
  hits: LineHit[];
  defining: LineHit | null;
  client: MailClient | null;
  evidence: LogError['mailEvidence'];
  port: number | null;
  address: string | null;
}

/** The stack each client family belongs to. */
const SOURCE_OF_FAMILY: Record<Family, LogSource> = { python: 'python', node: 'node', phpmailer: 'php', symfony: 'php', ruby: 'ruby', go: 'go', smtpclient: 'dotnet', mailkit: 'dotnet', java: 'java', generic: 'smtp' };

export function classifyLogs(input: string, options: ClassifyOptions = {}): LogsReport {
  const maxMatches = options.maxMatches ?? DEFAULT_MAX_MATCHES;
  const rawLines = input.split(/\r\n|\n|\r/);
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();

  let blank = 0;
  let logPlatform: string | null = null;
  const lines: (LogLine | null)[] = rawLines.map((raw, index) => {
    const s = stripLogPrefixes(raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw, logPlatform === null);
    logPlatform ??= s.platform;
    if (!NOT_BLANK.test(s.text)) {
      blank += 1;
      return null;
    }
    return { index, text: s.text };
  });
  // The caller's word first, then the logs' own prefixes, then the machine this runs on.
  const platform: LogsPlatform | null = options.platform
    ? { name: options.platform, from: 'option' }
    : logPlatform
      ? { name: logPlatform, from: 'logs' }
      : options.deployment && options.deployment !== 'local'
        ? { name: options.deployment, from: 'deployment' }
        : null;

  const mailErrors: Classified[] = [];
  let otherClientErrors = 0;
  // The last mail endpoint a log line announced ("Connection: opening to smtp.example.com:587",
  // nodemailer's "Connection established to 52.98.89.34:465"): the port of an error right after it.
  let announced: { endpoint: Endpoint; line: number } | null = null;
  const repeated = new Map<string, { hit: LineHit | null; owner?: Owner }>();
  for (const event of segment(lines)) {
    const first = event.lines[0]?.index ?? 0;
    const near: Endpoint | null = announced && first - announced.line <= ANNOUNCED_REACH ? announced.endpoint : null;
    const facts: EventFacts = new EventFacts(event, near);
    // A one-line error repeated (a retry loop logs the same line thousands of times) is matched once.
    const only = event.lines.length === 1 && near === null ? event.lines[0] : undefined;
    const seen = only ? repeated.get(only.text) : undefined;
    const hits: LineHit[] = [];
    if (only && seen !== undefined) {
      if (seen.hit) hits.push({ ...seen.hit, line: only });
    } else {
      for (const line of event.lines) {
        if (event.context.has(line.index) || !isCandidate(line.text)) continue;
        const found = firstRule(line, facts.forLine(line.index));
        if (found) hits.push(found);
      }
      if (only && repeated.size < MAX_REPEATED) repeated.set(only.text, { hit: hits[0] ?? null });
    }
    if (hits.length === 0) {
      // Not an error: it may still announce the mail endpoint the next error is about.
      if (event.lines.some((l) => MAIL_PORT_HINT.test(l.text))) {
        const mail: Endpoint | undefined = facts.endpoints.find((e) => MAIL_PORTS.has(e.port));
        if (mail) announced = { endpoint: mail, line: event.lines[event.lines.length - 1]?.index ?? first };
      }
      continue;
    }
    const owner = seen?.owner ?? ownerOf(facts.eventText, facts.endpoints);
    if (only && seen && !seen.owner) seen.owner = owner;
    if (owner.kind === 'other') {
      otherClientErrors += 1;
      continue;
    }
    // A wrapper that says nothing ("SMTP connect() failed", "Failure sending mail.") right after
    // an error of the same client is that error's last line, not another error.
    const previous = mailErrors[mailErrors.length - 1];
    const previousEnd = previous?.event.lines[previous.event.lines.length - 1]?.index ?? -Infinity;
    if (previous && hits.every((h) => h.hit.outcome === null) && first - previousEnd <= WRAPPER_REACH && (owner.client === null || owner.client === previous.client)) {
      previous.event.lines.push(...event.lines);
      previous.hits.push(...hits);
      continue;
    }
    const endpoints: Endpoint[] = facts.endpoints;
    const defining = pickDefining(hits);
    const mailPort = endpoints.find((e) => MAIL_PORTS.has(e.port));
    const port = defining?.hit.port ?? mailPort?.port ?? endpoints[0]?.port ?? null;
    const address = defining?.hit.address ?? (mailPort ?? endpoints.find((e) => e.address !== null))?.address ?? null;
    mailErrors.push({ event, hits, defining, client: owner.client, evidence: owner.evidence, port, address });
  }

  // Every error is counted; only the listed ones (and the most likely) are written out in full.
  const briefs: Brief[] = mailErrors.map((c, i) => ({ c, event: i + 1, outcome: c.defining?.hit.outcome ?? null, confidence: c.defining ? (c.defining.hit.confidence ?? 'high') : 'medium', client: c.client, firstLine: (c.event.lines[0]?.index ?? 0) + 1 }));
  const written = new Map<number, LogError>();
  const full = (b: Brief): LogError => {
    let e = written.get(b.event);
    if (!e) written.set(b.event, (e = toLogError(b.c, b.event, platform?.name ?? null)));
    return e;
  };
  const lineOutcomes = mailErrors.flatMap((c) => c.hits.map((h) => matchOutcome(h, c)));
  const matchCount = lineOutcomes.length;
  const matches: LogMatch[] = [];
  for (const [i, c] of mailErrors.entries()) {
    for (const h of c.hits) {
      if (matches.length >= maxMatches) break;
      matches.push(toMatch(h, i + 1, c));
    }
  }
  const total = rawLines.length;
  const recognised = matchCount;
  const unrecognised = total - blank - recognised;
  const summary = summarise(briefs, lineOutcomes, otherClientErrors, full);
  summary.text = summaryText(summary, { total, recognised, unrecognised }, lines);
  return {
    schema: LOGS_SCHEMA_ID,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    lines: { total, blank, recognised, unrecognised },
    platform,
    errors: orderErrors(briefs, summary.byOutcome).slice(0, MAX_ERRORS).map(full),
    matches,
    matchesTruncated: matchCount > matches.length,
    summary,
  };
}

/** A mail port written anywhere in a line: the cheap test before the endpoints are parsed. */
const MAIL_PORT_HINT = /[:\s,(](?:25|465|587|2525|2587|2465)\b/;

/**
 * What the rules may read of an error, computed once and only when a rule asks; one object per
 * error, its `traceback` set for the line being matched.
 */
class EventFacts implements RuleContext {
  traceback: RuleContext['traceback'] = null;
  #text: string | null = null;
  #endpoints: Endpoint[] | null = null;
  #fns: Set<string> | null = null;

  constructor(
    private readonly event: LogEvent,
    private readonly announced: Endpoint | null,
  ) {}

  get eventText(): string {
    this.#text ??= this.event.lines.map((l) => l.text).join('\n');
    return this.#text;
  }

  get endpoints(): Endpoint[] {
    if (!this.#endpoints) {
      this.#endpoints = this.event.lines.flatMap((l) => endpointsIn(l.text));
      if (this.#endpoints.length === 0 && this.announced) this.#endpoints.push(this.announced);
    }
    return this.#endpoints;
  }

  get fns(): Set<string> {
    this.#fns ??= new Set([...this.event.tracebacks.values()].flatMap((t) => t.fns));
    return this.#fns;
  }

  forLine(index: number): RuleContext {
    this.traceback = this.event.tracebacks.get(index) ?? null;
    return this;
  }
}

function firstRule(line: LogLine, ctx: RuleContext): LineHit | null {
  for (let rule = 0; rule < RULES.length; rule += 1) {
    const r = RULES[rule];
    if (!r) continue;
    const m = r.re.exec(line.text);
    if (!m) continue;
    const hit = r.hit(m, ctx);
    if (hit) return { line, rule, hit };
  }
  return null;
}

/** The line that decides the error: one that says the outcome, outright before "fits", earliest rule first. */
function pickDefining(hits: readonly LineHit[]): LineHit | null {
  let best: LineHit | null = null;
  const rank = (h: LineHit) => (h.hit.outcome === null ? 2 : h.hit.confidence === 'medium' ? 1 : 0);
  for (const h of hits) {
    if (h.hit.outcome === null) continue;
    if (!best || rank(h) < rank(best) || (rank(h) === rank(best) && h.rule < best.rule)) best = h;
  }
  return best;
}

function sourceOf(c: Classified, h: LineHit | null): LogSource {
  if (c.client) return SOURCE_OF_FAMILY[familyOf(c.client, 'smtp')];
  const own = h ? RULES[h.rule]?.source : null;
  if (own) return own;
  const text = c.event.lines.map((l) => l.text).join('\n');
  if (/Traceback|File "|\[(?:Errno|WinError) /.test(text)) return 'python';
  if (/\bat .*\.[mc]?js:\d|node:|Error: (?:connect|getaddrinfo|read) /.test(text)) return 'node';
  if (/\.php\b|stream_socket_client/.test(text)) return 'php';
  if (/\.rb:\d|Errno::|Net::|SSL_connect returned=/.test(text)) return 'ruby';
  if (/dial tcp|\.go:\d/.test(text)) return 'go';
  if (/System\.\w+\.|\.cs:line|ExtendedSocketException/.test(text)) return 'dotnet';
  if (/\bjava\.|javax\.|jakarta\./.test(text)) return 'java';
  return 'smtp';
}

/** A line that says nothing alone (ESOCKET, a bare `code:` property) shows its error's outcome. */
const adopts = (h: LineHit, c: Classified) => c.defining !== null && (h.hit.outcome === null || BARE_PROPERTY.test(h.line.text));
const matchOutcome = (h: LineHit, c: Classified): LogOutcome | null => (adopts(h, c) ? (c.defining?.hit.outcome ?? null) : h.hit.outcome);

function toMatch(h: LineHit, event: number, c: Classified): LogMatch {
  const adopt = adopts(h, c);
  return {
    line: h.line.index + 1,
    text: cut(h.line.text.trim()),
    pattern: RULES[h.rule]?.id ?? 'unknown',
    source: RULES[h.rule]?.source ?? sourceOf(c, h),
    outcome: adopt ? (c.defining?.hit.outcome ?? null) : h.hit.outcome,
    confidence: (adopt ? c.defining?.hit.confidence : h.hit.confidence) ?? 'high',
    errno: h.hit.errno ?? null,
    port: h.hit.port ?? null,
    tlsReason: (adopt ? c.defining?.hit.tlsReason : h.hit.tlsReason) ?? null,
    event,
  };
}

function toLogError(c: Classified, event: number, platform: string | null): LogError {
  const d = c.defining;
  const outcome = d?.hit.outcome ?? null;
  const source = sourceOf(c, d);
  const family = familyOf(c.client, source);
  const note: NoteId | null = d?.hit.note ?? (outcome === null ? (c.hits.find((h) => h.hit.note)?.hit.note ?? null) : null);
  let cause: string;
  let fixes: string[];
  if (outcome) {
    ({ cause, fixes } = adviceFor(outcome, family, note));
    const p = platformAdvice(platform, outcome, c.port);
    if (p) {
      cause = `${cause} ${p.cause}`;
      if (p.fix) fixes = [p.fix, ...fixes];
    }
  } else {
    cause = note ? adviceFor('timeout', family, note).cause : 'A mail error that does not say which failure it is.';
    fixes = [adviceFor('connect_timeout', family, null).fixes.find((f) => f.includes('smtp-egress probe')) ?? ''];
  }
  const lines = c.event.lines;
  return {
    event,
    firstLine: (lines[0]?.index ?? 0) + 1,
    lastLine: (lines[lines.length - 1]?.index ?? 0) + 1,
    outcome,
    confidence: d ? (d.hit.confidence ?? 'high') : 'medium',
    source,
    client: c.client,
    mailEvidence: c.evidence,
    definingLine: d ? d.line.index + 1 : null,
    port: c.port,
    address: c.address,
    errno: d?.hit.errno ?? c.hits.find((h) => h.hit.errno)?.hit.errno ?? null,
    tlsReason: d?.hit.tlsReason ?? null,
    quote: cut((d && !BARE_PROPERTY.test(d.line.text) ? d.line : (lines.find((l) => !BARE_PROPERTY.test(l.text)) ?? lines[0]))?.text.trim() ?? ''),
    headline: headline(outcome, c.client, c.port, note),
    cause,
    fixes: fixes.filter((f) => f !== ''),
  };
}

/** `errno: -111,`, `code: 'ESOCKET'`: says something only with the error it belongs to. */
const BARE_PROPERTY = /^\s*['"]?(?:errno|code|syscall|address|port|command|hostname)['"]?\s*:/;

/** One sentence that names the client: "PHPMailer could not connect to port 587: timed out". */
function headline(outcome: LogOutcome | null, client: MailClient | null, port: number | null, note: NoteId | null): string {
  const who = client ? CLIENT_LABEL[client] : 'The mail client';
  const to = port !== null ? ` to port ${port}` : '';
  const on = port !== null ? ` on port ${port}` : '';
  switch (outcome) {
    case 'network_unreachable': return `${who} could not connect${to}: the network is unreachable`;
    case 'host_unreachable': return `${who} could not connect${to}: no route to the host`;
    case 'connect_timeout': return note === 'worker-timeout' ? `${who} hung connecting${to} until gunicorn killed the worker (WORKER TIMEOUT)` : `${who} could not connect${to}: timed out`;
    case 'connection_refused': return `${who} could not connect${to}: connection refused`;
    case 'dns_failed': return note === 'dns-server' ? `${who} could not look up the mail host: the DNS server failed` : `${who} could not resolve the mail host name`;
    case 'connection_reset': return `${who}: the server closed or reset the connection${on}`;
    case 'greeting_timeout': return `${who} connected${to}, but the server never sent its greeting`;
    case 'smtp_rejected': return `${who}: the server refused${on} (a 4xx/5xx reply)`;
    case 'tls_mode_mismatch': return note === 'wrong-version-in-starttls' ? `${who}: STARTTLS${on} did not lead to TLS (WRONG_VERSION_NUMBER inside starttls())` : `${who}: the TLS mode does not match the port${port !== null ? ` ${port}` : ''}`;
    case 'starttls_unavailable': return note === 'starttls-required' ? `${who}: the server requires STARTTLS${on} and the client did not use it` : `${who}: STARTTLS is not available${on}`;
    case 'tls_failed': return `${who}: the TLS handshake${on} failed`;
    case 'auth_failed': return `${who}: the server refused the login${on}`;
    case 'auth_unavailable': return `${who}: the server offers no login (AUTH)${on}`;
    case 'timeout': return `${who} connected${to}, then a later step timed out`;
    case 'settings_conflict': return 'Django refused the settings: EMAIL_USE_TLS and EMAIL_USE_SSL are both True';
    case 'local_error': return `${who}: this machine refused to open the connection${to}`;
    case 'blocked_by_policy': return `${who}: the connection${to} was refused by an address policy`;
    case 'ok': return `${who}: no failure`;
    default: return `${who}: a mail error that does not say which failure it is`;
  }
}

// Echoed lines are masked where they look like credentials: pasted logs often hold a password.
const cut = (raw: string) => {
  const s = maskCredentials(raw);
  return s.length > MAX_TEXT_CHARS ? `${s.slice(0, MAX_TEXT_CHARS - 3)}...` : s;
};

/** Earlier in the connection comes first: when counts tie, the more basic failure explains more. */
const ROOT_ORDER: readonly LogOutcome[] = [
  'settings_conflict',
  'network_unreachable',
  'host_unreachable',
  'connect_timeout',
  'connection_refused',
  'dns_failed',
  'blocked_by_policy',
  'local_error',
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

function orderErrors(errors: Brief[], byOutcome: readonly OutcomeCount[]): Brief[] {
  const order = new Map(byOutcome.map((o, i) => [o.outcome, i]));
  const rank = (e: Brief) => (e.outcome === null ? byOutcome.length : (order.get(e.outcome) ?? byOutcome.length));
  return [...errors].sort((a, b) => rank(a) - rank(b) || (a.confidence === b.confidence ? 0 : a.confidence === 'high' ? -1 : 1) || a.firstLine - b.firstLine);
}

function summarise(errors: Brief[], lineOutcomes: readonly (LogOutcome | null)[], otherClientErrors: number, full: (b: Brief) => LogError): LogsReport['summary'] {
  const counts = new Map<LogOutcome, OutcomeCount>();
  for (const e of errors) {
    if (!e.outcome) continue;
    const c = counts.get(e.outcome) ?? { outcome: e.outcome, events: 0, lines: 0 };
    c.events += 1;
    counts.set(e.outcome, c);
  }
  for (const o of lineOutcomes) {
    const c = o ? counts.get(o) : undefined;
    if (c) c.lines += 1;
  }
  // Most errors first; on a tie, the outcome more errors say outright, then the earlier failure.
  const highCount = new Map<LogOutcome, number>();
  for (const e of errors) if (e.outcome && e.confidence === 'high') highCount.set(e.outcome, (highCount.get(e.outcome) ?? 0) + 1);
  const high = (o: LogOutcome) => highCount.get(o) ?? 0;
  const byOutcome = [...counts.values()].sort((a, b) => b.events - a.events || high(b.outcome) - high(a.outcome) || ROOT_ORDER.indexOf(a.outcome) - ROOT_ORDER.indexOf(b.outcome));
  const undetermined = errors.filter((e) => e.outcome === null).length;
  const top = byOutcome[0];
  let mostLikely: LogsReport['summary']['mostLikely'] = null;
  if (top) {
    const its = errors.filter((e) => e.outcome === top.outcome);
    const brief = its.find((e) => e.confidence === 'high' && e.client) ?? its.find((e) => e.confidence === 'high') ?? its[0];
    if (brief) {
      const best = full(brief);
      mostLikely = {
        outcome: top.outcome,
        confidence: best.confidence,
        events: top.events,
        client: best.client,
        headline: best.headline,
        summary: ADVICE[top.outcome].summary,
        cause: best.cause,
        fixes: best.fixes,
      };
    }
  }
  return { events: errors.length, undetermined, otherClientErrors, byOutcome, mostLikely, text: '' };
}

function summaryText(s: LogsReport['summary'], lines: { total: number; recognised: number; unrecognised: number }, input: readonly (LogLine | null)[]): string {
  const counted = `${lines.recognised} of ${lines.total} lines recognised, ${lines.unrecognised} unrecognised`;
  const others = s.otherClientErrors > 0 ? ` ${s.otherClientErrors} error${s.otherClientErrors === 1 ? '' : 's'} of other clients (a database, an HTTP call) left alone.` : '';
  // Ask for more only of someone who pasted a line or two, never of someone who pasted a traceback.
  const short = input.filter((l) => l !== null).length <= 3;
  if (!s.mostLikely) {
    if (s.events > 0) return `${s.events} mail error${s.events === 1 ? '' : 's'} found, none saying which failure it is (${counted}).${others} Run \`smtp-egress probe\` from the same place to see which step fails.`;
    return `No mail error recognised (${counted}).${others}${short ? ' Paste the lines around the failure: the whole traceback or the printed error object.' : ''}`;
  }
  const m = s.mostLikely;
  return `Most likely ${m.outcome} (${m.events} of ${s.events} mail error${s.events === 1 ? '' : 's'}): ${m.headline}. ${counted[0]?.toUpperCase()}${counted.slice(1)}.${others}`;
}

export type { Confidence };
