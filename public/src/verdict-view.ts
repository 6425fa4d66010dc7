// Every verdict on the page (a probe's, a comparison's, the logs') goes through verdictView: a
// heading that states the finding, the summary, the likely causes and the fixes, with the
// sources as links. The diagnosis writes the words; this file only picks a short heading for a
// code and lays the parts out. When a verdict carries an ordered `findings` list (probe@2), the
// first finding is the heading and summary, the others follow under "Also found", and each fix
// says whether this run proved it; the app's predicted behaviour is shown when the report has it.
import { capitalize, h, prose } from './dom.ts';
import { TONE_SYMBOL, type Tone } from './outcomes.ts';

/** A fix as the diagnosis writes it: text, or text with whether this run proved it works. */
export type FixLike = string | { text: string; verified?: string | null };

/** One finding of a verdict, as the diagnosis orders them (the first is the verdict). */
export interface FindingLike {
  code: string;
  level?: string;
  summary: string;
  fixes?: readonly FixLike[];
  /** The ports the finding is about. */
  ports?: readonly number[];
}

export interface VerdictLike {
  code: string;
  summary: string;
  causes: readonly string[];
  fixes: readonly string[];
  findings?: readonly FindingLike[];
  /** What the app's own mail client will do on its configured path. */
  prediction?: { summary: string } | null;
}

export interface VerdictOptions {
  /** The heading level that fits where the verdict sits in the page's outline. */
  level: 2 | 3 | 4;
  tone: Tone;
  /** What states the finding, e.g. "Port 587 is blocked from Render". */
  title: string;
  /** A small line above the heading: what kind of verdict this is ("Verdict", "Comparison"). */
  kicker: string;
  /** The heading's id (focus goes there after a probe). */
  headingId?: string;
}

const HEADING = { 2: 'h2', 3: 'h3', 4: 'h4' } as const;
const SUB = { 2: 'h3', 3: 'h4', 4: 'h5' } as const;

const VERIFIED: Record<string, string> = { this_run: 'tried in this run', evidence: 'shown by this report' };

/** The fixes in order, once each: the findings' own (with whether they were proven), else the verdict's. */
function fixList(v: VerdictLike): { text: string; verified: string | null }[] {
  const all = (v.findings ?? []).flatMap((f) => f.fixes ?? []).map((f) => (typeof f === 'string' ? { text: f, verified: null } : { text: f.text, verified: f.verified ?? null }));
  const seen = new Set<string>();
  return (all.length > 0 ? all : v.fixes.map((text) => ({ text, verified: null }))).filter((f) => !seen.has(f.text) && seen.add(f.text));
}

let verdictCount = 0;

export function verdictView(v: VerdictLike, o: VerdictOptions): HTMLElement {
  const headingId = o.headingId ?? `verdict-${(verdictCount += 1)}`;
  const sub = SUB[o.level];
  const [first, ...more] = v.findings ?? [];
  const fixes = fixList(v);
  const summary = first?.summary ?? v.summary;
  // The diagnosis may already say it in the summary: then it is not said twice.
  const prediction = v.prediction && !summary.includes(v.prediction.summary) ? v.prediction.summary : null;
  return h(
    'section',
    { class: `verdict tone-${o.tone}`, 'aria-labelledby': headingId, 'data-code': v.code },
    h('p', { class: 'kicker' }, o.kicker),
    h(HEADING[o.level], { id: headingId, tabindex: o.headingId ? -1 : null }, h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[o.tone]), ' ', o.title),
    h('p', { class: 'summary' }, ...prose(summary)),
    prediction && h('p', { class: 'prediction' }, h('strong', {}, 'What your app will do: '), ...prose(prediction)),
    more.length > 0 && [
      h(sub, { class: 'sub' }, 'Also found'),
      h('ul', { class: 'findings' }, more.map((f) => h('li', { 'data-code': f.code, 'data-level': f.level ?? null }, f.level && h('span', { class: `level level-${f.level}` }, `${f.level}: `), ...prose(f.summary)))),
    ],
    v.causes.length > 0 && [h(sub, { class: 'sub' }, 'Likely cause'), h('ul', {}, v.causes.map((c) => h('li', {}, ...prose(c))))],
    fixes.length > 0 && [
      h(sub, { class: 'sub' }, 'What to do'),
      h('ol', {}, fixes.map((f) => h('li', {}, ...prose(f.text), f.verified && h('span', { class: 'verified' }, ` (✓ ${VERIFIED[f.verified] ?? f.verified})`)))),
    ],
    h('p', { class: 'code' }, 'verdict code ', h('code', {}, v.code)),
  );
}

/** The first sentence of a summary: the heading for a code this page has no words for. */
export function firstSentence(summary: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(summary);
  const s = (m?.[1] ?? summary).trim();
  return s.length <= 120 ? s.replace(/\.$/, '') : `${s.slice(0, 117).replace(/\s+\S*$/, '')}…`;
}

