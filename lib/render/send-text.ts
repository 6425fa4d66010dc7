// The human rendering of a send result: what was sent where, the outcome, and for a failure the
// verdict's causes and fixes. Colours and the width are passed in, as for the probe's table.
import { NO_COLORS, verdictLines, type Colors, type TextOptions } from './probe-text.ts';
import { DEFAULT_WIDTH, labelled, wrap } from './layout.ts';
import { platformLabel } from '../platform/detect.ts';
import type { SendResult } from '../model/send-report.ts';

export function renderSendText(r: SendResult, c: Colors = NO_COLORS, opts: TextOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const t = r.target;
  const via = t.transport === 'smtp' ? `SMTP ${t.host}:${t.port} (${t.mode}${t.address ? `, ${t.address}` : ''})` : `SES v2 API ${t.region}${t.endpoint ? ` via ${t.endpoint}` : ''}`;
  out.push(...wrap(`${r.envelope.from} -> ${r.envelope.to.join(', ')} through ${via}`, width, `${c.bold('smtp-egress send-test')}${r.dryRun ? c.yellow(' (dry run)') : ''} `, '  '));
  out.push(...wrap(c.dim(`from ${platformLabel(r.platform)}, ${r.platform.runtime}, ${r.startedAt}, ${r.durationMs} ms, id ${r.id}`), width));
  out.push('');
  const status = r.dryRun ? c.yellow('dry run') : r.sent ? c.green('sent') : c.red(r.outcome);
  const row = (label: string, value: string) => out.push(...labelled(`  ${c.bold(label.padEnd(9))} `, value, width));
  row('outcome', `${status}${r.errno ? c.dim(` (${r.errno})`) : ''}`);
  row('detail', r.message);
  if (r.response) row('response', r.response);
  if (r.messageId) row('messageId', r.messageId);
  if (r.accepted.length || r.rejected.length) row('accepted', `${r.accepted.join(', ') || '-'}   rejected ${r.rejected.join(', ') || '-'}`);
  row(
    'timings',
    Object.entries(r.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', '),
  );
  out.push('');
  out.push(...verdictLines(r.verdict, r.outcome === 'ok', c, width));
  if (r.rendered.preview) out.push('', c.bold('Rendered message:'), c.dim(r.rendered.preview.trimEnd()));
  return `${out.join('\n')}\n`;
}
