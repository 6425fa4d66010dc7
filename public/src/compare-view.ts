// The compare view: probe reports of one target from several networks, one row per port and
// address family, one column per network, the rows that differ highlighted; below about 40 rem
// each row is a card (style.css). The comparison itself is lib/compare, bundled into the page:
// the same rows and verdict as `smtp-egress compare` and POST /api/compare.
//
// lib/compare answers in its own report shape; networkMatrix() is the one place that reads it,
// so a change of that shape (more networks) is adapted there and the view stays as it is.
import type { Family, Outcome, ProbeReport } from '../../lib/model/probe-report.ts';
import type { CompareReport } from '../../lib/model/compare-report.ts';
import { compareInputs, loadProbeReport } from '../../lib/compare/compare.ts';
import { capitalize, h, prose } from './dom.ts';
import { FAMILY_LABEL, ms, outcomeLabel, outcomeTone, TONE_SYMBOL, type Tone } from './outcomes.ts';
import { platformLabel } from './report-view.ts';
import { compareTitle, verdictView, type VerdictLike } from './verdict-view.ts';

export type Side = 'a' | 'b';

export interface Network {
  label: string;
  addresses: string;
  startedAt: string;
  toolVersion: string;
  ownVerdict: string;
  /** The network's own published limits ("Netlify blocks port 25"), when the comparison names them. */
  limits: string[];
}

/** One network's attempt in a row, as the view shows it. */
export interface MatrixCell {
  outcome: Outcome;
  connectMs: number | null;
  tlsProtocol: string | null;
  /** Set when the failure is the network's own published limit, not a fault to fix elsewhere. */
  ownLimit: boolean;
}

export interface MatrixRow {
  port: number;
  family: Family | null;
  /** One per network, in the order of `networks`; null: not probed from there. */
  cells: (MatrixCell | null)[];
  finding: string;
  findingText: string;
  /** What differs, in words ("tls.protocol: TLSv1.3 from Netlify, TLSv1.2 from Render"). */
  differences: string[];
  /** The networks (indexes into `networks`) this row finds blocked. */
  blocked: number[];
}

export interface NetworkMatrix {
  host: string;
  networks: Network[];
  rows: MatrixRow[];
  verdict: VerdictLike;
}

/** lib/compare's report (compare@2: one column per network) -> the view's model. */
export function networkMatrix(cmp: CompareReport): NetworkMatrix {
  const labels = cmp.columns.map((c) => c.label);
  const index = new Map(cmp.columns.map((c, i) => [c.id, i]));
  const findingText = (r: CompareReport['rows'][number]): string => {
    if (r.finding === 'egress_blocked') return `Blocked from ${r.blocked.map((id) => labels[index.get(id) ?? -1] ?? id).join(', ')}`;
    const words: Record<string, string> = { same: 'Same', differs: 'Differs', not_compared: 'Probed from one network only' };
    return words[r.finding] ?? capitalize(r.finding.replace(/_/g, ' '));
  };
  return {
    host: cmp.target.host,
    networks: cmp.columns.map((c) => ({
      label: c.label,
      addresses: c.addresses.map((x) => x.address).join(', ') || 'no address',
      startedAt: c.startedAt,
      toolVersion: c.toolVersion,
      ownVerdict: c.verdict.summary,
      limits: c.limits.map((l) => `${l.summary} (${l.basis}: ${l.source})`),
    })),
    rows: cmp.rows.map((r) => ({
      port: r.port,
      family: r.family,
      cells: r.cells.map((c) => (c ? { outcome: c.outcome, connectMs: c.connectMs, tlsProtocol: c.tls?.protocol ?? null, ownLimit: c.limit !== null } : null)),
      finding: r.finding,
      findingText: findingText(r),
      differences: r.differences.map((d) => `${d.field}: ${d.values.map((v, i) => `${v ?? '–'} from ${labels[i] ?? '?'}`).join(', ')}`),
      blocked: r.blocked.map((id) => index.get(id)).filter((i): i is number => i !== undefined),
    })),
    verdict: cmp.verdict,
  };
}

function cell(s: MatrixCell | null, label: string): HTMLElement {
  if (!s) return h('td', { class: 'cell cell-none', 'data-label': label, 'data-outcome': 'none' }, 'not probed');
  const tone = outcomeTone(s.outcome);
  return h(
    'td',
    { class: `cell tone-${tone}`, 'data-label': label, 'data-outcome': s.outcome },
    h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
    ' ',
    h('span', { class: 'label' }, outcomeLabel(s.outcome)),
    s.connectMs !== null && h('span', { class: 'ms' }, `connect ${ms(s.connectMs)}`),
    s.tlsProtocol && h('span', { class: 'ms' }, s.tlsProtocol),
    s.ownLimit && h('span', { class: 'ms own-limit' }, 'this network’s own limit'),
  );
}

