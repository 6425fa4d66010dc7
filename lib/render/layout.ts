// Terminal layout shared by every text renderer: the width to fit, word wrapping with a hanging
// indent, and tables that fit the width or say they cannot (the caller then prints blocks).
// Width and wrapping come from string-width and wrap-ansi (the libraries chalk, ink and yargs
// use): they count East Asian wide characters and emoji as two columns, skip ANSI colour codes,
// and never split a colour sequence across lines, which a hand-written slice() would.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

export interface Colors {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

export const NO_COLORS: Colors = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/** The width prose is wrapped to when the output is not a terminal (a file, a pipe, a test). */
export const DEFAULT_WIDTH = 80;
/** Narrower than this, nothing useful fits on a line: wrap as if it were this wide. */
export const MIN_WIDTH = 40;
/** Below this many columns a report prints one block per attempt instead of a table. */
export const TABLE_MIN_WIDTH = 100;
/** A table's last (prose) column gets at least this many columns, or the table is not used. */
const MIN_PROSE_COLUMN = 40;

export const visibleWidth = (s: string): number => stringWidth(s);

/** The width to lay out for: the terminal's, bounded below so wrapping still makes sense. */
export function layoutWidth(width: number | undefined): number {
  return Math.max(MIN_WIDTH, Math.floor(width ?? DEFAULT_WIDTH));
}

/**
 * `text` wrapped at word boundaries to `width` columns: the first line starts with `first`,
 * the others with `rest` (a hanging indent). A word longer than a line is split, so no line is
 * ever wider than `width`. Newlines in `text` are kept.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const w = layoutWidth(width);
  const firstWidth = visibleWidth(first);
  const restWidth = visibleWidth(rest);
  const room = Math.max(10, w - restWidth);
  // The first line has `first` instead of `rest` before it: when that is wider, a placeholder
  // of the difference glued to the first word makes wrap-ansi leave room for it on line one.
  const extra = Math.max(0, Math.min(firstWidth - restWidth, room - 1));
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const lead = lines.length === 0 ? PLACEHOLDER.repeat(extra) : '';
    const wrapped = paragraph === '' ? [lead] : wrapAnsi(`${lead}${paragraph}`, room, { hard: true, trim: true }).split('\n');
    for (const line of wrapped) {
      const isFirst = lines.length === 0;
      lines.push(`${isFirst ? first : rest}${isFirst ? line.replace(PLACEHOLDERS, '') : line}`.trimEnd());
    }
  }
  return lines;
}

/** One column wide, not whitespace (wrap-ansi's trim keeps it), never in real text (private use). */
const PLACEHOLDER = '\uE000';
const PLACEHOLDERS = /\uE000/g;

/** A labelled value: `label value...` with the wrapped value aligned after the label. */
export function labelled(label: string, value: string, width: number, indent = ''): string[] {
  return wrap(value, width, `${indent}${label}`, ' '.repeat(visibleWidth(indent) + visibleWidth(label)));
}

/**
 * Rows as an aligned table whose last column is wrapped to what is left of `width`, or null
 * when that would leave the last column too narrow to read (the caller prints blocks then).
 */
export function fitTable(rows: string[][], width: number, minProse = MIN_PROSE_COLUMN): string[] | null {
  const w = layoutWidth(width);
  const n = Math.max(0, ...rows.map((r) => r.length));
  if (n === 0) return [];
  const widths = Array.from({ length: n - 1 }, (_, i) => Math.max(0, ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const lead = widths.reduce((s, x) => s + x + 2, 0);
  const room = w - lead;
  const longestLast = Math.max(0, ...rows.map((r) => visibleWidth(r[n - 1] ?? '')));
  if (room < Math.min(minProse, Math.max(longestLast, 1))) return null;
  const out: string[] = [];
  for (const r of rows) {
    const head = widths.map((cw, i) => (r[i] ?? '') + ' '.repeat(Math.max(0, cw - visibleWidth(r[i] ?? '')))).join('  ');
    const last = r[n - 1] ?? '';
    const prefix = n > 1 ? `${head}  ` : '';
    if (last === '') {
      out.push(prefix.trimEnd());
      continue;
    }
    out.push(...wrap(last, w, prefix, ' '.repeat(lead)));
  }
  return out;
}

/** Aligns a table's columns with no width limit (colour codes do not count towards a cell's width). */
export function pad(cells: string[][]): string[] {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => visibleWidth(r[i] ?? '')))) ?? [];
  return cells.map((r) => r.map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(c)))).join('  ').trimEnd());
}
