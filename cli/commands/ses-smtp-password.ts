// smtp-egress ses-smtp-password --region R: the Amazon SES SMTP password for an IAM secret access
// key, with AWS's SigV4 derivation. The secret is read from AWS_SECRET_ACCESS_KEY or stdin, never
// from argv (which other users can see in `ps` and which lands in shell history).
import { parseFlags } from '../flags.ts';
import { EXIT_OK, type CommandIo } from '../io.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { didYouMean } from '../suggest.ts';
import { inputError } from '../../lib/model/errors.ts';
import { REGION_SHAPE, SES_SMTP_REGIONS, sesSmtpHost, sesSmtpPassword } from '../../lib/providers/ses-smtp-password.ts';

export const SES_SMTP_PASSWORD_HELP: HelpSpec = {
  usage: ['ses-smtp-password --region REGION [--stdin] [--json]'],
  about: [
    'Prints the Amazon SES SMTP password for REGION, derived from the IAM secret access key (AWS\'s SigV4 derivation). The key comes from AWS_SECRET_ACCESS_KEY, else standard input (at a terminal it is asked for, and not shown as you type); never from the command line. The SMTP username is the access key id; the host email-smtp.REGION.amazonaws.com.',
  ],
  flags: [
    { flag: '--region REGION', text: 'the SES region, e.g. eu-west-3 (required)' },
    { flag: '--stdin', text: 'read the key from standard input even when AWS_SECRET_ACCESS_KEY is set' },
    { flag: '--json', text: 'region, host, username and password as JSON' },
  ],
  env: [
    { flag: 'AWS_SECRET_ACCESS_KEY', text: 'the IAM secret access key' },
    { flag: 'AWS_ACCESS_KEY_ID', text: 'the key id, shown as the username with --json' },
  ],
  examples: ['smtp-egress ses-smtp-password --region eu-west-3', 'AWS_SECRET_ACCESS_KEY=... smtp-egress ses-smtp-password --region eu-west-3'],
  exit: ['0  printed', '2  bad usage'],
};

export const SES_SMTP_PASSWORD_USAGE = renderHelp(SES_SMTP_PASSWORD_HELP);

export async function sesSmtpPasswordCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { region: { type: 'string' }, stdin: { type: 'boolean' }, json: { type: 'boolean' } }, 'ses-smtp-password');
  if (positionals.length > 0) {
    throw inputError('argv', 'the secret access key is never taken from the command line (it would show in ps and shell history): set AWS_SECRET_ACCESS_KEY or pipe it on stdin');
  }
  const region = f.region?.trim().toLowerCase();
  if (!region) throw inputError('--region', `--region is required, e.g. --region eu-west-3 (SES SMTP regions: ${SES_SMTP_REGIONS.join(', ')})`);
  if (!REGION_SHAPE.test(region)) throw inputError('--region', `--region "${f.region}" is not an AWS region name like eu-west-3`);
  if (!SES_SMTP_REGIONS.includes(region)) io.stderr(`smtp-egress ses-smtp-password: warning: ${region} is not among the SES SMTP regions this tool knows${didYouMean(region, SES_SMTP_REGIONS)}; deriving anyway\n`);

  let secret = f.stdin ? undefined : io.env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!secret) {
    // At a terminal: ask, and do not echo the key as it is typed.
    const typed = io.stdinIsTty && io.readLine ? await io.readLine('AWS secret access key (not shown): ', { hidden: true }) : await io.readStdin();
    secret = typed.replace(/[\r\n]+$/, '').trim();
    if (!secret) throw inputError('AWS_SECRET_ACCESS_KEY', 'no secret access key: set AWS_SECRET_ACCESS_KEY or pipe the key on stdin');
  }
  if (/\s/.test(secret)) throw inputError('AWS_SECRET_ACCESS_KEY', 'the secret access key contains whitespace: give the key alone, on one line');
  if (secret.length !== 40) io.stderr(`smtp-egress ses-smtp-password: warning: the secret is ${secret.length} characters; IAM secret access keys have 40\n`);

  const password = sesSmtpPassword(secret, region);
  if (f.json) {
    io.stdout(`${JSON.stringify({ region, host: sesSmtpHost(region), username: io.env.AWS_ACCESS_KEY_ID?.trim() || null, password }, null, 2)}\n`);
  } else {
    io.stdout(`${password}\n`);
  }
  return EXIT_OK;
}
