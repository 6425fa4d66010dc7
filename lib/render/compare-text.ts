// The human rendering of a compare report: who is A and who is B, one line per port and family
// with both outcomes and the finding, then the verdict, causes and fixes. Colours are passed in
// (picocolors from the CLI, identity elsewhere), as in render-text.ts.
import type { CompareReport, CompareRow, CompareSide } from '../model/compare-report.ts';
import { NO_COLORS, pad, verdictLines, type Colors } from './probe-text.ts';

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

const clip = (s: string, n = 90) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

function detail(r: CompareRow): string {
  if (r.finding === 'differs') return clip(r.differences.map((d) => `${d.field}: ${(d.a ?? '-').split('\n')[0]} | ${(d.b ?? '-').split('\n')[0]}`).join('; '));
  if (r.finding === 'egress_blocked_a') return clip(`A: ${r.a?.message ?? ''}`);
  if (r.finding === 'egress_blocked_b') return clip(`B: ${r.b?.message ?? ''}`);
  return '';
}

export function renderCompareText(report: CompareReport, c: Colors = NO_COLORS): string {
  const out: string[] = [];
  out.push(`${c.bold('smtp-egress compare')} ${report.target.host}`);
  for (const side of ['a', 'b'] as const) {
    const p = report[side];
    const addrs = p.addresses.map((x) => x.address).join(', ') || 'no address';
    out.push(`  ${side.toUpperCase()}: ${c.bold(p.label)} ${c.dim(`(${p.platform.runtime}${p.platform.deployContext ? `, ${p.platform.deployContext}` : ''}, ${p.startedAt}, -> ${addrs})`)}`);
  }
  out.push('');
  const rows: string[][] = [['PORT', 'FAMILY', `A: ${report.a.label}`, `B: ${report.b.label}`, 'FINDING', 'DETAIL'].map((h) => c.dim(h))];
  for (const r of report.rows) {
    rows.push([String(r.port), r.family ?? '-', sideCell(r.a, c), sideCell(r.b, c), findingCell(r, c), detail(r)]);
  }
  out.push(...pad(rows));
  out.push('');
  out.push(...verdictLines(report.verdict, report.verdict.code === 'same', c));
  return `${out.join('\n')}\n`;
}