const rowName = (r: MatrixRow) => `${r.port} ${r.family ? FAMILY_LABEL[r.family] : 'any family'}`;

export function compareTable(m: NetworkMatrix): HTMLTableElement {
  return h(
    'table',
    { class: 'compare-table', 'data-networks': m.networks.length },
    h('caption', {}, `${m.host} from ${m.networks.map((n) => n.label).join(', ')}: one row per port and address family, one column per network. Highlighted rows differ.`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Port, family'), m.networks.map((n) => h('th', { scope: 'col' }, n.label)), h('th', { scope: 'col' }, 'Finding'))),
    h(
      'tbody',
      {},
      m.rows.map((r) => {
        const differs = r.finding !== 'same';
        const blocked = r.blocked.length > 0;
        return h(
          'tr',
          { class: `${differs ? 'row-differs' : 'row-same'}${blocked ? ' row-blocked' : ''}`, 'data-port': r.port, 'data-family': r.family ?? 'any', 'data-finding': r.finding },
          h('th', { scope: 'row' }, differs && h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, '≠ '), rowName(r)),
          r.cells.map((c, i) => cell(c, m.networks[i]?.label ?? '')),
          h(
            'td',
            { class: 'finding', 'data-label': 'Finding' },
            h('strong', {}, r.findingText),
            r.differences.length > 0 && h('ul', { class: 'diffs' }, r.differences.map((d) => h('li', {}, d))),
          ),
        );
      }),
    ),
  );
}

function networkCard(n: Network, level: 3 | 4): HTMLElement {
  return h(
    'div',
    { class: 'party' },
    h(level === 3 ? 'h4' : 'h5', {}, n.label),
    h('p', {}, `${n.addresses} · ${new Date(n.startedAt).toLocaleString()} · smtp-egress ${n.toolVersion}`),
    h('p', { class: 'muted' }, `Its own verdict: ${n.ownVerdict}`),
    n.limits.length > 0 && h('ul', { class: 'limits' }, n.limits.map((l) => h('li', {}, ...prose(l)))),
  );
}

function matrixTone(m: NetworkMatrix): Tone {
  const code = m.verdict.code;
  if (code === 'same') return m.rows.every((r) => r.cells.every((c) => c?.outcome === 'ok')) ? 'ok' : 'config';
  return m.rows.some((r) => r.blocked.length > 0) || /blocked/.test(code) ? 'blocked' : 'config';
}

/** The networks some row finds blocked, in column order. */
const blockedNetworks = (m: NetworkMatrix) => m.networks.filter((_, i) => m.rows.some((r) => r.blocked.includes(i))).map((n) => n.label);

/** The whole comparison; `level` is the verdict heading's level where the view is placed. */
export function compareView(m: NetworkMatrix, level: 3 | 4 = 3): HTMLElement {
  const differing = m.rows.filter((r) => r.finding !== 'same').length;
  const labels = m.networks.map((n) => n.label);
  const allOk = m.rows.every((r) => r.cells.every((c) => c?.outcome === 'ok'));
  return h(
    'div',
    { class: 'comparison' },
    verdictView(m.verdict, { level, tone: matrixTone(m), title: compareTitle(m.verdict.code, labels, blockedNetworks(m), allOk, m.verdict.summary), kicker: `Comparison of ${m.networks.length} networks` }),
    h('div', { class: 'parties' }, m.networks.map((n) => networkCard(n, level))),
    h('p', { class: 'count' }, differing === 0 ? `All ${m.rows.length} rows are the same.` : `${differing} of ${m.rows.length} rows differ (highlighted).`),
    h('div', { class: 'table-scroll' }, compareTable(m)),
  );
}

/** Validates one pasted or loaded report: the report, or a message saying what is wrong with it. */
export function readSlot(text: string, name: string): { report: ProbeReport } | { error: string } | null {
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `${name} is not valid JSON (${(e as Error).message.slice(0, 100)}). Paste the output of smtp-egress probe --json or of /api/probe.` };
  }
  try {
    return { report: loadProbeReport(value, name) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Compares reports (raw values: they are validated) named as the user knows them. */
export function compareNetworks(reports: readonly unknown[], names: readonly string[]): { matrix: NetworkMatrix } | { error: string } {
  try {
    return { matrix: networkMatrix(compareInputs(reports, names)) };
  } catch (e) {
    return { error: capitalize((e as Error).message) };
  }
}

export const slotSummary = (r: ProbeReport) => `${r.target.host} from ${platformLabel(r.platform)}, ${new Date(r.startedAt).toLocaleString()}: ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'}`;
