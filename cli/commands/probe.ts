// smtp-egress probe [host] [flags]: the probe from this machine, a table or the JSON report.
import { parseFlags, withFlagNames, readLoginAndCa } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo, type CommandIo } from '../io.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import type { ProgressEvent } from '../../lib/smtp/probe.ts';
import { runProbe } from '../../lib/diagnosis/probe.ts';
import { verdictPasses } from '../../lib/diagnosis/verdict.ts';
import { renderProbeText } from '../../lib/render/probe-text.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { inputError } from '../../lib/model/errors.ts';
import { assertComparable, compareIsClean, compareReports } from '../../lib/compare/compare.ts';
import { fetchRemoteProbe, remoteProbeInput, remoteProbeUrl, REMOTE_MARGIN_MS } from '../../lib/http/remote-probe.ts';
import { renderCompareText } from '../../lib/render/compare-text.ts';
import { probeLogLine } from './probe-log-line.ts';
import { STANDARD_PORTS } from '../../lib/smtp/ports.ts';
import { DEFAULT_TIMEOUTS } from '../../lib/smtp/timeouts.ts';
import { hostMistake, hostMistakeMessage, validateHost } from '../../lib/security/input.ts';
import { misnamedSentence, misnamedVariables } from '../../lib/settings/slips.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { PROBE_TARGET_FLAGS, PROBE_TARGET_FLAG_OF, probeTargetInput } from '../probe-flags.ts';
import { secondsLeft, startStatusLine } from '../status-line.ts';

export const PROBE_HELP: HelpSpec = {
  usage: ['probe [HOST] [flags]', 'probe [HOST] --compare https://SITE/api/probe'],
  about: [
    'Which SMTP ports get out of this network, and why not: connects to HOST on each port, speaks SMTP up to EHLO (STARTTLS or TLS as the port expects) and, with --user, tests the login. Ports run at the same time.',
    'With no HOST, probes the Django settings in the environment: EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD.',
  ],
  flags: [
    { flag: '--ports LIST', text: 'ports to try, each PORT or PORT:MODE; modes: implicit-tls, starttls, starttls-optional, plain', default: STANDARD_PORTS.join(',') },
    { flag: '--connect-timeout MS', text: 'wait for the TCP connection', default: `${DEFAULT_TIMEOUTS.connectMs}` },
    { flag: '--greeting-timeout MS', text: "wait for the server's 220 greeting", default: `${DEFAULT_TIMEOUTS.greetingMs}` },
    { flag: '--command-timeout MS', text: 'wait for each reply (EHLO, STARTTLS, AUTH)', default: `${DEFAULT_TIMEOUTS.commandMs}` },
    { flag: '--tls-timeout MS', text: 'wait for the TLS handshake', default: `${DEFAULT_TIMEOUTS.tlsMs}` },
    { flag: '--timeout MS', text: 'the whole probe', default: `${DEFAULT_TIMEOUTS.totalMs}` },
    { flag: '--ipv4, --ipv6', text: 'one address family only', default: 'both' },
    { flag: '--user USER', text: 'test the login as USER (needs --password-env)' },
    { flag: '--password-env VAR', text: 'the variable holding the password (never typed on the command line)' },
    { flag: '--login-port PORT', text: 'the port the login is tested on', default: 'the first that gets through' },
    { flag: '--ehlo-name NAME', text: 'the name sent with EHLO', default: 'this machine' },
    { flag: '--ca-file PEM', text: 'also trust the certificates in PEM' },
    { flag: '--allow-private', text: 'allow private and loopback addresses' },
    { flag: '--decide MODE', text: 'fast: a port left silent while another port of the same address answered is declared blocked in about a second, on 6 unanswered SYNs; full: wait the whole connect timeout', default: 'fast' },
    { flag: '--compare URL', text: 'at the same time, ask the probe function at URL (https://SITE/api/probe, token from SMTP_EGRESS_TOKEN) and print both side by side; the password is never sent' },
    { flag: '--client NAME', text: "the app's mail client, whose behaviour the verdict predicts: django, smtplib, nodemailer or node", default: 'django' },
    { flag: '--app-port PORT[:MODE]', text: "with HOST, the app's own port and mode: the verdict answers for that path" },
    { flag: '--log-line', text: "for the app's own start command, in the background: one line of JSON and one verdict line to stdout (the platform's logs), ends by its deadline, always exits 0" },
    { flag: '--transcript', text: 'print the SMTP dialogue of each attempt' },
    { flag: '--json', text: 'the report as JSON (schema smtp-egress/probe@2)' },
    { flag: '--quiet', text: 'no progress on stderr' },
  ],
  env: [
    { flag: 'EMAIL_HOST ...', text: "Django's settings, read when no HOST is given" },
    { flag: 'SMTP_EGRESS_TOKEN', text: 'the bearer token of the deployment --compare asks' },
  ],
  examples: ['smtp-egress probe smtp.gmail.com', 'smtp-egress probe smtp.gmail.com --ports 587 --ipv4', 'EMAIL_HOST=smtp.example.com smtp-egress probe', 'smtp-egress probe smtp.sendgrid.net --user apikey --password-env KEY', 'smtp-egress probe smtp.gmail.com --compare https://SITE/api/probe', 'smtp-egress probe --log-line'],
  exit: ['0  the mail gets out: the configured path, login included, when the settings are known; otherwise no finding at error level (with --compare: both sides agree and every attempt is ok)', '1  it does not', '2  bad usage'],
};

