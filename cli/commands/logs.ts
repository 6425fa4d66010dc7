// smtp-egress logs [FILE|-] [--platform NAME] [--json]: reads pasted logs (a file, or standard
// input with `-` or no file) and says which mail errors explain why mail does not leave, with the
// most likely cause.
import { fileError, parseFlags } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from '../io.ts';
import { classifyLogs } from '../../lib/logs/classify.ts';
import { renderLogsText } from '../../lib/render/logs-text.ts';
import { inputError, isSmtpEgressError } from '../../lib/model/errors.ts';
import { POLICY_NAMES } from '../../lib/platform/egress-policies.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { FileTooLarge, readFileCapped } from '../../lib/security/read-capped.ts';

/** Larger inputs are refused rather than read into memory whole. */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;

export const LOGS_HELP: HelpSpec = {
  usage: ['logs [FILE | -] [--platform NAME] [--json]'],
  about: [
    "Reads logs and maps every mail error in them to the probe's outcome codes, with the client named, the cause and the fix: Python (smtplib, Django, aiosmtplib), Node (nodemailer), PHP (PHPMailer, Symfony Mailer, Swift Mailer / Laravel), Ruby (Net::SMTP, ActionMailer), Go (net/smtp), .NET (SmtpClient, MailKit), Java (JavaMail, Spring).",
    'Errors of other clients (Redis, Postgres, an HTTPS call) are left alone; log prefixes (Render, Heroku, docker compose) are stripped; lines it does not recognise are counted, never guessed at.',
    'With no FILE (or -) it reads standard input; at a terminal it asks you to paste the lines and end with Ctrl-D.',
  ],
  flags: [
    { flag: '--platform NAME', text: `the platform the logs come from (its SMTP policy is then part of the advice): ${POLICY_NAMES.join(', ')}`, default: 'what the log prefixes say, else the platform this runs on' },
    { flag: '--json', text: 'the report as JSON (schema smtp-egress/logs@2)' },
  ],
  examples: ['smtp-egress logs app.log', 'render logs --resources srv-xxxx | smtp-egress logs', 'smtp-egress logs app.log --platform render --json'],
  exit: ['0  no mail error recognised', '1  mail errors recognised', '2  bad usage'],
};

export const LOGS_USAGE = renderHelp(LOGS_HELP);

export async function logsCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean' }, platform: { type: 'string' } }, 'logs');
  if (f.platform !== undefined && !POLICY_NAMES.includes(f.platform)) {
    throw inputError('--platform', `--platform "${f.platform}" is not known: use one of ${POLICY_NAMES.join(', ')}`);
  }
  if (positionals.length > 1) throw inputError('FILE', `one file at a time (got ${positionals.length}: ${positionals.join(' ')}): join them first, e.g. cat a.log b.log | smtp-egress logs`);
  const file = positionals[0];
  let text: string;
  if (file === undefined || file === '-') {
    if (io.stdinIsTty) io.stderr('Paste the log lines, then press Ctrl-D on an empty line (smtp-egress logs FILE reads a file):\n');
    text = await io.readStdin();
  } else {
    try {
      text = await readFileCapped(file, MAX_LOG_FILE_BYTES);
    } catch (e) {
      if (e instanceof FileTooLarge) throw inputError('FILE', `${file} is larger than ${MAX_LOG_FILE_BYTES} bytes, the most that is read: cut it to the part around the failure`);
      if (isSmtpEgressError(e)) throw e;
      throw fileError('FILE', file, e);
    }
  }
  const report = classifyLogs(text, { platform: f.platform ?? null, deployment: detectPlatform(io.env).name });
  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderLogsText(report, io.style.colors, { width: io.style.width }));
  return report.summary.events > 0 ? EXIT_FAILED : EXIT_OK;
}
