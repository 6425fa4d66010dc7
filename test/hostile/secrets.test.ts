// ONE harness for secrets (issue 7): every command and every function that exists runs with a
// known SMTP password, AWS secret key, AWS session token and bearer token — against good and
// hostile servers (one echoes the AUTH payload back in its 535, one plays an SES endpoint that
// echoes every header and the body, one plays a remote probe that echoes the bearer token) — and
// every output stream, report, transcript, error, response and log line (console.* and
// process.stdout/stderr captured too) is scanned for each secret and its base64 (every
// alignment, standard and url-safe), URL-encoded and form-encoded forms. It must find nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from '@netlify/functions';
import { main, COMMANDS } from '../../cli/main.ts';
import { ROUTES } from '../../lib/http/routes.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { startScriptedServer, type ScriptedConnection, type ScriptedServer } from '../helpers/scripted-server.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { testPki, type TestPki } from '../helpers/certs.ts';
import { counter, recordStats } from './support.ts';
import { runProbe as probe } from '../../lib/diagnosis/probe.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRETS = {
  password: 'Pw!s3cr3t/+=&% 9Qz-7Hk~Lm',
  awsSecret: 'hZ7q/Kp3+Vx9LmN2wR4tY6uI8oP0aSdFgHjKlZxC',
  sessionToken: 'IQoJb3JpZ2luX2VjSessTok/en+Zz9Aa8Bb7Cc6Dd5Ee4',
  token: 'tok-Secr3t_7f8e9d0c1b2a6655-Bearer',
} as const;
const USER = 'mailer@example.test';
const RECIPIENT = 'probe@example.test';
const stats = counter();

// ---- the scanner ------------------------------------------------------------------------------
/** Every substring a secret leaves in text when written plainly, base64 (any alignment), or URL-encoded. */
export function secretNeedles(secret: string): { form: string; needle: string }[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: { form: string; needle: string }[] = [
    { form: 'plain', needle: secret },
    { form: 'json', needle: JSON.stringify(secret).slice(1, -1) },
    { form: 'url', needle: encodeURIComponent(secret) },
    { form: 'form', needle: new URLSearchParams({ x: secret }).toString().slice(2) },
  ];
  // Whatever precedes it, base64 of a stream that holds the secret holds one of these three.
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    const b64 = bytes.subarray(skip, skip + whole).toString('base64');
    out.push({ form: `base64@${skip}`, needle: b64 });
    out.push({ form: `base64url@${skip}`, needle: b64.replace(/\+/g, '-').replace(/\//g, '_') });
  }
  return out.filter((n, i, all) => n.needle.length >= 8 && all.findIndex((m) => m.needle === n.needle) === i);
}
const NEEDLES = Object.entries(SECRETS).flatMap(([name, s]) => secretNeedles(s).map((n) => ({ name, ...n })));

interface Seen {
  source: string;
  text: string;
}
function leaks(seen: Seen[]): string[] {
  const found: string[] = [];
  for (const s of seen) {
    stats.add('outputsScanned');
    stats.add('bytesScanned', s.text.length);
    for (const n of NEEDLES) if (s.text.includes(n.needle)) found.push(`${s.source}: ${n.name} (${n.form}) in …${s.text.slice(Math.max(0, s.text.indexOf(n.needle) - 60), s.text.indexOf(n.needle) + n.needle.length + 20)}…`);
  }
  return found;
}

/** console.* and the process streams, captured (and silenced) while a scenario runs. */
let captured: Seen[] = [];
function captureProcessOutput(): void {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void captured.push({ source: `console.${level}`, text: args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : safeJson(a))).join(' ') }));
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const real = process[stream].write.bind(process[stream]);
    vi.spyOn(process[stream], 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      captured.push({ source: `process.${stream}`, text: String(chunk) });
      return (real as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write);
  }
}
const safeJson = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

// ---- servers -----------------------------------------------------------------------------------
let pki: TestPki;
let goodSmtp: RunningServer;
let echoPlain: ScriptedServer;
let echoLogin: ScriptedServer;
let fakeSes: http.Server;
let fakeSesUrl: string;
let fakeRemote: http.Server;
let fakeRemoteUrl: string;
let tmp: string;
let caFile: string;

const multi = (code: number, lines: string[]) => lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('');
/** The 535 a hostile server answers with: the AUTH payload back, decoded, and URL-encoded. */
const echo535 = (b64s: string[]) => {
  const decoded = b64s.map((b) => Buffer.from(b, 'base64').toString('utf8'));
  return multi(535, [`5.7.8 Authentication failed for ${b64s.join(' ')}`, `5.7.8 you said: ${decoded.join(' / ').replace(/\0/g, ' ')}`, `5.7.8 raw: ${decoded.join('|')}`, `5.7.8 as a URL: smtp://${encodeURIComponent(decoded.at(-1) ?? '')}@echo.test`]);
};

