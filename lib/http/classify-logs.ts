// POST /api/classify-logs {logs: "...", platform?: "render"}: the log classifier over HTTP. No token: it makes no
// connection and sends nothing anywhere; the logs are read in memory and only the report (the
// recognised lines, cut short) goes back to the caller.
//
// Classifying 1 MiB of logs is up to a few hundred ms of synchronous work. Run side by side, a
// handful would hold the event loop for seconds, and every other request (health, probes'
// timers) would wait. So classifications run one at a time, the event loop gets a turn before
// each, and only a few may wait; more get 503 and Retry-After.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from '../model/zod.ts';
import { handle, json } from './respond.ts';
import { readJsonBody } from './read-input.ts';
import type { HandlerContext } from './context.ts';
import { classifyLogs } from '../logs/classify.ts';
import { SmtpEgressError, zodToInputError } from '../model/errors.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';
import { POLICY_NAMES } from '../platform/egress-policies.ts';

/** Pasted logs may be longer than a probe request: 1 MiB of JSON. */
export const MAX_LOGS_BODY_BYTES = 1024 * 1024;

/** Classifications waiting for their turn; one more is refused. */
export const MAX_QUEUED_CLASSIFICATIONS = 8;

let tail: Promise<unknown> = Promise.resolve();
let queued = 0;

/** Runs fn after every classification queued before it, with a turn of the event loop between. */
async function inTurn<T>(fn: () => T): Promise<T> {
  if (queued >= MAX_QUEUED_CLASSIFICATIONS) {
    throw new SmtpEgressError('busy', `${queued} log classifications are already waiting here: retry in a few seconds`, { retryAfterS: 2 });
  }
  queued += 1;
  const mine = tail.then(async () => {
    await nextTurn();
    try {
      return fn();
    } finally {
      queued -= 1;
    }
  });
  tail = mine.catch(() => undefined);
  return mine;
}

export const ClassifyLogsInput = z.strictObject({
    logs: z.string({ error: 'must be the log text, as a string' }),
    /** The platform the logs come from (render, heroku...): its SMTP policy then joins the advice. */
    platform: z.optional(z.string({ error: 'must be a platform name, as a string' })),
  });

function handleClassifyLogsUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    if (req.method !== 'POST') {
      throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: POST a JSON body {"logs": "..."} with Content-Type: application/json`);
    }
    const body = await readJsonBody(req, MAX_LOGS_BODY_BYTES, ctx.limits);
    const parsed = ClassifyLogsInput.safeParse(body);
    if (!parsed.success) {
      if (!('logs' in body)) throw new SmtpEgressError('missing_field', 'send the logs as {"logs": "..."}', { field: 'logs' });
      throw zodToInputError(parsed.error);
    }
    const { logs, platform } = parsed.data;
    if (platform !== undefined && !POLICY_NAMES.includes(platform)) {
      throw new SmtpEgressError('invalid_input', `platform "${platform.slice(0, 40)}" is not known: use one of ${POLICY_NAMES.join(', ')}`, { field: 'platform' });
    }
    // This function's own platform is not the logs' platform: only the caller's word counts here.
    return json(await inTurn(() => classifyLogs(logs, { platform: platform ?? null })));
  });
}

/** The route, method checked first (405 with Allow). */
export const handleClassifyLogs = allowMethods(ROUTE_METHODS.classifyLogs, handleClassifyLogsUnchecked);
