// smtp-egress send-test --to ADDRESS [flags]: one real message through SMTP or the SES v2 API
// from this machine, or a dry run. Human output or the JSON result (smtp-egress/send@1).
import pc from 'picocolors';
import { parseFlags, withFlagNames, readLoginAndCa } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo } from '../io.ts';
import { inputError } from '../../lib/model/errors.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { NO_COLORS } from '../../lib/render/probe-text.ts';
import { buildSendOptions, parseAllowedRecipients, type SendOptions } from '../../lib/send/options.ts';
import { runSendTest } from '../../lib/diagnosis/send.ts';
import { renderSendText } from '../../lib/render/send-text.ts';

export const SEND_TEST_USAGE = `usage: smtp-egress send-test --to ADDRESS [--transport smtp|ses] [--from ADDRESS] [--subject TEXT]
       [--text TEXT] [--dry-run] [--json]
       smtp: [--host HOST] [--port PORT] [--mode implicit-tls|starttls|starttls-optional|plain]
             [--user USER --password-env VAR] [--ipv4 | --ipv6] [--ehlo-name NAME] [--ca-file PEM] [--allow-private]
       ses:  [--region REGION] [--endpoint URL]
       [--connect-timeout MS] [--greeting-timeout MS] [--command-timeout MS] [--timeout MS]
  Sends one test message to one recipient and says what happened. Settings come from the environment:
  smtp uses Django's EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD
  (unless --host names another server) and DEFAULT_FROM_EMAIL; ses uses SES_REGION or AWS_REGION and
  SES_ACCESS_KEY_ID/SES_SECRET_ACCESS_KEY or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, and AWS_ENDPOINT_URL_SESV2.
  When SMTP_EGRESS_ALLOWED_RECIPIENTS is set, --to must match it (addresses or @domain entries).
  --dry-run validates and renders the message without connecting.
  Exit status: 0 sent (or dry run ok), 1 not sent, 2 bad usage.`;

const FLAG_OF: Record<string, string> = {
  to: '--to',
  transport: '--transport',
  from: '--from',
  subject: '--subject',
  text: '--text',
  host: '--host',
  port: '--port',
  mode: '--mode',
  family: '--ipv4/--ipv6',
  user: '--user',
  password: '--password-env',
  ehloName: '--ehlo-name',
  connectTimeoutMs: '--connect-timeout',
  greetingTimeoutMs: '--greeting-timeout',
  commandTimeoutMs: '--command-timeout',
  timeoutMs: '--timeout',
  region: '--region',
  endpoint: '--endpoint',
};

export async function sendTestCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      to: { type: 'string' },
      transport: { type: 'string' },
      from: { type: 'string' },
      subject: { type: 'string' },
      text: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      mode: { type: 'string' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      ipv4: { type: 'boolean' },
      ipv6: { type: 'boolean' },
      'ehlo-name': { type: 'string' },
      'ca-file': { type: 'string' },
      'allow-private': { type: 'boolean' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      'connect-timeout': { type: 'string' },
      'greeting-timeout': { type: 'string' },
      'command-timeout': { type: 'string' },
      timeout: { type: 'string' },
    },
    SEND_TEST_USAGE,
  );
  if (positionals.length > 0) throw inputError('argv', `unexpected argument "${positionals[0]}": give the recipient with --to ADDRESS`);
  if (f.to === undefined) throw inputError('--to', `--to ADDRESS is required: the one address to send the test message to\n${SEND_TEST_USAGE}`);
  if (f.ipv4 && f.ipv6) throw inputError('--ipv4/--ipv6', '--ipv4 and --ipv6 exclude each other');
  const { password, ca } = await readLoginAndCa(f, io.env);
  const raw: Record<string, unknown> = {
    to: f.to,
    transport: f.transport,
    from: f.from,
    subject: f.subject,
    text: f.text?.replace(/\\n/g, '\n'),
    dryRun: f['dry-run'] ? true : undefined,
    host: f.host,
    port: f.port,
    mode: f.mode,
    family: f.ipv4 ? 'ipv4' : f.ipv6 ? 'ipv6' : undefined,
    user: f.user,
    password,
    ehloName: f['ehlo-name'],
    region: f.region,
    connectTimeoutMs: f['connect-timeout'],
    greetingTimeoutMs: f['greeting-timeout'],
    commandTimeoutMs: f['command-timeout'],
    timeoutMs: f.timeout,
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const policy = policyFromEnv(io.env);
  if (f['allow-private']) policy.allowPrivate = true;
  const allowed = io.env.SMTP_EGRESS_ALLOWED_RECIPIENTS?.trim() ? parseAllowedRecipients(io.env.SMTP_EGRESS_ALLOWED_RECIPIENTS) : null;
  let options: SendOptions;
  try {
    options = buildSendOptions(raw, { env: io.env, platform: detectPlatform(io.env), policy, allowedRecipients: allowed, endpoint: f.endpoint ?? null, ca: ca ?? io.env.SMTP_EGRESS_EXTRA_CA });
  } catch (e) {
    throw withFlagNames(e, FLAG_OF);
  }
  const result = await runSendTest(options);
  if (f.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(renderSendText(result, io.isTty ? pc : NO_COLORS));
  return result.outcome === 'ok' ? EXIT_OK : EXIT_FAILED;
}
