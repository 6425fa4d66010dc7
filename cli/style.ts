// Colours and width for a command's output, from the terminal and the conventions people set:
// --no-color and NO_COLOR (no-color.org) turn colours off, FORCE_COLOR turns them on even into a
// pipe (FORCE_COLOR=0 off), otherwise colours go to a terminal only, and never to TERM=dumb.
// The width is the terminal's; into a file or a pipe prose is wrapped to COLUMNS, else 80.
import pc from 'picocolors';
import { DEFAULT_WIDTH, NO_COLORS, type Colors } from '../lib/render/layout.ts';
import type { CliIo } from './io.ts';

export function useColors(io: CliIo, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !/^(0|false)$/i.test(force);
  return io.isTty && io.env.TERM !== 'dumb';
}

export function styleFor(io: CliIo, noColorFlag: boolean): { colors: Colors; width: number } {
  const on = useColors(io, noColorFlag);
  const c = pc.createColors(on);
  const colors: Colors = on ? { green: c.green, red: c.red, yellow: c.yellow, bold: c.bold, dim: c.dim } : NO_COLORS;
  // COLUMNS (as GNU ls and less read it) sets the width of output that goes to a file or a pipe.
  const columns = Number(io.env.COLUMNS);
  const width = io.isTty && io.columns && io.columns > 0 ? io.columns : Number.isInteger(columns) && columns > 0 ? columns : DEFAULT_WIDTH;
  return { colors, width };
}
