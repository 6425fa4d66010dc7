// Runs cli/main.ts in-process with captured streams: what a user would see, without a child.
import { main } from '../../cli/main.ts';
import type { Env } from '../../lib/platform/detect.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tty` makes stdout a terminal of that many columns (colours and wrapping follow it). */
export async function runCli(argv: string[], env: Env = {}, stdin = '', tty?: { columns: number }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    isTty: tty !== undefined,
    columns: tty?.columns,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
