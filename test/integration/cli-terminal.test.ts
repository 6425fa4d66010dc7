// The CLI as a person meets it in a terminal: the real bin under a pseudo-terminal (util-linux
// `script`) of 80 and 120 columns, where no line may be wider than the terminal and no cause may
// be cut; help within 80 columns; "did you mean"; exit codes; input mistakes named with the fix;
// colours that follow NO_COLOR, FORCE_COLOR and --no-color; the live status line.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { runCli } from '../helpers/cli.ts';
import { COMMANDS } from '../../cli/main.ts';
import { startNodeServer } from '../../lib/http/node-server.ts';
import { sesSmtpPassword } from '../../lib/providers/ses-smtp-password.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { buildSendOptions } from '../../lib/send/options.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';

/** Bounds one run of the CLI under `script` (node + tsx start, a probe of local servers). */
const RUN_TIMEOUT_MS = 30_000;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface TerminalRun {
  code: number;
  /** The lines as the terminal shows them at the end: status lines erased, colours stripped. */
  lines: string[];
  /** What was written, escape codes and all. */
  raw: string;
}

/** Text typed at the terminal once `after` has appeared on it (as a person answers a prompt). */
interface Typed {
  after: string;
  text: string;
}

/** Runs the real CLI (cli/bin.ts) in a pseudo-terminal `columns` wide: stdout, stderr and stdin are the terminal. */
function inTerminal(columns: number, argv: string[], env: Record<string, string> = {}, typed: Typed[] = []): Promise<TerminalRun> {
  const command = `stty cols ${columns} rows 60; exec ${quote(process.execPath)} --import tsx cli/bin.ts ${argv.map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...env } });
    let out = '';
    const pending = [...typed];
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      while (pending[0] && out.includes(pending[0].after)) child.stdin.write((pending.shift() as Typed).text);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      if (code === null) return reject(new Error(`the CLI did not finish within ${RUN_TIMEOUT_MS} ms:\n${out}`));
      // eslint-disable-next-line no-control-regex
      const plain = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      // What stays on screen: after a carriage return, the rest of the line overwrites it.
      const lines = plain.split(/\r?\n/).map((l) => l.split('\r').at(-1) ?? '');
      resolve({ code, lines, raw: out });
    });
  });
}

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[3\dm/;
const flat = (lines: string[]) => lines.join('\n').replace(/\s+/g, ' ');
const widest = (lines: string[]) => Math.max(...lines.map((l) => stringWidth(l)));

let ok: RunningServer;
let closed: number;
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();
let dir: string;
beforeAll(async () => {
  ok = await startSmtpServer({ noStarttls: true });
  const tmp = await startSmtpServer({ noStarttls: true });
  closed = tmp.port;
  await tmp.close();
  // Accepts and never greets: the probe waits there, and the status line shows it.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'se-term-'));
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((r) => silent?.close(r));
  await ok?.close();
});

describe.each([80, 120])('in a terminal %i columns wide', (columns) => {
  it('probe: no line wider than the terminal, no cause cut, a status line while it waits', async () => {
    const r = await inTerminal(columns, ['probe', '127.0.0.1', '--ports', `${ok.port}:plain,${closed}:plain,${silentPort}:plain`, '--greeting-timeout', '1000', '--command-timeout', '1000', '--tls-timeout', '1000', '--allow-private']);
    expect(r.code).toBe(1);
    expect(widest(r.lines)).toBeLessThanOrEqual(columns);
    // The whole cause of the refused port, wrapped but never cut with "...".
    expect(flat(r.lines)).toContain(`connecting to 127.0.0.1 port ${closed}: nothing listens there, or a firewall rejects it`);
    expect(r.lines.join('\n')).not.toMatch(/\.\.\.$/m);
    // Below 100 columns one block per attempt, above it a table.
    if (columns < 100) expect(r.lines.some((l) => /^PORT\s+MODE/.test(l))).toBe(false);
    else expect(r.lines.some((l) => /^PORT\s+MODE\s+FAMILY\s+OUTCOME/.test(l))).toBe(true);
    // The status line was drawn (and erased) while the silent port kept the probe waiting.
    expect(r.raw).toMatch(new RegExp(`waiting: [^\\r]*${silentPort} ipv4 greeting[^\\r]*\\d+ s left`));
    expect(r.lines.join('\n')).not.toContain('waiting:');
    // A terminal gets colours.
    expect(r.raw).toContain('\u001b[');
  });

  it('check: the findings wrap to the terminal and the header names the file', async () => {
    const file = join(dir, `app-${columns}.env`);
    writeFileSync(file, 'EMAIL_HOST=smtp.gmail.com\nEMAIL_PORT=25\nEMAIL_USE_SSL=False # set by the dashboard\nEMAIL_USER=app@gmail.com\n');
    const r = await inTerminal(columns, ['check', '--settings-file', file, '--platform', 'digitalocean'], { NO_COLOR: '1' });
    expect(r.code).toBe(1);
    expect(widest(r.lines)).toBeLessThanOrEqual(columns);
    expect(r.lines[0]).toContain(`smtp-egress check ${file}`);
    expect(flat(r.lines)).toContain('found EMAIL_USER: Django reads EMAIL_HOST_USER');
    // A comment after a value is a comment: no advice to quote it.
    expect(flat(r.lines)).not.toMatch(/EMAIL_USE_SSL.*quote it/);
    // NO_COLOR wins over the terminal.
    expect(r.raw).not.toMatch(COLOUR);
  });
});

describe('help', () => {
  it.each(Object.keys(COMMANDS))('%s --help: sections, one flag per line, within 80 columns', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(widest(lines)).toBeLessThanOrEqual(80);
    for (const section of ['Usage:', 'Flags:', 'Examples:', 'Exit status:']) expect(lines).toContain(section);
    expect(r.stdout).toMatch(/^ {2}--no-color/m);
    // Examples are whole command lines, each on one line so it can be copied.
    const examples = lines.slice(lines.indexOf('Examples:') + 1, lines.indexOf('Exit status:') - 1);
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) expect(e).toMatch(/^ {2}(?:[A-Z_]+=\S+ )*(?:\S.* \| )?smtp-egress \S/);
  });

  it('the top-level help is within 80 columns too; help COMMAND is COMMAND --help', async () => {
    const r = await runCli(['--help']);
    expect(widest(r.stdout.trimEnd().split('\n'))).toBeLessThanOrEqual(80);
    expect((await runCli(['help', 'probe'])).stdout).toBe((await runCli(['probe', '--help'])).stdout);
  });

  it('probe --help gives every timeout its default', async () => {
    const r = await runCli(['probe', '--help']);
    expect(r.stdout).toMatch(/--connect-timeout MS\s+wait for the TCP connection \(default: 5000\)/);
    expect(r.stdout).toMatch(/--timeout MS\s+the whole probe \(default: 20000\)/);
  });
});

describe('did you mean', () => {
  it('names the closest flag and command, exit 2, without dumping the usage', async () => {
    const port = await runCli(['probe', 'smtp.example.com', '--port', '587']);
    expect(port.code).toBe(2);
    expect(port.stderr).toBe('smtp-egress probe: unknown flag --port: did you mean --ports?\n');
    const settings = await runCli(['check', '--setings-file', '.env']);
    expect(settings.code).toBe(2);
    expect(settings.stderr).toContain('did you mean --settings-file?');
    const command = await runCli(['prbe', 'smtp.example.com']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "prbe": did you mean probe?');
    const platform = await runCli(['check', '--platform', 'rendr']);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toContain('did you mean render?');
    const far = await runCli(['probe', '--frobnicate']);
    expect(far.stderr).toContain('unknown flag --frobnicate (smtp-egress probe --help lists the flags)');
  });
});

describe('exit 2 for every usage error', () => {
  it.each([
    ['send-test without --from', ['send-test', '--to', 'you@example.com', '--host', 'smtp.example.com'], {}, /give --from, or set DEFAULT_FROM_EMAIL/],
    ['send-test over SES without a region', ['send-test', '--to', 'you@example.com', '--transport', 'ses', '--from', 'app@example.com'], { SES_ACCESS_KEY_ID: 'AKIAEXAMPLE', SES_SECRET_ACCESS_KEY: 'secret-key-example' }, /give --region, or set SES_REGION/],
    ['send-test over SES without keys', ['send-test', '--to', 'you@example.com', '--transport', 'ses', '--from', 'app@example.com', '--region', 'eu-west-3'], {}, /set SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY/],
    ['compare of one report', ['compare', 'a.json'], {}, /give two or more sources/],
    ['probe with no host and no EMAIL_HOST', ['probe'], {}, /set EMAIL_HOST/],
    ['a flag without its value', ['probe', 'smtp.example.com', '--ports'], {}, /--ports needs a value, e.g. --ports 587/],
    ['a value given to a switch', ['probe', 'smtp.example.com', '--json=yes'], {}, /--json is a switch and takes no value/],
  ] as const)('%s', async (_name, argv, env, message) => {
    const r = await runCli([...argv], { ...env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/awsAccessKeyId|give region\b|ENOENT/);
  });
});

describe('input mistakes, named with the fix', () => {
  it('a port glued to the host, on the command line, in EMAIL_HOST and in the API', async () => {
    const cli = await runCli(['probe', 'smtp.gmail.com:587']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe('smtp-egress probe: HOST "smtp.gmail.com:587" includes the port: the port goes in --ports (EMAIL_PORT): smtp-egress probe smtp.gmail.com --ports 587\n');
    const env = await runCli(['probe'], { EMAIL_HOST: 'smtp.gmail.com:587' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('EMAIL_HOST "smtp.gmail.com:587" includes the port: the port goes in EMAIL_PORT: EMAIL_HOST=smtp.gmail.com EMAIL_PORT=587');
    const ctx = { env: {}, platform: detectPlatform({}), policy: policyFromEnv({}) };
    expect(() => buildProbeOptions({ host: 'smtp.gmail.com:587' }, ctx)).toThrow('host "smtp.gmail.com:587" includes the port: the port goes in ports: "host": "smtp.gmail.com", "ports": "587"');
    expect(() => buildProbeOptions({ host: '[2001:db8::25]:587' }, ctx)).toThrow(/includes the port/);
    expect(buildProbeOptions({ host: '2001:db8::25' }, ctx).host).toBe('2001:db8::25');
    // send-test's API takes one port, named port.
    expect(() => buildSendOptions({ to: 'you@example.com', from: 'app@example.com', host: 'smtp.gmail.com:587' }, { ...ctx, allowedRecipients: null })).toThrow('the port goes in port: "host": "smtp.gmail.com", "port": "587"');
  });

  it('a URL in a host field', async () => {
    const r = await runCli(['probe', 'smtps://smtp.gmail.com:465']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HOST is a URL (smtps://smtp.gmail.com:465), but takes a host name only; the port goes in --ports (EMAIL_PORT): smtp-egress probe smtp.gmail.com --ports 465');
    const send = await runCli(['send-test', '--to', 'you@example.com', '--host', 'smtp.gmail.com:587']);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('the port goes in --port: --host smtp.gmail.com --port 587');
  });

  it('literal quotes around a value', async () => {
    const r = await runCli(['probe'], { EMAIL_HOST: '"mail55.lwspanel.com"' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('remove the quotes (EMAIL_HOST=mail55.lwspanel.com)');
    const check = await runCli(['check', '--json'], { EMAIL_HOST: '"mail55.lwspanel.com"', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True' });
    const report = JSON.parse(check.stdout);
    expect(report.findings[0]).toMatchObject({ code: 'value_quoted', field: 'EMAIL_HOST', level: 'error' });
    // The rest is judged on what was meant: the provider is recognised.
    expect(report.provider?.id).toBe('lws');
  });

  it('EMAIL_USER and EMAIL_PASSWORD: said by probe and check, the password never shown', async () => {
    const env = { EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(closed), EMAIL_USER: 'app@example.com', EMAIL_PASSWORD: 'misnamed-secret-42' };
    const probe = await runCli(['probe', '--ports', String(closed), '--allow-private', '--timeout', '3000'], env);
    expect(probe.stderr).toContain('found EMAIL_USER: Django reads EMAIL_HOST_USER; it is not used (rename it to EMAIL_HOST_USER)');
    expect(probe.stderr).toContain('found EMAIL_PASSWORD: Django reads EMAIL_HOST_PASSWORD');
    const check = await runCli(['check'], env);
    expect(check.stdout.replace(/\s+/g, ' ')).toContain('found EMAIL_USER: Django reads EMAIL_HOST_USER');
    for (const out of [probe.stdout, probe.stderr, check.stdout, check.stderr]) expect(out).not.toContain('misnamed-secret-42');
  });

  it('files in words: "no such file", not ENOENT', async () => {
    const missing = join(dir, 'nope.env');
    const r = await runCli(['check', '--settings-file', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`smtp-egress check: --settings-file ${missing}: no such file\n`);
    const ca = await runCli(['probe', 'smtp.example.com', '--ca-file', missing]);
    expect(ca.stderr).toContain(`--ca-file ${missing}: no such file`);
  });

  it('--env-file still works for one version, with a deprecation warning', async () => {
    const file = join(dir, 'old.env');
    writeFileSync(file, 'EMAIL_HOST=smtp.example.com\nEMAIL_PORT=587\nEMAIL_USE_TLS=True\n');
    const r = await runCli(['check', '--env-file', file, '--json']);
    expect(r.stderr).toContain('--env-file is deprecated and goes away in the next version: use --settings-file');
    expect(JSON.parse(r.stdout).settings.host).toBe('smtp.example.com');
  });
});

describe('colours', () => {
  const args = ['check', '--platform', 'render'];
  const env = { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '25' };
  const coloured = (s: string) => COLOUR.test(s);
  it('a terminal gets them; NO_COLOR, --no-color and FORCE_COLOR=0 take them away; FORCE_COLOR forces them into a pipe', async () => {
    expect(coloured((await runCli(args, env, '', { columns: 100 })).stdout)).toBe(true);
    expect(coloured((await runCli(args, { ...env, NO_COLOR: '1' }, '', { columns: 100 })).stdout)).toBe(false);
    expect(coloured((await runCli([...args, '--no-color'], env, '', { columns: 100 })).stdout)).toBe(false);
    expect(coloured((await runCli(args, { ...env, FORCE_COLOR: '0' }, '', { columns: 100 })).stdout)).toBe(false);
    expect(coloured((await runCli(args, env)).stdout)).toBe(false);
    expect(coloured((await runCli(args, { ...env, FORCE_COLOR: '1' })).stdout)).toBe(true);
  });
});

describe('prompts at a terminal', () => {
  it('ses-smtp-password asks for the key and does not echo it', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const r = await inTerminal(80, ['ses-smtp-password', '--region', 'eu-west-3'], {}, [{ after: '(not shown): ', text: `${secret}\r` }]);
    expect(r.code).toBe(0);
    expect(r.raw).toContain('AWS secret access key (not shown):');
    expect(r.raw).not.toContain(secret);
    expect(r.lines.map((l) => l.trim())).toContain(sesSmtpPassword(secret, 'eu-west-3'));
  });

  it('logs says what it waits for', async () => {
    const r = await inTerminal(80, ['logs'], {}, [{ after: 'press Ctrl-D', text: 'OSError: [Errno 101] Network is unreachable\n\u0004' }]);
    expect(r.raw).toContain('Paste the log lines, then press Ctrl-D');
    expect(r.code).toBe(1);
    expect(flat(r.lines)).toContain('network_unreachable');
  });
});

describe('a wrong token', () => {
  it('is said in words the redactor leaves alone, even when the token is the word "token"', async () => {
    const web = await startNodeServer({ port: 0, host: '127.0.0.1', env: { SMTP_EGRESS_TOKEN: 'the-right-one-7f3c9a2e81d46b05c3a9e7f1d2b8', SMTP_EGRESS_ALLOW_PRIVATE: '1' }, publicDir: null });
    try {
      const r = await runCli(['probe', '127.0.0.1', '--ports', `${closed}:plain`, '--allow-private', '--quiet', '--timeout', '2000', '--compare', web.url], { SMTP_EGRESS_TOKEN: 'token' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Check that SMTP_EGRESS_TOKEN here holds the token that deployment has');
    } finally {
      await web.shutdown(100);
    }
  });
});
