// How a probe step reports that it could not go on. It stays inside lib/smtp: the attempt
// runner catches it and writes outcome, errno and message into the report (report-don't-throw).
import type { ConnectDecision, Mode, Outcome, TlsErrorReason } from '../model/probe-report.ts';

export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    readonly outcome: Outcome,
    message: string,
    readonly errno: string | null = null,
    readonly extra: { detectedMode?: Mode; tlsReason?: TlsErrorReason; response?: string; decision?: ConnectDecision } = {},
  ) {
    super(message);
  }
}

export function isStepFailure(value: unknown): value is StepFailure {
  return value instanceof StepFailure;
}

/** Maps a socket error (Node's `code`) met while connecting to its outcome. */
export function outcomeForSocketError(code: string | undefined): Outcome {
  switch (code) {
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'ENONET':
      return 'network_unreachable';
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return 'host_unreachable';
    case 'ECONNREFUSED':
      return 'connection_refused';
    case 'ETIMEDOUT':
      return 'connect_timeout';
    // This machine refused to open the connection (a local firewall, a sandbox, no descriptors
    // or buffers left): the packet never left, so it says nothing about the egress or the server.
    case 'EPERM':
    case 'EACCES':
    case 'ENOBUFS':
    case 'EMFILE':
    case 'ENFILE':
    case 'ENOMEM':
      return 'local_error';
    default:
      return 'connection_reset';
  }
}

/** A sentence per errno, in the words a person searching for "Errno 101" would use. */
export function describeSocketError(code: string | undefined, where: string): string {
  switch (code) {
    case 'ENETUNREACH':
      return `network unreachable (ENETUNREACH, Python's [Errno 101]) ${where}: this host has no route to that network`;
    case 'EADDRNOTAVAIL':
      return `no local address for that family (EADDRNOTAVAIL) ${where}: this host cannot reach that network`;
    case 'EHOSTUNREACH':
      return `host unreachable (EHOSTUNREACH, [Errno 113]) ${where}`;
    case 'ECONNREFUSED':
      return `connection refused (ECONNREFUSED, [Errno 111]) ${where}: nothing listens there, or a firewall rejects it`;
    case 'EPERM':
    case 'EACCES':
      return `this machine refused to open the connection (${code}) ${where}: a local firewall rule or sandbox forbids it; nothing was sent`;
    case 'ENOBUFS':
    case 'EMFILE':
    case 'ENFILE':
    case 'ENOMEM':
      return `this machine ran out of sockets or memory (${code}) ${where}: nothing was sent; the result says nothing about the network or the server`;
    case 'ECONNRESET':
      return `connection reset by the peer (ECONNRESET) ${where}`;
    case 'EPIPE':
      return `connection closed by the peer while writing (EPIPE) ${where}`;
    default:
      return `socket error ${code ?? '(no code)'} ${where}`;
  }
}