export const PROBE_USAGE = renderHelp(PROBE_HELP);

const FLAG_OF: Record<string, string> = {
  ...PROBE_TARGET_FLAG_OF,
  host: 'HOST',
  user: '--user',
  password: '--password-env',
  loginPort: '--login-port',
  ehloName: '--ehlo-name',
  client: '--client',
  appPort: '--app-port',
  decide: '--decide',
};

/** Flags -> probe options; option errors name the flag. */
async function parseProbeArgs(argv: string[], io: CliIo) {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      ...PROBE_TARGET_FLAGS,
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
    'probe',
  );
  if (positionals.length > 1) throw inputError('HOST', `one host at a time (got ${positionals.length}: ${positionals.join(' ')})`);
  const mistake = positionals[0] === undefined ? null : hostMistake(positionals[0]);
  if (mistake) {
    const example = (h: string, p: string | null) => `smtp-egress probe ${h}${p ? ` --ports ${p}` : ''}`;
    throw inputError('HOST', hostMistakeMessage('HOST', positionals[0] as string, mistake, '--ports (EMAIL_PORT)', example));
  }
  const target = probeTargetInput(f);
  const { password, ca } = await readLoginAndCa(f, io.env);
  const raw: Record<string, unknown> = {
    host: positionals[0],
    ...target,
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
    return { f, positionals, options: buildProbeOptions(raw, { env: io.env, platform: detectPlatform(io.env), policy, ca }) };
  } catch (e) {
    throw withFlagNames(e, FLAG_OF);
  }
}

