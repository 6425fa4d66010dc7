// The human rendering of a probe report: a port x family table with outcome and phase timings
// (or one block per attempt on a narrow terminal), then the verdict, causes and fixes. Colours
// and the width are passed in (picocolors and the terminal's columns from the CLI) so the text is
// the same with or without a terminal. Nothing is cut: long messages wrap.
import type { Attempt, ProbeReport } from '../model/probe-report.ts';
import { platformLabel } from '../platform/detect.ts';
import { DEFAULT_WIDTH, NO_COLORS, TABLE_MIN_WIDTH, fitTable, labelled, wrap, type Colors } from './layout.ts';

export { NO_COLORS, pad, type Colors } from './layout.ts';

export interface TextOptions {
  /** Columns to fit (the terminal's); DEFAULT_WIDTH when not given. */
  width?: number;
}

const ms = (n: number | undefined) => (n === undefined ? '-' : `${n}`);

export function outcomeColor(a: Attempt, c: Colors): string {
  if (a.outcome === 'ok') return c.green(a.outcome);
  if (a.outcome === 'auth_failed' || a.outcome === 'tls_mode_mismatch' || a.outcome === 'starttls_unavailable') return c.yellow(a.outcome);
  return c.red(a.outcome);
}

/** What a verdict block shows; later fields of the diagnosis are added here, in one place. */
export interface VerdictLike {
  code: string;
  summary: string;
  causes: string[];
  fixes: string[];
}

/** The verdict block every report kind ends with: code and summary, causes, numbered fixes, wrapped to `width`. */
export function verdictLines(v: VerdictLike, good: boolean, c: Colors, width = DEFAULT_WIDTH): string[] {
  const out = wrap(v.summary, width, `${c.bold('Verdict')} ${good ? c.green(v.code) : c.red(v.code)}: `, '  ');
  if (v.causes.length) {
    out.push(c.bold('Likely causes'));
    for (const cause of v.causes) out.push(...wrap(cause, width, '  - ', '    '));
  }
  if (v.fixes.length) {
    out.push(c.bold('Fixes'));
    v.fixes.forEach((f, i) => {
      const n = `  ${i + 1}. `;
      out.push(...wrap(f, width, n, ' '.repeat(n.length)));
    });
  }
  return out;
}

/** The probe's verdict: the finding that decides, what the app's client will do, its fixes, then the other findings. */
export function findingLines(v: ProbeReport['verdict'], c: Colors, width = DEFAULT_WIDTH): string[] {
  const [first, ...rest] = v.findings;
  if (!first) return verdictLines(v, v.code === 'all_ok', c, width);
  const good = first.level !== 'error';
  const out = wrap(first.summary, width, `${c.bold('Verdict')} ${good ? c.green(first.code) : c.red(first.code)}: `, '  ');
  if (v.prediction && !first.summary.includes(v.prediction.summary)) out.push(...wrap(v.prediction.summary, width, `${c.bold('What the app will do')} `, '  '));
  if (first.causes.length) {
    out.push(c.bold('Why'));
    for (const cause of first.causes) out.push(...wrap(cause, width, '  - ', '    '));
  }
  if (first.fixes.length) {
    out.push(c.bold('Fix'));
    first.fixes.forEach((f, i) => {
      const n = `  ${i + 1}. `;
      out.push(...wrap(`${f.text}${f.verified === 'this_run' ? c.green(' [verified]') : ''}`, width, n, ' '.repeat(n.length)));
    });
  }
  if (rest.length) {
    out.push(c.bold('Also found'));
    for (const f of rest) {
      out.push(...wrap(`${f.level === 'error' ? c.red(f.code) : f.level === 'warning' ? c.yellow(f.code) : c.dim(f.code)}: ${f.summary}`, width, '  - ', '    '));
      for (const fx of f.fixes.slice(0, 2)) out.push(...labelled('fix: ', fx.text, width, '      '));
    }
  }
  return out;
}

