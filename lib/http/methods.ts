// The method check every route makes first, before the token or the body is looked at: a
// method the route does not serve is a 405 with an Allow header (RFC 9110 15.5.6), the same
// through the Netlify functions and serve. The allowed methods of each route are listed once,
// here, and the handlers are wrapped with them where they are exported.
import { SmtpEgressError } from '../model/errors.ts';
import { errorResponse } from './respond.ts';
import type { HandlerContext } from './context.ts';

export type RouteHandler = (req: Request, ctx: HandlerContext) => Promise<Response>;

export const ROUTE_METHODS = {
  health: ['GET', 'HEAD'],
  probe: ['GET', 'HEAD', 'POST'],
  configCheck: ['GET', 'HEAD', 'POST'],
  sendTest: ['POST'],
  compare: ['POST'],
  classifyLogs: ['POST'],
} as const satisfies Record<string, readonly string[]>;

/** Answers 405 (with Allow, and OPTIONS listing the methods) before the handler runs. */
export function allowMethods(methods: readonly string[], handler: RouteHandler): RouteHandler {
  const allow = [...methods, 'OPTIONS'].join(', ');
  return async (req, ctx) => {
    if (methods.includes(req.method)) return handler(req, ctx);
    if (req.method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
    const res = errorResponse(new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: use ${methods.filter((m) => m !== 'HEAD').join(' or ')}`, { field: 'method' }));
    res.headers.set('allow', allow);
    return res;
  };
}
