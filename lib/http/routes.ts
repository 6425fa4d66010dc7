// Every HTTP route in one table: the Node server (`smtp-egress serve`) dispatches with it, and
// each Netlify function wires exactly one entry. Paths match each function's `config.path`.
import type { HandlerContext } from './context.ts';
import { handleHealth } from './health.ts';
import { handleProbe } from './probe.ts';
import { handleConfigCheck } from './config-check.ts';
import { handleSendTest } from './send-test.ts';
import { handleCompare } from './compare.ts';
import { handleClassifyLogs } from './classify-logs.ts';

export type Handler = (req: Request, ctx: HandlerContext) => Promise<Response>;

export const ROUTES: Record<string, Handler> = {
  '/api/health': handleHealth,
  '/api/probe': handleProbe,
  '/api/config-check': handleConfigCheck,
  '/api/send-test': handleSendTest,
  '/api/compare': handleCompare,
  '/api/classify-logs': handleClassifyLogs,
};
