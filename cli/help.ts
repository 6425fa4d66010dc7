// Help in the sections people know from gh and curl: usage, what the command does, flags one per
// line with their default, environment variables, examples, exit status; wrapped to 80 columns
// (help is read in any terminal, and pasted into issues).
import { wrap } from '../lib/render/layout.ts';

export const HELP_WIDTH = 80;
/** Where a flag's text starts; a longer flag puts its text on the next line. */
const TEXT_COLUMN = 26;

export interface FlagHelp {
  /** `--ports LIST`, `--json`, `-h, --help`. */
  flag: string;
  text: string;
  default?: string;
}

export interface HelpSpec {
  /** Each a way to call the command, without the leading "smtp-egress " (examples are whole command lines). */
  usage: string[];
  about: string[];
  flags: FlagHelp[];
  env?: FlagHelp[];
  examples: string[];
  exit: string[];
}

function items(list: FlagHelp[]): string[] {
  const out: string[] = [];
  for (const f of list) {
    const text = f.default === undefined ? f.text : `${f.text} (default: ${f.default})`;
    const head = `  ${f.flag}`;
    if (head.length + 2 <= TEXT_COLUMN) out.push(...wrap(text, HELP_WIDTH, head.padEnd(TEXT_COLUMN), ' '.repeat(TEXT_COLUMN)));
    else out.push(head, ...wrap(text, HELP_WIDTH, ' '.repeat(TEXT_COLUMN)));
  }
  return out;
}

export function renderHelp(spec: HelpSpec): string {
  const out: string[] = ['Usage:'];
  for (const u of spec.usage) out.push(...wrap(u, HELP_WIDTH, '  smtp-egress ', '      '));
  out.push('');
  for (const p of spec.about) out.push(...wrap(p, HELP_WIDTH), '');
  out.push('Flags:', ...items([...spec.flags, { flag: '--no-color', text: 'no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)' }, { flag: '-h, --help', text: 'this help' }]), '');
  if (spec.env?.length) out.push('Environment:', ...items(spec.env), '');
  out.push('Examples:');
  for (const e of spec.examples) out.push(...wrap(e, HELP_WIDTH, '  ', '      '));
  out.push('', 'Exit status:');
  for (const e of spec.exit) out.push(...wrap(e, HELP_WIDTH, '  ', '     '));
  return `${out.join('\n')}\n`;
}
