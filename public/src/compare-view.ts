// The compare view: two probe reports (dropped, chosen or pasted) side by side, row by row, with
// the rows that differ highlighted. The comparison is lib/compare/compare.ts itself, bundled into
// the page: the same rows and verdict as `smtp-egress compare` and POST /api/compare, offline.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import type { CompareReport, CompareRow, CompareSide } from '../../lib/model/compare-report.ts';
import { compareInputs, loadProbeReport } from '../../lib/compare/compare.ts';
import { h } from './dom.ts';
import { FAMILY_LABEL, ms, outcomeLabel, outcomeTone, TONE_SYMBOL } from './outcomes.ts';
import { platformLabel } from '../../lib/platform/labels.ts';
import { verdictBox } from './report-view.ts';

export type Side = 'a' | 'b';

const FINDING_TEXT: Record<CompareRow['finding'], (r: CompareReport) => string> = {
  same: () => 'Same',
  egress_blocked_a: (r) => `Blocked from ${r.a.label}`,
  egress_blocked_b: (r) => `Blocked from ${r.b.label}`,
  differs: () => 'Differs',
  only_a: (r) => `Only probed from ${r.a.label}`,
  only_b: (r) => `Only probed from ${r.b.label}`,
};

function sideCell(s: CompareSide | null): HTMLElement {
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
    h('caption', {}, `${cmp.target.host}: ${cmp.a.label} (A) and ${cmp.b.label} (B), port by port. Highlighted rows differ.`),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Port'), h('th', { scope: 'col' }, 'Family'), h('th', { scope: 'col' }, `A: ${cmp.a.label}`), h('th', { scope: 'col' }, `B: ${cmp.b.label}`), h('th', { scope: 'col' }, 'Finding')),
    ),
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
          sideCell(r.a),
          sideCell(r.b),
          h(
            'td',
            { class: 'finding' },
            h('strong', {}, FINDING_TEXT[r.finding](cmp)),
            r.differences.length > 0 && h('ul', { class: 'diffs' }, r.differences.map((d) => h('li', {}, h('code', {}, d.field), `: ${d.a ?? '–'} (A) vs ${d.b ?? '–'} (B)`))),
          ),
        );
      }),
    ),
  );
}

function party(label: string, cmpSide: CompareReport['a']): HTMLElement {
  return h(
    'div',
    { class: 'party' },
    h('h4', {}, `${label}: ${cmpSide.label}`),
    h('p', {}, `${cmpSide.addresses.map((x) => x.address).join(', ') || 'no address'} · ${new Date(cmpSide.startedAt).toLocaleString()} · smtp-egress ${cmpSide.toolVersion}`),
    h('p', { class: 'muted' }, `Its own verdict: ${cmpSide.verdict.summary}`),
  );
}

export function compareView(cmp: CompareReport): HTMLElement {
  const blocked = cmp.verdict.code.startsWith('egress_blocked') || cmp.verdict.code.startsWith('ipv6_blocked');
  const tone = cmp.verdict.code === 'same' ? (cmp.rows.every((r) => r.a?.outcome === 'ok') ? 'ok' : 'config') : blocked ? 'blocked' : 'config';
  const differing = cmp.rows.filter((r) => r.finding !== 'same').length;
  return h(
    'div',
    { class: 'comparison' },
    verdictBox(cmp.verdict, tone, 'Comparison'),
    h('div', { class: 'parties' }, party('A', cmp.a), party('B', cmp.b)),
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
    return { cmp: compareInputs(a, b, ['Report A', 'Report B']) };
  } catch (e) {
    return { error: capitalize((e as Error).message) };
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const slotSummary = (r: ProbeReport) => `${r.target.host} from ${platformLabel(r.platform)}, ${new Date(r.startedAt).toLocaleString()}: ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'}`;
