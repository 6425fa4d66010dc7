// The human rendering of a compare report: who each column is (A, B, C...) and its own limits,
// one line per port and family with every network's outcome and the finding, then the verdict,
// causes and fixes. Colours are passed in (picocolors from the CLI, identity elsewhere).
import type { CompareCell, CompareColumn, CompareReport, CompareRow } from '../model/compare-report.ts';
import { NO_COLORS, verdictLines, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, TABLE_MIN_WIDTH, fitTable, wrap } from './layout.ts';

function cellText(s: CompareCell | null, c: Colors): string {
  if (!s) return c.dim('(not probed)');
  const text = `${s.outcome}${s.connectMs !== null && s.connected ? ` ${s.connectMs}ms` : ''}${s.limit ? ' (own limit)' : ''}`;
  return s.outcome === 'ok' ? c.green(text) : s.connected ? c.yellow(text) : c.red(text);
}

function findingCell(r: CompareRow, c: Colors): string {
  if (r.finding === 'same') return c.green('same');
  if (r.finding === 'differs') return c.yellow('differs');
  if (r.finding === 'not_compared') return c.dim('not compared');
  return c.red(`blocked from ${r.blocked.join(', ')}`);
}

function detail(r: CompareRow, columns: readonly CompareColumn[]): string {
  if (r.finding === 'differs') return r.differences.map((d) => `${d.field}: ${d.values.map((v) => (v ?? '-').split('\n')[0]).join(' | ')}`).join('; ');
  if (r.finding === 'egress_blocked') {
    return r.blocked.map((id) => `${id}: ${r.cells[columns.findIndex((col) => col.id === id)]?.message ?? ''}`).join('; ');
  }
  return '';
}

function limitsLine(col: CompareColumn): string | null {
  if (col.limits.length === 0) return null;
  const item = (l: CompareColumn['limits'][number]) =>
    l.kind === 'port_blocked' ? `port ${l.ports.join('/')} blocked (${l.basis})` : l.kind === 'no_ipv6' ? `no outbound IPv6 (${l.basis})` : `${l.seconds} s per request`;
  return `own limits: ${col.limits.map(item).join('; ')}`;
}

export function renderCompareText(report: CompareReport, c: Colors = NO_COLORS, opts: TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  out.push(`${c.bold('smtp-egress compare')} ${report.target.host}`);
  for (const col of report.columns) {
    const addrs = col.addresses.map((x) => x.address).join(', ') || 'no address';
    const from = col.source ? `, from ${col.source}` : '';
    out.push(...wrap(`${c.bold(col.label)} ${c.dim(`(${col.platform.runtime}${col.platform.deployContext ? `, ${col.platform.deployContext}` : ''}, ${col.startedAt}, -> ${addrs}${from})`)}`, width, `  ${col.id}: `, '     '));
    const limits = limitsLine(col);
    if (limits) out.push(...wrap(c.dim(limits), width, '     '));
  }
  out.push('');
  const rows: string[][] = [['PORT', 'FAMILY', ...report.columns.map((col) => `${col.id}: ${col.label}`), 'FINDING', 'DETAIL'].map((h) => c.dim(h))];
  for (const r of report.rows) {
    rows.push([String(r.port), r.family ?? '-', ...r.cells.map((cell) => cellText(cell, c)), findingCell(r, c), detail(r, report.columns)]);
  }
  const table = width >= TABLE_MIN_WIDTH ? fitTable(rows, width) : null;
  if (table) out.push(...table);
  else {
    // Narrow terminal: one block per port and family, one line per network.
    for (const r of report.rows) {
      out.push(`${c.bold(String(r.port))} ${r.family ?? '-'} ${findingCell(r, c)}`);
      r.cells.forEach((cell, i) => out.push(...wrap(cellText(cell, c), width, `  ${report.columns[i]?.id ?? '?'}: `, '     ')));
      const d = detail(r, report.columns);
      if (d) out.push(...wrap(d, width, '  '));
    }
  }
  out.push('');
  out.push(...verdictLines(report.verdict, report.verdict.code === 'same', c, width));
  return `${out.join('\n')}\n`;
}
