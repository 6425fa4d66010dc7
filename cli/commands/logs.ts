// smtp-egress logs [FILE|-] [--platform NAME] [--json]: reads pasted logs (a file, or standard
// input with `-` or no file) and says which mail errors explain why mail does not leave, with the
// most likely cause.
import { readFile, stat } from 'node:fs/promises';
import pc from 'picocolors';
import { parseFlags } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo } from '../io.ts';
import { classifyLogs } from '../../lib/logs/classify.ts';
import { renderLogsText } from '../../lib/render/logs-text.ts';
import { NO_COLORS } from '../../lib/render/probe-text.ts';
import { inputError, isSmtpEgressError } from '../../lib/model/errors.ts';
import { POLICY_NAMES } from '../../lib/platform/egress-policies.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';

/** Larger inputs are refused rather than read into memory whole. */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;

export const LOGS_USAGE = `usage: smtp-egress logs [FILE | -] [--platform NAME] [--json]
  Reads logs (a file; standard input with - or no FILE) and maps every mail error in them to the
  probe's outcome codes, with the client named, the cause and the fix: Python (smtplib, Django,
  aiosmtplib), Node (nodemailer), PHP (PHPMailer, Symfony Mailer, Swift Mailer / Laravel), Ruby
  (Net::SMTP, ActionMailer), Go (net/smtp), .NET (SmtpClient, MailKit), Java (JavaMail, Spring).
  Errors of other clients (Redis, Postgres, an HTTPS call) are left alone; log prefixes (Render,
  Heroku, docker compose) are stripped; lines it does not recognise are counted, never guessed at.
  --platform NAME   the platform the logs come from (its SMTP policy is then part of the advice);
                    default: what the log prefixes say, else the platform this runs on. One of
                    ${POLICY_NAMES.join(', ')}
  e.g. render logs ... | smtp-egress logs      smtp-egress logs app.log --platform render --json
  Exit status: 0 no mail error recognised, 1 mail errors recognised, 2 bad usage.`;

export async function logsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean' }, platform: { type: 'string' } }, LOGS_USAGE);
  if (f.platform !== undefined && !POLICY_NAMES.includes(f.platform)) {
    throw inputError('--platform', `--platform "${f.platform}" is not known: use one of ${POLICY_NAMES.join(', ')}`);
  }
  if (positionals.length > 1) throw inputError('FILE', `one file at a time (got ${positionals.length}: ${positionals.join(' ')})\n${LOGS_USAGE}`);
  const file = positionals[0];
  let text: string;
  if (file === undefined || file === '-') {
    text = await io.readStdin();
  } else {
    try {
      const { size } = await stat(file);
      if (size > MAX_LOG_FILE_BYTES) throw inputError('FILE', `${file} is ${size} bytes; at most ${MAX_LOG_FILE_BYTES} are read: cut it to the part around the failure`);
      text = await readFile(file, 'utf8');
    } catch (e) {
      if (isSmtpEgressError(e)) throw e;
      throw inputError('FILE', `${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const report = classifyLogs(text, { platform: f.platform ?? null, deployment: detectPlatform(io.env).name });
  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderLogsText(report, io.isTty ? pc : NO_COLORS));
  return report.summary.events > 0 ? EXIT_FAILED : EXIT_OK;
}
