// GET /api/health: who and where this deployment is. No auth, no secrets: only whether a
// token is configured, never its value.
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { SmtpEgressError } from '../model/errors.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

function handleHealthUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: use GET`);
    return json({
      ok: true,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      platform: ctx.platform,
      tokenConfigured: Boolean(ctx.env.SMTP_EGRESS_TOKEN),
      allowPrivate: /^(1|true|yes)$/i.test(ctx.env.SMTP_EGRESS_ALLOW_PRIVATE ?? ''),
    });
  });
}

/** The route, method checked first (405 with Allow). */
export const handleHealth = allowMethods(ROUTE_METHODS.health, handleHealthUnchecked);
