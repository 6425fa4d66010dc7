// The human rendering of a log classification: one row per recognised line (line number,
// outcome, where from, the line itself), then the most likely cause with its fixes, and the
// count of lines that were not recognised. Colours and the width are passed in, as for the probe
// table; a log line longer than the width wraps under its own column, never cut.
import type { LogsReport } from '../model/logs-report.ts';
import { NO_COLORS, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, labelled, wrap } from './layout.ts';

/** Rows shown before the table says "N more" (the JSON report has them all). */
const MAX_ROWS = 60;
/** Narrower than this, a log line goes under its row rather than beside it. */
const TEXT_COLUMN_MIN_WIDTH = 100;

export function renderLogsText(report: LogsReport, c: Colors = NO_COLORS, opts: TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const l = report.lines;
  const from = report.platformHint === 'render' ? ', Render log format' : '';
  out.push(...wrap(`${l.total} line${l.total === 1 ? '' : 's'}: ${l.recognised} recognised (${report.summary.events} error${report.summary.events === 1 ? '' : 's'}), ${l.unrecognised} unrecognised, ${l.blank} blank${from}`, width, `${c.bold('smtp-egress logs')} `, '  '));
  out.push('');
  if (report.matches.length > 0) {
    const shown = report.matches.slice(0, MAX_ROWS);
    out.push(c.dim(`${'LINE'.padStart(6)}  ${'ERR'.padStart(3)}  ${'OUTCOME'.padEnd(22)} ${width >= TEXT_COLUMN_MIN_WIDTH ? `${'SOURCE'.padEnd(10)} TEXT` : 'SOURCE'}`));
    for (const m of shown) {
      const outcome = m.outcome ?? 'undetermined';
      const coloured = m.outcome === null ? c.yellow(outcome) : c.red(outcome);
      const pad = ' '.repeat(Math.max(0, 21 - outcome.length));
      const head = `${String(m.line).padStart(6)}  ${String(m.event).padStart(3)}  ${coloured}${pad}${m.confidence === 'medium' ? '~' : ' '} ${m.source.padEnd(10)} `;
      // Wide: the text beside its row; narrow: under it, indented.
      if (width >= TEXT_COLUMN_MIN_WIDTH) out.push(...labelled(head, m.text, width));
      else out.push(head.trimEnd(), ...wrap(m.text, width, '        '));
    }
    const more = l.recognised - shown.length;
    if (more > 0) out.push(c.dim(`  ... ${more} more recognised line${more === 1 ? '' : 's'} (--json lists them)`));
    if (report.matches.some((m) => m.confidence === 'medium')) out.push(c.dim('  ~ the line fits, but its context could change the outcome'));
    out.push('');
  }
  const s = report.summary;
  if (s.byOutcome.length > 1) {
    out.push(...wrap(`${s.byOutcome.map((o) => `${o.outcome} ${o.events}`).join(', ')}${s.undetermined ? `, undetermined ${s.undetermined}` : ''}`, width, `${c.bold('Counts')} `, '  '));
  }
  const m = s.mostLikely;
  if (m) {
    out.push(...wrap(`${c.red(m.outcome)} (${m.events} of ${s.events} error${s.events === 1 ? '' : 's'}${m.confidence === 'medium' ? ', from lines that leave room for doubt' : ''}): ${m.summary}`, width, `${c.bold('Most likely')} `, '  '));
    out.push(...wrap(m.cause, width, `${c.bold('Cause')} `, '  '));
    if (m.fixes.length > 0) {
      out.push(c.bold('Fixes'));
      m.fixes.forEach((f, i) => out.push(...wrap(f, width, `  ${i + 1}. `, '     ')));
    }
  } else {
    out.push(...wrap(s.text, width));
  }
  if (l.unrecognised > 0) out.push(...wrap(c.dim(`${l.unrecognised} line${l.unrecognised === 1 ? ' was' : 's were'} not recognised: counted, not classified.`), width));
  return `${out.join('\n')}\n`;
}
