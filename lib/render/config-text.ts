// The human rendering of a config-check report: what was read and from where, the count and
// the first finding (the one that stops mail, as the report orders them) before anything else,
// then the findings grouped by level with their fixes, then the corrected snippet. Colours and
// the width are passed in, as for the probe table.
import { NO_COLORS, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, labelled, wrap } from './layout.ts';
import type { ConfigReport, Finding } from '../model/config-report.ts';

const HEADINGS: Record<Finding['level'], string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };
const SOURCES: Record<ConfigReport['source'], string> = { 'django-env': 'the environment', 'env-file': 'env file', url: 'SMTP URL', nodemailer: 'nodemailer options' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ConfigTextOptions extends TextOptions {
  /** The file the settings came from (check --settings-file, --nodemailer), named in the header. */
  file?: string;
}

export function renderConfigText(report: ConfigReport, c: Colors = NO_COLORS, opts: ConfigTextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const s = report.settings;
  const mode = s.useSsl && s.useTls ? 'TLS and STARTTLS both on' : s.useSsl ? 'TLS from the first byte' : s.useTls ? 'STARTTLS' : s.useTls === null && s.useSsl === null ? 'TLS not set' : 'no TLS';
  const platform = report.platform.name ? `${report.platform.name} (${report.platform.how})` : 'none given';
  const source = opts.file ? `${opts.file} (${SOURCES[report.source]})` : SOURCES[report.source];
  out.push(...wrap(`${source}, platform ${platform}`, width, `${c.bold('smtp-egress check')} `, '  '));
  out.push(
    ...wrap(
      c.dim(
        `${s.host ?? '(no host)'}:${s.port ?? '(no port)'}, ${mode}, user ${s.user ?? '(none)'}, password ${s.password ? 'set' : 'not set'}, timeout ${s.timeout === null ? 'not set' : `${s.timeout} s`}, from ${s.from ?? '(not set)'}`,
      ),
      width,
    ),
  );
  if (report.provider) out.push(c.dim(`provider: ${report.provider.name}${report.provider.region ? ` (${report.provider.region})` : ''}`));
  out.push('');

  // The answer first: the counts, and the finding that matters most (the report's first).
  const { error, warning, info } = report.counts;
  const first = report.findings.find((f) => f.level !== 'info');
  if (error > 0) out.push(c.red(c.bold(`${plural(error, 'error')}, ${plural(warning, 'warning')}: mail will not go out as configured.`)));
  else if (warning > 0) out.push(c.yellow(c.bold(`No errors, ${plural(warning, 'warning')}${info ? `, ${plural(info, 'note')}` : ''}: read the warning${warning === 1 ? '' : 's'} first.`)));
  else out.push(c.green(c.bold(`No errors${info ? ` (${plural(info, 'note')})` : ''}.`)));
  if (first) out.push(...wrap(first.message, width, `  ${first.level === 'error' ? c.red(first.code) : c.yellow(first.code)}: `, '    '));
  out.push('');

  for (const level of ['error', 'warning', 'info'] as const) {
    const group = report.findings.filter((f) => f.level === level);
    if (group.length === 0) continue;
    const paint = level === 'error' ? c.red : level === 'warning' ? c.yellow : c.dim;
    out.push(c.bold(`${HEADINGS[level]} (${group.length})`));
    for (const f of group) {
      out.push(...wrap(`${paint(f.code)} [${f.field}] ${f.message}`, width, '  ', '    '));
      if (f.fix) out.push(...labelled(`${c.green('fix:')} `, f.fix, width, '    '));
    }
    out.push('');
  }
  if (report.snippet) {
    out.push(c.bold('Corrected settings'));
    // A snippet is copied as it is: its lines are never wrapped.
    for (const line of report.snippet.trimEnd().split('\n')) out.push(`  ${line}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
