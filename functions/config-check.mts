// POST/GET /api/config-check — wiring only; the handler lives in lib/http/config-check.ts.
import type { Config, Context } from '@netlify/functions';
import { handleConfigCheck } from '../lib/http/config-check.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleConfigCheck(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/config-check' };
