// What the report says about a TLS session: protocol, cipher, whether the certificate is
// trusted for this host name, and why not in one of a few words a person can act on.
import type tls from 'node:tls';
import type { TlsErrorReason, TlsInfo } from '../model/probe-report.ts';

/** Node's authorizationError codes, grouped by the fix they call for. */
export function tlsReasonFor(code: string | null | undefined): TlsErrorReason | null {
  if (!code) return null;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'cert_expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'hostname_mismatch';
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') return 'self_signed';
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || code === 'UNABLE_TO_GET_ISSUER_CERT') return 'untrusted';
  return 'handshake';
}

const REASON_TEXT: Record<TlsErrorReason, string> = {
  cert_expired: 'the server certificate has expired (or is not yet valid)',
  hostname_mismatch: 'the server certificate is not valid for this host name',
  self_signed: 'the server certificate is self-signed',
  untrusted: 'the server certificate is not signed by a trusted authority (or the chain is incomplete)',
  handshake: 'the TLS handshake failed',
};

export function describeTlsReason(reason: TlsErrorReason): string {
  return REASON_TEXT[reason];
}

function dn(name: Record<string, string | string[]> | undefined): string | null {
  if (!name) return null;
  const parts = Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  return parts.length ? parts.join(', ') : null;
}

export function tlsInfoOf(socket: tls.TLSSocket): TlsInfo {
  const cert = socket.getPeerCertificate();
  const hasCert = cert && Object.keys(cert).length > 0;
  const errCode = socket.authorized ? null : (socket.authorizationError as unknown as string | Error | null);
  const errText = errCode == null ? null : typeof errCode === 'string' ? errCode : ((errCode as NodeJS.ErrnoException).code ?? errCode.message);
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    authorized: socket.authorized,
    error: tlsReasonFor(errText),
    errorDetail: errText,
    cert: hasCert
      ? {
          subject: dn(cert.subject as unknown as Record<string, string>),
          issuer: dn(cert.issuer as unknown as Record<string, string>),
          validTo: cert.valid_to ? new Date(cert.valid_to).toISOString() : null,
          altNames: (cert.subjectaltname ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : null,
  };
}

export function emptyTlsInfo(reason: TlsErrorReason, detail: string | null): TlsInfo {
  return { protocol: null, cipher: null, authorized: false, error: reason, errorDetail: detail, cert: null };
}
