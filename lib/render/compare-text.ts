// The human rendering of a compare report: who is A and who is B, one line per port and family
// with both outcomes and the finding, then the verdict, causes and fixes. Colours are passed in
// (picocolors from the CLI, identity elsewhere), as in render-text.ts.
import type { CompareReport, CompareRow, CompareSide } from '../model/compare-report.ts';
import { NO_COLORS, verdictLines, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, TABLE_MIN_WIDTH, fitTable, wrap } from './layout.ts';

function sideCell(s: CompareSide | null, c: Colors): string {
  if (!s) return c.dim('(not probed)');
  const text = `${s.outcome}${s.connectMs !== null && s.connected ? ` ${s.connectMs}ms` : ''}`;
  return s.outcome === 'ok' ? c.green(text) : s.connected ? c.yellow(text) : c.red(text);
}

function findingCell(r: CompareRow, c: Colors): string {
  if (r.finding === 'same') return c.green('same');
  if (r.finding === 'differs') return c.yellow('differs');
  if (r.finding === 'only_a' || r.finding === 'only_b') return c.dim(r.finding);
  return c.red(r.finding);
}

function detail(r: CompareRow): string {
  if (r.finding === 'differs') return r.differences.map((d) => `${d.field}: ${(d.a ?? '-').split('\n')[0]} | ${(d.b ?? '-').split('\n')[0]}`).join('; ');
  if (r.finding === 'egress_blocked_a') return `A: ${r.a?.message ?? ''}`;
  if (r.finding === 'egress_blocked_b') return `B: ${r.b?.message ?? ''}`;
  return '';
}

export function renderCompareText(report: CompareReport, c: Colors = NO_COLORS, opts: TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  out.push(`${c.bold('smtp-egress compare')} ${report.target.host}`);
  for (const side of ['a', 'b'] as const) {
    const p = report[side];
    const addrs = p.addresses.map((x) => x.address).join(', ') || 'no address';
    out.push(...wrap(`${c.bold(p.label)} ${c.dim(`(${p.platform.runtime}${p.platform.deployContext ? `, ${p.platform.deployContext}` : ''}, ${p.startedAt}, -> ${addrs})`)}`, width, `  ${side.toUpperCase()}: `, '     '));
  }
  out.push('');
  const rows: string[][] = [['PORT', 'FAMILY', `A: ${report.a.label}`, `B: ${report.b.label}`, 'FINDING', 'DETAIL'].map((h) => c.dim(h))];
  for (const r of report.rows) {
    rows.push([String(r.port), r.family ?? '-', sideCell(r.a, c), sideCell(r.b, c), findingCell(r, c), detail(r)]);
  }
  const table = width >= TABLE_MIN_WIDTH ? fitTable(rows, width) : null;
  if (table) out.push(...table);
  else {
    // Narrow terminal: one block per port and family.
    for (const r of report.rows) {
      out.push(`${c.bold(String(r.port))} ${r.family ?? '-'} ${findingCell(r, c)}`);
      out.push(...wrap(`A ${sideCell(r.a, c)}, B ${sideCell(r.b, c)}`, width, '  '));
      if (detail(r)) out.push(...wrap(detail(r), width, '  '));
    }
  }
  out.push('');
  out.push(...verdictLines(report.verdict, report.verdict.code === 'same', c, width));
  return `${out.join('\n')}\n`;
}
