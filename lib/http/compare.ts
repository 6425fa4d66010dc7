// POST /api/compare {a, b}: two probe reports in, one compare report out. No token: the handler
// makes no connection and reads no secret, it only computes over the data it is given (the same
// as the static page doing it in the browser), so there is nothing to protect. The body cap is
// raised to fit two full reports with transcripts.
import { SmtpEgressError } from '../model/errors.ts';
import { readJsonBody } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { compareInputs } from '../compare/compare.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

export const MAX_COMPARE_BODY_BYTES = 2 * 1024 * 1024;

function handleCompareUnchecked(req: Request, _ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    if (req.method !== 'POST') {
      throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: POST a JSON body {"a": <probe report>, "b": <probe report>}`);
    }
    const body = await readJsonBody(req, MAX_COMPARE_BODY_BYTES);
    const unknown = Object.keys(body).find((k) => k !== 'a' && k !== 'b');
    if (unknown !== undefined) throw new SmtpEgressError('unknown_field', `unknown field "${unknown}": send {"a": <probe report>, "b": <probe report>}`, { field: unknown });
    for (const k of ['a', 'b'] as const) {
      if (body[k] === undefined) throw new SmtpEgressError('missing_field', `${k} is missing: send {"a": <probe report>, "b": <probe report>}`, { field: k });
    }
    return json(compareInputs(body.a, body.b, ['a', 'b']));
  });
}

/** The route, method checked first (405 with Allow). */
export const handleCompare = allowMethods(ROUTE_METHODS.compare, handleCompareUnchecked);
