// smtp-egress check: read the app's mail settings (env, an env file, an SMTP URL or nodemailer
// options), report what is wrong and how to fix it, offline; --probe then probes the configured
// host and port from here.
import { FileTooLarge, readFileCapped } from '../../lib/security/read-capped.ts';
import { fileError, parseFlags } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo, type CommandIo } from '../io.ts';
import { inputError } from '../../lib/model/errors.ts';
import { checkConfig, KNOWN_PLATFORMS, type ConfigInput } from '../../lib/diagnosis/config-check.ts';
import { redactDeep } from '../../lib/security/redact.ts';
import { CHECK_PROBE_SCHEMA_ID } from '../../lib/model/check-probe-report.ts';
import { MAX_ENV_FILE_BYTES } from '../../lib/settings/env-file.ts';
import { renderConfigText } from '../../lib/render/config-text.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { runProbe } from '../../lib/diagnosis/probe.ts';
import { verdictPasses } from '../../lib/diagnosis/verdict.ts';
import { parseEnvFile } from '../../lib/settings/env-file.ts';
import { renderProbeText } from '../../lib/render/probe-text.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { didYouMean } from '../suggest.ts';
import { secondsLeft, startStatusLine } from '../status-line.ts';

export const CHECK_HELP: HelpSpec = {
  usage: ['check [--settings-file FILE | --url URL | --nodemailer FILE] [flags]'],
  about: [
    "What is wrong in the app's mail settings, and the fix, offline. Reads the Django EMAIL_* variables of this environment (or of an env file; EMAIL_URL when EMAIL_HOST is not set), an SMTP URL (django-environ's EMAIL_URL) or nodemailer transport options as JSON.",
    'AWS_SECRET_ACCESS_KEY, when set, lets it verify an Amazon SES SMTP password for the host\'s region.',
  ],
  flags: [
    { flag: '--settings-file FILE', text: 'read the Django variables from an env file (KEY=value lines, as .env); --env-file is the old name, which Node itself may take: see the README' },
    { flag: '--url URL', text: 'check an SMTP URL; - reads it from stdin, which keeps a password out of the shell history' },
    { flag: '--nodemailer FILE', text: 'check nodemailer options as JSON; - reads stdin' },
    { flag: '--platform NAME', text: `apply NAME's outbound port policy; one of ${KNOWN_PLATFORMS.join(', ')}`, default: 'the platform detected here' },
    { flag: '--probe', text: 'then probe the configured host and port from this machine' },
    { flag: '--json', text: 'the report as JSON (schema smtp-egress/config@1)' },
  ],
  examples: ['smtp-egress check', 'smtp-egress check --settings-file .env --platform render', 'echo "$EMAIL_URL" | smtp-egress check --url -', 'smtp-egress check --nodemailer transport.json --probe'],
  exit: ['0  no error finding (and the probe, if any, got through)', '1  an error finding, or the probe failed', '2  bad usage'],
};

export const CHECK_USAGE = renderHelp(CHECK_HELP);

async function readText(io: CliIo, flag: string, path: string): Promise<string> {
  if (path === '-') {
    if (io.stdinIsTty) io.stderr(`Paste the ${flag === '--nodemailer' ? 'nodemailer options (JSON)' : 'KEY=value lines'}, then press Ctrl-D on an empty line:\n`);
    return io.readStdin();
  }
  let text: string;
  try {
    text = await readFileCapped(path, MAX_ENV_FILE_BYTES);
  } catch (e) {
    if (e instanceof FileTooLarge) throw inputError(flag, `${flag} ${path} is larger than ${MAX_ENV_FILE_BYTES} bytes: give the file with the mail settings only`);
    throw fileError(flag, path, e);
  }
  return text;
}

/** `--url -`: the URL from stdin; at a terminal it is asked for and not shown (it may hold the password). */
function readUrl(io: CliIo): Promise<string> {
  if (io.stdinIsTty && io.readLine) return io.readLine('SMTP URL (not shown): ', { hidden: true });
  return io.readStdin();
}

