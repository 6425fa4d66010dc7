// POST /api/config-check: checks the settings sent ({env} | {url} | {nodemailer}), offline; no
// token needed since nothing leaves the function. GET checks this deployment's own env and needs
// the token. Secrets are never echoed: the report is redacted with every secret the reader saw.
import { z } from '../model/zod.ts';
import { requireToken } from './auth.ts';
import { MAX_BODY_BYTES, queryInput, readJsonBody } from './read-input.ts';
import { handle, json } from './respond.ts';
import type { HandlerContext } from './context.ts';
import { SmtpEgressError, inputError } from '../model/errors.ts';
import { zodToInputError } from '../smtp/options.ts';
import { checkConfig, KNOWN_PLATFORMS, type ConfigInput } from '../diagnosis/config-check.ts';
import { allowMethods, ROUTE_METHODS } from './methods.ts';

const MAX_ENV_KEYS = 500;

const platform = z.string().check(
  z.maxLength(40),
  z.refine((p) => KNOWN_PLATFORMS.includes(p), { error: `must be one of ${KNOWN_PLATFORMS.join(', ')}` }),
);

export const ConfigCheckBody = z.strictObject({
    env: z.optional(
      z
        .record(z.string().check(z.maxLength(200)), z.string({ error: 'values must be strings (as in an environment)' }).check(z.maxLength(16 * 1024)))
        .check(z.refine((e) => Object.keys(e).length <= MAX_ENV_KEYS, { error: `must have at most ${MAX_ENV_KEYS} variables` })),
    ),
    url: z.optional(z.string().check(z.maxLength(4096, { error: 'must be at most 4096 characters' }))),
    nodemailer: z.optional(z.union([z.record(z.string(), z.unknown()), z.string().check(z.maxLength(64 * 1024))], { error: 'must be a JSON object of transport options, or a JSON string' })),
    platform: z.optional(platform),
  });

export const ConfigCheckQuery = z.strictObject({ platform: z.optional(platform) });

function handleConfigCheckUnchecked(req: Request, ctx: HandlerContext): Promise<Response> {
  return handle(async () => {
    if (req.method === 'POST') {
      const parsed = ConfigCheckBody.safeParse(await readJsonBody(req, MAX_BODY_BYTES, ctx.limits));
      if (!parsed.success) throw zodToInputError(parsed.error);
      const body = parsed.data;
      const given = [body.env !== undefined && 'env', body.url !== undefined && 'url', body.nodemailer !== undefined && 'nodemailer'].filter(Boolean);
      if (given.length !== 1) throw inputError(given.length === 0 ? 'env' : String(given[1]), `send exactly one of env, url or nodemailer (got ${given.length === 0 ? 'none' : given.join(' and ')})`);
      const input: ConfigInput =
        body.env !== undefined ? { kind: 'env', env: body.env } : body.url !== undefined ? { kind: 'url', url: body.url } : { kind: 'nodemailer', options: body.nodemailer };
      const { report } = checkConfig(input, { platform: body.platform ?? null, platformHow: body.platform ? 'given' : 'none' });
      return json(report);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      requireToken(req, ctx.env, ctx.client);
      const parsed = ConfigCheckQuery.safeParse(queryInput(new URL(req.url)));
      if (!parsed.success) throw zodToInputError(parsed.error);
      const name = parsed.data.platform ?? ctx.platform.name;
      const { report } = checkConfig({ kind: 'env', env: ctx.env }, { platform: name, platformHow: parsed.data.platform ? 'given' : 'detected' });
      return json(report);
    }
    throw new SmtpEgressError('method_not_allowed', `${req.method} is not supported here: POST the settings to check, or GET (with the token) to check this deployment's own`);
  });
}

/** The route, method checked first (405 with Allow). */
export const handleConfigCheck = allowMethods(ROUTE_METHODS.configCheck, handleConfigCheckUnchecked);
