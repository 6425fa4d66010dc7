// What every handler gets from its adapter: the environment and the platform it runs on.
// The Netlify adapter passes its Context's deploy and server fields; lib never imports Netlify.
import type { Platform } from '../model/probe-report.ts';
import { detectPlatform, type Env } from '../platform/detect.ts';
import type { ServeLimits } from './limits.ts';
import type { AttemptGate } from './attempt-gate.ts';

export interface HandlerContext {
  env: Env;
  platform: Platform;
  /** The caller's address (the socket's, or the one Netlify saw): whose wrong tokens to slow down. */
  client?: string;
  /** The server's limits (serve); Netlify functions run with the defaults. */
  limits?: ServeLimits;
  /** The probe attempt slots shared by every request of this process. */
  gate?: AttemptGate;
}

/** The fields of Netlify's Context this project reads (structural: no import of @netlify). */
export interface NetlifyContextLike {
  deploy?: { context?: string };
  server?: { region?: string };
  ip?: string;
}

export function netlifyHandlerContext(context: NetlifyContextLike | undefined, env: Env): HandlerContext {
  const platform = detectPlatform({ ...env, NETLIFY: 'true' });
  return {
    env,
    client: context?.ip,
    platform: {
      ...platform,
      region: context?.server?.region ?? platform.region,
      deployContext: context?.deploy?.context ?? platform.deployContext,
    },
  };
}

export function nodeHandlerContext(env: Env): HandlerContext {
  return { env, platform: detectPlatform(env) };
}
