// Which platform this runs on, read from the variables each platform sets in its runtime.
// The report carries it so two reports can be told apart ("Netlify us-east-2" vs "Render").
import type { Platform } from '../model/probe-report.ts';

export type Env = Record<string, string | undefined>;

export const PLATFORM_NAMES = ['netlify', 'render', 'vercel', 'railway', 'fly', 'heroku', 'aws-lambda', 'local'] as const;

const runtime = () => `node ${process.version}`;

export function detectPlatform(env: Env): Platform {
  const pick = (...keys: string[]) => {
    for (const k of keys) if (env[k]) return env[k] as string;
    return null;
  };
  // Netlify first: its functions run on AWS Lambda and carry Lambda's variables too.
  if (env.NETLIFY || env.NETLIFY_DEV || env.NETLIFY_LOCAL || (env.SITE_ID && env.DEPLOY_ID)) {
    return { name: 'netlify', region: pick('NETLIFY_REGION', 'AWS_REGION'), runtime: runtime(), deployContext: pick('CONTEXT') };
  }
  if (env.RENDER || env.RENDER_SERVICE_ID) {
    return { name: 'render', region: pick('RENDER_REGION'), runtime: runtime(), deployContext: env.IS_PULL_REQUEST === 'true' ? 'pull-request' : pick('RENDER_SERVICE_TYPE') };
  }
  if (env.VERCEL) return { name: 'vercel', region: pick('VERCEL_REGION'), runtime: runtime(), deployContext: pick('VERCEL_ENV') };
  if (env.RAILWAY_ENVIRONMENT_NAME || env.RAILWAY_PROJECT_ID) {
    return { name: 'railway', region: pick('RAILWAY_REPLICA_REGION'), runtime: runtime(), deployContext: pick('RAILWAY_ENVIRONMENT_NAME') };
  }
  if (env.FLY_APP_NAME) return { name: 'fly', region: pick('FLY_REGION'), runtime: runtime(), deployContext: null };
  if (env.DYNO) return { name: 'heroku', region: null, runtime: runtime(), deployContext: null };
  if (env.AWS_LAMBDA_FUNCTION_NAME) return { name: 'aws-lambda', region: pick('AWS_REGION'), runtime: runtime(), deployContext: null };
  return { name: 'local', region: null, runtime: runtime(), deployContext: null };
}

const LABELS: Record<string, string> = {
  netlify: 'Netlify',
  render: 'Render',
  vercel: 'Vercel',
  railway: 'Railway',
  fly: 'Fly.io',
  heroku: 'Heroku',
  'aws-lambda': 'AWS Lambda',
  local: 'this machine',
};

/** "Netlify (us-east-2)", "Render", "this machine". */
export function platformLabel(p: Platform): string {
  const name = LABELS[p.name] ?? p.name;
  return p.region ? `${name} (${p.region})` : name;
}
