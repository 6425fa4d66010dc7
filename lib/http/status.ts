// The one table from error code to HTTP status (Hono's way: one place, no status codes
// scattered through handlers).
import type { ErrorCode } from '../model/errors.ts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  unknown_field: 400,
  missing_field: 400,
  incompatible_reports: 400,
  remote_failed: 502,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  request_timeout: 408,
  too_many_requests: 429,
  busy: 503,
  internal: 500,
  token_not_configured: 503,
  not_configured: 503,
};
