// Reads a request's input: GET query parameters or a POST JSON body, size-capped, with the
// content type checked. Passwords are refused in a query string (it ends up in logs).
import { SmtpEgressError } from '../model/errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;
const SECRET_FIELDS = ['password', 'secret', 'token', 'awsSecretAccessKey', 'pass'];

export async function readJsonBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new SmtpEgressError('unsupported_media_type', `send the body as JSON with Content-Type: application/json (got ${type ? `"${type.slice(0, 60)}"` : 'none'})`, { field: 'content-type' });
  }
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(req, maxBytes);
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

export async function readInput(req: Request): Promise<Record<string, unknown>> {
  if (req.method === 'GET' || req.method === 'HEAD') return queryInput(new URL(req.url), ['ports']);
  if (req.method === 'POST') return readJsonBody(req);
  throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: use GET or POST`);
}

async function readCapped(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (max: number) => new SmtpEgressError('payload_too_large', `the body is larger than ${max} bytes`, { field: 'body' });
