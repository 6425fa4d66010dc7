// The human rendering of a config-check report: what was read, findings grouped by level with
// their fixes, then the corrected snippet. Colours are passed in, as for the probe table.
import { NO_COLORS, type Colors } from './probe-text.ts';
import type { ConfigReport, Finding } from '../model/config-report.ts';

const HEADINGS: Record<Finding['level'], string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

export function renderConfigText(report: ConfigReport, c: Colors = NO_COLORS): string {
  const out: string[] = [];
  const s = report.settings;
  const mode = s.useSsl && s.useTls ? 'TLS and STARTTLS both on' : s.useSsl ? 'TLS from the first byte' : s.useTls ? 'STARTTLS' : s.useTls === null && s.useSsl === null ? 'TLS not set' : 'no TLS';
  const platform = report.platform.name ? `${report.platform.name} (${report.platform.how})` : 'none given';
  out.push(`${c.bold('smtp-egress check')} ${report.source}, platform ${platform}`);
  out.push(
    c.dim(
      `${s.host ?? '(no host)'}:${s.port ?? '(no port)'}, ${mode}, user ${s.user ?? '(none)'}, password ${s.password ? 'set' : 'not set'}, timeout ${s.timeout === null ? 'not set' : `${s.timeout} s`}, from ${s.from ?? '(not set)'}`,
    ),
  );
  if (report.provider) out.push(c.dim(`provider: ${report.provider.name}${report.provider.region ? ` (${report.provider.region})` : ''}`));
  out.push('');
  for (const level of ['error', 'warning', 'info'] as const) {
    const group = report.findings.filter((f) => f.level === level);
    if (group.length === 0) continue;
    const paint = level === 'error' ? c.red : level === 'warning' ? c.yellow : c.dim;
    out.push(c.bold(`${HEADINGS[level]} (${group.length})`));
    for (const f of group) {
      out.push(`  ${paint(f.code)} [${f.field}] ${f.message}`);
      if (f.fix) out.push(`    ${c.green('fix:')} ${f.fix}`);
    }
    out.push('');
  }
  const { error, warning, info } = report.counts;
  out.push(error === 0 ? c.green(`No errors (${warning} warning${warning === 1 ? '' : 's'}, ${info} note${info === 1 ? '' : 's'}).`) : c.red(`${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}.`));
  if (report.snippet) {
    out.push('');
    out.push(c.bold('Corrected settings'));
    for (const line of report.snippet.trimEnd().split('\n')) out.push(`  ${line}`);
  }
  return `${out.join('\n')}\n`;
}
