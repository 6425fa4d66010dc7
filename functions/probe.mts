// GET/POST /api/probe — wiring only; the handler lives in lib/http/probe.ts.
import type { Config, Context } from '@netlify/functions';
import { handleProbe } from '../lib/http/probe.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleProbe(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/probe' };