const modeText = (a: Attempt) => (a.detectedMode && a.detectedMode !== a.mode ? `${a.mode} (speaks ${a.detectedMode})` : a.mode);
const authText = (a: Attempt) => (a.auth?.result === 'ok' || a.auth?.result === 'failed' ? `${a.auth.result} ${ms(a.phases.auth)}` : '-');

/** The app's configured port and mode is marked with a *. */
function isAppAttempt(report: ProbeReport, a: Attempt): boolean {
  const app = report.verdict.app;
  return app !== null && a.port === app.port && a.mode === app.mode;
}
const appNote = (report: ProbeReport) => (report.verdict.app ? "; * the app's configured port and mode" : '');

function attemptTable(report: ProbeReport, c: Colors, width: number): string[] | null {
  if (width < TABLE_MIN_WIDTH) return null;
  const rows = [['PORT', 'MODE', 'FAMILY', 'OUTCOME', 'CONN', 'TLS', 'GREET', 'EHLO', 'AUTH', 'DETAIL'].map((h) => c.dim(h))];
  for (const a of report.attempts) {
    rows.push([isAppAttempt(report, a) ? `${a.port}*` : String(a.port), modeText(a), a.family ?? '-', outcomeColor(a, c), ms(a.phases.connect), ms(a.phases.tls), ms(a.phases.greeting), ms(a.phases.ehlo), authText(a), a.message]);
  }
  const table = fitTable(rows, width);
  return table ? [...table, c.dim(`(times in ms${appNote(report)})`)] : null;
}

/** One block per attempt: port, mode, family and outcome, the timings, then the message wrapped. */
function attemptBlocks(report: ProbeReport, c: Colors, width: number): string[] {
  const out: string[] = [];
  for (const a of report.attempts) {
    out.push(`${c.bold(isAppAttempt(report, a) ? `${a.port}*` : String(a.port))} ${modeText(a)} ${a.family ?? ''} ${outcomeColor(a, c)}`.replace(/ {2,}/g, ' '));
    const times = (['connect', 'tls', 'greeting', 'ehlo'] as const).filter((p) => a.phases[p] !== undefined).map((p) => `${p} ${a.phases[p]} ms`);
    if (a.auth?.result === 'ok' || a.auth?.result === 'failed') times.push(`auth ${a.auth.result} ${ms(a.phases.auth)} ms`);
    if (times.length) out.push(...wrap(c.dim(times.join(', ')), width, '  '));
    out.push(...wrap(a.message, width, '  '));
  }
  return out;
}

export function renderProbeText(report: ProbeReport, c: Colors = NO_COLORS, opts: { transcript?: boolean } & TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const addrs = report.target.addresses.map((a) => `${a.address} (${a.family})`).join(', ') || 'no address';
  out.push(...wrap(`${report.target.host} -> ${addrs}`, width, `${c.bold('smtp-egress probe')} `, '  '));
  out.push(...wrap(c.dim(`from ${platformLabel(report.platform)}, ${report.platform.runtime}, ${report.startedAt}, ${report.durationMs} ms${report.target.source === 'django-env' ? ', target from the Django EMAIL_* settings' : ''}`), width));
  out.push('');
  const table = attemptTable(report, c, width);
  out.push(...(table ?? attemptBlocks(report, c, width)));
  if (!table && report.verdict.app) out.push(c.dim(appNote(report).slice(2)));
  out.push('');
  out.push(...findingLines(report.verdict, c, width));
  if (opts.transcript) {
    for (const a of report.attempts) {
      if (a.transcript.length === 0) continue;
      out.push('');
      out.push(c.bold(`Transcript ${a.port} ${a.family ?? ''} (${a.mode})`));
      for (const l of a.transcript) out.push(...labelled(`${String(l.t).padStart(5)} ${l.dir === 'client' ? 'C:' : l.dir === 'server' ? 'S:' : '--'} `, l.line, width, '  '));
    }
  }
  return `${out.join('\n')}\n`;
}