export async function probeCommand(argv: string[], io: CommandIo): Promise<number> {
  // --log-line: in the background of the app's start command; never throws, always exits 0.
  if (argv.includes('--log-line')) return probeLogLine(async () => (await parseProbeArgs(argv, io)).options, io);
  const { f, positionals, options } = await parseProbeArgs(argv, io);

  // --compare: check the URL and the token before anything runs.
  const remoteUrl = f.compare === undefined ? null : remoteProbeUrl(f.compare, '--compare', { allowPrivate: options.policy.allowPrivate });
  const token = io.env.SMTP_EGRESS_TOKEN;
  if (remoteUrl && !token) throw inputError('--compare', '--compare needs SMTP_EGRESS_TOKEN set to the token of the deployment at that URL');

  // EMAIL_HOST as the app receives it: literal quotes stay part of the name there, so the probe
  // stops and says so instead of probing the name without them.
  if (positionals[0] === undefined && io.env.EMAIL_HOST?.trim()) validateHost('EMAIL_HOST', io.env.EMAIL_HOST);
  // Django settings under names Django does not read: said before the probe, which skips them too.
  if (positionals[0] === undefined) for (const m of misnamedVariables(io.env)) io.stderr(`smtp-egress probe: ${misnamedSentence(m)}; it is not used (rename it to ${m.reads})\n`);

  const { colors, width } = io.style;
  const render = (r: Parameters<typeof renderProbeText>[0]) => renderProbeText(r, colors, { transcript: f.transcript, width });
  const deadline = Date.now() + options.timeouts.totalMs;
  const pending = new Map(options.ports.map((p) => [String(p.port), 'resolving']));
  let remotePending = false;
  const status = startStatusLine(io, () => waitingText(pending, remotePending, deadline), !f.quiet);
  const progress = f.quiet ? undefined : (e: ProgressEvent) => {
    if (e.type === 'resolved') for (const k of [...pending.keys()]) pending.set(k, 'connect');
    if (e.type === 'phase') {
      pending.delete(String(e.port));
      pending.set(`${e.port} ${e.family}`, e.phase);
    }
    if (e.type === 'attempt') pending.delete(e.attempt.family ? `${e.attempt.port} ${e.attempt.family}` : String(e.attempt.port));
    status.print(progressLine(e));
  };
  if (progress) status.print(`probing ${options.host} on ${options.ports.map((p) => p.port).join(', ')} (deadline ${options.timeouts.totalMs} ms)\n`);
  try {
    if (remoteUrl && token) {
      if (progress) status.print(`asking ${remoteUrl.origin}${remoteUrl.pathname} for the same probe\n`);
      remotePending = true;
      const remote = fetchRemoteProbe({ url: remoteUrl, token, input: remoteProbeInput(options, f['ehlo-name']), timeoutMs: options.timeouts.totalMs + REMOTE_MARGIN_MS }).then(
        (r) => ({ ok: true as const, report: r }),
        (e: unknown) => ({ ok: false as const, error: e }),
      );
      const local = await runProbe({ ...options, onProgress: progress });
      const got = await remote;
      remotePending = false;
      status.stop();
      if (!got.ok) {
        // The local half is still evidence: print it, then say why there is no comparison.
        if (f.json) io.stdout(`${JSON.stringify(local, null, 2)}\n`);
        else io.stdout(render(local));
        throw got.error;
      }
      const names = ['this machine', `${remoteUrl.origin}${remoteUrl.pathname}`];
      assertComparable([local, got.report], names);
      const comparison = compareReports([local, got.report], { sources: names });
      if (f.json) io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
      else io.stdout(renderCompareText(comparison, colors, { width }));
      return compareIsClean(comparison) ? EXIT_OK : EXIT_FAILED;
    }

    const report = await runProbe({ ...options, onProgress: progress });
    status.stop();
    if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(render(report));
    // 0 when the mail gets out (the configured path, login included, when the settings are known).
    return verdictPasses(report.verdict) ? EXIT_OK : EXIT_FAILED;
  } finally {
    status.stop();
  }
}

/** The status line: what is still pending, in which phase, and the time left. */
function waitingText(pending: Map<string, string>, remote: boolean, deadline: number): string {
  const parts = [...pending].map(([k, phase]) => `${k} ${phase}`);
  if (remote) parts.push('remote probe');
  return `waiting: ${parts.join(', ') || 'finishing'} (${secondsLeft(deadline)})`;
}

function progressLine(e: ProgressEvent): string {
  if (e.type === 'resolved') return `  resolved in ${e.ms} ms: ${e.addresses.map((a) => a.address).join(', ')}\n`;
  if (e.type === 'attempt') return `  ${String(e.attempt.port).padEnd(5)} ${(e.attempt.family ?? '').padEnd(4)} ${e.attempt.outcome}\n`;
  return '';
}