function echoServer(mechanism: 'PLAIN' | 'LOGIN') {
  return async (c: ScriptedConnection) => {
    c.write('220 echo.test ESMTP hostile\r\n');
    let secure = false;
    for (;;) {
      const line = await c.readLine(10_000);
      if (line === null) return;
      const [verb = '', arg = '', initial] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
        case 'HELO':
          c.write(multi(250, ['echo.test', secure ? `AUTH ${mechanism}` : 'STARTTLS']));
          break;
        case 'STARTTLS':
          c.write('220 go ahead\r\n');
          await c.startTls(pki.valid);
          secure = true;
          break;
        case 'AUTH': {
          if (arg.toUpperCase() === 'PLAIN') {
            let payload = initial;
            if (!payload) {
              c.write('334 \r\n');
              payload = (await c.readLine()) ?? '';
            }
            c.write(echo535([payload]));
          } else {
            const got: string[] = [];
            if (initial) got.push(initial);
            while (got.length < 2) {
              c.write(got.length === 0 ? '334 VXNlcm5hbWU6\r\n' : '334 UGFzc3dvcmQ6\r\n');
              got.push((await c.readLine()) ?? '');
            }
            c.write(echo535(got));
          }
          break;
        }
        case 'QUIT':
          c.write('221 bye\r\n');
          c.close();
          return;
        case 'RSET':
        case 'NOOP':
          c.write('250 ok\r\n');
          break;
        default:
          c.write(`502 5.5.2 unknown command ${line}\r\n`);
      }
    }
  };
}

