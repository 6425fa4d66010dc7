// The one-file runner: dist/smtp-egress.mjs copied alone into an empty folder runs with plain
// node (no node_modules) and probes a real server. This is what a Render user downloads.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPki } from '../helpers/certs.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';

const run = promisify(execFile);
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  if (!existsSync('dist/smtp-egress.mjs')) await run(process.execPath, ['scripts/build.mjs']);
  dir = mkdtempSync(join(tmpdir(), 'se-bundle-'));
  copyFileSync('dist/smtp-egress.mjs', join(dir, 'smtp-egress.mjs'));
  writeFileSync(join(dir, 'ca.pem'), testPki().ca.cert);
  server = await startSmtpServer({ tls: testPki().valid });
});
afterAll(() => server.close());

describe('dist/smtp-egress.mjs in an empty folder', () => {
  it('is alone there (no node_modules) and prints its version', async () => {
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'smtp-egress.mjs']);
    const { stdout } = await run(process.execPath, ['smtp-egress.mjs', '--version'], { cwd: dir });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('probes a real server and prints a JSON report', async () => {
    const { stdout } = await run(process.execPath, ['smtp-egress.mjs', 'probe', 'localhost', '--ports', `${server.port}:starttls`, '--ipv4', '--allow-private', '--ca-file', 'ca.pem', '--json', '--quiet'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
    });
    const report = JSON.parse(stdout);
    expect(report.schema).toBe('smtp-egress/probe@2');
    expect(report.attempts[0].outcome).toBe('ok');
  });

  it('loads the deferred packages it carries: nodemailer (send-test dry run) and the AWS SDK (SES to a closed port)', async () => {
    const env = { PATH: process.env.PATH ?? '', EMAIL_HOST: 'smtp.example.com', EMAIL_PORT: '587', EMAIL_USE_TLS: 'True', DEFAULT_FROM_EMAIL: 'app@example.com' };
    const dry = await run(process.execPath, ['smtp-egress.mjs', 'send-test', '--to', 'someone@example.com', '--dry-run', '--json'], { cwd: dir, env });
    const rendered = JSON.parse(dry.stdout);
    expect(JSON.stringify(rendered)).toContain('X-Smtp-Egress-I');
    const ses = await run(process.execPath, ['smtp-egress.mjs', 'send-test', '--to', 'someone@example.com', '--from', 'app@example.com', '--transport', 'ses', '--endpoint', `http://127.0.0.1:${server.port + 0}`, '--json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-key' },
    }).catch((e: { stdout: string }) => e);
    // The SMTP server does not speak HTTP: what matters is that the SDK loaded and answered with a mapped outcome.
    const result = JSON.parse(ses.stdout);
    expect(result.transport).toBe('ses');
    expect(result.outcome).not.toMatch(/internal|unexpected/);
  });

  it('exits 2 on bad usage', async () => {
    const err = await run(process.execPath, ['smtp-egress.mjs', 'probe', 'x.test', '--ports', 'abc'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toContain('--ports');
  });
});
