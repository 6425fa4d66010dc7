// Which platform this runs on, read from the variables each platform documents in its runtime
// (every name read here is in the platform's `envSignals`; a test holds that). The report carries
// it so two reports can be told apart ("Netlify us-east-2" vs "Render"), and the verdict quotes
// that platform's egress policy. Platforms that set no variable (EC2, Compute Engine, Droplets,
// Hetzner...) are not detected: only their metadata services would tell, and the tool does not
// query them. Pass --platform to name them.
import type { Platform } from '../model/probe-report.ts';

export { platformLabel } from './labels.ts';

export type Env = Record<string, string | undefined>;

export interface DetectionRule {
  platform: string;
  /** Detected when every variable of any one set is non-empty. */
  when: readonly (readonly string[])[];
  /** The first non-empty of these is the region. */
  region: readonly string[];
  /** The variables deployContext reads (listed so the test can hold them to the documented ones). */
  contextKeys: readonly string[];
  deployContext: (env: Env) => string | null;
}

const first = (env: Env, keys: readonly string[]) => {
  for (const k of keys) if (env[k]) return env[k] as string;
  return null;
};
const ctx = (...keys: string[]) => ({ contextKeys: keys, deployContext: (env: Env) => first(env, keys) });
const none = { contextKeys: [], deployContext: () => null };

// Order matters: Netlify and Vercel functions run on AWS Lambda and carry its variables too.
export const DETECTION_RULES: readonly DetectionRule[] = [
  {
    platform: 'netlify',
    // Deployed functions: SITE_ID + SITE_NAME on Lambda. Builds and Netlify Dev: NETLIFY and friends.
    when: [['SITE_ID', 'SITE_NAME', 'AWS_LAMBDA_FUNCTION_NAME'], ['NETLIFY'], ['NETLIFY_DEV'], ['NETLIFY_LOCAL'], ['SITE_ID', 'DEPLOY_ID']],
    region: ['AWS_REGION'],
    ...ctx('CONTEXT'),
  },
  { platform: 'vercel', when: [['VERCEL']], region: ['VERCEL_REGION'], ...ctx('VERCEL_ENV') },
  {
    platform: 'render',
    when: [['RENDER'], ['RENDER_SERVICE_ID']],
    region: [],
    contextKeys: ['IS_PULL_REQUEST', 'RENDER_SERVICE_TYPE'],
    deployContext: (env) => (env.IS_PULL_REQUEST === 'true' ? 'pull-request' : first(env, ['RENDER_SERVICE_TYPE'])),
  },
  { platform: 'railway', when: [['RAILWAY_ENVIRONMENT_NAME'], ['RAILWAY_PROJECT_ID']], region: ['RAILWAY_REPLICA_REGION'], ...ctx('RAILWAY_ENVIRONMENT_NAME') },
  { platform: 'fly', when: [['FLY_APP_NAME']], region: ['FLY_REGION'], ...none },
  { platform: 'heroku', when: [['DYNO']], region: [], ...none },
  { platform: 'google-app-engine', when: [['GAE_SERVICE'], ['GAE_APPLICATION']], region: [], ...ctx('GAE_ENV') },
  {
    platform: 'google-cloud-run',
    when: [['K_SERVICE', 'K_REVISION'], ['CLOUD_RUN_JOB']],
    region: [],
    contextKeys: ['CLOUD_RUN_JOB'],
    deployContext: (env) => (env.CLOUD_RUN_JOB ? 'job' : 'service'),
  },
  {
    platform: 'azure-app-service',
    when: [['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID']],
    region: ['REGION_NAME'],
    contextKeys: ['FUNCTIONS_WORKER_RUNTIME'],
    deployContext: (env) => (env.FUNCTIONS_WORKER_RUNTIME ? 'functions' : null),
  },
  { platform: 'aws-lambda', when: [['AWS_LAMBDA_FUNCTION_NAME']], region: ['AWS_REGION'], ...none },
];

export const PLATFORM_NAMES: readonly string[] = [...DETECTION_RULES.map((r) => r.platform), 'local'];

const runtime = () => `node ${process.version}`;

export function detectPlatform(env: Env): Platform {
  for (const rule of DETECTION_RULES) {
    if (rule.when.some((set) => set.every((k) => env[k]))) {
      return { name: rule.platform, region: first(env, rule.region), runtime: runtime(), deployContext: rule.deployContext(env) };
    }
  }
  return { name: 'local', region: null, runtime: runtime(), deployContext: null };
}
