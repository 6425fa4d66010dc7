// smtp-egress probe [host] [flags]: the probe from this machine, a table or the JSON report.
import pc from 'picocolors';
import { parseFlags, withFlagNames, readLoginAndCa } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo } from '../io.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import type { ProgressEvent } from '../../lib/smtp/probe.ts';
import { runProbe } from '../../lib/diagnosis/probe.ts';
import { verdictPasses } from '../../lib/diagnosis/verdict.ts';
import { renderProbeText, NO_COLORS } from '../../lib/render/probe-text.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { inputError } from '../../lib/model/errors.ts';
import { assertComparable, compareIsClean, compareReports } from '../../lib/compare/compare.ts';
import { fetchRemoteProbe, remoteProbeInput, remoteProbeUrl, REMOTE_MARGIN_MS } from '../../lib/http/remote-probe.ts';
import { renderCompareText } from '../../lib/render/compare-text.ts';
import { probeLogLine } from './probe-log-line.ts';

export const PROBE_USAGE = `usage: smtp-egress probe [HOST] [--ports 25,465,587,2525 | PORT:MODE,...] [--connect-timeout MS]
       [--greeting-timeout MS] [--command-timeout MS] [--tls-timeout MS] [--timeout MS] [--ipv4 | --ipv6]
       [--user USER --password-env VAR] [--login-port PORT] [--ehlo-name NAME] [--ca-file PEM]
       [--allow-private] [--decide fast|full] [--transcript] [--json] [--quiet] [--compare URL] [--log-line]
       [--client django|smtplib|nodemailer|node] [--app-port PORT[:MODE]]
  With no HOST, probes the Django settings in the environment (EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS,
  EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD). Modes: implicit-tls, starttls, starttls-optional, plain.
  --decide fast (default): a port left silent while another port of the same address answered is declared
  blocked in about a second, on 6 unanswered SYNs; --decide full waits the whole connect timeout.
  --compare URL: at the same time, asks the probe function at URL (https://SITE/api/probe, with the
  token from SMTP_EGRESS_TOKEN) for the same target, ports, modes and timeouts, and prints the comparison
  (A = this machine, B = URL); --json then prints the compare report. The login test runs here only:
  the password is never sent. Exit status with --compare: 0 both agree and every attempt is ok.
  --client: the app's mail client, whose behaviour the verdict predicts (default django).
  --app-port: with HOST, the app's own port and mode: the verdict answers for that path.
  --log-line: for the app's own start command, in the background: prints the report as one line of JSON
  and one verdict line to stdout (the platform's logs), ends by its deadline, always exits 0:
    (node smtp-egress.mjs probe --log-line; true) & exec gunicorn app.wsgi
  Exit status: 0 the mail gets out (the configured path, login included, when the settings are
  known; otherwise no finding at error level), 1 it does not, 2 bad usage.`;

const FLAG_OF: Record<string, string> = {
  host: 'HOST',
  ports: '--ports',
  connectTimeoutMs: '--connect-timeout',
  greetingTimeoutMs: '--greeting-timeout',
  commandTimeoutMs: '--command-timeout',
  tlsTimeoutMs: '--tls-timeout',
  timeoutMs: '--timeout',
  user: '--user',
  password: '--password-env',
  loginPort: '--login-port',
  ehloName: '--ehlo-name',
  family: '--ipv4/--ipv6',
  client: '--client',
  appPort: '--app-port',
  decide: '--decide',
};

