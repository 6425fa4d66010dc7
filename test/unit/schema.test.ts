// The committed JSON Schemas are what the zod schemas generate (run `npm run schema` after a
// change), and the version in reports is package.json's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMAS, jsonSchemaText } from '../../lib/model/json-schemas.ts';
import { TOOL_VERSION } from '../../lib/model/version.ts';

describe('published schemas', () => {
  it.each(Object.keys(SCHEMAS))('schema/%s.schema.json is up to date', (name) => {
    expect(readFileSync(`schema/${name}.schema.json`, 'utf8')).toBe(jsonSchemaText(name));
  });

  it('the probe schema lists every outcome string of the contract', () => {
    const text = jsonSchemaText('probe');
    for (const o of ['ok', 'dns_failed', 'network_unreachable', 'host_unreachable', 'connect_timeout', 'connection_refused', 'connection_reset', 'greeting_timeout', 'smtp_rejected', 'tls_mode_mismatch', 'starttls_unavailable', 'tls_failed', 'auth_failed', 'auth_unavailable', 'timeout', 'blocked_by_policy']) {
      expect(text).toContain(`"${o}"`);
    }
  });

  it('the tool version matches package.json', () => {
    expect(TOOL_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
