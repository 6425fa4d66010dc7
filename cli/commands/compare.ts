// smtp-egress compare A.json B.json [--json]: two probe reports of one target, side by side.
import { readFile, stat } from 'node:fs/promises';
import { fileProblem, parseFlags } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo, type CommandIo } from '../io.ts';
import { compareInputs, compareIsClean } from '../../lib/compare/compare.ts';
import { renderCompareText } from '../../lib/render/compare-text.ts';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../../lib/model/errors.ts';

export const COMPARE_HELP: HelpSpec = {
  usage: ['compare A.json B.json [--json]'],
  about: [
    'Compares two probe reports of the same target (smtp-egress probe --json, or /api/probe), port by port and address family by family: same, egress_blocked_a / egress_blocked_b (one side cannot connect where the other can), differs (TLS, banner, login...), with a verdict naming the platforms. Give - for one of them to read it from standard input.',
  ],
  flags: [{ flag: '--json', text: 'the comparison as JSON (schema smtp-egress/compare@1)' }],
  examples: ['smtp-egress compare netlify.json render.json', 'curl ... /api/probe | smtp-egress compare - local.json'],
  exit: ['0  both sides agree and every attempt succeeded', '1  differences or failures', '2  bad usage'],
};

export const COMPARE_USAGE = renderHelp(COMPARE_HELP);

/** A probe report is a few MB at most: a bigger file, or a device that never ends, is not one. */
export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;

/** Reads and parses one report argument; errors name the file. */
async function readReport(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    if (path !== '-') {
      const info = await stat(path);
      if (!info.isFile()) throw new SmtpEgressError('invalid_input', `${path} is not a regular file: give a report written by smtp-egress probe --json`, { field: path });
      if (info.size > MAX_REPORT_FILE_BYTES) throw new SmtpEgressError('invalid_input', `${path} is ${info.size} bytes, more than the ${MAX_REPORT_FILE_BYTES} a probe report can be`, { field: path });
    }
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (e) {
    if (isSmtpEgressError(e)) throw e;
    throw new SmtpEgressError('invalid_input', `${path}: ${fileProblem(e)}`, { field: path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // Only the position: V8's message quotes the file's first characters, which may be a secret.
    const at = /position \d+/.exec((e as Error).message)?.[0];
    throw new SmtpEgressError('invalid_input', `${path} is not valid JSON${at ? ` (at ${at})` : ''}: give a report written by smtp-egress probe --json`, { field: path });
  }
}

export async function compareCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(argv, { json: { type: 'boolean' } }, 'compare');
  if (positionals.length !== 2) throw inputError('A.json B.json', `give exactly two report files (got ${positionals.length}), e.g. smtp-egress compare netlify.json render.json`);
  const [pa, pb] = positionals as [string, string];
  if (pa === '-' && pb === '-') throw inputError('A.json B.json', 'only one of the two reports can come from standard input');
  const name = (p: string) => (p === '-' ? 'standard input' : p);
  const [a, b] = await Promise.all([readReport(pa, io), readReport(pb, io)]);
  let report;
  try {
    report = compareInputs(a, b, [name(pa), name(pb)]);
  } catch (e) {
    // The message names the file and the field; the file is the field a CLI user can act on.
    if (isSmtpEgressError(e)) throw new SmtpEgressError(e.code, e.message, { field: e.field?.startsWith(name(pb)) ? name(pb) : e.field?.startsWith(name(pa)) ? name(pa) : e.field });
    throw e;
  }
  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderCompareText(report, io.style.colors, { width: io.style.width }));
  return compareIsClean(report) ? EXIT_OK : EXIT_FAILED;
}
