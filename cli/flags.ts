// Flag parsing on node:util parseArgs, with errors that name the flag and what it expects.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../lib/model/errors.ts';
import type { Env } from '../lib/platform/detect.ts';
import { didYouMean } from './suggest.ts';

/** What went wrong reading a file, in words (ENOENT is "no such file"). */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory, not a file',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many symbolic links',
    EMFILE: 'too many open files',
  };
  return (code && words[code]) ?? (e as Error).message;
}

/** An input error for a file a flag names: `--ca-file ca.pem: no such file`. */
export const fileError = (flag: string, path: string, e: unknown) => inputError(flag, `${flag} ${path}: ${fileProblem(e)}`);

/**
 * argv parsed by node:util parseArgs. A mistake names the flag and, for an unknown one, the
 * closest known flag ("--port: did you mean --ports?"), then points at the command's --help
 * rather than printing all of it.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const help = `(smtp-egress ${command} --help lists the flags)`;
    const known = Object.keys(options).map((k) => `--${k}`);
    const unknown = /^Unknown option '([^']+)'/.exec(err.message)?.[1];
    if (unknown) {
      const typed = unknown.split('=')[0] as string;
      const hint = typed.startsWith('--') ? didYouMean(typed, known) : '';
      throw inputError(typed, `unknown flag ${typed}${hint || ` ${help}`}`);
    }
    const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(err.message)?.[1];
    if (missing) throw inputError(missing, `${missing} needs a value, e.g. ${missing} ${EXAMPLE_VALUE[missing] ?? 'VALUE'} ${help}`);
    const noValue = /^Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(err.message)?.[1];
    if (noValue) throw inputError(noValue, `${noValue} is a switch and takes no value: write ${noValue} alone`);
    const msg = err.message.replace(/\. To specify a positional argument.*$/s, '');
    throw new SmtpEgressError('invalid_input', `${msg} ${help}`, { field: 'argv' });
  }
}

/** Example values for "needs a value" messages. */
const EXAMPLE_VALUE: Record<string, string> = {
  '--ports': '587',
  '--port': '587',
  '--timeout': '20000',
  '--connect-timeout': '5000',
  '--to': 'you@example.com',
  '--from': 'app@example.com',
  '--region': 'eu-west-3',
  '--host': 'smtp.example.com',
  '--settings-file': '.env',
  '--url': 'smtp+tls://USER@smtp.example.com:587',
  '--password-env': 'EMAIL_HOST_PASSWORD',
  '--compare': 'https://SITE/api/probe',
};

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
    // "give region, or set SES_REGION": the API's field name, where a CLI user types a flag.
    message = message.replace(new RegExp(`\\bgive ${field}\\b`, 'g'), `give ${cliFlag}`);
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
      throw fileError('--ca-file', f['ca-file'], e);
    }
  }
  return { password, ca };
}
