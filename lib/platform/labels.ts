// The one table of platform names as people say them. Kept apart from the policies so the page
// can label a report without bundling the whole knowledge base.
import type { Platform } from '../model/probe-report.ts';

export const PLATFORM_LABELS: Readonly<Record<string, string>> = {
  render: 'Render',
  vercel: 'Vercel',
  railway: 'Railway',
  netlify: 'Netlify',
  'aws-lambda': 'AWS Lambda',
  'aws-ec2': 'AWS EC2',
  'google-compute-engine': 'Google Compute Engine',
  'google-cloud-run': 'Google Cloud Run',
  'google-app-engine': 'Google App Engine',
  'azure-vm': 'Azure VM',
  'azure-app-service': 'Azure App Service',
  'digitalocean-droplets': 'DigitalOcean Droplet',
  'digitalocean-app-platform': 'DigitalOcean App Platform',
  'hetzner-cloud': 'Hetzner Cloud',
  linode: 'Linode (Akamai)',
  vultr: 'Vultr',
  'oracle-cloud': 'Oracle Cloud',
  scaleway: 'Scaleway',
  fly: 'Fly.io',
  heroku: 'Heroku',
  local: 'this machine',
};

/** "Netlify (us-east-2)", "Render", "this machine". */
export function platformLabel(p: Pick<Platform, 'name' | 'region'>): string {
  const name = PLATFORM_LABELS[p.name] ?? p.name;
  return p.region ? `${name} (${p.region})` : name;
}
