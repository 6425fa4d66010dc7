// `smtp-egress probe` as a user runs it: flags, human table, --json report, exit codes, and
// usage errors that name the flag.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER, type RunningServer } from '../helpers/smtp-servers.ts';
import { runCli } from '../helpers/cli.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';

let server: RunningServer;
let caFile: string;
beforeAll(async () => {
  server = await startSmtpServer({ tls: testPki().valid, auth: true });
  caFile = join(mkdtempSync(join(tmpdir(), 'se-cli-')), 'ca.pem');
  writeFileSync(caFile, testPki().ca.cert);
});
afterAll(() => server.close());

const base = () => ['probe', 'localhost', '--ports', `${server.port}:starttls`, '--ipv4', '--allow-private', '--ca-file', caFile, '--timeout', '5000'];

describe('smtp-egress probe', () => {
  it('prints a table and the verdict, progress on stderr, exit 0 when everything is ok', async () => {
    const r = await runCli(base());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${server.port}\\s+starttls\\s+ipv4\\s+ok`));
    expect(r.stdout).toContain('Verdict all_ok');
    expect(r.stderr).toContain('probing localhost');
    expect(r.stderr).toMatch(/resolved in \d+ ms/);
  });

  it('--json prints only the report on stdout', async () => {
    const r = await runCli([...base(), '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(ProbeReport.parse(JSON.parse(r.stdout)).attempts[0]?.outcome).toBe('ok');
    expect(r.stderr).toBe('');
  });

  it('--transcript shows the redacted dialogue; the login password is read from --password-env and never printed', async () => {
    const r = await runCli([...base(), '--user', TEST_USER, '--password-env', 'MAIL_PW', '--transcript'], { MAIL_PW: TEST_PASSWORD });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('C: AUTH PLAIN ****');
    expect(r.stdout + r.stderr).not.toContain(TEST_PASSWORD);
  });

  it('exit 1 when an attempt fails (wrong password)', async () => {
    const r = await runCli([...base(), '--user', TEST_USER, '--password-env', 'MAIL_PW', '--json', '--quiet'], { MAIL_PW: 'wrong-password' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).attempts[0].outcome).toBe('auth_failed');
  });

  it('with no host, probes the Django settings from the environment', async () => {
    const env = { EMAIL_HOST: 'localhost', EMAIL_PORT: String(server.port), EMAIL_USE_TLS: 'True', SMTP_EGRESS_ALLOW_PRIVATE: '1' };
    const r = await runCli(['probe', '--ports', '1', '--ipv4', '--ca-file', caFile, '--connect-timeout', '500', '--timeout', '3000', '--json', '--quiet'], env);
    const report = ProbeReport.parse(JSON.parse(r.stdout));
    expect(report.target.source).toBe('django-env');
    expect(report.attempts.find((a) => a.port === server.port)?.outcome).toBe('ok');
    // The configured path works: port 1 refusing (an alternative the server does not serve) is a note.
    expect(report.verdict.code).toBe('configured_ok');
    expect(report.verdict.app).toMatchObject({ port: server.port, mode: 'starttls', client: 'django', source: 'django-env' });
    expect(report.verdict.findings.find((f) => f.code === 'port_refused')?.level).toBe('info');
    expect(r.code).toBe(0);
  });

  it.each([
    [['probe', 'localhost', '--ports', '0'], '--ports', /outside 1-65535/],
    [['probe', 'localhost', '--ports', '587:tls'], '--ports', /mode "tls".*implicit-tls, starttls/],
    [['probe', 'localhost', '--connect-timeout', 'soon'], '--connect-timeout', /number/],
    [['probe', 'localhost', '--timeout', '5'], '--timeout', /at least 10 ms/],
    [['probe', 'localhost', '--ipv4', '--ipv6'], '--ipv4', /exclude each other/],
    [['probe', 'localhost', '--user', 'u'], '--password-env', /never from the command line/],
    [['probe', 'localhost', '--password-env', 'NOPE_UNSET'], '--password-env', /not set/],
    [['probe', 'localhost', '--bogus'], 'bogus', /unknown flag --bogus/],
    [['probe', 'bad host name'], 'HOST', /not a valid host name/],
    [['probe'], 'EMAIL_HOST', /EMAIL_HOST is not set/],
  ])('exit 2 with a message naming the flag: %j', async (argv, flag, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--help and --version', async () => {
    expect((await runCli(['probe', '--help'])).stdout).toContain('--connect-timeout');
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['frobnicate'])).stderr).toContain('unknown command');
  });
});
