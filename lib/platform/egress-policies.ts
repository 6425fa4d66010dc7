// What each platform is known to do to outbound SMTP. The verdict quotes it next to the
// evidence, so a blocked port on Render is explained by Render's own policy; config-check warns
// about a configured port the platform blocks. Every entry names its source and the date it was
// checked; `documented` tells the platform's word from users' reports.

export interface EgressPolicy {
  platform: string;
  label: string;
  /** Outbound ports blocked (or throttled to uselessness) on the plans named in `plans`. */
  blockedPorts: number[];
  plans: string;
  /** True when every plan is affected; false when only some (free, new accounts...). */
  allPlans: boolean;
  /** How the block is lifted, when it can be ("move the service to a paid instance type"). */
  lift: string | null;
  since: string | null;
  /** Whether the platform's runtime can make outbound IPv6 connections; null when unknown. */
  outboundIpv6: boolean | null;
  documented: boolean;
  source: string;
  checked: string;
  note: string;
}

export const EGRESS_POLICIES: readonly EgressPolicy[] = [
  {
    platform: 'render',
    label: 'Render',
    blockedPorts: [25, 465, 587],
    plans: 'free instances',
    allPlans: false,
    lift: 'move the service to a paid instance type, which lifts the block',
    since: '2025-09-26',
    outboundIpv6: false,
    documented: true,
    source: 'https://render.com/docs/free#outbound-smtp-restrictions',
    checked: '2026-11-01',
    note: "Render's free instances block outbound SMTP on 25, 465 and 587 since 2025-09-26, and Render has no outbound IPv6",
  },
  {
    platform: 'aws-lambda',
    label: 'AWS Lambda',
    blockedPorts: [25],
    plans: 'all accounts until AWS lifts the limit on request',
    allPlans: false,
    lift: 'ask AWS to remove the port 25 limit (a support request)',
    since: null,
    outboundIpv6: null,
    documented: true,
    source: 'https://repost.aws/knowledge-center/ec2-port-25-throttle',
    checked: '2026-11-01',
    note: 'AWS throttles or blocks outbound port 25 unless the account asked for the limit to be lifted',
  },
  {
    platform: 'aws-ec2',
    label: 'AWS EC2',
    blockedPorts: [25],
    plans: 'all accounts until AWS removes the limit on request',
    allPlans: false,
    lift: 'ask AWS to remove the port 25 throttle (the request form linked from the source)',
    since: null,
    outboundIpv6: null,
    documented: true,
    source: 'https://repost.aws/knowledge-center/ec2-port-25-throttle',
    checked: '2026-11-01',
    note: 'EC2 throttles outbound port 25 by default; AWS removes the throttle on request (465, 587 and 2587 are not throttled)',
  },
  {
    platform: 'netlify',
    label: 'Netlify',
    blockedPorts: [25],
    plans: 'functions (run on AWS Lambda)',
    allPlans: true,
    lift: null,
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://answers.netlify.com (user reports)',
    checked: '2026-11-01',
    note: 'Netlify functions run on AWS Lambda, where outbound port 25 is throttled',
  },
  {
    platform: 'vercel',
    label: 'Vercel',
    blockedPorts: [25],
    plans: 'serverless functions (run on AWS Lambda)',
    allPlans: true,
    lift: null,
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://github.com/vercel/docs/pull/193 (the 2018 ZEIT Now FAQ: "ports 25 and 587 are blocked"), and user reports since',
    checked: '2026-11-01',
    note: "Vercel functions run on AWS Lambda, where outbound port 25 is blocked; the 2018 FAQ also named 587, which users report open today",
  },
  {
    platform: 'railway',
    label: 'Railway',
    blockedPorts: [25, 465, 587],
    plans: 'Trial, Free and Hobby plans (as reported)',
    allPlans: false,
    lift: 'move to the Pro plan (as reported)',
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://github.com/railwayapp/docs/issues/1126 and Railway community reports',
    checked: '2026-11-01',
    note: 'users report outbound SMTP (587 i/o timeout) blocked on Railway below the Pro plan; Railway points to HTTPS email APIs',
  },
  {
    platform: 'fly',
    label: 'Fly.io',
    blockedPorts: [],
    plans: 'no SMTP restriction documented',
    allPlans: false,
    lift: null,
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://fly.io/docs/ (no outbound SMTP restriction found)',
    checked: '2026-11-01',
    note: 'Fly.io documents no outbound SMTP block',
  },
  {
    platform: 'heroku',
    label: 'Heroku',
    blockedPorts: [],
    plans: 'no SMTP restriction documented',
    allPlans: false,
    lift: null,
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://devcenter.heroku.com/ (no outbound SMTP restriction found; dynos run on AWS)',
    checked: '2026-11-01',
    note: 'Heroku documents no outbound SMTP block; it recommends mail add-ons',
  },
  {
    platform: 'google-cloud',
    label: 'Google Cloud',
    blockedPorts: [25],
    plans: 'all projects (Compute Engine and what runs on it: GKE, Cloud Run...)',
    allPlans: true,
    lift: null,
    since: null,
    outboundIpv6: null,
    documented: true,
    source: 'https://cloud.google.com/compute/docs/tutorials/sending-mail',
    checked: '2026-11-01',
    note: 'Google Cloud blocks outbound port 25 with no exception; 465, 587 and other ports are allowed',
  },
  {
    platform: 'azure',
    label: 'Azure',
    blockedPorts: [25],
    plans: 'most subscription types (Enterprise Agreement and some others excepted)',
    allPlans: false,
    lift: 'use a subscription type that is not blocked (Enterprise Agreement)',
    since: '2017-11-15',
    outboundIpv6: null,
    documented: true,
    source: 'https://learn.microsoft.com/en-us/azure/virtual-network/troubleshoot-outbound-smtp-connectivity',
    checked: '2026-11-01',
    note: 'Azure blocks outbound port 25 from VMs on most subscription types since 2017-11-15; authenticated relays on 587 are allowed',
  },
  {
    platform: 'digitalocean',
    label: 'DigitalOcean',
    blockedPorts: [25, 465, 587],
    plans: 'Droplets of new accounts',
    allPlans: false,
    lift: 'ask DigitalOcean support (older accounts may not be blocked)',
    since: null,
    outboundIpv6: null,
    documented: true,
    source: 'https://docs.digitalocean.com/support/why-is-smtp-blocked/',
    checked: '2026-11-01',
    note: 'DigitalOcean blocks SMTP on Droplets of new accounts (its page has said port 25, and since 2025 ports 25, 465 and 587); port 2525 is reported open',
  },
];

export function egressPolicyFor(platform: string): EgressPolicy | undefined {
  return EGRESS_POLICIES.find((p) => p.platform === platform);
}
