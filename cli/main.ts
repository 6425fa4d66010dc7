// The portable entry: `smtp-egress <command>`. esbuild bundles this file and everything it
// imports into dist/smtp-egress.mjs, which runs with plain node on Render or anywhere.
import { isSmtpEgressError } from '../lib/errors.ts';
import { TOOL_VERSION } from '../lib/version.ts';
import { EXIT_FAILED, EXIT_USAGE, type CliIo } from './io.ts';
import { redactingIo } from './redact-io.ts';
import { probeCommand } from './commands/probe.ts';
import { checkCommand } from './commands/check.ts';
import { sesSmtpPasswordCommand } from './commands/ses-smtp-password.ts';
import { sendTestCommand } from './commands/send-test.ts';
import { compareCommand } from './commands/compare.ts';
import { logsCommand } from './commands/logs.ts';
import { serveCommand } from './commands/serve.ts';

type Command = (argv: string[], io: CliIo) => Promise<number>;

export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  probe: { run: probeCommand, summary: 'which SMTP ports get out of this network, and why not' },
  check: { run: checkCommand, summary: "what is wrong in the app's mail settings, and the fix (offline)" },
  'ses-smtp-password': { run: sesSmtpPasswordCommand, summary: 'derive the Amazon SES SMTP password from an AWS secret key' },
  'send-test': { run: sendTestCommand, summary: 'send one real test message through SMTP or the SES v2 HTTPS API' },
  logs: { run: logsCommand, summary: 'read pasted logs (Django tracebacks, nodemailer errors): which lines say why mail failed' },
  serve: { run: serveCommand, summary: 'the API and the page as a web service (a Render web service), until SIGTERM' },
  compare: { run: compareCommand, summary: 'two probe reports of one target side by side (e.g. Netlify vs Render), with a verdict' },
};

export const USAGE = () => `smtp-egress ${TOOL_VERSION}: find out why mail does not leave your cloud app

usage: smtp-egress <command> [options]    (smtp-egress <command> --help for its options)

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`)
  .join('\n')}
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  io = redactingIo(io, argv);
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`smtp-egress: unknown command "${name}"\n${USAGE()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const usage = await import('./usage.ts');
    io.stdout(`${usage.usageOf(name)}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (isSmtpEgressError(err)) {
      io.stderr(`smtp-egress ${name}: ${err.field && !err.message.includes(err.field) ? `${err.field}: ` : ''}${err.message}\n`);
      return ['invalid_input', 'unknown_field', 'missing_field'].includes(err.code) ? EXIT_USAGE : EXIT_FAILED;
    }
    io.stderr(`smtp-egress ${name}: unexpected error: ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
}
