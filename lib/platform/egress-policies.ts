// What each platform is known to do to outbound SMTP. The verdict quotes it next to the
// evidence, so a blocked port on Render is explained by Render's own policy. Every entry names
// its source and the date it was checked; `documented` tells the platform's word from users'.

export interface EgressPolicy {
  platform: string;
  blockedPorts: number[];
  plans: string;
  since: string | null;
  outboundIpv6: boolean | null;
  documented: boolean;
  source: string;
  checked: string;
  note: string;
}

export const EGRESS_POLICIES: readonly EgressPolicy[] = [
  {
    platform: 'render',
    blockedPorts: [25, 465, 587],
    plans: 'free instances',
    since: '2025-09-26',
    outboundIpv6: false,
    documented: true,
    source: 'https://render.com/docs/free#outbound-smtp-restrictions',
    checked: '2026-11-01',
    note: "Render's free instances block outbound SMTP on 25, 465 and 587 since 2025-09-26, and Render has no outbound IPv6",
  },
  {
    platform: 'aws-lambda',
    blockedPorts: [25],
    plans: 'all accounts until AWS lifts the limit on request',
    since: null,
    outboundIpv6: null,
    documented: true,
    source: 'https://repost.aws/knowledge-center/ec2-port-25-throttle',
    checked: '2026-11-01',
    note: 'AWS throttles or blocks outbound port 25 unless the account asked for the limit to be lifted',
  },
  {
    platform: 'netlify',
    blockedPorts: [25],
    plans: 'functions (run on AWS Lambda)',
    since: null,
    outboundIpv6: null,
    documented: false,
    source: 'https://answers.netlify.com (user reports)',
    checked: '2026-11-01',
    note: 'Netlify functions run on AWS Lambda, where outbound port 25 is throttled',
  },
];

export function egressPolicyFor(platform: string): EgressPolicy | undefined {
  return EGRESS_POLICIES.find((p) => p.platform === platform);
}
