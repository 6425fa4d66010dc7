// POST /api/send-test — wiring only; the handler lives in lib/http/send-test.ts.
import type { Config, Context } from '@netlify/functions';
import { handleSendTest } from '../lib/http/send-test.ts';
import { netlifyHandlerContext } from '../lib/http/context.ts';

export default async (req: Request, context: Context) => handleSendTest(req, netlifyHandlerContext(context, process.env));

export const config: Config = { path: '/api/send-test' };
