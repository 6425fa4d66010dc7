// GET /api/health — wiring only; the handler lives in lib/http/health.ts.
import type { Config, Context } from '@netlify/functions';
import { handleHealth } from '../lib/http/health.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleHealth(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/health' };
