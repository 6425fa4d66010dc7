import { describe, expect, it } from 'vitest';
import { detectPlatform, platformLabel } from '../../lib/platform/detect.ts';

describe('detectPlatform', () => {
  it.each([
    [{ NETLIFY: 'true', AWS_REGION: 'us-east-2', CONTEXT: 'deploy-preview', AWS_LAMBDA_FUNCTION_NAME: 'x' }, { name: 'netlify', region: 'us-east-2', deployContext: 'deploy-preview' }],
    [{ RENDER: 'true', RENDER_SERVICE_ID: 'srv-1', IS_PULL_REQUEST: 'true' }, { name: 'render', deployContext: 'pull-request' }],
    [{ VERCEL: '1', VERCEL_REGION: 'iad1', VERCEL_ENV: 'preview' }, { name: 'vercel', region: 'iad1', deployContext: 'preview' }],
    [{ RAILWAY_ENVIRONMENT_NAME: 'production', RAILWAY_REPLICA_REGION: 'us-west2' }, { name: 'railway', region: 'us-west2' }],
    [{ FLY_APP_NAME: 'app', FLY_REGION: 'cdg' }, { name: 'fly', region: 'cdg' }],
    [{ DYNO: 'web.1' }, { name: 'heroku' }],
    [{ AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'eu-west-1' }, { name: 'aws-lambda', region: 'eu-west-1' }],
    [{}, { name: 'local', region: null }],
  ])('%j', (env, expected) => {
    const p = detectPlatform(env);
    expect(p).toMatchObject(expected);
    expect(p.runtime).toMatch(/^node v\d+/);
  });

  it('labels platforms for verdicts', () => {
    expect(platformLabel({ name: 'netlify', region: 'us-east-2', runtime: '', deployContext: null })).toBe('Netlify (us-east-2)');
    expect(platformLabel({ name: 'render', region: null, runtime: '', deployContext: null })).toBe('Render');
  });
});
