// The portable entry: `smtp-egress <command>`. esbuild bundles this file and everything it
// imports into dist/smtp-egress.mjs, which runs with plain node on Render or anywhere.
import { isSmtpEgressError } from '../lib/model/errors.ts';
import { TOOL_VERSION } from '../lib/model/version.ts';
import { EXIT_FAILED, EXIT_USAGE, type CliIo, type CommandIo } from './io.ts';
import { redactingIo } from './redact-io.ts';
import { styleFor } from './style.ts';
import { didYouMean } from './suggest.ts';
import { HELP_WIDTH } from './help.ts';
import { wrap } from '../lib/render/layout.ts';
type Command = (argv: string[], io: CommandIo) => Promise<number>;
interface LoadedCommand {
  run: Command;
  usage: string;
}

// Each command's module is loaded only when that command runs, so `probe` never evaluates the
// AWS SDK, the log patterns or the server, and `--version` starts as fast as node itself.
export const COMMANDS: Record<string, { load: () => Promise<LoadedCommand>; summary: string }> = {
  probe: {
    load: async () => import('./commands/probe.ts').then((m) => ({ run: m.probeCommand, usage: m.PROBE_USAGE })),
    summary: 'which SMTP ports get out of this network, and why not',
  },
  check: {
    load: async () => import('./commands/check.ts').then((m) => ({ run: m.checkCommand, usage: m.CHECK_USAGE })),
    summary: "what is wrong in the app's mail settings, and the fix (offline)",
  },
  'ses-smtp-password': {
    load: async () => import('./commands/ses-smtp-password.ts').then((m) => ({ run: m.sesSmtpPasswordCommand, usage: m.SES_SMTP_PASSWORD_USAGE })),
    summary: 'derive the Amazon SES SMTP password from an AWS secret key',
  },
  'send-test': {
    load: async () => import('./commands/send-test.ts').then((m) => ({ run: m.sendTestCommand, usage: m.SEND_TEST_USAGE })),
    summary: 'send one real test message through SMTP or the SES v2 HTTPS API',
  },
  logs: {
    load: async () => import('./commands/logs.ts').then((m) => ({ run: m.logsCommand, usage: m.LOGS_USAGE })),
    summary: 'read pasted logs (Django tracebacks, nodemailer errors): which lines say why mail failed',
  },
  serve: {
    load: async () => import('./commands/serve.ts').then((m) => ({ run: m.serveCommand, usage: m.SERVE_USAGE })),
    summary: 'the API and the page as a web service (a Render web service), until SIGTERM',
  },
  compare: {
    load: async () => import('./commands/compare.ts').then((m) => ({ run: m.compareCommand, usage: m.COMPARE_USAGE })),
    summary: 'probe reports or deployed probes (Netlify, Render, here) side by side, with a verdict',
  },
  explain: { load: async () => import('./commands/explain.ts').then((m) => ({ run: m.explainCommand, usage: m.EXPLAIN_USAGE })), summary: 'what the tool knows about a platform or mail provider, with sources' },
};

export const USAGE = () =>
  `${[
    ...wrap(`smtp-egress ${TOOL_VERSION}: find out why mail does not leave your cloud app`, HELP_WIDTH),
    '',
    'Usage:',
    '  smtp-egress <command> [flags]',
    '  smtp-egress <command> --help      the flags, examples and exit status of one',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).flatMap(([name, c]) => wrap(c.summary, HELP_WIDTH, `  ${name.padEnd(19)}`, ' '.repeat(21))),
    '',
    'Examples:',
    '  smtp-egress probe smtp.gmail.com',
    '  smtp-egress check --settings-file .env',
    '',
    'Exit status: 0 all good, 1 mail would not get through, 2 bad usage.',
  ].join('\n')}\n`;

/** Error codes that mean the command was called wrongly or without a setting it needs: exit 2. */
const USAGE_CODES = new Set(['invalid_input', 'unknown_field', 'missing_field', 'not_configured']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  io = redactingIo(io, argv);
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (name === 'help' && args[0] !== undefined && COMMANDS[args[0]]) return main([args[0], '--help'], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.stdout(USAGE());
    else io.stderr(USAGE());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    const hint = didYouMean(name, Object.keys(COMMANDS));
    io.stderr(`smtp-egress: unknown command "${name}"${hint}\nRun smtp-egress --help for the list of commands.\n`);
    return EXIT_USAGE;
  }
  // --no-color is every command's: taken out before the command parses its own flags.
  const end = args.indexOf('--');
  const noColor = args.some((a, i) => a === '--no-color' && (end === -1 || i < end));
  const rest = args.filter((a, i) => !(a === '--no-color' && (end === -1 || i < end)));
  const loaded = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(loaded.usage);
    return 0;
  }
  try {
    return await loaded.run(rest, { ...io, style: styleFor(io, noColor) });
  } catch (err) {
    if (isSmtpEgressError(err)) {
      const usage = USAGE_CODES.has(err.code);
      const message = `smtp-egress ${name}: ${err.field && !err.message.includes(err.field) ? `${err.field}: ` : ''}${err.message}`;
      // At a terminal the message wraps to it; into a pipe or a log it stays one line to grep.
      io.stderr(`${io.stderrIsTty ? wrap(message, io.stderrColumns ?? HELP_WIDTH, '', '  ').join('\n') : message}\n`);
      return usage ? EXIT_USAGE : EXIT_FAILED;
    }
    if ((err as { code?: string }).code === 'cancelled') return EXIT_FAILED;
    io.stderr(`smtp-egress ${name}: unexpected error: ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
}
