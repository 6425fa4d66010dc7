// Responses: JSON bodies, errors as {error:{code, field, message}}, never a stack or a secret.
import { SmtpEgressError, isSmtpEgressError } from '../model/errors.ts';
import { STATUS_BY_CODE } from './status.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body, null, 2)}\n`, { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(err: unknown): Response {
  const e = isSmtpEgressError(err) ? err : new SmtpEgressError('internal', 'internal error: the request could not be handled');
  const headers: Record<string, string> = e.code === 'unauthorized' ? { 'www-authenticate': 'Bearer realm="smtp-egress"' } : {};
  if (e.retryAfterS !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterS)));
  // A request refused before its body was read: close the connection rather than drain the rest.
  if (e.code === 'payload_too_large' || e.code === 'request_timeout' || (e.code === 'busy' && e.field === 'body')) headers.connection = 'close';
  return json({ error: e.toJSON() }, STATUS_BY_CODE[e.code], headers);
}

/** Runs a handler body; any error becomes its status and JSON body. */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err);
  }
}
