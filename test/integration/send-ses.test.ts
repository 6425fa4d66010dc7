// send-test through the SES v2 API (@aws-sdk/client-sesv2) against aws-ses-v2-local, started
// here on a free port: the message is read back from its store. SES's own error answers
// (MessageRejected, bad credentials, throttling...) come from a small scripted HTTP server that
// answers the way the API does (x-amzn-errortype), since the emulator does not produce them.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sesLocal from 'aws-ses-v2-local';
import { main } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import type { Env } from '../../lib/platform/detect.ts';
import { SendResult } from '../../lib/model/send-report.ts';

const TO = 'inbox@example.test';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
let emulator: http.Server;
let emulatorUrl: string;
let fake: http.Server;
let fakeUrl: string;
/** What the scripted server answers next: status, error type, message. */
let fakeAnswer: { status: number; type: string; message: string } = { status: 400, type: 'MessageRejected', message: 'x' };
let fakeRequests = 0;

type Start = (c: { host: string; port: number }) => Promise<http.Server>;

beforeAll(async () => {
  const start = ((sesLocal as unknown as { default?: Start }).default ?? sesLocal) as unknown as Start;
  emulator = await start({ host: '127.0.0.1', port: 0 });
  emulatorUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
  fake = http.createServer((req, res) => {
    fakeRequests += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(fakeAnswer.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${fakeAnswer.type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`, 'x-amzn-requestid': 'req-123' });
      res.end(JSON.stringify({ message: fakeAnswer.message }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([emulator, fake].map((s) => new Promise((r) => (s ? s.close(r) : r(undefined)))));
});

const env = (over: Env = {}): Env => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_ENDPOINT_URL_SESV2: emulatorUrl,
  DEFAULT_FROM_EMAIL: 'App <app@example.test>',
  ...over,
});

async function cli(argv: string[], e: Env) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env: e, isTty: false, readStdin: async () => '' };
  const code = await main(['send-test', '--transport', 'ses', ...argv], io);
  return { code, ...out };
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  headers?: { name: string; value: string }[];
}
const store = async (): Promise<StoredEmail[]> => ((await (await fetch(`${emulatorUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;

function expectNoSecret(text: string) {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
  expect(text).not.toContain(KEY_ID);
}

describe('send-test through the SES v2 API', () => {
  it('sends through aws-ses-v2-local (AWS_ENDPOINT_URL_SESV2); the stored message has the id header and the platform', async () => {
    const r = await cli(['--to', TO, '--subject', 'via the API', '--json'], env({ NETLIFY: 'true', CONTEXT: 'deploy-preview' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ transport: 'ses', sent: true, outcome: 'ok', accepted: [TO], verdict: { code: 'sent' } });
    expect(result.target).toEqual({ transport: 'ses', region: 'eu-west-1', endpoint: emulatorUrl, accessKeyId: 'AKIA…MPLE' });
    expect(result.messageId).toBeTruthy();
    expect(result.timings.api).toBeGreaterThanOrEqual(0);
    const stored = (await store()).find((e) => e.messageId === result.messageId);
    expect(stored).toBeDefined();
    expect(stored!.from).toBe('"App" <app@example.test>');
    expect(stored!.destination.to).toEqual([TO]);
    expect(stored!.subject).toBe('via the API');
    expect(stored!.body.text).toContain('Sent from: Netlify (eu-west-1), deploy-preview');
    expect(stored!.headers).toContainEqual({ name: 'X-Smtp-Egress-Id', value: result.id });
    expect(stored!.headers).toContainEqual({ name: 'X-Smtp-Egress-Platform', value: 'Netlify (eu-west-1), deploy-preview' });
    expectNoSecret(r.stdout);
  });

  it('--endpoint overrides the env; SES_* credentials come before AWS_*', async () => {
    const r = await cli(['--to', TO, '--endpoint', emulatorUrl, '--json'], env({ AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9', SES_ACCESS_KEY_ID: 'AKIASESKEY000000WXYZ', SES_SECRET_ACCESS_KEY: 'ses-secret-value-123' }));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.target.accessKeyId).toBe('AKIA…WXYZ');
    expect(r.stdout).not.toContain('ses-secret-value-123');
  });

  it("an error answer of the emulator (empty subject) -> ses_bad_request with the API's message", async () => {
    const before = (await store()).length;
    const r = await cli(['--to', TO, '--subject', '', '--json'], env());
    expect(r.code).toBe(1);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result).toMatchObject({ outcome: 'ses_bad_request', sent: false, verdict: { code: 'ses_bad_request' } });
    expect(result.response).toMatch(/HTTP 400.*Bad Request Exception/);
    expect((await store()).length).toBe(before);
    expectNoSecret(r.stdout);
  });

  it.each([
    [400, 'MessageRejected', 'Email address is not verified. The following identities failed the check in region EU-WEST-1: app@example.test', 'ses_unverified_identity'],
    [400, 'MessageRejected', 'Address blacklisted.', 'ses_message_rejected'],
    [400, 'MailFromDomainNotVerifiedException', 'MAIL FROM domain not verified', 'ses_unverified_identity'],
    [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 'ses_bad_credentials'],
    [403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 'ses_bad_credentials'],
    [403, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/app is not authorized to perform: ses:SendEmail', 'ses_access_denied'],
    [429, 'TooManyRequestsException', 'Maximum sending rate exceeded.', 'ses_throttled'],
    [400, 'SendingPausedException', 'Sending is paused for this account.', 'ses_sending_paused'],
    [500, 'InternalFailure', 'internal error', 'ses_service_error'],
  ])('HTTP %i %s (%s) -> %s', async (status, type, message, outcome) => {
    fakeAnswer = { status, type, message };
    const r = await cli(['--to', TO, '--endpoint', fakeUrl, '--json'], env());
    expect(r.code).toBe(1);
    const result = SendResult.parse(JSON.parse(r.stdout));
    expect(result.outcome).toBe(outcome);
    expect(result.errno).toBe(type);
    expect(result.response).toContain(message);
    expect(result.verdict.code).toBe(outcome);
    expect(result.verdict.fixes.length).toBeGreaterThan(0);
    expectNoSecret(r.stdout);
  });

  it('one attempt only: no retries that would outlive a function', async () => {
    fakeAnswer = { status: 500, type: 'InternalFailure', message: 'x' };
    const before = fakeRequests;
    await cli(['--to', TO, '--endpoint', fakeUrl, '--json'], env());
    expect(fakeRequests - before).toBe(1);
  });

  it('an endpoint nobody listens on -> connection_refused and the api_unreachable verdict', async () => {
    const r = await cli(['--to', TO, '--json'], env({ AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9' }));
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.outcome).toBe('connection_refused');
    expect(result.verdict.code).toBe('api_unreachable');
  });

  it('missing credentials or region -> exit 2 (a setting it needs) with what to set; dry run renders the SendEmail request', async () => {
    const noKey = await cli(['--to', TO], env({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/SES_ACCESS_KEY_ID/);
    const noRegion = await cli(['--to', TO], env({ AWS_REGION: undefined }));
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/give --region/);
    expect(noRegion.stderr).toMatch(/SES_REGION/);
    const before = (await store()).length;
    const dry = await cli(['--to', TO, '--dry-run', '--json'], env());
    expect(dry.code).toBe(0);
    const result = JSON.parse(dry.stdout);
    expect(result.dryRun).toBe(true);
    expect(JSON.parse(result.rendered.preview).Content.Simple.Headers).toContainEqual({ Name: 'X-Smtp-Egress-Id', Value: result.id });
    expect((await store()).length).toBe(before);
    expectNoSecret(dry.stdout);
  });

  it('lib/ loads the SES SDK lazily: no static value import of @aws-sdk anywhere in lib/send', () => {
    const dir = path.resolve(import.meta.dirname, '../../lib/send');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'@aws-sdk\//m);
    }
  });
});
