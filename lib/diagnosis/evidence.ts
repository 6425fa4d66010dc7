// Questions the diagnosis asks of the evidence, each answered in one place: did this attempt
// make a TCP connection, which attempts are on the configured port, does a port of the same
// address answer. Evidence means what it means: a refusal proves the SYN got out.
import type { Attempt, Family, Mode, Outcome } from '../model/probe-report.ts';

/** Outcomes where no TCP connection was made: the network (or nothing listening) said no. */
export const CONNECT_FAILURES: readonly Outcome[] = ['connect_timeout', 'network_unreachable', 'host_unreachable', 'connection_refused'];

/** Outcomes where the SYN (or its answer) was lost or refused on the way: an egress can cause them. */
export const SILENT_OR_UNREACHABLE: readonly Outcome[] = ['connect_timeout', 'network_unreachable', 'host_unreachable'];

/** Outcomes that prove a TCP connection was made (the egress let it through). */
export function connected(a: Attempt): boolean {
  return !CONNECT_FAILURES.includes(a.outcome) && !['dns_failed', 'blocked_by_policy', 'local_error'].includes(a.outcome);
}

export const isConnectFailure = (a: Pick<Attempt, 'outcome'>): boolean => CONNECT_FAILURES.includes(a.outcome);

/** The attempts on one port, IPv4 first. */
export function onPort(attempts: readonly Attempt[], port: number): Attempt[] {
  return attempts.filter((a) => a.port === port).sort((x, y) => (x.family ?? '').localeCompare(y.family ?? ''));
}

export function onFamily(attempts: readonly Attempt[], family: Family): Attempt[] {
  return attempts.filter((a) => a.family === family);
}

/** The server answered the SYN: a connection, or a refusal (an RST proves the packet got there and back). */
export const answered = (a: Attempt): boolean => connected(a) || a.outcome === 'connection_refused';

/** Another port of the same address answered its SYN: the address is reachable, so silence on this port is the path's doing. */
export function sameAddressConnects(attempts: readonly Attempt[], a: Attempt): Attempt | undefined {
  const others = attempts.filter((b) => b !== a && b.port !== a.port && b.address === a.address);
  return others.find(connected) ?? others.find(answered);
}

/** The mode a port really speaks, as far as the evidence tells. */
export function spokenMode(a: Attempt): Mode {
  return a.detectedMode ?? a.mode;
}

/** "587", "465 and 587", "25, 465 and 587". */
export function listPorts(ports: readonly number[], conj = 'and'): string {
  const u = [...new Set(ports)].sort((a, b) => a - b);
  return u.length <= 1 ? String(u[0] ?? '') : `${u.slice(0, -1).join(', ')} ${conj} ${u[u.length - 1]}`;
}

export const words = (o: Outcome): string => o.replace(/_/g, ' ');

/** The distinct ports of some attempts. */
export const portsOf = (attempts: readonly Attempt[]): number[] => [...new Set(attempts.map((a) => a.port))].sort((a, b) => a - b);

/** An attempt that reached the end of the dialogue; with `login`, one whose login was accepted. */
export function works(a: Attempt, login: boolean): boolean {
  return a.outcome === 'ok' && (!login || a.auth?.result === 'ok');
}
