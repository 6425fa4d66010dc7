// Every verdict on the page (a probe's, a comparison's, the logs') goes through verdictView: a
// heading that states the finding, the summary, the likely causes and the fixes, with the
// sources as links. The diagnosis writes the words; this file only picks a short heading for a
// code and lays the parts out. When a verdict carries an ordered `findings` list, each finding
// is shown in that order under the heading of the first.
import { capitalize, h, prose } from './dom.ts';
import { TONE_SYMBOL, type Tone } from './outcomes.ts';

/** One finding of a verdict, as the diagnosis orders them (the most important first). */
export interface FindingLike {
  code: string;
  level?: string;
  summary: string;
  fix?: string | string[];
  fixes?: string[];
}

export interface VerdictLike {
  code: string;
  summary: string;
  causes: readonly string[];
  fixes: readonly string[];
  findings?: readonly FindingLike[];
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

let verdictCount = 0;
const fixesOf = (f: FindingLike) => [...(f.fixes ?? []), ...(Array.isArray(f.fix) ? f.fix : f.fix ? [f.fix] : [])];

export function verdictView(v: VerdictLike, o: VerdictOptions): HTMLElement {
  const headingId = o.headingId ?? `verdict-${(verdictCount += 1)}`;
  const sub = SUB[o.level];
  const findings = v.findings ?? [];
  return h(
    'section',
    { class: `verdict tone-${o.tone}`, 'aria-labelledby': headingId, 'data-code': v.code },
    h('p', { class: 'kicker' }, o.kicker),
    h(HEADING[o.level], { id: headingId, tabindex: o.headingId ? -1 : null }, h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[o.tone]), ' ', o.title),
    findings.length > 1
      ? h(
          'ol',
          { class: 'findings' },
          findings.map((f) => h('li', { 'data-code': f.code, 'data-level': f.level ?? null }, f.level && h('span', { class: `level level-${f.level}` }, `${f.level}: `), ...prose(f.summary))),
        )
      : h('p', { class: 'summary' }, ...prose(v.summary)),
    v.causes.length > 0 && [h(sub, { class: 'sub' }, 'Likely cause'), h('ul', {}, v.causes.map((c) => h('li', {}, ...prose(c))))],
    (v.fixes.length > 0 || findings.some((f) => fixesOf(f).length > 0)) && [
      h(sub, { class: 'sub' }, 'What to do'),
      h('ol', {}, [...new Set([...v.fixes, ...findings.flatMap(fixesOf)])].map((f) => h('li', {}, ...prose(f)))),
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

/** A probe report's verdict heading, by code; `where` is the network ("Render (oregon)"). */
const PROBE_TITLES: Record<string, (where: string) => string> = {
  all_ok: (w) => `Mail gets out of ${w}`,
  egress_blocked: (w) => `Some SMTP ports do not connect from ${w}`,
  egress_blocked_all: (w) => `No SMTP port gets out of ${w}`,
  ipv6_only_failure: (w) => `IPv6 fails from ${w}, IPv4 gets out`,
  dns_failed: (w) => `The mail server’s name does not resolve from ${w}`,
  blocked_by_policy: () => 'Not probed: the address guard refused the target',
  server_rejected: () => 'The mail server refuses the SMTP dialogue',
  tls_misconfigured: () => 'The TLS setting does not match the port',
  tls_certificate: () => 'The server’s TLS certificate is not accepted',
  starttls_unavailable: () => 'The server offers no working STARTTLS',
  auth_failed: () => 'The server rejected the login',
  auth_unavailable: () => 'The server offers no login this client can use',
  server_unresponsive: () => 'The server stalls after the connection opens',
  mixed: () => 'Some attempts did not succeed',
  nothing_probed: () => 'Nothing was probed',
};

export function probeTitle(v: VerdictLike, where: string): string {
  const code = v.findings?.[0]?.code ?? v.code;
  const t = PROBE_TITLES[code];
  return capitalize(t ? t(where) : firstSentence(v.findings?.[0]?.summary ?? v.summary));
}

/** A comparison's heading, by code; `labels` are the networks in column order. */
export function compareTitle(code: string, labels: readonly string[], allOk: boolean, summary: string): string {
  const [a = 'A', b = 'B'] = labels;
  const both = labels.length === 2 ? `${a} and ${b}` : 'every network';
  const titles: Record<string, () => string> = {
    same: () => (allOk ? `Mail gets out of ${both} alike` : `${labels.length === 2 ? `${a} and ${b} see` : 'Every network sees'} the same: not an egress difference`),
    egress_blocked_a: () => `${a} blocks SMTP that gets out of ${b}`,
    egress_blocked_b: () => `${b} blocks SMTP that gets out of ${a}`,
    egress_blocked_both: () => 'Each network blocks SMTP that the other lets out',
    ipv6_blocked_a: () => `IPv6 fails from ${a}, IPv4 gets out of both`,
    ipv6_blocked_b: () => `IPv6 fails from ${b}, IPv4 gets out of both`,
    differs: () => `${labels.length === 2 ? both : 'The networks'} get different answers`,
    nothing_in_common: () => 'Nothing to compare: no port was probed from both',
  };
  return capitalize(titles[code]?.() ?? firstSentence(summary));
}
