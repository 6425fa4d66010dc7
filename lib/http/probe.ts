// GET/POST /api/probe: token, input, probe, report. A failed probe is still 200 with a report:
// the outcome is data. Only refused requests get an error status.
import { requireToken } from './auth.ts';
import { readInput } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { buildProbeOptions } from '../smtp/options.ts';
import { probe } from '../smtp/probe.ts';
import { policyFromEnv } from '../security/address-policy.ts';

export function handleProbe(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    requireToken(req, ctx.env);
    const input = await readInput(req);
    const options = buildProbeOptions(input, { env: ctx.env, platform: ctx.platform, policy: policyFromEnv(ctx.env), ca: ctx.env.SMTP_EGRESS_EXTRA_CA });
    const report = await probe({ ...options, signal: req.signal });
    return json(report);
  });
}
