// POST /api/send-test: token, JSON body (never a query string), fences, one message. A failed
// send is still 200 with a result (the outcome is data); refused requests get an error status:
// 401/503 token, 400 bad input or header injection, 403 recipient not allowed, 503 no allow-list.
import { requireToken } from './auth.ts';
import { MAX_BODY_BYTES, readJsonBody } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { isSmtpEgressError, SmtpEgressError } from '../model/errors.ts';
import { policyFromEnv } from '../security/address-policy.ts';
import { createRedactor } from '../security/redact.ts';
import { buildSendOptions, parseAllowedRecipients, type SendOptions } from '../send/options.ts';
import { runSendTest } from '../diagnosis/send.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

function handleSendTestUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    requireToken(req, ctx.env, ctx.client);
    if (req.method !== 'POST') {
      throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: POST a JSON body with at least {"to": "you@example.com"}`);
    }
    const query = [...new URL(req.url).searchParams.keys()];
    if (query[0] !== undefined) {
      throw new SmtpEgressError('invalid_input', `send-test reads settings from the JSON body only, never from the query string (it ends up in logs): move "${query[0]}" into the body`, { field: query[0] });
    }
    const input = await readJsonBody(req, MAX_BODY_BYTES, ctx.limits);
    let options: SendOptions;
    try {
      options = buildSendOptions(input, {
        env: ctx.env,
        platform: ctx.platform,
        policy: policyFromEnv(ctx.env),
        allowedRecipients: parseAllowedRecipients(ctx.env.SMTP_EGRESS_ALLOWED_RECIPIENTS),
        ca: ctx.env.SMTP_EGRESS_EXTRA_CA,
      });
    } catch (e) {
      throw redactError(e, [input.password, input.awsSecretAccessKey, input.awsSessionToken, ctx.env.EMAIL_HOST_PASSWORD, ctx.env.SES_SECRET_ACCESS_KEY, ctx.env.AWS_SECRET_ACCESS_KEY]);
    }
    return json(await runSendTest(options, { signal: req.signal }));
  });
}

/** An input error never carries a secret, even one the caller put in the wrong field. */
function redactError(e: unknown, secrets: unknown[]): unknown {
  if (!isSmtpEgressError(e)) return e;
  const redact = createRedactor(secrets.filter((s): s is string => typeof s === 'string'));
  const message = redact(e.message);
  return message === e.message ? e : new SmtpEgressError(e.code, message, { field: e.field, stage: e.stage });
}

/** The route, method checked first (405 with Allow). */
export const handleSendTest = allowMethods(ROUTE_METHODS.sendTest, handleSendTestUnchecked);
