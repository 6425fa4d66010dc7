// send-test through Amazon SES's HTTPS API (SESv2 SendEmail): the way out where a platform
// blocks SMTP. The SDK is loaded only when this transport runs (it is large), with one attempt,
// short timeouts and the caller's deadline; its errors map to outcomes with fixes.
import type { SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { describeSocketError, outcomeForSocketError } from '../smtp/step-failure.ts';
import type { SesSendOptions } from './options.ts';
import { formatAddress, type TestMessage } from './message.ts';
import { transportReport, type TransportReport } from './transport-report.ts';
import type { SendOutcome } from '../model/send-report.ts';

export function sesVia(o: SesSendOptions): string {
  return `Amazon SES v2 API over HTTPS (${o.region}${o.endpoint ? `, endpoint ${o.endpoint}` : ''})`;
}

/** AKIA…WXYZ: tells keys apart in a result without being a credential. */
export function shortKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…';
}

export function sesRequest(m: TestMessage): SendEmailCommandInput {
  return {
    FromEmailAddress: formatAddress(m.from),
    Destination: { ToAddresses: [m.to] },
    Content: {
      Simple: {
        Subject: { Data: m.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: m.text, Charset: 'UTF-8' } },
        Headers: Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })),
      },
    },
  };
}

const base = (fields: Parameters<typeof transportReport>[0]): TransportReport => transportReport({ command: 'SendEmail', ...fields });

export async function sendViaSes(o: SesSendOptions, m: TestMessage, signal: AbortSignal): Promise<TransportReport> {
  // The SDK warns on Node 20 that *future* SDK releases will need Node 22; the copy bundled here
  // runs on Node 20, and the warning would only clutter the CLI's output on Render.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  const client = new SESv2Client({
    region: o.region,
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    credentials: o.credentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: o.timeouts.connectMs, requestTimeout: o.timeouts.commandMs },
  });
  const t0 = performance.now();
  const api = () => Math.round(performance.now() - t0);
  try {
    const out = await client.send(new SendEmailCommand(sesRequest(m)), { abortSignal: signal });
    const id = out.MessageId ?? null;
    return base({
      outcome: 'ok',
      sent: true,
      message: `the SES API (${o.region}) accepted the message${id ? `: MessageId ${id}` : ''}`,
      accepted: [o.to],
      messageId: id,
      response: `HTTP ${out.$metadata.httpStatusCode ?? 200}${id ? ` MessageId ${id}` : ''}${out.$metadata.requestId ? ` (request ${out.$metadata.requestId})` : ''}`,
      timings: { api: api() },
    });
  } catch (e) {
    return { ...classifySesError(e, o, signal), timings: { api: api() } };
  } finally {
    client.destroy();
  }
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  detail?: string;
  errors?: { code?: string }[];
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);

export function classifySesError(e: unknown, o: SesSendOptions, signal?: AbortSignal): TransportReport {
  const err = (e ?? {}) as SdkError;
  const name = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const text = [err.message, err.detail].filter((s) => s && s !== name).join(' - ');
  const endpoint = o.endpoint ?? `https://email.${o.region}.amazonaws.com`;
  // Network errors: the SDK passes Node's error through (AggregateError when every address failed).
  const sysCode = err.code ?? err.errors?.find((x) => x.code)?.code;
  if (status === undefined) {
    if (signal?.aborted || name === 'AbortError') {
      return base({ outcome: 'timeout', errno: name, message: `the overall deadline of ${o.timeouts.totalMs} ms was reached calling ${endpoint}` });
    }
    if (sysCode === 'ENOTFOUND' || sysCode === 'EAI_AGAIN') {
      return base({ outcome: 'dns_failed', errno: sysCode, message: `could not resolve the SES endpoint ${endpoint} (${sysCode})` });
    }
    if (name === 'TimeoutError' || sysCode === 'ETIMEDOUT') {
      const connecting = /connect/i.test(err.message ?? '');
      return base({
        outcome: connecting ? 'connect_timeout' : 'timeout',
        errno: sysCode ?? name,
        message: connecting
          ? `no answer to the connection request to ${endpoint} within ${o.timeouts.connectMs} ms: outbound HTTPS is dropped on the way`
          : `${endpoint} did not answer within ${o.timeouts.commandMs} ms`,
      });
    }
    if (sysCode && /^E[A-Z]+$/.test(sysCode)) {
      return base({ outcome: outcomeForSocketError(sysCode), errno: sysCode, message: describeSocketError(sysCode, `calling ${endpoint}`) });
    }
    if (sysCode && /CERT|SSL|TLS/.test(sysCode)) {
      return base({ outcome: 'tls_failed', errno: sysCode, message: `TLS with ${endpoint} failed (${sysCode})`, tls: { error: 'handshake', detail: sysCode } });
    }
    if (CREDENTIAL_ERRORS.has(name)) {
      return base({ outcome: 'ses_bad_credentials', errno: name, message: `no usable SES credentials: ${err.message ?? name}` });
    }
    return base({ outcome: 'failed', errno: sysCode ?? name, message: `the SES call failed: ${err.message ?? name}` });
  }

  const response = `${name} (HTTP ${status})${text ? `: ${text}` : ''}${err.$metadata?.requestId ? ` [request ${err.$metadata.requestId}]` : ''}`;
  const outcome = sesOutcome(name, status, text);
  const what: Record<string, string> = {
    ses_unverified_identity: `SES refused the sender or recipient as not verified in ${o.region}`,
    ses_message_rejected: 'SES rejected the message',
    ses_access_denied: 'SES denied this key the right to send',
    ses_bad_credentials: 'SES does not accept these credentials',
    ses_throttled: 'SES throttled the request (rate or quota)',
    ses_sending_paused: 'sending is paused for this SES account',
    ses_bad_request: 'SES refused the request as malformed',
    ses_service_error: 'SES answered with a server error',
    failed: 'the SES call failed',
  };
  return base({ outcome, errno: name, message: `${what[outcome] ?? 'the SES call failed'}: ${response}`, response });
}

function sesOutcome(name: string, status: number, text: string): SendOutcome {
  if (name === 'MailFromDomainNotVerifiedException') return 'ses_unverified_identity';
  if (name === 'MessageRejected') return /not verified|unverified/i.test(text) ? 'ses_unverified_identity' : 'ses_message_rejected';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return 'ses_access_denied';
  if (CREDENTIAL_ERRORS.has(name)) return 'ses_bad_credentials';
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || name === 'Throttling' || name === 'LimitExceededException') return 'ses_throttled';
  if (name === 'AccountSuspendedException' || name === 'SendingPausedException') return 'ses_sending_paused';
  if (name === 'BadRequestException' || name === 'ValidationException' || name === 'NotFoundException') return 'ses_bad_request';
  if (status === 429) return 'ses_throttled';
  if (status === 401) return 'ses_bad_credentials';
  if (status === 403) return /signature|security token|credential/i.test(text) ? 'ses_bad_credentials' : 'ses_access_denied';
  if (status >= 500) return 'ses_service_error';
  if (status >= 400) return 'ses_bad_request';
  return 'failed';
}
