// Flag parsing on node:util parseArgs, with errors that name the flag and what it expects.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../lib/model/errors.ts';
import type { Env } from '../lib/platform/detect.ts';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new SmtpEgressError('invalid_input', `${msg}\n${usage}`, { field: 'argv' });
  }
}

/** Renames an input error's field from its HTTP name to the CLI flag that set it. */
export function withFlagNames(err: unknown, flagOf: Record<string, string>): unknown {
  if (!isSmtpEgressError(err) || !err.field) return err;
  const flag = flagOf[err.field];
  if (!flag) return err;
  // The field that opens the message is renamed, and camelCase field names anywhere in it
  // (timeoutMs...); plain words such as "host" inside a sentence stay as they are.
  let message = new RegExp(`^${err.field}\\b`).test(err.message) ? flag + err.message.slice(err.field.length) : err.message;
  for (const [field, cliFlag] of Object.entries(flagOf)) {
    if (/[A-Z]/.test(field)) message = message.replace(new RegExp(`\\b${field}\\b`, 'g'), cliFlag);
  }
  return new SmtpEgressError(err.code, message, { field: flag, stage: err.stage, response: err.response });
}

/**
 * `--user U --password-env VAR` and `--ca-file PEM`, as probe and send-test take them: the
 * password is read from the variable VAR, never from the command line.
 */
export async function readLoginAndCa(f: { user?: string; 'password-env'?: string; 'ca-file'?: string }, env: Env): Promise<{ password?: string; ca?: string }> {
  let password: string | undefined;
  if (f['password-env'] !== undefined) {
    password = env[f['password-env']];
    if (password === undefined) throw inputError('--password-env', `--password-env names ${f['password-env']}, but that variable is not set`);
  }
  if (f.user !== undefined && password === undefined) throw inputError('--password-env', '--user needs --password-env VAR (the password is read from that variable, never from the command line)');
  let ca: string | undefined;
  if (f['ca-file'] !== undefined) {
    try {
      ca = await readFile(f['ca-file'], 'utf8');
    } catch (e) {
      throw inputError('--ca-file', `--ca-file ${f['ca-file']} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return { password, ca };
}
