// The words every report shares: attempt outcomes (the public contract: tests, reports and the
// log classifier use these strings), TLS modes, address families, TLS error reasons, platform.
import { z } from './zod.ts';

export const OUTCOMES = [
  'ok',
  'dns_failed',
  'network_unreachable',
  'host_unreachable',
  'connect_timeout',
  'connection_refused',
  'connection_reset',
  'greeting_timeout',
  'smtp_rejected',
  'tls_mode_mismatch',
  'starttls_unavailable',
  'tls_failed',
  'auth_failed',
  'auth_unavailable',
  'timeout',
  'blocked_by_policy',
  // This machine could not open a socket (EPERM, EACCES, EMFILE, ENOBUFS...): nothing left it.
  'local_error',
] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const MODES = ['implicit-tls', 'starttls', 'starttls-optional', 'plain'] as const;
export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

export const Family = z.enum(['ipv4', 'ipv6']);
export type Family = z.infer<typeof Family>;

export const TLS_ERROR_REASONS = ['cert_expired', 'hostname_mismatch', 'self_signed', 'untrusted', 'handshake'] as const;
export const TlsErrorReason = z.enum(TLS_ERROR_REASONS);
export type TlsErrorReason = z.infer<typeof TlsErrorReason>;

export const Platform = z.object({
  name: z.string(),
  region: z.nullable(z.string()),
  runtime: z.string(),
  deployContext: z.nullable(z.string()),
});
export type Platform = z.infer<typeof Platform>;
