// The published JSON Schemas, generated from the zod schemas (one source for types, validation
// and documentation): one entry per report kind.
import { toJSONSchema } from 'zod/mini';
import type { z } from './zod.ts';
import { ProbeReport, PROBE_SCHEMA_ID } from './probe-report.ts';
import { CompareReport, COMPARE_SCHEMA_ID } from './compare-report.ts';
import { LogsReport, LOGS_SCHEMA_ID } from './logs-report.ts';
import { ConfigReport, CONFIG_SCHEMA_ID } from './config-report.ts';
import { SendResult, SEND_SCHEMA_ID } from './send-report.ts';
import { CheckProbeReport, CHECK_PROBE_SCHEMA_ID } from './check-probe-report.ts';

export const SCHEMAS: Record<string, { id: string; schema: z.ZodType }> = {
  probe: { id: PROBE_SCHEMA_ID, schema: ProbeReport },
  config: { id: CONFIG_SCHEMA_ID, schema: ConfigReport },
  send: { id: SEND_SCHEMA_ID, schema: SendResult },
  compare: { id: COMPARE_SCHEMA_ID, schema: CompareReport },
  logs: { id: LOGS_SCHEMA_ID, schema: LogsReport },
  'check-probe': { id: CHECK_PROBE_SCHEMA_ID, schema: CheckProbeReport },
};

export function jsonSchemaText(name: string): string {
  const entry = SCHEMAS[name];
  if (!entry) throw new Error(`no schema named ${name}`);
  const json = toJSONSchema(entry.schema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ $id: `urn:${entry.id.replace("/", ":")}`, title: entry.id, ...json }, null, 2)}\n`;
}
