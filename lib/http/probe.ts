// GET/POST /api/probe: token, input, probe, report. A failed probe is still 200 with a report:
// the outcome is data. Only refused requests get an error status. Each request holds one slot
// per attempt (ports x families) from the process's gate while it runs: too many ports in one
// request is 400, a full gate is 503 with Retry-After.
import { requireToken } from './auth.ts';
import { readInput } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { AttemptGate } from './attempt-gate.ts';
import { defaultLimits } from './limits.ts';
import { buildProbeOptions } from '../smtp/options.ts';
import { runProbe } from '../diagnosis/probe.ts';
import { policyFromEnv } from '../security/address-policy.ts';
import { createRedactor, envSecrets } from '../security/redact.ts';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../model/errors.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

/** The gate of a process that was given none (a Netlify function instance). */
let fallbackGate: AttemptGate | null = null;

function handleProbeUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    requireToken(req, ctx.env, ctx.client);
    const input = await readInput(req, ctx.limits);
    let options;
    try {
      options = buildProbeOptions(input, { env: ctx.env, platform: ctx.platform, policy: policyFromEnv(ctx.env), ca: ctx.env.SMTP_EGRESS_EXTRA_CA });
    } catch (e) {
      // An input error quotes the value it refuses: never a secret, even one sent in the wrong field.
      if (!isSmtpEgressError(e)) throw e;
      const redact = createRedactor([typeof input.password === 'string' ? input.password : undefined, ...envSecrets(ctx.env)]);
      throw new SmtpEgressError(e.code, redact(e.message), { field: e.field, stage: e.stage });
    }
    const limits = ctx.limits ?? defaultLimits();
    const attempts = options.ports.length * (options.family ? 1 : 2);
    if (attempts > limits.maxAttemptsPerRequest) {
      throw inputError(
        'ports',
        `${options.ports.length} ports x ${options.family ? 1 : 2} address families is ${attempts} connection attempts; this server runs at most ${limits.maxAttemptsPerRequest} per request: ask for fewer ports${options.family ? '' : ', or one family'}`,
      );
    }
    const gate = ctx.gate ?? (fallbackGate ??= new AttemptGate({ maxSlots: limits.maxProbeAttempts, maxQueued: limits.maxQueuedProbes, maxWaitMs: limits.maxQueueWaitMs }));
    const release = await gate.acquire(attempts, req.signal);
    try {
      return json(await runProbe({ ...options, signal: req.signal }));
    } finally {
      release();
    }
  });
}

/** The route, method checked first (405 with Allow). */
export const handleProbe = allowMethods(ROUTE_METHODS.probe, handleProbeUnchecked);
