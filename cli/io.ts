// What a command gets from the outside world, so tests can run commands in-process.
import type { Env } from '../lib/platform/detect.ts';
import type { Colors } from '../lib/render/layout.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  /** True when stdout is a terminal (colours, wrapping to its width). */
  isTty: boolean;
  /** The terminal's width when stdout is one (process.stdout.columns). */
  columns?: number;
  /** True when stderr is a terminal: the live status line is drawn there. */
  stderrIsTty?: boolean;
  /** The width of the terminal stderr is (the status line fits it). */
  stderrColumns?: number;
  /** True when stdin is a terminal: commands that read it prompt first. */
  stdinIsTty?: boolean;
  /** Reads standard input to the end (for `-` arguments and secrets). */
  readStdin: () => Promise<string>;
  /** Reads one line typed at the terminal after `prompt` (on stderr); `hidden` echoes nothing. */
  readLine?: (prompt: string, opts: { hidden: boolean }) => Promise<string>;
}

/** What main() adds for the command: the colours and width its renderers use (--no-color is taken out of argv). */
export interface CommandIo extends CliIo {
  style: { colors: Colors; width: number };
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
