// GET/POST /api/probe: token, input, probe, report. A failed probe is still 200 with a report:
// the outcome is data. Only refused requests get an error status.
import { requireToken } from './auth.ts';
import { readInput } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { buildProbeOptions } from '../smtp/options.ts';
import { runProbe } from '../diagnosis/probe.ts';
import { policyFromEnv } from '../security/address-policy.ts';
import { createRedactor, envSecrets } from '../security/redact.ts';
import { SmtpEgressError, isSmtpEgressError } from '../model/errors.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

function handleProbeUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    requireToken(req, ctx.env);
    const input = await readInput(req);
    let options;
    try {
      options = buildProbeOptions(input, { env: ctx.env, platform: ctx.platform, policy: policyFromEnv(ctx.env), ca: ctx.env.SMTP_EGRESS_EXTRA_CA });
    } catch (e) {
      // An input error quotes the value it refuses: never a secret, even one sent in the wrong field.
      if (!isSmtpEgressError(e)) throw e;
      const redact = createRedactor([typeof input.password === 'string' ? input.password : undefined, ...envSecrets(ctx.env)]);
      throw new SmtpEgressError(e.code, redact(e.message), { field: e.field, stage: e.stage });
    }
    const report = await runProbe({ ...options, signal: req.signal });
    return json(report);
  });
}

/** The route, method checked first (405 with Allow). */
export const handleProbe = allowMethods(ROUTE_METHODS.probe, handleProbeUnchecked);
