// The human rendering of a send result: what was sent where, the outcome, and for a failure the
// verdict's causes and fixes. Colours are passed in, as for the probe's table.
import { NO_COLORS, type Colors } from './probe-text.ts';
import { platformLabel } from '../platform/detect.ts';
import type { SendResult } from '../model/send-report.ts';

export function renderSendText(r: SendResult, c: Colors = NO_COLORS): string {
  const out: string[] = [];
  const t = r.target;
  const via = t.transport === 'smtp' ? `SMTP ${t.host}:${t.port} (${t.mode}${t.address ? `, ${t.address}` : ''})` : `SES v2 API ${t.region}${t.endpoint ? ` via ${t.endpoint}` : ''}`;
  out.push(`${c.bold('smtp-egress send-test')}${r.dryRun ? c.yellow(' (dry run)') : ''} ${r.envelope.from} -> ${r.envelope.to.join(', ')} through ${via}`);
  out.push(c.dim(`from ${platformLabel(r.platform)}, ${r.platform.runtime}, ${r.startedAt}, ${r.durationMs} ms, id ${r.id}`));
  out.push('');
  const status = r.dryRun ? c.yellow('dry run') : r.sent ? c.green('sent') : c.red(r.outcome);
  out.push(`  ${c.bold('outcome')}   ${status}${r.errno ? c.dim(` (${r.errno})`) : ''}`);
  out.push(`  ${c.bold('detail')}    ${r.message}`);
  if (r.response) out.push(`  ${c.bold('response')}  ${r.response}`);
  if (r.messageId) out.push(`  ${c.bold('messageId')} ${r.messageId}`);
  if (r.accepted.length || r.rejected.length) out.push(`  ${c.bold('accepted')}  ${r.accepted.join(', ') || '-'}   rejected ${r.rejected.join(', ') || '-'}`);
  const tm = Object.entries(r.timings)
    .map(([k, v]) => `${k} ${v} ms`)
    .join(', ');
  out.push(`  ${c.bold('timings')}   ${tm}`);
  out.push('');
  out.push(`${c.bold(r.verdict.code)}: ${r.verdict.summary}`);
  if (r.verdict.causes.length) out.push('', c.bold('Likely causes:'), ...r.verdict.causes.map((x) => `  - ${x}`));
  if (r.verdict.fixes.length) out.push('', c.bold('Fixes:'), ...r.verdict.fixes.map((x) => `  - ${x}`));
  if (r.rendered.preview) out.push('', c.bold('Rendered message:'), c.dim(r.rendered.preview.trimEnd()));
  return `${out.join('\n')}\n`;
}
