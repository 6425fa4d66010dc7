// Process wiring for cli/main.ts: real streams, real env, real exit code.
import { main } from './main.ts';
import { readLineFromTerminal } from './prompt.ts';

// `smtp-egress probe ... | head`: the reader left, which is no error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const readStdin = async () => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTty: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
  stderrIsTty: Boolean(process.stderr.isTTY),
  stderrColumns: process.stderr.columns,
  stdinIsTty: Boolean(process.stdin.isTTY),
  readStdin,
  readLine: readLineFromTerminal,
});
process.exitCode = code;
