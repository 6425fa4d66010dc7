// smtp-egress check: read the app's mail settings (env, an env file, an SMTP URL or nodemailer
// options), report what is wrong and how to fix it, offline; --probe then probes the configured
// host and port from here.
import { readFile } from 'node:fs/promises';
import pc from 'picocolors';
import { parseFlags } from '../flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo } from '../io.ts';
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
import { renderProbeText, NO_COLORS } from '../../lib/render/probe-text.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import type { ProbeReport } from '../../lib/model/probe-report.ts';

export const CHECK_USAGE = `usage: smtp-egress check [--env-file FILE | --url URL | --nodemailer FILE] [--platform NAME] [--probe] [--json]
  Checks mail settings offline: the Django EMAIL_* variables of this environment (or of --env-file; EMAIL_URL
  is read when EMAIL_HOST is not set), an SMTP URL (django-environ's EMAIL_URL; "-" reads it from stdin, which
  keeps a password out of the shell history), or nodemailer transport options as JSON ("-" for stdin).
  AWS_SECRET_ACCESS_KEY, when set, lets it verify an Amazon SES SMTP password for the host's region.
  --platform NAME   apply NAME's outbound port policy (default: the platform detected here); one of
                    ${KNOWN_PLATFORMS.join(', ')}
  --probe           then probe the configured host and port from this machine
  --json            the report as JSON (schema smtp-egress/config@1)
  Exit status: 0 no error finding (and the probe, if any, got through), 1 otherwise, 2 bad usage.`;

async function readText(io: CliIo, flag: string, path: string): Promise<string> {
  if (path === '-') return io.readStdin();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw inputError(flag, `${flag} ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_ENV_FILE_BYTES) throw inputError(flag, `${flag} ${path} is larger than ${MAX_ENV_FILE_BYTES} bytes`);
  return text;
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      'env-file': { type: 'string' },
      url: { type: 'string' },
      nodemailer: { type: 'string' },
      platform: { type: 'string' },
      probe: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    CHECK_USAGE,
  );
  if (positionals.length > 0) throw inputError('argv', `check takes no positional argument (got ${positionals.length}): use --env-file, --url or --nodemailer\n${CHECK_USAGE}`);
  const sources = (['env-file', 'url', 'nodemailer'] as const).filter((k) => f[k] !== undefined);
  if (sources.length > 1) throw inputError(`--${sources[1]}`, `give one of --env-file, --url and --nodemailer (got ${sources.map((k) => `--${k}`).join(' and ')})`);
  if (f.platform !== undefined && !KNOWN_PLATFORMS.includes(f.platform)) {
    throw inputError('--platform', `--platform "${f.platform}" is not known: use one of ${KNOWN_PLATFORMS.join(', ')}`);
  }

  let input: ConfigInput;
  if (f['env-file'] !== undefined) input = { kind: 'env-file', text: await readText(io, '--env-file', f['env-file']), name: f['env-file'], fallbackEnv: io.env };
  else if (f.url !== undefined) input = { kind: 'url', url: f.url === '-' ? (await io.readStdin()).trim() : f.url, fallbackEnv: io.env };
  else if (f.nodemailer !== undefined) input = { kind: 'nodemailer', options: await readText(io, '--nodemailer', f.nodemailer), fallbackEnv: io.env };
  else input = { kind: 'env', env: io.env };

  const platform = f.platform ?? detectPlatform(io.env).name;
  const { report, read, redact } = checkConfig(input, { platform, platformHow: f.platform ? 'given' : 'detected' });
  const colors = io.isTty ? pc : NO_COLORS;
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
        if (!f.json) io.stderr(`probing ${options.host} on ${port} (deadline ${options.timeouts.totalMs} ms)\n`);
        probeReport = await runProbe(options);
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
    io.stdout(redact(renderConfigText(report, colors)));
    if (probeReport) io.stdout(`\n${redact(renderProbeText(probeReport, colors))}`);
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}
