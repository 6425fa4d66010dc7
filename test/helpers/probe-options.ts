// Probe options for tests: short timeouts, loopback allowed, the test CA trusted.
import type { ProbeOptions } from '../../lib/smtp/probe.ts';
import type { PortSpec } from '../../lib/smtp/ports.ts';
import { testPki } from './certs.ts';

export const LOCAL_PLATFORM = { name: 'local', region: null, runtime: 'node test', deployContext: null };

export function testProbeOptions(host: string, ports: PortSpec[], overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    host,
    ports,
    family: 'ipv4',
    timeouts: { connectMs: 1_000, greetingMs: 300, commandMs: 300, tlsMs: 500, totalMs: 4_000 },
    ehloName: 'probe.test',
    credentials: null,
    loginPort: null,
    ca: testPki().ca.cert,
    policy: { allowPrivate: true, allowedHosts: [] },
    platform: LOCAL_PLATFORM,
    source: 'argument',
    ...overrides,
  };
}
