// `smtp-egress check` and `smtp-egress ses-smtp-password` through cli/main.ts, with captured
// streams: exit codes, every input form, --json against the schema, --probe against a real SMTP
// server on loopback, and no secret on any stream.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { ConfigReport } from '../../lib/model/config-report.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { sesSmtpPassword } from '../../lib/providers/ses-smtp-password.ts';
import { CheckProbeReport } from '../../lib/model/check-probe-report.ts';

const PASSWORD = 'Cli-Secret-Passw0rd!';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GOOD = {
  EMAIL_HOST: 'smtp.example.com',
  EMAIL_PORT: '587',
  EMAIL_USE_TLS: 'True',
  EMAIL_HOST_USER: 'app@example.com',
  EMAIL_HOST_PASSWORD: PASSWORD,
  EMAIL_TIMEOUT: '10',
  DEFAULT_FROM_EMAIL: 'App <app@example.com>',
  SERVER_EMAIL: 'app@example.com',
};
const SEED_ENV = `# the seed's settings
EMAIL_HOST=mail55.lwspanel.com
EMAIL_PORT=587
EMAIL_USE_TLS=True
EMAIL_USE_SSL=False
EMAIL_HOST_USER=no-replay@ci-habiko.com
EMAIL_HOST_PASSWORD='${PASSWORD}'
DEFAULT_FROM_EMAIL="HABIKO <no-replay@ci-habiko.com>"
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'config-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const file = async (name: string, text: string) => {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
};
const noSecret = (r: { stdout: string; stderr: string }, ...secrets: string[]) => {
  for (const s of [PASSWORD, AWS_SECRET, ...secrets]) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
};

describe('smtp-egress check', () => {
  it('checks the environment and exits 0 when nothing is wrong', async () => {
    const r = await runCli(['check', '--platform', 'netlify'], GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No errors');
    noSecret(r);
  });

  it('exits 1 on an error finding and prints the fix and the corrected snippet', async () => {
    const r = await runCli(['check'], { ...GOOD, EMAIL_PORT: '465' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Errors \(1\)\n {2}tls_on_implicit_port \[EMAIL_USE_TLS\]/);
    expect(r.stdout).toContain('fix: set EMAIL_USE_SSL=True and EMAIL_USE_TLS empty with EMAIL_PORT=465');
    expect(r.stdout).toContain('Corrected settings\n  EMAIL_HOST=smtp.example.com\n  EMAIL_PORT=465');
    expect(r.stdout).toContain('EMAIL_HOST_PASSWORD=<unchanged>');
    noSecret(r);
  });

  it("reads the seed's env file without a false error, and warns about Render's block", async () => {
    const p = await file('seed.env', SEED_ENV);
    const r = await runCli(['check', '--env-file', p, '--platform', 'render', '--json'], {});
    expect(r.code).toBe(0);
    const report = ConfigReport.parse(JSON.parse(r.stdout));
    expect(report).toMatchObject({ source: 'env-file', platform: { name: 'render', how: 'given' }, provider: { id: 'lws' }, counts: { error: 0 } });
    expect(report.findings.find((f) => f.code === 'port_blocked_on_platform')?.level).toBe('warning');
    noSecret(r);
  });

  it('detects the platform from the environment when --platform is not given', async () => {
    const r = await runCli(['check', '--json'], { ...GOOD, RENDER: 'true', RENDER_SERVICE_ID: 'srv-1' });
    expect(ConfigReport.parse(JSON.parse(r.stdout)).platform).toEqual({ name: 'render', how: 'detected' });
  });

  it('checks a URL given as a flag or on stdin', async () => {
    const url = `smtps://apikey:${encodeURIComponent(PASSWORD)}@smtp.sendgrid.net:465`;
    const a = await runCli(['check', '--url', url, '--json'], {});
    const b = await runCli(['check', '--url', '-', '--json'], {}, `${url}\n`);
    for (const r of [a, b]) {
      expect(r.code).toBe(1);
      const report = ConfigReport.parse(JSON.parse(r.stdout));
      expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['tls_on_implicit_port', 'url_scheme_ambiguous', 'sendgrid_password_not_api_key']));
      noSecret(r, encodeURIComponent(PASSWORD));
    }
  });

  it('checks nodemailer options from a file', async () => {
    const p = await file('transport.json', JSON.stringify({ host: 'smtp.resend.com', port: 465, secure: true, auth: { user: 'resend', pass: PASSWORD }, connectionTimeout: 10000 }));
    const r = await runCli(['check', '--nodemailer', p], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('provider: Resend');
    noSecret(r);
    const bad = await runCli(['check', '--nodemailer', await file('bad.json', '{"host":')], {});
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('invalid_json');
  });

  it('verifies an SES password with AWS_SECRET_ACCESS_KEY from the environment', async () => {
    const env = { ...GOOD, EMAIL_HOST: 'email-smtp.eu-west-3.amazonaws.com', EMAIL_HOST_USER: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: AWS_SECRET };
    const derived = sesSmtpPassword(AWS_SECRET, 'us-east-1');
    const wrongRegion = await runCli(['check', '--json'], { ...env, EMAIL_HOST_PASSWORD: derived });
    expect(wrongRegion.code).toBe(1);
    expect(ConfigReport.parse(JSON.parse(wrongRegion.stdout)).findings.map((f) => f.code)).toContain('ses_region_mismatch');
    noSecret(wrongRegion, derived, sesSmtpPassword(AWS_SECRET, 'eu-west-3'));
    const rawSecret = await runCli(['check'], { ...env, EMAIL_HOST_PASSWORD: AWS_SECRET });
    expect(rawSecret.code).toBe(1);
    expect(rawSecret.stdout).toContain('ses_password_is_secret_key');
    // Prose wraps at 80 columns into a pipe: the command may span two lines.
    expect(rawSecret.stdout.replace(/\s+/g, ' ')).toContain('smtp-egress ses-smtp-password --region eu-west-3');
    noSecret(rawSecret);
  });

  it.each([
    [['check', '--platform', 'mars'], '--platform'],
    [['check', '--env-file', '/nonexistent/.env'], '--env-file'],
    [['check', '--env-file', 'a', '--url', 'smtp://x'], '--url'],
    [['check', 'extra'], 'argv'],
    [['check', '--bogus'], 'argv'],
  ])('exits 2 on bad usage: %j', async (argv, flag) => {
    const r = await runCli(argv, GOOD);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag === 'argv' ? 'check' : flag);
  });

  it('prints its usage with --help', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}smtp-egress check /);
  });

  describe('--probe', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startSmtpServer({ noStarttls: true });
    });
    afterAll(async () => {
      await server.close();
    });
    const probeEnv = (port: number) => ({ EMAIL_HOST: '127.0.0.1', EMAIL_PORT: String(port), EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'False', EMAIL_TIMEOUT: '5', DEFAULT_FROM_EMAIL: 'app@example.com', SMTP_EGRESS_ALLOW_PRIVATE: '1' });

    it('probes the configured host and port after the check', async () => {
      const r = await runCli(['check', '--probe', '--platform', 'local'], probeEnv(server.port));
      expect(r.stdout).toContain('smtp-egress check');
      expect(r.stdout).toContain('smtp-egress probe 127.0.0.1');
      expect(r.stdout).toMatch(new RegExp(`${server.port}\\*?\\s+plain\\s+ipv4\\s+ok`));
      expect(r.code).toBe(0);
    });

    it('puts both reports in --json and exits 1 when the port does not answer', async () => {
      const closed = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const r = await runCli(['check', '--probe', '--json', '--platform', 'local'], probeEnv(closed));
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { config: unknown; probe: unknown };
      CheckProbeReport.parse(out);
      ConfigReport.parse(out.config);
      const probe = ProbeReport.parse(out.probe);
      expect(probe.attempts.map((a) => a.outcome)).toEqual(['connection_refused']);
    });

    it('refuses a private target unless allowed, without crashing', async () => {
      const { SMTP_EGRESS_ALLOW_PRIVATE: _, ...env } = probeEnv(server.port);
      const r = await runCli(['check', '--probe', '--platform', 'local'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('blocked_by_policy');
    });
  });
});

