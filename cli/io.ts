// What a command gets from the outside world, so tests can run commands in-process.
import type { Env } from '../lib/platform/detect.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  /** True when stdout is a terminal (colours, progress). */
  isTty: boolean;
  /** Reads standard input to the end (for `-` arguments and secrets). */
  readStdin: () => Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
