// smtp-egress logs [FILE|-] [--json]: reads pasted logs (a file, or standard input with `-` or
// no file) and says which lines explain why mail does not leave, with the most likely cause.
import { readFile, stat } from 'node:fs/promises';
import { fileError, parseFlags } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from '../io.ts';
import { classifyLogs } from '../../lib/logs/classify.ts';
import { renderLogsText } from '../../lib/render/logs-text.ts';
import { inputError, isSmtpEgressError } from '../../lib/model/errors.ts';

/** Larger inputs are refused rather than read into memory whole. */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;

export const LOGS_HELP: HelpSpec = {
  usage: ['logs [FILE | -] [--json]'],
  about: [
    "Reads logs and maps every line it recognises to the probe's outcome codes, with cause and fix: Django/smtplib tracebacks ([Errno 101] Network is unreachable, SMTPAuthenticationError...), nodemailer errors as printed (ETIMEDOUT, ESOCKET, EAUTH, Greeting never received...), Node errno lines. Render's log prefixes are stripped. Lines it does not recognise are counted, never guessed at.",
    'With no FILE (or -) it reads standard input; at a terminal it asks you to paste the lines and end with Ctrl-D.',
  ],
  flags: [{ flag: '--json', text: 'the report as JSON (schema smtp-egress/logs@1)' }],
  examples: ['smtp-egress logs app.log', 'render logs --resources srv-xxxx | smtp-egress logs', 'smtp-egress logs app.log --json'],
  exit: ['0  no mail error recognised', '1  mail errors recognised', '2  bad usage'],
};

export const LOGS_USAGE = renderHelp(LOGS_HELP);

export async function logsCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean' } }, 'logs');
  if (positionals.length > 1) throw inputError('FILE', `one file at a time (got ${positionals.length}: ${positionals.join(' ')}): join them first, e.g. cat a.log b.log | smtp-egress logs`);
  const file = positionals[0];
  let text: string;
  if (file === undefined || file === '-') {
    if (io.stdinIsTty) io.stderr('Paste the log lines, then press Ctrl-D on an empty line (smtp-egress logs FILE reads a file):\n');
    text = await io.readStdin();
  } else {
    try {
      const { size } = await stat(file);
      if (size > MAX_LOG_FILE_BYTES) throw inputError('FILE', `${file} is ${size} bytes; at most ${MAX_LOG_FILE_BYTES} are read: cut it to the part around the failure`);
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isSmtpEgressError(e)) throw e;
      throw fileError('FILE', file, e);
    }
  }
  const report = classifyLogs(text);
  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderLogsText(report, io.style.colors, { width: io.style.width }));
  return report.summary.events > 0 ? EXIT_FAILED : EXIT_OK;
}
