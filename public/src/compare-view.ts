// The compare view: two probe reports (dropped, chosen or pasted) side by side, row by row, with
// the rows that differ highlighted. The comparison is lib/compare/compare.ts itself, bundled into
// the page: the same rows and verdict as `smtp-egress compare` and POST /api/compare, offline.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import type { CompareCell, CompareColumn, CompareReport, CompareRow } from '../../lib/model/compare-report.ts';
import { compareInputs, loadProbeReport } from '../../lib/compare/compare.ts';
import { h } from './dom.ts';
import { FAMILY_LABEL, ms, outcomeLabel, outcomeTone, TONE_SYMBOL } from './outcomes.ts';
import { platformLabel } from '../../lib/platform/labels.ts';
import { verdictBox } from './report-view.ts';

export type Side = 'a' | 'b';

const labelOf = (r: CompareReport, id: string) => r.columns.find((c) => c.id === id)?.label ?? id;
const FINDING_TEXT: Record<CompareRow['finding'], (r: CompareReport, row: CompareRow) => string> = {
  same: () => 'Same',
  egress_blocked: (r, row) => `Blocked from ${row.blocked.map((id) => labelOf(r, id)).join(', ')}`,
  differs: () => 'Differs',
  not_compared: () => 'Probed from one network only',
};

function sideCell(s: CompareCell | null): HTMLElement {
  if (!s) return h('td', { class: 'cell cell-none' }, 'not probed');
  const tone = outcomeTone(s.outcome);
  return h(
    'td',
    { class: `cell tone-${tone}`, 'data-outcome': s.outcome },
    h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
    ' ',
    h('span', { class: 'label' }, outcomeLabel(s.outcome)),
    s.connectMs !== null && h('span', { class: 'ms' }, `connect ${ms(s.connectMs)}`),
    s.tls?.protocol && h('span', { class: 'ms' }, s.tls.protocol),
  );
}

export function compareTable(cmp: CompareReport): HTMLTableElement {
  return h(
    'table',
    { class: 'compare-table' },
    h('caption', {}, `${cmp.target.host}: ${cmp.columns.map((c) => `${c.label} (${c.id})`).join(', ')}, port by port. Highlighted rows differ.`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Port'), h('th', { scope: 'col' }, 'Family'), cmp.columns.map((c) => h('th', { scope: 'col' }, `${c.id}: ${c.label}`)), h('th', { scope: 'col' }, 'Finding'))),
    h(
      'tbody',
      {},
      cmp.rows.map((r) => {
        const differs = r.finding !== 'same';
        return h(
          'tr',
          { class: differs ? `row-differs finding-${r.finding}` : 'row-same', 'data-port': r.port, 'data-family': r.family ?? 'any', 'data-finding': r.finding },
          h('th', { scope: 'row' }, differs && h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, '≠ '), String(r.port)),
          h('td', {}, r.family ? FAMILY_LABEL[r.family] : 'any'),
          r.cells.map((c) => sideCell(c)),
          h(
            'td',
            { class: 'finding' },
            h('strong', {}, FINDING_TEXT[r.finding](cmp, r)),
            r.differences.length > 0 && h('ul', { class: 'diffs' }, r.differences.map((d) => h('li', {}, h('code', {}, d.field), `: ${d.values.map((v, i) => `${v ?? '–'} (${cmp.columns[i]?.id ?? '?'})`).join(' vs ')}`))),
          ),
        );
      }),
    ),
  );
}

function party(col: CompareColumn): HTMLElement {
  return h(
    'div',
    { class: 'party' },
    h('h4', {}, `${col.id}: ${col.label}`),
    h('p', {}, `${col.addresses.map((x) => x.address).join(', ') || 'no address'} · ${new Date(col.startedAt).toLocaleString()} · smtp-egress ${col.toolVersion}`),
    h('p', { class: 'muted' }, `Its own verdict: ${col.verdict.summary}`),
  );
}

export function compareView(cmp: CompareReport): HTMLElement {
  const blocked = cmp.verdict.code === 'egress_blocked' || cmp.verdict.code === 'ipv6_blocked';
  const tone = cmp.verdict.code === 'same' ? (cmp.rows.every((r) => r.cells.every((c) => !c || c.outcome === 'ok')) ? 'ok' : 'config') : blocked ? 'blocked' : 'config';
  const differing = cmp.rows.filter((r) => r.finding !== 'same').length;
  return h(
    'div',
    { class: 'comparison' },
    verdictBox(cmp.verdict, tone, 'Comparison'),
    h('div', { class: 'parties' }, cmp.columns.map(party)),
    h('p', { class: 'count', role: 'status' }, differing === 0 ? `All ${cmp.rows.length} rows are the same.` : `${differing} of ${cmp.rows.length} rows differ (highlighted).`),
    h('div', { class: 'table-scroll' }, compareTable(cmp)),
  );
}

/** Validates one slot's text: the report, or a message saying what is wrong with it. */
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

export function compareBoth(a: ProbeReport, b: ProbeReport): { cmp: CompareReport } | { error: string } {
  try {
    return { cmp: compareInputs([a, b], ['Report A', 'Report B']) };
  } catch (e) {
    return { error: capitalize((e as Error).message) };
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const slotSummary = (r: ProbeReport) => `${r.target.host} from ${platformLabel(r.platform)}, ${new Date(r.startedAt).toLocaleString()}: ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'}`;
