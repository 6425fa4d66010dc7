// config-check: read -> rules -> report. The one entry the CLI and the HTTP handler share. Every
// string in the report passes through a redactor built from the secrets the reader saw, so a
// password can reach no output even if a message were to quote it.
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { createRedactor, redactDeep, REDACTED } from '../security/redact.ts';
import type { Env } from '../platform/detect.ts';
import { PLATFORM_NAMES } from '../platform/detect.ts';
import { POLICY_NAMES } from '../platform/egress-policies.ts';
import { parseEnvFile } from '../settings/env-file.ts';
import { readDjangoEnv, readNodemailer, readSmtpUrl } from '../settings/readers.ts';
import { runRules } from './settings-rules.ts';
import { CONFIG_SCHEMA_ID, FINDING_LEVELS, type ConfigReport, type Finding } from '../model/config-report.ts';
import type { ReadResult } from '../settings/mail-settings.ts';
import { correctedSnippet } from './snippet.ts';

/** Platform names --platform and the `platform` field accept. */
export const KNOWN_PLATFORMS: readonly string[] = [...new Set([...PLATFORM_NAMES, ...POLICY_NAMES])].sort();

export type ConfigInput =
  | { kind: 'env'; env: Env }
  | { kind: 'env-file'; text: string; name?: string; fallbackEnv?: Env }
  | { kind: 'url'; url: string; fallbackEnv?: Env }
  | { kind: 'nodemailer'; options: unknown; fallbackEnv?: Env };

export interface CheckOptions {
  platform: string | null;
  platformHow: 'detected' | 'given' | 'none';
  now?: Date;
}

export interface CheckResult {
  report: ConfigReport;
  /** The settings as read (with the password), for `check --probe`. Never serialised. */
  read: ReadResult;
  redact: (text: string) => string;
}

export function readConfig(input: ConfigInput): ReadResult {
  let read: ReadResult;
  switch (input.kind) {
    case 'env':
      return readDjangoEnv(input.env, 'django-env');
    case 'env-file': {
      const file = parseEnvFile(input.text, input.name);
      read = readDjangoEnv(file.env, 'env-file');
      read = { ...read, findings: [...file.findings, ...read.findings] };
      break;
    }
    case 'url':
      read = readSmtpUrl(input.url, { dialect: 'django-environ', base: 'url', source: 'url' });
      break;
    case 'nodemailer':
      read = readNodemailer(input.options);
      break;
  }
  // AWS keys next to the app's settings, else from the caller's environment (SES password check).
  const env = input.fallbackEnv ?? {};
  const secretAccessKey = read.aws.secretAccessKey ?? (env.AWS_SECRET_ACCESS_KEY?.trim() || null);
  const accessKeyId = read.aws.accessKeyId ?? (env.AWS_ACCESS_KEY_ID?.trim() || null);
  return { ...read, aws: { secretAccessKey, accessKeyId }, secrets: secretAccessKey ? [...read.secrets, secretAccessKey] : read.secrets };
}

const LEVEL_ORDER = Object.fromEntries(FINDING_LEVELS.map((l, i) => [l, i])) as Record<Finding['level'], number>;

export function checkConfig(input: ConfigInput, opts: CheckOptions): CheckResult {
  const read = readConfig(input);
  const { findings: ruleFindings, provider } = runRules(read, { platform: opts.platform });
  const snippet = correctedSnippet(read, ruleFindings);
  const all: Finding[] = [...read.findings, ...ruleFindings].map(({ level, code, field, message, fix }) => ({ level, code, field, message, fix }));
  all.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  const s = read.settings;
  const report: ConfigReport = {
    schema: CONFIG_SCHEMA_ID,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    checkedAt: (opts.now ?? new Date()).toISOString(),
    source: read.source,
    platform: { name: opts.platform, how: opts.platformHow },
    settings: {
      backend: s.backend,
      host: s.host,
      port: s.port,
      useTls: s.useTls,
      useSsl: s.useSsl,
      user: s.user,
      password: s.password === null ? null : REDACTED,
      timeout: s.timeout,
      from: s.from,
      serverEmail: s.serverEmail,
    },
    provider: provider
      ? { id: provider.provider.id, name: provider.provider.name, region: provider.region, httpsApi: provider.provider.httpsApi, source: provider.provider.source, checked: provider.provider.checked }
      : null,
    findings: all,
    counts: {
      error: all.filter((f) => f.level === 'error').length,
      warning: all.filter((f) => f.level === 'warning').length,
      info: all.filter((f) => f.level === 'info').length,
    },
    snippet,
  };
  const redact = createRedactor(read.secrets);
  return { report: redactDeep(report, redact), read, redact };
}