describe('smtp-egress ses-smtp-password', () => {
  it('derives from AWS_SECRET_ACCESS_KEY and prints only the password', async () => {
    const r = await runCli(['ses-smtp-password', '--region', 'us-east-2'], { AWS_SECRET_ACCESS_KEY: AWS_SECRET });
    expect(r).toMatchObject({ code: 0, stdout: 'BMPPgbAHoFVbze1Ud0oA5uNdXRwUXUZ+qOwphGJbl/cS\n', stderr: '' });
  });

  it('reads the secret from stdin when the variable is not set, or with --stdin', async () => {
    const a = await runCli(['ses-smtp-password', '--region', 'eu-west-3'], {}, `${AWS_SECRET}\n`);
    const b = await runCli(['ses-smtp-password', '--region', 'eu-west-3', '--stdin'], { AWS_SECRET_ACCESS_KEY: 'ignored-here-0000000000000000000000000000' }, `${AWS_SECRET}\r\n`);
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${sesSmtpPassword(AWS_SECRET, 'eu-west-3')}\n`);
      expect(r.stderr).not.toContain(AWS_SECRET);
    }
  });

  it('gives host, username and password as JSON', async () => {
    const r = await runCli(['ses-smtp-password', '--region', 'EU-WEST-3', '--json'], { AWS_SECRET_ACCESS_KEY: AWS_SECRET, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' });
    expect(JSON.parse(r.stdout)).toEqual({ region: 'eu-west-3', host: 'email-smtp.eu-west-3.amazonaws.com', username: 'AKIAIOSFODNN7EXAMPLE', password: sesSmtpPassword(AWS_SECRET, 'eu-west-3') });
  });

  it('warns about an unknown region or an odd-length key but derives anyway', async () => {
    const r = await runCli(['ses-smtp-password', '--region', 'xx-nowhere-9'], { AWS_SECRET_ACCESS_KEY: 'short-key' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not among the SES SMTP regions/);
    expect(r.stderr).toMatch(/9 characters/);
    expect(r.stderr).not.toContain('short-key');
  });

  it.each([
    [['ses-smtp-password'], { AWS_SECRET_ACCESS_KEY: AWS_SECRET }, '', '--region'],
    [['ses-smtp-password', '--region', 'not a region'], { AWS_SECRET_ACCESS_KEY: AWS_SECRET }, '', '--region'],
    [['ses-smtp-password', '--region', 'eu-west-3', AWS_SECRET], {}, '', 'never taken from the command line'],
    [['ses-smtp-password', '--region', 'eu-west-3'], {}, '', 'AWS_SECRET_ACCESS_KEY'],
    [['ses-smtp-password', '--region', 'eu-west-3'], {}, 'two words\n', 'whitespace'],
  ])('exits 2 on bad usage: %j', async (argv, env, stdin, says) => {
    const r = await runCli(argv, env, stdin);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).not.toContain(AWS_SECRET);
    expect(r.stdout).toBe('');
  });
});
