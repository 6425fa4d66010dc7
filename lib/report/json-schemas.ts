// The published JSON Schemas, generated from the zod schemas (one source for types, validation
// and documentation). Other report kinds (config, send, compare, logs) add their entry here.
import { z } from 'zod';
import { ProbeReport, PROBE_SCHEMA_ID } from './schema.ts';

export const SCHEMAS: Record<string, { id: string; schema: z.ZodType }> = {
  probe: { id: PROBE_SCHEMA_ID, schema: ProbeReport },
};

export function jsonSchemaText(name: string): string {
  const entry = SCHEMAS[name];
  if (!entry) throw new Error(`no schema named ${name}`);
  const json = z.toJSONSchema(entry.schema, { target: 'draft-2020-12' });
  return `${JSON.stringify({ $id: `urn:${entry.id.replace("/", ":")}`, title: entry.id, ...json }, null, 2)}\n`;
}
