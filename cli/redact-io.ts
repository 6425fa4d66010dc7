// One chokepoint for every command's output: each line written to stdout or stderr passes
// through a redactor of the secrets this process knows — the env's passwords, keys and token,
// and the variable `--password-env VAR` names — in every form a protocol or a hostile server
// echoes them in (plain, base64, URL-encoded). Defence in depth: each command already keeps
// secrets out of what it builds; this catches what someone else echoes (a remote's error, a
// pasted log line, a value typed into the wrong flag).
import type { CliIo } from './io.ts';
import { createRedactor, envSecrets } from '../lib/security/redact.ts';

/** Shorter values are not searched for: hiding every "abc" would shred the output. */
const MIN_CHARS = 6;

export function redactingIo(io: CliIo, argv: readonly string[]): CliIo {
  const secrets = envSecrets(io.env);
  argv.forEach((arg, i) => {
    const name = arg === '--password-env' ? argv[i + 1] : arg.startsWith('--password-env=') ? arg.slice('--password-env='.length) : undefined;
    const value = name === undefined ? undefined : io.env[name];
    if (value) secrets.push(value);
    // compare's per-remote tokens: --token-env URL=VAR names the variable.
    const tokenEnv = arg === '--token-env' ? argv[i + 1] : arg.startsWith('--token-env=') ? arg.slice('--token-env='.length) : undefined;
    const tokenVar = tokenEnv?.slice(tokenEnv.lastIndexOf('=') + 1);
    if (tokenVar && io.env[tokenVar]) secrets.push(io.env[tokenVar] as string);
  });
  // ...and SMTP_EGRESS_TOKEN_<LABEL>, the default variable of each remote's token.
  for (const [k, v] of Object.entries(io.env)) if (k.startsWith('SMTP_EGRESS_TOKEN_') && v) secrets.push(v);
  const long = secrets.filter((s) => s.length >= MIN_CHARS);
  if (long.length === 0) return io;
  const redact = createRedactor(long);
  return { ...io, stdout: (t) => io.stdout(redact(t)), stderr: (t) => io.stderr(redact(t)) };
}
