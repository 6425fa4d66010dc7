// The human rendering of a compare report: who each column is (A, B, C...) and its own limits,
// one line per port and family with every network's outcome and the finding, then the verdict,
// causes and fixes. Colours are passed in (picocolors from the CLI, identity elsewhere).
import type { CompareCell, CompareColumn, CompareReport, CompareRow } from '../model/compare-report.ts';
import { NO_COLORS, pad, verdictLines, type Colors } from './probe-text.ts';

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

const clip = (s: string, n = 90) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

function detail(r: CompareRow, columns: readonly CompareColumn[]): string {
  if (r.finding === 'differs') return clip(r.differences.map((d) => `${d.field}: ${d.values.map((v) => (v ?? '-').split('\n')[0]).join(' | ')}`).join('; '));
  if (r.finding === 'egress_blocked') {
    return clip(r.blocked.map((id) => `${id}: ${r.cells[columns.findIndex((col) => col.id === id)]?.message ?? ''}`).join('; '));
  }
  return '';
}

function limitsLine(col: CompareColumn): string | null {
  if (col.limits.length === 0) return null;
  const item = (l: CompareColumn['limits'][number]) =>
    l.kind === 'port_blocked' ? `port ${l.ports.join('/')} blocked (${l.basis})` : l.kind === 'no_ipv6' ? `no outbound IPv6 (${l.basis})` : `${l.seconds} s per request`;
  return `own limits: ${col.limits.map(item).join('; ')}`;
}

export function renderCompareText(report: CompareReport, c: Colors = NO_COLORS): string {
  const out: string[] = [];
  out.push(`${c.bold('smtp-egress compare')} ${report.target.host}`);
  for (const col of report.columns) {
    const addrs = col.addresses.map((x) => x.address).join(', ') || 'no address';
    const from = col.source ? `, from ${col.source}` : '';
    out.push(`  ${col.id}: ${c.bold(col.label)} ${c.dim(`(${col.platform.runtime}${col.platform.deployContext ? `, ${col.platform.deployContext}` : ''}, ${col.startedAt}, -> ${addrs}${from})`)}`);
    const limits = limitsLine(col);
    if (limits) out.push(`     ${c.dim(limits)}`);
  }
  out.push('');
  const rows: string[][] = [['PORT', 'FAMILY', ...report.columns.map((col) => `${col.id}: ${col.label}`), 'FINDING', 'DETAIL'].map((h) => c.dim(h))];
  for (const r of report.rows) {
    rows.push([String(r.port), r.family ?? '-', ...r.cells.map((cell) => cellText(cell, c)), findingCell(r, c), detail(r, report.columns)]);
  }
  out.push(...pad(rows));
  out.push('');
  out.push(...verdictLines(report.verdict, report.verdict.code === 'same', c));
  return `${out.join('\n')}\n`;
}
