// Platform detection from the variables each platform documents in its runtime, and the one
// label table every surface uses.
import { describe, expect, it } from 'vitest';
import { detectPlatform, platformLabel } from '../../lib/platform/detect.ts';

describe('detectPlatform', () => {
  it.each([
    // A deployed Netlify function sees only SITE_ID, SITE_NAME and URL besides Lambda's own variables.
    [{ SITE_ID: 'abc', SITE_NAME: 'my-site', URL: 'https://my-site.netlify.app', AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'us-east-2' }, { name: 'netlify', region: 'us-east-2', deployContext: null }],
    [{ NETLIFY: 'true', AWS_REGION: 'us-east-2', CONTEXT: 'deploy-preview' }, { name: 'netlify', deployContext: 'deploy-preview' }],
    [{ NETLIFY_DEV: 'true' }, { name: 'netlify' }],
    [{ RENDER: 'true', RENDER_SERVICE_ID: 'srv-1', IS_PULL_REQUEST: 'true' }, { name: 'render', deployContext: 'pull-request' }],
    // RENDER_REGION is not among Render's documented variables: it is not read.
    [{ RENDER: 'true', RENDER_REGION: 'oregon', RENDER_SERVICE_TYPE: 'web' }, { name: 'render', region: null, deployContext: 'web' }],
    [{ VERCEL: '1', VERCEL_REGION: 'iad1', VERCEL_ENV: 'preview', AWS_LAMBDA_FUNCTION_NAME: 'x' }, { name: 'vercel', region: 'iad1', deployContext: 'preview' }],
    [{ RAILWAY_ENVIRONMENT_NAME: 'production', RAILWAY_REPLICA_REGION: 'us-west2' }, { name: 'railway', region: 'us-west2' }],
    [{ FLY_APP_NAME: 'app', FLY_REGION: 'cdg' }, { name: 'fly', region: 'cdg' }],
    [{ DYNO: 'web.1' }, { name: 'heroku' }],
    [{ K_SERVICE: 'api', K_REVISION: 'api-00001', K_CONFIGURATION: 'api' }, { name: 'google-cloud-run', deployContext: 'service' }],
    [{ CLOUD_RUN_JOB: 'nightly', CLOUD_RUN_EXECUTION: 'nightly-x' }, { name: 'google-cloud-run', deployContext: 'job' }],
    [{ GAE_SERVICE: 'default', GAE_ENV: 'standard', GOOGLE_CLOUD_PROJECT: 'p' }, { name: 'google-app-engine', deployContext: 'standard' }],
    [{ WEBSITE_SITE_NAME: 'app', WEBSITE_INSTANCE_ID: 'i', REGION_NAME: 'West Europe', FUNCTIONS_WORKER_RUNTIME: 'node' }, { name: 'azure-app-service', region: 'West Europe', deployContext: 'functions' }],
    [{ AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'eu-west-1' }, { name: 'aws-lambda', region: 'eu-west-1' }],
    // One of a pair is not enough: SITE_ID alone is any site's build, WEBSITE_SITE_NAME alone anything.
    [{ SITE_ID: 'abc' }, { name: 'local' }],
    [{ WEBSITE_SITE_NAME: 'app' }, { name: 'local' }],
    [{ K_SERVICE: 'api' }, { name: 'local' }],
    [{}, { name: 'local', region: null }],
  ])('%j', (env, expected) => {
    const p = detectPlatform(env);
    expect(p).toMatchObject(expected);
    expect(p.runtime).toMatch(/^node v\d+/);
  });

  it('labels platforms for verdicts from one table', () => {
    expect(platformLabel({ name: 'netlify', region: 'us-east-2' })).toBe('Netlify (us-east-2)');
    expect(platformLabel({ name: 'render', region: null })).toBe('Render');
    expect(platformLabel({ name: 'google-cloud-run', region: null })).toBe('Google Cloud Run');
    expect(platformLabel({ name: 'local', region: null })).toBe('this machine');
    expect(platformLabel({ name: 'somewhere-new', region: null })).toBe('somewhere-new');
  });
});