/** "A", "A and B", "A, B and C". */
const listOf = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** "Port 587 is", "Ports 465 and 587 are": a finding's ports as the subject of a heading. */
function portsSubject(ports: readonly number[], one: string, many: string): string {
  const list = listOf([...new Set(ports)].sort((a, b) => a - b).map(String));
  return ports.length === 0 ? '' : new Set(ports).size === 1 ? `Port ${list} ${one}` : `Ports ${list} ${many}`;
}

/** A probe report's verdict heading, by its first finding's code; `where` is the network ("Render (oregon)"). */
const PROBE_TITLES: Record<string, (where: string, ports: readonly number[]) => string> = {
  configured_ok: (w) => `Your mail settings work from ${w}`,
  all_ok: (w) => `Mail gets out of ${w}`,
  settings_conflict: () => 'Your mail settings contradict each other',
  plaintext_login: () => 'The login would cross the network unencrypted',
  boolean_misread: () => 'A TLS setting is not read the way it is written',
  timeout_unset: () => 'No timeout on the mail connection',
  nothing_probed: () => 'Nothing was probed',
  blocked_by_policy: () => 'Not probed: the address guard refused the target',
  local_error: (w) => `This machine could not open a connection (${w})`,
  dns_failed: (w) => `The mail server’s name does not resolve from ${w}`,
  egress_blocked: (w, p) => portsSubject(p, `is blocked from ${w}`, `are blocked from ${w}`) || `Some SMTP ports are blocked from ${w}`,
  egress_blocked_all: (w) => `No SMTP port gets out of ${w}`,
  port_refused: (_w, p) => portsSubject(p, 'refuses the connection', 'refuse the connection') || 'A port refuses the connection',
  ipv6_only_failure: (w) => `IPv6 fails from ${w}, IPv4 gets out`,
  ipv6_fallback_cost: () => 'IPv6 fails first, then IPv4 works: every send waits',
  server_rejected: () => 'The mail server refuses the SMTP dialogue',
  server_unresponsive: () => 'The server stalls after the connection opens',
  tls_misconfigured: () => 'The TLS setting does not match the port',
  tls_certificate: () => 'The server’s TLS certificate is not accepted',
  starttls_unavailable: () => 'The server offers no working STARTTLS',
  auth_failed: () => 'The server rejected the login',
  auth_unavailable: () => 'The server offers no login this client can use',
  port_not_served: (_w, p) => portsSubject(p, 'is not served by the mail server', 'are not served by the mail server') || 'A port is not served by the mail server',
  alternative_blocked: (w, p) => portsSubject(p, `is blocked from ${w} too`, `are blocked from ${w} too`) || `An alternative port is blocked from ${w}`,
  mixed: () => 'Some attempts did not succeed',
};

export function probeTitle(v: VerdictLike, where: string): string {
  const first = v.findings?.[0];
  const t = PROBE_TITLES[first?.code ?? v.code];
  return capitalize(t ? t(where, first?.ports ?? []) : firstSentence(first?.summary ?? v.summary));
}

/** The colour of a verdict: its first finding's level when it has findings (probe@2). */
export function findingTone(v: VerdictLike): Tone | null {
  const level = v.findings?.[0]?.level;
  return level === 'error' ? 'blocked' : level === 'warning' ? 'config' : level === 'info' ? 'ok' : null;
}


/**
 * A comparison's heading, by code. `labels` are the networks in column order, `blocked` those
 * that some row finds blocked (compare@1 names the side in the code, compare@2 in the rows).
 */
export function compareTitle(code: string, labels: readonly string[], blocked: readonly string[], allOk: boolean, summary: string): string {
  const [a = 'A', b = 'B'] = labels;
  const everyone = labels.length === 2 ? `${a} and ${b}` : 'every network';
  const others = labels.filter((l) => !blocked.includes(l));
  const blocks = () =>
    blocked.length === 0
      ? 'Some networks block SMTP that others let out'
      : others.length === 0
        ? 'Each network blocks SMTP that another lets out'
        : `${listOf(blocked)} ${blocked.length === 1 ? 'blocks' : 'block'} SMTP that gets out of ${listOf(others)}`;
  const v6 = () => `IPv6 fails from ${listOf(blocked.length > 0 ? blocked : labels)}, IPv4 gets out`;
  const titles: Record<string, () => string> = {
    same: () => (allOk ? `Mail gets out of ${everyone} alike` : `${labels.length === 2 ? `${a} and ${b} see` : 'Every network sees'} the same: not an egress difference`),
    egress_blocked: blocks,
    egress_blocked_a: blocks,
    egress_blocked_b: blocks,
    egress_blocked_both: blocks,
    ipv6_blocked: v6,
    ipv6_blocked_a: v6,
    ipv6_blocked_b: v6,
    differs: () => `${labels.length === 2 ? everyone : 'The networks'} get different answers`,
    nothing_in_common: () => 'Nothing to compare: no port was probed from more than one network',
  };
  return capitalize(titles[code]?.() ?? firstSentence(summary));
}
