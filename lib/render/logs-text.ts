// The human rendering of a log classification, in the order someone reading it at 2 a.m. needs
// it: the mail errors found (the one that explains most first, each with the client named and the
// line that says it), then the one most likely cause and the fixes to try, then what was left
// alone. Colours and the width are passed in, as for the probe table: prose wraps at word
// boundaries with a hanging indent, and nothing is cut. It renders; it decides nothing.
import type { LogsReport } from '../model/logs-report.ts';
import { NO_COLORS, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, wrap } from './layout.ts';

/** Errors shown before the list says "N more" (the JSON report has them all). */
const MAX_ERRORS_SHOWN = 12;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderLogsText(report: LogsReport, c: Colors = NO_COLORS, opts: TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const l = report.lines;
  const s = report.summary;
  const from = report.platform ? `, logs from ${report.platform.name}${report.platform.from === 'logs' ? '' : ` (${report.platform.from === 'option' ? 'as given' : 'this deployment'})`}` : '';
  const counts = s.byOutcome.map((o) => `${o.outcome} ${o.events}`).join(', ');
  out.push(...wrap(`${plural(l.total, 'line')}: ${plural(s.events, 'mail error')}${counts ? ` (${counts}${s.undetermined ? `, undetermined ${s.undetermined}` : ''})` : ''}${from}`, width, `${c.bold('smtp-egress logs')} `, '  '));
  out.push('');

  if (report.errors.length > 0) {
    out.push(c.bold('Found'));
    for (const e of report.errors.slice(0, MAX_ERRORS_SHOWN)) {
      const where = e.firstLine === e.lastLine ? `line ${e.firstLine}` : `lines ${e.firstLine}-${e.lastLine}`;
      const outcome = e.outcome ?? 'undetermined';
      out.push(...wrap(`${e.headline} ${c.dim(`(${where})`)}`, width, `  ${(e.outcome === null ? c.yellow : c.red)(outcome)}${e.confidence === 'medium' ? '~' : ''}  `, '      '));
      out.push(...wrap(c.dim(e.quote), width, '      '));
    }
    const more = report.errors.length - MAX_ERRORS_SHOWN;
    if (more > 0) out.push(c.dim(`  ... ${plural(more, 'more error')} (--json lists them)`));
    if (report.errors.some((e) => e.confidence === 'medium')) out.push(c.dim('  ~ the error fits, but its context could change the outcome'));
    out.push('');
  }

  const m = s.mostLikely;
  if (m) {
    out.push(...wrap(`${c.red(m.outcome)} (${m.events} of ${plural(s.events, 'mail error')}${m.confidence === 'medium' ? ', from errors that leave room for doubt' : ''}): ${m.headline}`, width, `${c.bold('Most likely')} `, '  '));
    out.push(...wrap(m.cause, width, `${c.bold('Cause')} `, '  '));
    if (m.fixes.length > 0) {
      out.push(c.bold(m.fixes.length === 1 ? 'Fix' : 'Fixes'));
      m.fixes.forEach((f, i) => out.push(...wrap(f, width, `  ${i + 1}. `, '     ')));
    }
  } else {
    out.push(...wrap(s.text, width));
  }
  if (m && s.otherClientErrors > 0) out.push(c.dim(`${plural(s.otherClientErrors, 'error')} of other clients (a database, an HTTP call) left alone.`));
  if (l.unrecognised > 0) out.push(c.dim(`${l.unrecognised} line${l.unrecognised === 1 ? ' was' : 's were'} not recognised: counted, not classified.`));
  return `${out.join('\n')}\n`;
}
