// Per-command usage texts, for `smtp-egress <command> --help`.
import { PROBE_USAGE } from './commands/probe.ts';
import { CHECK_USAGE } from './commands/check.ts';
import { SES_SMTP_PASSWORD_USAGE } from './commands/ses-smtp-password.ts';
import { SEND_TEST_USAGE } from './commands/send-test.ts';
import { COMPARE_USAGE } from './commands/compare.ts';
import { LOGS_USAGE } from './commands/logs.ts';
import { SERVE_USAGE } from './commands/serve.ts';

const USAGES: Record<string, string> = {
  probe: PROBE_USAGE,
  check: CHECK_USAGE,
  'ses-smtp-password': SES_SMTP_PASSWORD_USAGE,
  'send-test': SEND_TEST_USAGE,
  compare: COMPARE_USAGE,
  logs: LOGS_USAGE,
  serve: SERVE_USAGE,
};

export function usageOf(command: string): string {
  return USAGES[command] ?? `smtp-egress ${command}: no help text`;
}
