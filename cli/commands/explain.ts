// smtp-egress explain NAME: what the tool knows about a platform or a mail provider, with its
// sources. The words come from lib (describePlatform / describeProvider), the same the verdicts
// quote; this file only picks the entry and prints it.
import { parseFlags } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { EXIT_OK, type CliIo } from '../io.ts';
import { inputError } from '../../lib/model/errors.ts';
import { describeKnowledge, knowledgeIds, knowledgeJson, lookupKnowledge, suggestKnowledge } from '../../lib/providers/knowledge.ts';

const ids = knowledgeIds();

export const EXPLAIN_HELP: HelpSpec = {
  usage: ['explain PLATFORM|PROVIDER [--json]'],
  about: [
    'Prints what smtp-egress knows about a hosting platform (blocked SMTP ports per plan, how the block shows, how it is lifted, outbound IPv6, shell, detection) or a mail provider (hosts, ports per TLS mode with the alternatives, username, HTTPS API, its peculiar replies), each with its sources, the date it was checked and whether it is documented or only reported by users.',
    'A provider can also be named by its SMTP host (smtp.gmail.com) or nodemailer service name.',
    `Platforms: ${ids.platforms.join(', ')}.`,
    `Providers: ${ids.providers.join(', ')}.`,
  ],
  flags: [{ flag: '--json', text: 'the entry as data' }],
  examples: ['smtp-egress explain render', 'smtp-egress explain smtp.gmail.com --json'],
  exit: ['0  printed', '2  bad usage or unknown name'],
};

export const EXPLAIN_USAGE = renderHelp(EXPLAIN_HELP);

export async function explainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean' } }, 'explain');
  if (positionals.length !== 1) throw inputError('NAME', `explain takes one platform or provider name${positionals.length > 1 ? `, not ${positionals.length}` : ''}, e.g. smtp-egress explain render (smtp-egress explain --help lists them)`);
  const name = positionals[0] as string;
  const k = lookupKnowledge(name);
  if (!k) {
    const near = suggestKnowledge(name);
    throw inputError('NAME', `"${name}" is not a platform or provider smtp-egress knows${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''} (smtp-egress explain --help lists them)`);
  }
  io.stdout(f.json ? `${JSON.stringify(knowledgeJson(k), null, 2)}\n` : `${describeKnowledge(k).join('\n')}\n`);
  return EXIT_OK;
}