/** An HTTP server answering every request with `status` and a body echoing every header and the body. */
async function echoHttp(status: number, shape: (echo: string) => unknown): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const echo = `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${Buffer.concat(chunks).toString('utf8')}`;
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'x-echo': encodeURIComponent(echo).slice(0, 4000) });
      res.end(JSON.stringify(shape(echo)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The env a deployment (or a shell) has: every secret, fenced to loopback servers only. */
const baseEnv = () => ({
  PATH: process.env.PATH,
  PW: SECRETS.password,
  EMAIL_HOST_USER: USER,
  EMAIL_HOST_PASSWORD: SECRETS.password,
  DEFAULT_FROM_EMAIL: 'app@example.test',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEHARNESS01',
  AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret,
  AWS_SESSION_TOKEN: SECRETS.sessionToken,
  SES_SECRET_ACCESS_KEY: SECRETS.awsSecret,
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_SESV2: fakeSesUrl,
  AWS_ENDPOINT_URL: fakeSesUrl,
  SMTP_EGRESS_TOKEN: SECRETS.token,
  SMTP_EGRESS_ALLOW_PRIVATE: '1',
  SMTP_EGRESS_ALLOWED_RECIPIENTS: RECIPIENT,
  SMTP_EGRESS_EXTRA_CA: pki.ca.cert,
});

beforeAll(async () => {
  pki = testPki();
  goodSmtp = await startSmtpServer({
    tls: pki.valid,
    auth: true,
    extra: {
      onAuth(auth, _s, cb) {
        if (auth.username === USER && auth.password === SECRETS.password) cb(null, { user: USER });
        else cb(Object.assign(new Error(`Authentication failed for ${auth.username}/${auth.password}`), { responseCode: 535 }));
      },
    },
  });
  echoPlain = await startScriptedServer(echoServer('PLAIN'));
  echoLogin = await startScriptedServer(echoServer('LOGIN'));
  ({ server: fakeSes, url: fakeSesUrl } = await echoHttp(403, (echo) => ({ message: `The security token included in the request is invalid: ${echo}`, __type: 'AccessDeniedException' })));
  ({ server: fakeRemote, url: fakeRemoteUrl } = await echoHttp(401, (echo) => ({ error: { code: 'unauthorized', message: `token rejected: ${echo}` } })));
  tmp = mkdtempSync(path.join(os.tmpdir(), 'smtp-egress-secrets-'));
  caFile = path.join(tmp, 'ca.pem');
  writeFileSync(caFile, pki.ca.cert);
});
afterAll(async () => {
  await goodSmtp?.close();
  await echoPlain?.close();
  await echoLogin?.close();
  await new Promise((r) => fakeSes?.close(r));
  await new Promise((r) => fakeRemote?.close(r));
  rmSync(tmp, { recursive: true, force: true });
  recordStats('secrets', { ...stats.n, secrets: Object.keys(SECRETS).length, formsPerSecret: NEEDLES.length / Object.keys(SECRETS).length, commands: Object.keys(COMMANDS), routes: Object.keys(ROUTES) });
});
afterEach(() => vi.restoreAllMocks());

// ---- runners -----------------------------------------------------------------------------------
async function cli(argv: string[], env: Record<string, string | undefined> = baseEnv(), stdin = ''): Promise<{ code: number; seen: Seen[] }> {
  stats.add('cliRuns');
  const seen: Seen[] = [];
  const label = `cli ${argv.slice(0, 2).join(' ')}`;
  let code: number;
  try {
    code = await main(argv, { stdout: (t) => void seen.push({ source: `${label} stdout`, text: t }), stderr: (t) => void seen.push({ source: `${label} stderr`, text: t }), env, isTty: false, readStdin: async () => stdin });
  } catch (e) {
    seen.push({ source: `${label} thrown`, text: `${(e as Error).message}\n${(e as Error).stack}\n${safeJson(e)}` });
    code = -1;
  }
  return { code, seen };
}

const FUNCTION_FILES = readdirSync(path.join(ROOT, 'functions')).filter((f) => /\.m?[jt]s$/.test(f));
async function fn(name: string, req: Request, env: Record<string, string | undefined> = baseEnv()): Promise<{ status: number; body: string; seen: Seen[] }> {
  stats.add('functionCalls');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const mod = (await import(`../../functions/${name}`)) as { default: (r: Request, c: Context) => Promise<Response> };
    const res = await mod.default(req, {} as Context);
    const body = await res.text();
    return { status: res.status, body, seen: [{ source: `function ${name} ${req.method} ${res.status}`, text: `${body}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}` }] };
  } catch (e) {
    return { status: -1, body: '', seen: [{ source: `function ${name} thrown`, text: `${(e as Error).message}\n${(e as Error).stack}` }] };
  } finally {
    process.env = saved;
  }
}
const bearer = { authorization: `Bearer ${SECRETS.token}`, 'content-type': 'application/json' };
const postJson = (url: string, body: unknown, headers: Record<string, string> = bearer) => new Request(`http://localhost${url}`, { method: 'POST', headers, body: JSON.stringify(body) });

async function scenario(run: () => Promise<Seen[]>): Promise<Seen[]> {
  captured = [];
  captureProcessOutput();
  let seen: Seen[];
  try {
    seen = await run();
  } finally {
    vi.restoreAllMocks();
  }
  const all = [...seen, ...captured];
  expect(leaks(all)).toEqual([]);
  return all;
}
const textOf = (seen: Seen[]) => seen.map((s) => s.text).join('\n');

// ---- the scanner finds what it must -------------------------------------------------------------
describe('the scanner itself', () => {
  it('finds each secret planted plainly, in base64 at any offset, inside an AUTH PLAIN blob, URL- and form-encoded', () => {
    for (const [name, s] of Object.entries(SECRETS)) {
      const plants = [s, `x${Buffer.from(`\0${USER}\0${s}`).toString('base64')}y`, Buffer.from(`ab${s}`).toString('base64url'), `q=${encodeURIComponent(s)}`, new URLSearchParams({ p: s }).toString(), JSON.stringify({ s })];
      for (const p of plants) expect(leaks([{ source: name, text: p }]).length, `${name} in ${p}`).toBeGreaterThan(0);
    }
    expect(leaks([{ source: 'clean', text: 'AUTH PLAIN **** 535 5.7.8 **** nothing here' }])).toEqual([]);
  });
});

// ---- probe -------------------------------------------------------------------------------------
describe('probe', () => {
  it('CLI: a good login, --json and text with --transcript', async () => {
    const seen = await scenario(async () => [
      ...(await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--allow-private', '--json'])).seen,
      ...(await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--allow-private', '--transcript'])).seen,
    ]);
    expect(textOf(seen)).toContain('"result": "ok"');
  });

  it('CLI: a wrong password (the server says so), and servers echoing AUTH PLAIN / AUTH LOGIN payloads in their 535', async () => {
    const env = { ...baseEnv(), PW: `${SECRETS.password}-wrong`, EMAIL_HOST_PASSWORD: `${SECRETS.password}-wrong` };
    const seen = await scenario(async () => {
      const out: Seen[] = [];
      out.push(...(await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--json', '--transcript'], env)).seen);
      for (const s of [echoPlain, echoLogin]) {
        for (const extra of [['--json'], ['--transcript']]) {
          out.push(...(await cli(['probe', '127.0.0.1', '--ports', `${s.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, ...extra])).seen);
        }
      }
      return out;
    });
    const text = textOf(seen);
    expect(text).toContain('auth_failed');
    expect(text).toContain('Authentication failed for');
    // The echo servers did receive the real payload: the redaction, not luck, kept it out.
    expect(echoPlain.received.some((l) => l.startsWith('AUTH PLAIN '))).toBe(true);
    expect(echoLogin.received).toContain(Buffer.from(SECRETS.password).toString('base64'));
  });

  it('CLI: Django settings from the env (EMAIL_HOST_PASSWORD), no host given, echo server', async () => {
    const env = { ...baseEnv(), EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(echoPlain.port), EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'False' };
    const seen = await scenario(async () => (await cli(['probe', '--ports', `${echoPlain.port}:starttls`, '--ipv4', '--ca-file', caFile, '--json', '--transcript'], env)).seen);
    expect(textOf(seen)).toContain('auth_failed');
  });

  it('CLI: --compare to a remote that echoes the bearer token in its error', async () => {
    const seen = await scenario(async () => (await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--ca-file', caFile, '--allow-private', '--compare', `${fakeRemoteUrl}/api/probe`])).seen);
    expect(textOf(seen)).toMatch(/401/);
  });

  it('fetchRemoteProbe itself (not only the CLI) never quotes the token a remote echoes', async () => {
    const { fetchRemoteProbe } = await import('../../lib/http/remote-probe.ts');
    await scenario(async () => {
      try {
        await fetchRemoteProbe({ url: new URL(`${fakeRemoteUrl}/api/probe`), token: SECRETS.token, input: { host: 'smtp.example.com' }, timeoutMs: 5_000 });
        return [{ source: 'fetchRemoteProbe', text: 'resolved?!' }];
      } catch (e) {
        return [{ source: 'fetchRemoteProbe error', text: `${(e as Error).message}\n${safeJson(e)}` }];
      }
    });
  });

  it('engine: the report object of a login against the echo servers', async () => {
    await scenario(async () => {
      const out: Seen[] = [];
      for (const s of [echoPlain, echoLogin]) {
        const report = await probe({
          host: '127.0.0.1',
          ports: [{ port: s.port, mode: 'starttls' }],
          family: 'ipv4',
          timeouts: { connectMs: 1_000, greetingMs: 1_000, commandMs: 1_000, tlsMs: 1_000, totalMs: 5_000 },
          ehloName: 'harness.test',
          credentials: { user: USER, password: SECRETS.password },
          loginPort: null,
          ca: pki.ca.cert,
          policy: { allowPrivate: true, allowedHosts: [] },
          platform: { name: 'local', region: null, runtime: 'test', deployContext: null },
          source: 'argument',
        });
        expect(report.attempts[0]!.outcome).toBe('auth_failed');
        out.push({ source: `probe() report ${s.port}`, text: JSON.stringify(report) });
      }
      return out;
    });
  });

  it('function: POST with the password (good server, echo servers), GET with the password in the query, wrong token', async () => {
    const seen = await scenario(async () => {
      const out: Seen[] = [];
      for (const port of [goodSmtp.port, echoPlain.port, echoLogin.port]) {
        out.push(...(await fn('probe.mts', postJson('/api/probe', { host: '127.0.0.1', ports: `${port}:starttls`, family: 'ipv4', user: USER, password: SECRETS.password }))).seen);
      }
      out.push(...(await fn('probe.mts', new Request(`http://localhost/api/probe?host=127.0.0.1&user=${USER}&password=${encodeURIComponent(SECRETS.password)}`, { headers: bearer }))).seen);
      out.push(...(await fn('probe.mts', new Request('http://localhost/api/probe?host=127.0.0.1', { headers: { authorization: `Bearer ${SECRETS.token}x` } }))).seen);
      // A password where a host belongs, a token where a port belongs: the error must not echo them.
      out.push(...(await fn('probe.mts', postJson('/api/probe', { host: SECRETS.password, ports: SECRETS.token, user: USER, password: SECRETS.password }))).seen);
      out.push(...(await fn('probe.mts', postJson('/api/probe', { host: '127.0.0.1', ehloName: SECRETS.awsSecret, user: USER, password: SECRETS.password }))).seen);
      return out;
    });
    expect(textOf(seen)).toContain('"result": "ok"');
    expect(textOf(seen)).toContain('auth_failed');
  });
});

// ---- send-test ---------------------------------------------------------------------------------
describe.runIf(COMMANDS['send-test'] !== undefined)('send-test', () => {
  it('CLI: SMTP to the good server, to the echo servers, dry run; SES to an endpoint that echoes everything', async () => {
    const seen = await scenario(async () => {
      const out: Seen[] = [];
      const smtp = (port: number, extra: string[] = []) => ['send-test', '--to', RECIPIENT, '--transport', 'smtp', '--host', '127.0.0.1', '--port', String(port), '--mode', 'starttls', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--allow-private', '--timeout', '8000', ...extra];
      out.push(...(await cli(smtp(goodSmtp.port, ['--json']))).seen);
      out.push(...(await cli(smtp(echoPlain.port, ['--json']))).seen);
      out.push(...(await cli(smtp(echoLogin.port))).seen);
      out.push(...(await cli(smtp(echoPlain.port, ['--dry-run', '--json']))).seen);
      out.push(...(await cli(['send-test', '--to', RECIPIENT, '--transport', 'ses', '--endpoint', fakeSesUrl, '--json'])).seen);
      out.push(...(await cli(['send-test', '--to', RECIPIENT, '--transport', 'ses', '--endpoint', fakeSesUrl])).seen);
      out.push(...(await cli(['send-test', '--to', RECIPIENT, '--transport', 'ses', '--endpoint', fakeSesUrl, '--dry-run'])).seen);
      // Secrets where they do not belong: subject, text, from, host.
      out.push(...(await cli(['send-test', '--to', RECIPIENT, '--subject', `x\r\n${SECRETS.password}`, '--dry-run'])).seen);
      out.push(...(await cli(['send-test', '--to', `${SECRETS.token}@example.test`, '--dry-run'])).seen);
      out.push(...(await cli(['send-test', '--to', RECIPIENT, '--host', SECRETS.awsSecret, '--dry-run'])).seen);
      return out;
    });
    expect(textOf(seen)).toMatch(/auth|535/i);
    expect(goodSmtp.messages.length).toBeGreaterThanOrEqual(1);
  });

  it('function: SMTP with the password in the body (good and echo servers), SES with the secret and session token in the body', async () => {
    const seen = await scenario(async () => {
      const out: Seen[] = [];
      for (const port of [goodSmtp.port, echoPlain.port, echoLogin.port]) {
        out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, transport: 'smtp', host: '127.0.0.1', port, mode: 'starttls', user: USER, password: SECRETS.password, timeoutMs: 8000 }))).seen);
      }
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, transport: 'ses', region: 'eu-west-1', awsAccessKeyId: 'AKIAEXAMPLEBODY00001', awsSecretAccessKey: SECRETS.awsSecret, awsSessionToken: SECRETS.sessionToken }))).seen);
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, transport: 'ses' }))).seen);
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, transport: 'ses', awsSecretAccessKey: SECRETS.awsSecret, dryRun: true }))).seen);
      // Secrets in the wrong fields and the wrong place.
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, subject: SECRETS.password.repeat(20), password: SECRETS.password, dryRun: true }))).seen);
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: SECRETS.password, password: SECRETS.password, awsSecretAccessKey: SECRETS.awsSecret }))).seen);
      out.push(...(await fn('send-test.mts', postJson('/api/send-test', { to: RECIPIENT, host: SECRETS.awsSecret, awsSecretAccessKey: SECRETS.awsSecret }))).seen);
      out.push(...(await fn('send-test.mts', new Request(`http://localhost/api/send-test?password=${encodeURIComponent(SECRETS.password)}`, { method: 'POST', headers: bearer, body: JSON.stringify({ to: RECIPIENT }) }))).seen);
      return out;
    });
    expect(textOf(seen)).toMatch(/ses|SES/);
  });
});