/** Flags -> probe options; option errors name the flag. */
async function parseProbeArgs(argv: string[], io: CliIo) {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      ports: { type: 'string' },
      'connect-timeout': { type: 'string' },
      'greeting-timeout': { type: 'string' },
      'command-timeout': { type: 'string' },
      'tls-timeout': { type: 'string' },
      timeout: { type: 'string' },
      ipv4: { type: 'boolean' },
      ipv6: { type: 'boolean' },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      'login-port': { type: 'string' },
      'ehlo-name': { type: 'string' },
      'ca-file': { type: 'string' },
      'allow-private': { type: 'boolean' },
      transcript: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      compare: { type: 'string' },
      client: { type: 'string' },
      'app-port': { type: 'string' },
      decide: { type: 'string' },
      'log-line': { type: 'boolean' },
    },
    PROBE_USAGE,
  );
  if (positionals.length > 1) throw inputError('HOST', `one host at a time (got ${positionals.length}: ${positionals.join(' ')})`);
  if (f.ipv4 && f.ipv6) throw inputError('--ipv4/--ipv6', '--ipv4 and --ipv6 exclude each other; give neither to probe both');
  const { password, ca } = await readLoginAndCa(f, io.env);
  const raw: Record<string, unknown> = {
    host: positionals[0],
    ports: f.ports,
    connectTimeoutMs: f['connect-timeout'],
    greetingTimeoutMs: f['greeting-timeout'],
    commandTimeoutMs: f['command-timeout'],
    tlsTimeoutMs: f['tls-timeout'],
    timeoutMs: f.timeout,
    family: f.ipv4 ? 'ipv4' : f.ipv6 ? 'ipv6' : undefined,
    user: f.user,
    password,
    loginPort: f['login-port'],
    ehloName: f['ehlo-name'],
    client: f.client,
    appPort: f['app-port'],
    decide: f.decide,
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const policy = policyFromEnv(io.env);
  if (f['allow-private']) policy.allowPrivate = true;
  try {
    return { f, options: buildProbeOptions(raw, { env: io.env, platform: detectPlatform(io.env), policy, ca }) };
  } catch (e) {
    throw withFlagNames(e, FLAG_OF);
  }
}

export async function probeCommand(argv: string[], io: CliIo): Promise<number> {
  // --log-line: in the background of the app's start command; never throws, always exits 0.
  if (argv.includes('--log-line')) return probeLogLine(async () => (await parseProbeArgs(argv, io)).options, io);
  const { f, options } = await parseProbeArgs(argv, io);

  // --compare: check the URL and the token before anything runs.
  const remoteUrl = f.compare === undefined ? null : remoteProbeUrl(f.compare);
  const token = io.env.SMTP_EGRESS_TOKEN;
  if (remoteUrl && !token) throw inputError('--compare', '--compare needs SMTP_EGRESS_TOKEN set to the token of the deployment at that URL');

  const progress = f.quiet ? undefined : (e: ProgressEvent) => io.stderr(progressLine(e));
  if (progress) io.stderr(`probing ${options.host} on ${options.ports.map((p) => p.port).join(', ')} (deadline ${options.timeouts.totalMs} ms)\n`);
  if (remoteUrl && token) {
    if (progress) io.stderr(`asking ${remoteUrl.origin}${remoteUrl.pathname} for the same probe\n`);
    const remote = fetchRemoteProbe({ url: remoteUrl, token, input: remoteProbeInput(options, f['ehlo-name']), timeoutMs: options.timeouts.totalMs + REMOTE_MARGIN_MS }).then(
      (r) => ({ ok: true as const, report: r }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
    const local = await runProbe({ ...options, onProgress: progress });
    const got = await remote;
    if (!got.ok) {
      // The local half is still evidence: print it, then say why there is no comparison.
      if (f.json) io.stdout(`${JSON.stringify(local, null, 2)}\n`);
      else io.stdout(renderProbeText(local, io.isTty ? pc : NO_COLORS, { transcript: f.transcript }));
      throw got.error;
    }
    const names = ['this machine', `${remoteUrl.origin}${remoteUrl.pathname}`];
    assertComparable([local, got.report], names);
    const comparison = compareReports([local, got.report], { sources: names });
    if (f.json) io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
    else io.stdout(renderCompareText(comparison, io.isTty ? pc : NO_COLORS));
    return compareIsClean(comparison) ? EXIT_OK : EXIT_FAILED;
  }

  const report = await runProbe({ ...options, onProgress: progress });

  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderProbeText(report, io.isTty ? pc : NO_COLORS, { transcript: f.transcript }));
  // 0 when the mail gets out (the configured path, login included, when the settings are known).
  return verdictPasses(report.verdict) ? EXIT_OK : EXIT_FAILED;
}

function progressLine(e: ProgressEvent): string {
  if (e.type === 'resolved') return `  resolved in ${e.ms} ms: ${e.addresses.map((a) => a.address).join(', ')}\n`;
  if (e.type === 'attempt') return `  ${String(e.attempt.port).padEnd(5)} ${(e.attempt.family ?? '').padEnd(4)} ${e.attempt.outcome}\n`;
  return '';
}
