// The human rendering of a probe report: a port x family table with outcome and phase timings,
// then the verdict, causes and fixes. Colours are passed in (picocolors from the CLI, identity
// elsewhere) so the text is the same with or without a terminal.
import type { Attempt, ProbeReport } from '../model/probe-report.ts';
import { platformLabel } from '../platform/detect.ts';

export interface Colors {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

export const NO_COLORS: Colors = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

const ms = (n: number | undefined) => (n === undefined ? '-' : `${n}`);

/** Aligns a table's columns (colour codes do not count towards a cell's width). */
export function pad(cells: string[][]): string[] {
  // Width ignores ANSI colour codes so coloured cells still line up.
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => visible(r[i] ?? '')))) ?? [];
  return cells.map((r) => r.map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visible(c)))).join('  ').trimEnd());
}

export function outcomeColor(a: Attempt, c: Colors): string {
  if (a.outcome === 'ok') return c.green(a.outcome);
  if (a.outcome === 'auth_failed' || a.outcome === 'tls_mode_mismatch' || a.outcome === 'starttls_unavailable') return c.yellow(a.outcome);
  return c.red(a.outcome);
}

/** The verdict block every report kind ends with: code and summary, causes, numbered fixes. */
export function verdictLines(v: { code: string; summary: string; causes: string[]; fixes: string[] }, good: boolean, c: Colors): string[] {
  const out = [`${c.bold('Verdict')} ${good ? c.green(v.code) : c.red(v.code)}: ${v.summary}`];
  if (v.causes.length) {
    out.push(c.bold('Likely causes'));
    for (const cause of v.causes) out.push(`  - ${cause}`);
  }
  if (v.fixes.length) {
    out.push(c.bold('Fixes'));
    v.fixes.forEach((f, i) => out.push(`  ${i + 1}. ${f}`));
  }
  return out;
}

/** The probe's verdict: the finding that decides, what the app's client will do, its fixes, then the other findings. */
export function findingLines(v: ProbeReport['verdict'], c: Colors): string[] {
  const [first, ...rest] = v.findings;
  if (!first) return verdictLines(v, v.code === 'all_ok', c);
  const good = first.level !== 'error';
  const out = [`${c.bold('Verdict')} ${good ? c.green(first.code) : c.red(first.code)}: ${first.summary}`];
  if (v.prediction && !first.summary.includes(v.prediction.summary)) out.push(`${c.bold('What the app will do')} ${v.prediction.summary}`);
  if (first.causes.length) {
    out.push(c.bold('Why'));
    for (const cause of first.causes) out.push(`  - ${cause}`);
  }
  if (first.fixes.length) {
    out.push(c.bold('Fix'));
    first.fixes.forEach((f, i) => out.push(`  ${i + 1}. ${f.text}${f.verified === 'this_run' ? c.green(' [verified]') : ''}`));
  }
  if (rest.length) {
    out.push(c.bold('Also found'));
    for (const f of rest) {
      out.push(`  - ${f.level === 'error' ? c.red(f.code) : f.level === 'warning' ? c.yellow(f.code) : c.dim(f.code)}: ${f.summary}`);
      for (const fx of f.fixes.slice(0, 2)) out.push(`      fix: ${fx.text}`);
    }
  }
  return out;
}

export function renderProbeText(report: ProbeReport, c: Colors = NO_COLORS, opts: { transcript?: boolean } = {}): string {
  const out: string[] = [];
  const addrs = report.target.addresses.map((a) => `${a.address} (${a.family})`).join(', ') || 'no address';
  out.push(`${c.bold('smtp-egress probe')} ${report.target.host} -> ${addrs}`);
  out.push(c.dim(`from ${platformLabel(report.platform)}, ${report.platform.runtime}, ${report.startedAt}, ${report.durationMs} ms${report.target.source === 'django-env' ? ', target from the Django EMAIL_* settings' : ''}`));
  out.push('');
  const rows = [['PORT', 'MODE', 'FAMILY', 'OUTCOME', 'CONNECT', 'TLS', 'GREETING', 'EHLO', 'AUTH', 'DETAIL'].map((h) => c.dim(h))];
  const app = report.verdict.app;
  const isApp = (a: Attempt) => app !== null && a.port === app.port && a.mode === app.mode;
  for (const a of report.attempts) {
    rows.push([
      isApp(a) ? `${a.port}*` : String(a.port),
      a.detectedMode && a.detectedMode !== a.mode ? `${a.mode} (speaks ${a.detectedMode})` : a.mode,
      a.family ?? '-',
      outcomeColor(a, c),
      ms(a.phases.connect),
      ms(a.phases.tls),
      ms(a.phases.greeting),
      ms(a.phases.ehlo),
      a.auth?.result === 'ok' || a.auth?.result === 'failed' ? `${a.auth.result} ${ms(a.phases.auth)}` : '-',
      a.message.length > 110 ? `${a.message.slice(0, 107)}...` : a.message,
    ]);
  }
  out.push(...pad(rows));
  out.push(c.dim(`(times in ms${app ? "; * the app's configured port and mode" : ''})`));
  out.push('');
  out.push(...findingLines(report.verdict, c));
  if (opts.transcript) {
    for (const a of report.attempts) {
      if (a.transcript.length === 0) continue;
      out.push('');
      out.push(c.bold(`Transcript ${a.port} ${a.family ?? ''} (${a.mode})`));
      for (const l of a.transcript) out.push(`  ${String(l.t).padStart(5)} ${l.dir === 'client' ? 'C:' : l.dir === 'server' ? 'S:' : '--'} ${l.line}`);
    }
  }
  return `${out.join('\n')}\n`;
}
