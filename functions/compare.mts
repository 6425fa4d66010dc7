// POST /api/compare — wiring only; the handler lives in lib/http/compare.ts.
import type { Config, Context } from '@netlify/functions';
import { handleCompare } from '../lib/http/compare.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleCompare(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/compare' };