export async function checkCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      'settings-file': { type: 'string' },
      // The old name, kept for one version: Node reads --env-file on its own command line.
      'env-file': { type: 'string' },
      url: { type: 'string' },
      nodemailer: { type: 'string' },
      platform: { type: 'string' },
      probe: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    'check',
  );
  if (positionals.length > 0) throw inputError('argv', `check takes no file name on its own (got ${positionals[0]}): use --settings-file ${positionals[0]}, --url or --nodemailer`);
  if (f['env-file'] !== undefined) {
    if (f['settings-file'] !== undefined) throw inputError('--env-file', 'give --settings-file only (--env-file is its old name)');
    io.stderr('smtp-egress check: --env-file is deprecated and goes away in the next version: use --settings-file (Node takes --env-file for itself)\n');
  }
  const settingsFile = f['settings-file'] ?? f['env-file'];
  const given = { '--settings-file': settingsFile, '--url': f.url, '--nodemailer': f.nodemailer };
  const sources = Object.entries(given).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (sources.length > 1) throw inputError(sources[1] as string, `give one of --settings-file, --url and --nodemailer (got ${sources.join(' and ')})`);
  if (f.platform !== undefined && !KNOWN_PLATFORMS.includes(f.platform)) {
    throw inputError('--platform', `--platform "${f.platform}" is not known${didYouMean(f.platform, KNOWN_PLATFORMS)}; use one of ${KNOWN_PLATFORMS.join(', ')}`);
  }

  let input: ConfigInput;
  if (settingsFile !== undefined) input = { kind: 'env-file', text: await readText(io, '--settings-file', settingsFile), name: settingsFile, fallbackEnv: io.env };
  else if (f.url !== undefined) input = { kind: 'url', url: f.url === '-' ? (await readUrl(io)).trim() : f.url, fallbackEnv: io.env };
  else if (f.nodemailer !== undefined) input = { kind: 'nodemailer', options: await readText(io, '--nodemailer', f.nodemailer), fallbackEnv: io.env };
  else input = { kind: 'env', env: io.env };
  const file = settingsFile ?? f.nodemailer;

  const platform = f.platform ?? detectPlatform(io.env).name;
  const { report, read, redact } = checkConfig(input, { platform, platformHow: f.platform ? 'given' : 'detected' });
  const { colors, width } = io.style;
  let failed = report.counts.error > 0;

  let probeReport: ProbeReport | null = null;
  if (f.probe) {
    const s = read.settings;
    if (!s.host) {
      io.stderr('smtp-egress check: --probe skipped: the settings name no host\n');
      failed = true;
    } else {
      const port = s.port ?? (s.useSsl ? 465 : 587);
      try {
        // The settings as read, handed over whole: no round trip through Django env strings.
        const settingsEnv = input.kind === 'env-file' ? parseEnvFile(input.text, input.name).env : undefined;
        const options = buildProbeOptions({ ports: String(port) }, { env: io.env, settings: read, settingsEnv, platform: detectPlatform(io.env), policy: policyFromEnv(io.env), ca: io.env.SMTP_EGRESS_EXTRA_CA });
        const deadline = Date.now() + options.timeouts.totalMs;
        const status = startStatusLine(io, () => `probing ${options.host} on ${port} (${secondsLeft(deadline)})`, !f.json);
        if (!f.json) status.print(`probing ${options.host} on ${port} (deadline ${options.timeouts.totalMs} ms)\n`);
        probeReport = await runProbe(options).finally(() => status.stop());
        if (!verdictPasses(probeReport.verdict)) failed = true;
      } catch (e) {
        io.stderr(`smtp-egress check: --probe not run: ${redact((e as Error).message)}\n`);
        failed = true;
      }
    }
  }

  if (f.json) {
    const out = probeReport ? { schema: CHECK_PROBE_SCHEMA_ID, config: report, probe: redactDeep(probeReport, redact) } : report;
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout(redact(renderConfigText(report, colors, { width, file: file === '-' ? 'standard input' : file })));
    if (probeReport) io.stdout(`\n${redact(renderProbeText(probeReport, colors, { width }))}`);
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}