// ---- config-check and the SES SMTP password --------------------------------------------------------
describe.runIf(COMMANDS.check !== undefined)('check (config-check) and ses-smtp-password', () => {
  it('CLI: env, --env-file, --url (argv and stdin), --nodemailer, --probe against the echo server, ses-smtp-password', async () => {
    const envFile = path.join(tmp, 'app.env');
    writeFileSync(envFile, `EMAIL_HOST=email-smtp.eu-west-1.amazonaws.com\nEMAIL_PORT=587\nEMAIL_USE_TLS=True\nEMAIL_HOST_USER=AKIAEXAMPLEHARNESS01\nEMAIL_HOST_PASSWORD=${SECRETS.awsSecret}\nAWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret}\nSMTP_EGRESS_TOKEN=${SECRETS.token}\n`);
    const envFile2 = path.join(tmp, 'app2.env');
    writeFileSync(envFile2, `EMAIL_HOST="127.0.0.1"\nEMAIL_PORT=${echoPlain.port}\nEMAIL_USE_TLS=True\nEMAIL_USE_SSL=True\nEMAIL_HOST_USER=${USER}\nEMAIL_HOST_PASSWORD='${SECRETS.password}'\n`);
    const nm = path.join(tmp, 'nodemailer.json');
    writeFileSync(nm, JSON.stringify({ host: '127.0.0.1', port: echoLogin.port, secure: false, auth: { user: USER, pass: SECRETS.password }, tls: { rejectUnauthorized: false } }));
    const url = `smtp://${encodeURIComponent(USER)}:${encodeURIComponent(SECRETS.password)}@127.0.0.1:${echoPlain.port}/?tls=True`;
    const seen = await scenario(async () => {
      const out: Seen[] = [];
      const env = { ...baseEnv(), EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(echoPlain.port), EMAIL_USE_TLS: 'True' };
      out.push(...(await cli(['check'], env)).seen, ...(await cli(['check', '--json'], env)).seen);
      out.push(...(await cli(['check', '--probe', '--json'], env)).seen, ...(await cli(['check', '--probe'], env)).seen);
      for (const extra of [[], ['--json']]) {
        out.push(...(await cli(['check', '--env-file', envFile, ...extra], {})).seen);
        out.push(...(await cli(['check', '--env-file', envFile2, ...extra], {})).seen);
        out.push(...(await cli(['check', '--url', url, ...extra], {})).seen);
        out.push(...(await cli(['check', '--url', '-', ...extra], {}, url)).seen);
        out.push(...(await cli(['check', '--nodemailer', nm, ...extra], {})).seen);
      }
      // A file that is not an env file, a URL that is not a URL: errors must not quote the secret.
      out.push(...(await cli(['check', '--url', `${SECRETS.password}`], {})).seen);
      out.push(...(await cli(['check', '--url', `smtp://u:${SECRETS.password}@exa mple.com:99999`], {})).seen);
      out.push(...(await cli(['check', '--nodemailer', envFile], {})).seen);
      if (COMMANDS['ses-smtp-password']) {
        out.push(...(await cli(['ses-smtp-password', '--region', 'eu-west-1'])).seen);
        out.push(...(await cli(['ses-smtp-password', '--region', 'eu-west-1', '--json'])).seen);
        out.push(...(await cli(['ses-smtp-password', '--region', 'eu-west-1', '--stdin'], {}, `${SECRETS.awsSecret}\n`)).seen);
        out.push(...(await cli(['ses-smtp-password', '--region', 'nowhere-1', '--stdin'], {}, `${SECRETS.awsSecret} extra\n`)).seen);
        out.push(...(await cli(['ses-smtp-password', SECRETS.awsSecret, '--region', 'eu-west-1'], {})).seen);
      }
      return out;
    });
    expect(textOf(seen)).toMatch(/finding|error|warning/i);
  });

  it.runIf(FUNCTION_FILES.includes('config-check.mts'))('function: POST env / url / nodemailer carrying the secrets; GET of the deployment env with the token', async () => {
    await scenario(async () => {
      const out: Seen[] = [];
      const plain = { 'content-type': 'application/json' };
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { env: { EMAIL_HOST: 'email-smtp.eu-west-1.amazonaws.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: 'AKIAEXAMPLEHARNESS01', EMAIL_HOST_PASSWORD: SECRETS.awsSecret, AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret, SMTP_EGRESS_TOKEN: SECRETS.token } }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { env: { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '465', EMAIL_USE_TLS: 'True', EMAIL_USE_SSL: 'True', EMAIL_HOST_PASSWORD: SECRETS.password } }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { url: `smtps://${encodeURIComponent(USER)}:${encodeURIComponent(SECRETS.password)}@smtp.example.com:587` }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { url: `smtp://u:${SECRETS.password}@bad host:99999` }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { nodemailer: { host: 'smtp.example.com', port: 587, secure: true, auth: { user: USER, pass: SECRETS.password } } }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { nodemailer: `{"auth": {"pass": "${SECRETS.awsSecret}"}, "port": "x"` }, plain))).seen);
      out.push(...(await fn('config-check.mts', postJson('/api/config-check', { env: { EMAIL_HOST_PASSWORD: SECRETS.password }, url: SECRETS.token }, plain))).seen);
      out.push(...(await fn('config-check.mts', new Request('http://localhost/api/config-check', { headers: bearer }), { ...baseEnv(), EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True' })).seen);
      out.push(...(await fn('config-check.mts', new Request(`http://localhost/api/config-check?password=${encodeURIComponent(SECRETS.password)}`, { headers: bearer }))).seen);
      return out;
    });
  });
});

// ---- compare and logs ----------------------------------------------------------------------------
describe.runIf(COMMANDS.compare !== undefined || COMMANDS.logs !== undefined)('compare and logs', () => {
  it('compare: two reports made with the password (CLI and function), and a .env file given by mistake', async () => {
    await scenario(async () => {
      const out: Seen[] = [];
      const a = await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--json', '--quiet']);
      const b = await cli(['probe', '127.0.0.1', '--ports', `${goodSmtp.port}:starttls`, '--ipv4', '--user', USER, '--password-env', 'PW', '--ca-file', caFile, '--json', '--quiet'], { ...baseEnv(), PW: 'another-password' });
      out.push(...a.seen, ...b.seen);
      const fa = path.join(tmp, 'a.json');
      const fb = path.join(tmp, 'b.json');
      writeFileSync(fa, a.seen.filter((s) => s.source.endsWith('stdout')).map((s) => s.text).join(''));
      writeFileSync(fb, b.seen.filter((s) => s.source.endsWith('stdout')).map((s) => s.text).join(''));
      const dotenv = path.join(tmp, '.env');
      writeFileSync(dotenv, `EMAIL_HOST_PASSWORD=${SECRETS.password}\nAWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret}\n`);
      const bare = path.join(tmp, 'secret.txt');
      writeFileSync(bare, `${SECRETS.password}\n`);
      if (COMMANDS.compare) {
        out.push(...(await cli(['compare', fa, fb])).seen, ...(await cli(['compare', fa, fb, '--json'])).seen);
        out.push(...(await cli(['compare', dotenv, fb])).seen, ...(await cli(['compare', fa, bare])).seen);
        if (FUNCTION_FILES.includes('compare.mts')) {
          const ra = JSON.parse(a.seen.filter((s) => s.source.endsWith('stdout')).map((s) => s.text).join(''));
          out.push(...(await fn('compare.mts', postJson('/api/compare', { a: ra, b: ra }))).seen);
          out.push(...(await fn('compare.mts', postJson('/api/compare', { a: ra, b: { password: SECRETS.password, token: SECRETS.token } }))).seen);
        }
      }
      return out;
    });
  });

  const pasted = (password: string, token: string) =>
    [
      `2026-11-25T10:00:00Z app[web.1]: smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted for ${USER}')`,
      `2026-11-25T10:00:01Z app[web.1]: EMAIL_URL=smtp://${encodeURIComponent(USER)}:${encodeURIComponent(password)}@smtp.example.com:587`,
      `2026-11-25T10:00:02Z app[web.1]: Error: Invalid login: 535 Authentication failed for ${Buffer.from(`\0${USER}\0${password}`).toString('base64')}`,
      `2026-11-25T10:00:03Z app[web.1]: [Errno 101] Network is unreachable (password=${password})`,
      `2026-11-25T10:00:05Z app[web.1]: Error: connect ETIMEDOUT 1.2.3.4:587 Authorization: Bearer ${token}`,
      `2026-11-25T10:00:06Z app[web.1]: nodemailer EAUTH AUTH LOGIN ${Buffer.from(password).toString('base64')}`,
    ].join('\n');

  it.runIf(COMMANDS.logs !== undefined)('logs CLI: pasted logs that carry the env secrets are redacted (file, --json, stdin)', async () => {
    const file = path.join(tmp, 'app.log');
    writeFileSync(file, pasted(SECRETS.password, SECRETS.token));
    const seen = await scenario(async () => [...(await cli(['logs', file])).seen, ...(await cli(['logs', file, '--json'])).seen, ...(await cli(['logs', '-'], baseEnv(), pasted(SECRETS.password, SECRETS.token))).seen]);
    expect(textOf(seen)).toContain('Network is unreachable');
  });

  it.runIf(FUNCTION_FILES.includes('classify-logs.mts'))('classify-logs function: adds nothing from the deployment env, and is no oracle for its secrets', async () => {
    // Unauthenticated, it echoes the caller's own lines. Redacting the deployment's secrets there
    // would let anyone confirm a guess (the guess comes back as ****): the answer must be the same
    // for the real secrets as for decoys of the same shape.
    const decoy = (s: string) => s.replace(/[A-Za-z0-9]/g, (c) => (c === 'x' ? 'y' : 'x'));
    await scenario(async () => {
      const clean = await fn('classify-logs.mts', postJson('/api/classify-logs', { logs: pasted('not-the-password-at-all', 'not-the-token') }));
      const real = await fn('classify-logs.mts', postJson('/api/classify-logs', { logs: pasted(SECRETS.password, SECRETS.token) }));
      const fake = await fn('classify-logs.mts', postJson('/api/classify-logs', { logs: pasted(decoy(SECRETS.password), decoy(SECRETS.token)) }));
      expect(real.status).toBe(200);
      const norm = (body: string, pw: string, tok: string) => {
        let t = body;
        for (const [whole, mark] of [[`\0${USER}\0${pw}`, 'PLAIN'], [pw, 'PW']] as const) t = t.split(Buffer.from(whole).toString('base64')).join(`<${mark}:b64>`);
        for (const [secret, mark] of [[pw, 'PW'], [tok, 'TOK']] as const) for (const n of secretNeedles(secret)) t = t.split(n.needle).join(`<${mark}:${n.form}>`);
        return t.replace(/"(id|generatedAt|startedAt|durationMs)": [^,\n]+/g, '"$1": _');
      };
      expect(norm(real.body, SECRETS.password, SECRETS.token)).toBe(norm(fake.body, decoy(SECRETS.password), decoy(SECRETS.token)));
      return clean.seen; // only the paste without secrets is scanned: the others echo the caller's own text
    });
  });

  it.runIf(FUNCTION_FILES.includes('config-check.mts'))('config-check POST (no token) is no oracle for the deployment secrets either', async () => {
    const decoy = (s: string) => s.replace(/[A-Za-z0-9]/g, (c) => (c === 'x' ? 'y' : 'x'));
    const ask = (pw: string) => fn('config-check.mts', postJson('/api/config-check', { env: { EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', EMAIL_HOST_USER: USER, EMAIL_HOST_PASSWORD: pw } }, { 'content-type': 'application/json' }));
    const norm = (b: string) => b.replace(/"(id|generatedAt|checkedAt|startedAt)": [^,\n]+/g, '"$1": _');
    const [real, fake] = [await ask(SECRETS.password), await ask(decoy(SECRETS.password))];
    expect(norm(real.body)).toBe(norm(fake.body));
    expect(leaks(real.seen)).toEqual([]);
  });
});

// ---- everything that exists, generically ----------------------------------------------------------
describe('every command and every function, generically', () => {
  it('every CLI command with --help, no arguments, --json and a secret in a wrong flag', async () => {
    const names = Object.keys(COMMANDS).filter((n) => n !== 'serve'); // serve: its own test below
    expect(names.length).toBeGreaterThan(0);
    await scenario(async () => {
      const out: Seen[] = [];
      for (const name of names) {
        for (const argv of [[name, '--help'], [name], [name, '--json'], [name, `--password=${SECRETS.password}`], [name, '--token', SECRETS.token], [name, SECRETS.awsSecret]]) {
          // Nothing in the env points anywhere but loopback: a command that does run reaches only the fakes.
          out.push(...(await cli(argv, { ...baseEnv(), EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(echoPlain.port), EMAIL_USE_TLS: 'True' })).seen);
        }
      }
      out.push(...(await cli(['--help'])).seen, ...(await cli([])).seen, ...(await cli([SECRETS.password])).seen);
      return out;
    });
  });

  it('every function with GET, POST of secret-laden bodies, right and wrong tokens; every route with the Node context', async () => {
    expect(FUNCTION_FILES.length).toBeGreaterThan(0);
    const bodies = [{}, { password: SECRETS.password }, { host: '127.0.0.1', user: USER, password: SECRETS.password, awsSecretAccessKey: SECRETS.awsSecret, token: SECRETS.token }, { logs: SECRETS.password, a: SECRETS.token, b: SECRETS.awsSecret }];
    await scenario(async () => {
      const out: Seen[] = [];
      for (const file of FUNCTION_FILES) {
        const route = `/api/${file.replace(/\.m?[jt]s$/, '')}`;
        out.push(...(await fn(file, new Request(`http://localhost${route}?token=${SECRETS.token}`, { headers: bearer }))).seen);
        out.push(...(await fn(file, new Request(`http://localhost${route}`, { headers: { authorization: `Bearer ${SECRETS.token.slice(0, -2)}` } }))).seen);
        for (const body of bodies) out.push(...(await fn(file, postJson(route, body))).seen);
        out.push(...(await fn(file, postJson(route, bodies[2], { 'content-type': 'application/json', authorization: `Bearer ${SECRETS.password}` }))).seen);
      }
      for (const [route, handler] of Object.entries(ROUTES)) {
        stats.add('functionCalls', bodies.length);
        for (const body of bodies) {
          const res = await handler(postJson(route, body), nodeHandlerContext(baseEnv()));
          out.push({ source: `route ${route}`, text: `${await res.text()}\n${[...res.headers].join('\n')}` });
        }
      }
      return out;
    });
  });

  it.runIf(COMMANDS.serve !== undefined)('serve: the Node server (child process) with the secrets in its env, its request log and responses', async () => {
    const env = { ...process.env, ...baseEnv(), NODE_OPTIONS: '' } as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout} ${stderr}`)), 20_000);
        const check = () => {
          const m = /listening on (http:\/\/[^\s)]+)/.exec(stdout);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1].replace(/\/$/, ''));
          } else setTimeout(check, 50);
        };
        check();
      });
      const responses: Seen[] = [];
      const ask = async (p: string, init: RequestInit = {}) => {
        stats.add('functionCalls');
        const res = await fetch(`${base}${p}`, init);
        responses.push({ source: `serve ${p}`, text: `${await res.text()}\n${[...res.headers].join('\n')}` });
      };
      await ask('/api/health');
      await ask(`/api/probe?host=127.0.0.1&user=${USER}&password=${encodeURIComponent(SECRETS.password)}&token=${SECRETS.token}`, { headers: { authorization: `Bearer ${SECRETS.token}` } });
      await ask('/api/probe', { method: 'POST', headers: bearer, body: JSON.stringify({ host: '127.0.0.1', ports: `${echoPlain.port}:starttls`, family: 'ipv4', user: USER, password: SECRETS.password }) });
      await ask('/api/probe', { headers: { authorization: `Bearer ${SECRETS.password}` } });
      await ask(`/api/send-test?password=${encodeURIComponent(SECRETS.password)}`, { method: 'POST', headers: bearer, body: JSON.stringify({ to: RECIPIENT, transport: 'ses', awsSecretAccessKey: SECRETS.awsSecret }) });
      await ask(`/nope?token=${SECRETS.token}&password=${encodeURIComponent(SECRETS.password)}`);
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      const seen = [...responses, { source: 'serve stdout', text: stdout }, { source: 'serve stderr', text: stderr }];
      expect(leaks(seen)).toEqual([]);
      expect(textOf(responses)).toContain('auth_failed');
      expect(stdout).toMatch(/POST \/api\/probe 200/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 40_000);
});
