// POST /api/classify-logs — wiring only; the handler lives in lib/http/classify-logs.ts.
import type { Config, Context } from '@netlify/functions';
import { handleClassifyLogs } from '../lib/http/classify-logs.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleClassifyLogs(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/classify-logs' };
