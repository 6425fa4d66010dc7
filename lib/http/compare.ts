// POST /api/compare {"reports": [<probe report>, <probe report>, ...]}: two or more probe reports
// in (one per network, in column order), one compare report (smtp-egress/compare@2) out. The
// two-report body of compare@1, {"a": ..., "b": ...}, is still read. No token: the handler makes
// no connection and reads no secret, it only computes over the data it is given (the same as the
// page doing it in the browser), so there is nothing to protect. The body cap (2 MiB, well under
// the 6 MB a Netlify function accepts) fits many reports, or two with full transcripts.
import { SmtpEgressError } from '../model/errors.ts';
import { MAX_COMPARE_COLUMNS } from '../model/compare-report.ts';
import { readJsonBody } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { compareInputs } from '../compare/compare.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

export const MAX_COMPARE_BODY_BYTES = 2 * 1024 * 1024;
const SHAPE = `send {"reports": [<probe report>, <probe report>, ...]} (2 to ${MAX_COMPARE_COLUMNS} reports)`;

function handleCompareUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    if (req.method !== 'POST') throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: POST a JSON body: ${SHAPE}`);
    const body = await readJsonBody(req, MAX_COMPARE_BODY_BYTES, ctx.limits);
    const keys = Object.keys(body);
    if (keys.includes('reports')) {
      const unknown = keys.find((k) => k !== 'reports');
      if (unknown !== undefined) throw new SmtpEgressError('unknown_field', `unknown field "${unknown}": ${SHAPE}`, { field: unknown });
      if (!Array.isArray(body.reports)) throw new SmtpEgressError('invalid_input', `reports must be an array: ${SHAPE}`, { field: 'reports' });
      return json(compareInputs(body.reports as unknown[]));
    }
    // compare@1's body: {"a": ..., "b": ...}.
    const unknown = keys.find((k) => k !== 'a' && k !== 'b');
    if (unknown !== undefined) throw new SmtpEgressError('unknown_field', `unknown field "${unknown}": ${SHAPE}`, { field: unknown });
    for (const k of ['a', 'b'] as const) {
      if (body[k] === undefined) throw new SmtpEgressError('missing_field', `reports is missing: ${SHAPE}`, { field: keys.length === 0 ? 'reports' : k });
    }
    return json(compareInputs([body.a, body.b], ['a', 'b']));
  });
}

/** The route, method checked first (405 with Allow). */
export const handleCompare = allowMethods(ROUTE_METHODS.compare, handleCompareUnchecked);
