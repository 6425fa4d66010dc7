// The flags every command that runs a probe shares (probe, compare): the ports, each phase's
// timeout and the address family, with their names for option errors. One place, so a new
// timeout or a renamed flag means the same in every command.
import { inputError } from '../lib/model/errors.ts';

export const PROBE_TARGET_FLAGS = {
  ports: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'greeting-timeout': { type: 'string' },
  'command-timeout': { type: 'string' },
  'tls-timeout': { type: 'string' },
  timeout: { type: 'string' },
  ipv4: { type: 'boolean' },
  ipv6: { type: 'boolean' },
} as const;

/** The probe input field each of those flags sets, for errors that must name the flag. */
export const PROBE_TARGET_FLAG_OF: Readonly<Record<string, string>> = {
  ports: '--ports',
  connectTimeoutMs: '--connect-timeout',
  greetingTimeoutMs: '--greeting-timeout',
  commandTimeoutMs: '--command-timeout',
  tlsTimeoutMs: '--tls-timeout',
  timeoutMs: '--timeout',
  family: '--ipv4/--ipv6',
};

export interface TargetFlagValues {
  ports?: string;
  'connect-timeout'?: string;
  'greeting-timeout'?: string;
  'command-timeout'?: string;
  'tls-timeout'?: string;
  timeout?: string;
  ipv4?: boolean;
  ipv6?: boolean;
}

/** Those flags as probe input fields (undefined where a flag was not given). */
export function probeTargetInput(f: TargetFlagValues): Record<string, unknown> {
  if (f.ipv4 && f.ipv6) throw inputError('--ipv4/--ipv6', '--ipv4 and --ipv6 exclude each other; give neither to probe both');
  return {
    ports: f.ports,
    connectTimeoutMs: f['connect-timeout'],
    greetingTimeoutMs: f['greeting-timeout'],
    commandTimeoutMs: f['command-timeout'],
    tlsTimeoutMs: f['tls-timeout'],
    timeoutMs: f.timeout,
    family: f.ipv4 ? 'ipv4' : f.ipv6 ? 'ipv6' : undefined,
  };
}
