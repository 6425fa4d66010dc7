// Reads a request's input: GET query parameters or a POST JSON body, size-capped, with the
// content type checked. Passwords are refused in a query string (it ends up in logs).
// The body is streamed: a declared length over the route's cap is refused before a byte is
// read (413), one that grows past it is cut off there (413), one that stops arriving is refused
// after the body time (408), and the bytes held across every request at once are capped (503),
// so stalled uploads cannot pile up in memory.
import { SmtpEgressError } from '../model/errors.ts';
import type { ServeLimits } from './limits.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export type BodyLimits = Pick<ServeLimits, 'bodyTimeoutMs' | 'maxBufferedBodyBytes'>;
/** Netlify buffers a body before the function runs; these matter for `serve`. */
export const DEFAULT_BODY_LIMITS: BodyLimits = { bodyTimeoutMs: 10_000, maxBufferedBodyBytes: 32 * 1024 * 1024 };

let buffered = 0;
/** Body bytes held right now by requests still being read (the load script reports it). */
export const bufferedBodyBytes = () => buffered;
const SECRET_FIELDS = ['password', 'secret', 'token', 'awsSecretAccessKey', 'pass'];

export async function readJsonBody(req: Request, maxBytes = MAX_BODY_BYTES, limits: BodyLimits = DEFAULT_BODY_LIMITS): Promise<Record<string, unknown>> {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new SmtpEgressError('unsupported_media_type', `send the body as JSON with Content-Type: application/json (got ${type ? `"${type.slice(0, 60)}"` : 'none'})`, { field: 'content-type' });
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(req, maxBytes, limits);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SmtpEgressError('invalid_input', 'the body is not valid JSON', { field: 'body' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SmtpEgressError('invalid_input', 'the body must be a JSON object', { field: 'body' });
  }
  return value as Record<string, unknown>;
}

export function queryInput(url: URL, arrays: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    if (SECRET_FIELDS.includes(key)) {
      throw new SmtpEgressError('invalid_input', `${key} may not be sent in a query string (it would end up in logs): POST it in a JSON body, or set it in the deployment's env`, { field: key });
    }
    const all = url.searchParams.getAll(key);
    out[key] = arrays.includes(key) ? all.join(',') : all[all.length - 1];
  }
  return out;
}

export async function readInput(req: Request, limits?: BodyLimits): Promise<Record<string, unknown>> {
  if (req.method === 'GET' || req.method === 'HEAD') return queryInput(new URL(req.url), ['ports']);
  if (req.method === 'POST') return readJsonBody(req, MAX_BODY_BYTES, limits);
  throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: use GET or POST`);
}

async function readCapped(req: Request, maxBytes: number, limits: BodyLimits): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SmtpEgressError('request_timeout', `the body did not arrive within ${limits.bodyTimeoutMs} ms: send it whole, at once`, { field: 'body' })),
      limits.bodyTimeoutMs,
    );
  });
  late.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      if (buffered + value.byteLength > limits.maxBufferedBodyBytes) {
        throw new SmtpEgressError('busy', 'this server is holding as many request bodies as it allows right now: retry in a few seconds', { field: 'body', retryAfterS: 5 });
      }
      buffered += value.byteLength;
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
    for (const c of chunks) buffered -= c.byteLength;
  }
}

const tooLarge = (max: number) => new SmtpEgressError('payload_too_large', `the body is larger than ${max} bytes`, { field: 'body' });
