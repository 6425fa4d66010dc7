// The portable entry: `smtp-egress <command>`. esbuild bundles this file and everything it
// imports into dist/smtp-egress.mjs, which runs with plain node on Render or anywhere.
import { isSmtpEgressError } from '../lib/model/errors.ts';
import { TOOL_VERSION } from '../lib/model/version.ts';
import { EXIT_FAILED, EXIT_USAGE, type CliIo } from './io.ts';
import { redactingIo } from './redact-io.ts';
type Command = (argv: string[], io: CliIo) => Promise<number>;
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
  const loaded = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${loaded.usage}\n`);
    return 0;
  }
  try {
    return await loaded.run(rest, io);
  } catch (err) {
    if (isSmtpEgressError(err)) {
      io.stderr(`smtp-egress ${name}: ${err.field && !err.message.includes(err.field) ? `${err.field}: ` : ''}${err.message}\n`);
      return ['invalid_input', 'unknown_field', 'missing_field'].includes(err.code) ? EXIT_USAGE : EXIT_FAILED;
    }
    io.stderr(`smtp-egress ${name}: unexpected error: ${(err as Error).message}\n`);
    return EXIT_FAILED;
  }
}
