// The human rendering of a log classification: one row per recognised line (line number,
// outcome, where from, the line itself), then the most likely cause with its fixes, and the
// count of lines that were not recognised. Colours are passed in, as for the probe table.
import type { LogsReport } from '../model/logs-report.ts';
import { NO_COLORS, type Colors } from './probe-text.ts';

/** Rows shown before the table says "N more" (the JSON report has them all). */
const MAX_ROWS = 60;

export function renderLogsText(report: LogsReport, c: Colors = NO_COLORS): string {
  const out: string[] = [];
  const l = report.lines;
  const from = report.platformHint === 'render' ? ', Render log format' : '';
  out.push(`${c.bold('smtp-egress logs')} ${l.total} line${l.total === 1 ? '' : 's'}: ${l.recognised} recognised (${report.summary.events} error${report.summary.events === 1 ? '' : 's'}), ${l.unrecognised} unrecognised, ${l.blank} blank${from}`);
  out.push('');
  if (report.matches.length > 0) {
    const rows = report.matches.slice(0, MAX_ROWS).map((m) => {
      const outcome = m.outcome ?? 'undetermined';
      const coloured = m.outcome === null ? c.yellow(outcome) : c.red(outcome);
      const pad = ' '.repeat(Math.max(0, 21 - outcome.length));
      return `${String(m.line).padStart(6)}  ${String(m.event).padStart(3)}  ${coloured}${pad}${(m.confidence === 'medium' ? '~' : ' ')} ${m.source.padEnd(10)} ${m.text.length > 100 ? `${m.text.slice(0, 97)}...` : m.text}`;
    });
    out.push(c.dim(`${'LINE'.padStart(6)}  ${'ERR'.padStart(3)}  ${'OUTCOME'.padEnd(22)} ${'SOURCE'.padEnd(10)} TEXT`));
    out.push(...rows);
    const more = l.recognised - rows.length;
    if (more > 0) out.push(c.dim(`  ... ${more} more recognised line${more === 1 ? '' : 's'} (--json lists them)`));
    if (report.matches.some((m) => m.confidence === 'medium')) out.push(c.dim('  ~ the line fits, but its context could change the outcome'));
    out.push('');
  }
  const s = report.summary;
  if (s.byOutcome.length > 1) {
    out.push(`${c.bold('Counts')} ${s.byOutcome.map((o) => `${o.outcome} ${o.events}`).join(', ')}${s.undetermined ? `, undetermined ${s.undetermined}` : ''}`);
  }
  const m = s.mostLikely;
  if (m) {
    out.push(`${c.bold('Most likely')} ${c.red(m.outcome)} (${m.events} of ${s.events} error${s.events === 1 ? '' : 's'}${m.confidence === 'medium' ? ', from lines that leave room for doubt' : ''}): ${m.summary}`);
    out.push(`${c.bold('Cause')} ${m.cause}`);
    if (m.fixes.length > 0) {
      out.push(c.bold('Fixes'));
      m.fixes.forEach((f, i) => out.push(`  ${i + 1}. ${f}`));
    }
  } else {
    out.push(s.text);
  }
  if (l.unrecognised > 0) out.push(c.dim(`${l.unrecognised} line${l.unrecognised === 1 ? ' was' : 's were'} not recognised: counted, not classified.`));
  return `${out.join('\n')}\n`;
}
