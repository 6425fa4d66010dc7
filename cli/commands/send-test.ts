// smtp-egress send-test --to ADDRESS [flags]: one real message through SMTP or the SES v2 API
// from this machine, or a dry run. Human output or the JSON result (smtp-egress/send@2).
import { parseFlags, withFlagNames, readLoginAndCa } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from '../io.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { startStatusLine, secondsLeft } from '../status-line.ts';
import { DEFAULT_TIMEOUTS } from '../../lib/smtp/timeouts.ts';
import { hostMistake, hostMistakeMessage } from '../../lib/security/input.ts';
import { inputError } from '../../lib/model/errors.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { buildSendOptions, parseAllowedRecipients, type SendOptions } from '../../lib/send/options.ts';
import { runSendTest } from '../../lib/diagnosis/send.ts';
import { renderSendText } from '../../lib/render/send-text.ts';

export const SEND_TEST_HELP: HelpSpec = {
  usage: ['send-test --to ADDRESS [--transport smtp] [flags]', 'send-test --to ADDRESS --transport ses [--region REGION] [flags]'],
  about: [
    "Sends one test message to one recipient and says what happened. smtp uses Django's EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (unless --host names another server); ses uses SES_REGION or AWS_REGION and SES_ACCESS_KEY_ID/SES_SECRET_ACCESS_KEY or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
  ],
  flags: [
    { flag: '--to ADDRESS', text: 'the one recipient (required)' },
    { flag: '--from ADDRESS', text: 'the sender', default: 'DEFAULT_FROM_EMAIL' },
    { flag: '--transport NAME', text: 'smtp or ses (the SES v2 HTTPS API)', default: 'smtp' },
    { flag: '--subject TEXT', text: 'the subject line', default: '"smtp-egress test from <platform> (<id>)"' },
    { flag: '--text TEXT', text: 'the body (\\n for a line break)', default: 'a few lines saying where it was sent from' },
    { flag: '--dry-run', text: 'validate and render the message without connecting' },
    { flag: '--host HOST', text: 'smtp: the server', default: 'EMAIL_HOST' },
    { flag: '--port PORT', text: 'smtp: the port', default: 'EMAIL_PORT, else 587' },
    { flag: '--mode MODE', text: 'smtp: implicit-tls, starttls, starttls-optional or plain', default: 'from EMAIL_USE_TLS/EMAIL_USE_SSL' },
    { flag: '--user USER', text: 'smtp: log in as USER (needs --password-env)', default: 'EMAIL_HOST_USER' },
    { flag: '--password-env VAR', text: 'smtp: the variable holding the password', default: 'EMAIL_HOST_PASSWORD' },
    { flag: '--ipv4, --ipv6', text: 'smtp: one address family only' },
    { flag: '--ehlo-name NAME', text: 'smtp: the name sent with EHLO' },
    { flag: '--ca-file PEM', text: 'smtp: also trust the certificates in PEM' },
    { flag: '--allow-private', text: 'smtp: allow private and loopback addresses' },
    { flag: '--region REGION', text: 'ses: the region your SES identities are in', default: 'SES_REGION, else AWS_REGION' },
    { flag: '--endpoint URL', text: 'ses: another endpoint', default: 'AWS_ENDPOINT_URL_SESV2' },
    { flag: '--connect-timeout MS', text: 'wait for the connection', default: `${DEFAULT_TIMEOUTS.connectMs}` },
    { flag: '--greeting-timeout MS', text: "wait for the server's greeting", default: `${DEFAULT_TIMEOUTS.greetingMs}` },
    { flag: '--command-timeout MS', text: 'wait for each reply', default: `${DEFAULT_TIMEOUTS.commandMs}` },
    { flag: '--timeout MS', text: 'the whole send', default: `${DEFAULT_TIMEOUTS.totalMs}` },
    { flag: '--json', text: 'the result as JSON (schema smtp-egress/send@2)' },
  ],
  env: [{ flag: 'SMTP_EGRESS_ALLOWED_RECIPIENTS', text: 'when set, --to must match it (addresses or @domain entries, comma-separated)' }],
  examples: ['smtp-egress send-test --to you@example.com --dry-run', 'smtp-egress send-test --to you@example.com --from app@example.com', 'smtp-egress send-test --to you@example.com --transport ses'],
  exit: ['0  sent (or the dry run was fine)', '1  not sent', '2  bad usage, or a setting it needs is missing (--from, a region...)'],
};

export const SEND_TEST_USAGE = renderHelp(SEND_TEST_HELP);

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
  // No flag: the keys come from the environment only.
  awsAccessKeyId: 'SES_ACCESS_KEY_ID',
  awsSecretAccessKey: 'SES_SECRET_ACCESS_KEY',
};

export async function sendTestCommand(argv: string[], io: CommandIo): Promise<number> {
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
    'send-test',
  );
  if (positionals.length > 0) throw inputError('argv', `unexpected argument "${positionals[0]}": give the recipient with --to ADDRESS`);
  if (f.to === undefined) throw inputError('--to', '--to ADDRESS is required: the one address to send the test message to, e.g. smtp-egress send-test --to you@example.com');
  const mistake = f.host === undefined ? null : hostMistake(f.host);
  if (mistake) throw inputError('--host', hostMistakeMessage('--host', f.host as string, mistake, '--port', (h, p) => `--host ${h}${p ? ` --port ${p}` : ''}`));
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
  const deadline = Date.now() + options.timeouts.totalMs;
  const where = options.transport === 'ses' ? `the SES API in ${options.region}` : `${options.host}:${options.port}`;
  const status = startStatusLine(io, () => `sending through ${where} (${secondsLeft(deadline)})`, !options.dryRun);
  const result = await runSendTest(options).finally(() => status.stop());
  if (f.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(renderSendText(result, io.style.colors, { width: io.style.width }));
  return result.outcome === 'ok' ? EXIT_OK : EXIT_FAILED;
}
