// What every handler gets from its adapter: the environment and the platform it runs on.
// The Netlify adapter passes its Context's deploy and server fields; lib never imports Netlify.
import type { Platform } from '../model/probe-report.ts';
import { detectPlatform, type Env } from '../platform/detect.ts';

export interface HandlerContext {
  env: Env;
  platform: Platform;
}

/** The fields of Netlify's Context this project reads (structural: no import of @netlify). */
export interface NetlifyContextLike {
  deploy?: { context?: string };
  server?: { region?: string };
}

export function netlifyHandlerContext(context: NetlifyContextLike | undefined, env: Env): HandlerContext {
  const platform = detectPlatform({ ...env, NETLIFY: 'true' });
  return {
    env,
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
