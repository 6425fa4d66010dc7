// Per-command usage texts, for `smtp-egress <command> --help`.
import { PROBE_USAGE } from './commands/probe.ts';
import { COMPARE_USAGE } from './commands/compare.ts';
import { SEND_TEST_USAGE } from './commands/send-test.ts';

const USAGES: Record<string, string> = {
  probe: PROBE_USAGE,
  compare: COMPARE_USAGE,
  'send-test': SEND_TEST_USAGE,
};

export function usageOf(command: string): string {
  return USAGES[command] ?? `smtp-egress ${command}: no help text`;
}
