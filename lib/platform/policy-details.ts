// The evidence behind each platform's egress policy, and the detail `smtp-egress explain` prints:
// how the block shows, the rule per plan, what is known about build-time egress, the documented
// variables and how detection works, and the sources with the sentence each rests on. Kept apart
// from egress-policies.ts so the Netlify functions that quote only the policy stay inside their
// size budget; a verdict that wants `howItShows` imports detailedPolicy from here.
import type { EgressPolicy } from './egress-policies.ts';

export interface KnowledgeSource {
  url: string;
  title: string;
  /** Written by the platform or provider itself (its docs, blog, changelog, own repository). */
  firstParty: boolean;
  /** The sentence the entry rests on, when one was read. */
  quote?: string;
}

export interface PlanRule {
  plan: string;
  blockedPorts: readonly number[];
  note: string;
}

export interface EgressPolicyDetail {
  /** What the block looks like from inside an app: a dropped SYN times out, it is not refused. */
  howItShows: string | null;
  /** The variables the platform documents in its runtime (detect.ts reads only these). */
  envSignals: readonly string[];
  /** Each plan and what it blocks, affected plans first (blockedPorts of the policy is their union). */
  planRules: readonly PlanRule[];
  /** What is known about egress during the build, as opposed to the running app; null when nothing. */
  buildEgress: string | null;
  /** How detect.ts recognises the platform, or why it cannot. */
  detection: string;
  /** The first is the policy's `source`. */
  sources: readonly KnowledgeSource[];
}

const AWS_KC = 'https://aws.amazon.com/jp/premiumsupport/knowledge-center/ec2-port-25-throttle';

// A dropped SYN is what every platform here does; the symptom differs by client, and the Python
// one misleads: smtplib tries every address and raises the last error, so with an AAAA record and
// no IPv6 route the user reads "Network is unreachable", not a timeout.
const DROPPED_SYN =
  'the SYN is dropped, so the connect times out rather than being refused (nodemailer: "Connection timeout", ETIMEDOUT, after its 120 s default); ' +
  'a Python app prints "[Errno 101] Network is unreachable" instead when the host also has an AAAA address and there is no IPv6 route, because smtplib raises the error of the last address it tried';

const GCP_FIREWALL = {
  url: 'https://cloud.google.com/vpc/docs/firewalls',
  title: 'Google Cloud: VPC firewall rules (always-blocked traffic)',
  firstParty: true,
  quote: 'Egress traffic to TCP destination port 25 (SMTP).',
};
const GCP_FUNCTIONS = {
  url: 'https://docs.cloud.google.com/functions/docs/troubleshooting',
  title: 'Google Cloud: Troubleshoot Cloud Run functions',
  firstParty: true,
  quote: 'Google Cloud blocks connections to TCP destination port 25 when sending emails from functions.',
};
const GCP_MAILJET = {
  url: 'https://cloud.google.com/compute/docs/tutorials/sending-mail/using-mailjet?hl=zh_cn',
  title: "Google Cloud: Sending email with Mailjet (relays to port 2525)",
  firstParty: true,
  quote: 'relayhost = in-v3.mailjet.com:2525',
};
const AZURE_SMTP = {
  url: 'https://docs.microsoft.com/azure/virtual-network/troubleshoot-outbound-smtp-connectivity',
  title: 'Microsoft: Troubleshoot outbound SMTP connectivity problems in Azure',
  firstParty: true,
  quote: 'The Azure platform will block outbound SMTP connections on TCP port 25 for deployed VMs.',
};
const GCP_ALLOWED = '465, 587 and other ports (2525, which Google\'s own relay tutorials use) are allowed';
const NO_ENV = (what: string) => `not detected: ${what} sets no environment variable that names it; only its metadata service would, which this tool does not query`;

export const POLICY_DETAILS: Readonly<Record<string, EgressPolicyDetail>> = {
  'render': {
    howItShows: `${DROPPED_SYN} (reported on Render free with smtp.gmail.com:587); Render support speaks of "SMTP connection timeouts"`,
    envSignals: ['RENDER', 'RENDER_SERVICE_ID', 'RENDER_SERVICE_NAME', 'RENDER_SERVICE_TYPE', 'RENDER_INSTANCE_ID', 'RENDER_EXTERNAL_URL', 'RENDER_EXTERNAL_HOSTNAME', 'RENDER_GIT_COMMIT', 'RENDER_GIT_BRANCH', 'IS_PULL_REQUEST'],
    planRules: [
      { plan: 'Free web services (free instance type)', blockedPorts: [25, 465, 587], note: 'other ports are not named: 443 (HTTPS APIs) works and providers\' alternative ports such as 2525 are reported to work' },
      { plan: 'Paid instance types', blockedPorts: [], note: 'no SMTP block documented' },
    ],
    buildEgress: null,
    detection: 'RENDER=true or RENDER_SERVICE_ID (documented, at build time and runtime); Render documents no region variable, so the region stays unknown',
    sources: [
      { url: 'https://render.com/changelog/free-web-services-will-no-longer-allow-outbound-traffic-to-smtp-ports', title: 'Render changelog: Free web services will no longer allow outbound traffic to SMTP ports', firstParty: true },
      { url: 'https://news.lavx.hu/article/when-free-tier-limits-break-your-production-email-system', title: 'A Render support reply, quoted', firstParty: false, quote: 'Free web services can no longer send outbound traffic to SMTP ports 25, 465, and 587 as of September 26th, 2025.' },
      { url: 'https://render.com/docs/environment-variables', title: 'Render: Default environment variables', firstParty: true, quote: "RENDER This value is always true. Your code can check this value to detect whether it's running on Render." },
      { url: 'https://render-web.onrender.com/docs/free', title: 'Render docs: Free plans (older copy)', firstParty: true, quote: 'Free services do not support web shell access.' },
    ],
  },
  'vercel': {
    howItShows: 'Vercel does not say how the port 25 block shows (a connect timeout is the usual report); a send that is not awaited before the response returns is cut off and fails silently',
    envSignals: ['VERCEL', 'VERCEL_ENV', 'VERCEL_URL', 'VERCEL_REGION'],
    planRules: [{ plan: 'Vercel Functions, Node.js runtime (all plans)', blockedPorts: [25], note: '465 and 587 are open and no other port is restricted; the Edge runtime has no raw TCP at all, so nodemailer cannot run there' }],
    buildEgress: null,
    detection: 'VERCEL=1 (present only when "Automatically expose System Environment Variables" is on); checked before AWS Lambda, whose variables Vercel functions also carry',
    sources: [
      { url: 'https://vercel.com/kb/guide/serverless-functions-and-smtp', title: 'Vercel KB: Can I use SMTP with Vercel?', firstParty: true, quote: "Vercel doesn't block outgoing SMTP connections except on port 25. No other port restrictions apply to Vercel Functions." },
      { url: 'https://vercel.com/docs/functions/limitations', title: 'Vercel Functions limits', firstParty: true, quote: 'Maximum duration Hobby: 300s (default)' },
      { url: 'https://www.vercel.com/docs/projects/environment-variables/system-environment-variables', title: 'Vercel: System environment variables', firstParty: true },
    ],
  },
  'railway': {
    howItShows: `${DROPPED_SYN}; Railway documents that IPv6 attempts fail with "Network is unreachable" (ENETUNREACH) while outbound IPv6 is off, its default`,
    envSignals: ['RAILWAY_PROJECT_ID', 'RAILWAY_ENVIRONMENT_NAME', 'RAILWAY_ENVIRONMENT_ID', 'RAILWAY_SERVICE_ID', 'RAILWAY_SERVICE_NAME', 'RAILWAY_REPLICA_ID', 'RAILWAY_REPLICA_REGION', 'RAILWAY_DEPLOYMENT_ID'],
    planRules: [
      { plan: 'Free, Trial, Hobby', blockedPorts: [25, 465, 587, 2525], note: 'SMTP is disabled outright (Railway names no ports; its own reachability test checks 25, 465, 587 and 2525, and 2525 is reported blocked too): use an HTTPS email API' },
      { plan: 'Pro and above', blockedPorts: [], note: 'SMTP is available after the service is redeployed' },
    ],
    buildEgress: null,
    detection: 'RAILWAY_ENVIRONMENT_NAME or RAILWAY_PROJECT_ID (documented, in every build and deployment); the region from RAILWAY_REPLICA_REGION',
    sources: [
      { url: 'https://docs.railway.com/networking/outbound-networking', title: 'Railway docs: Outbound networking', firstParty: true, quote: 'SMTP is only available on the Pro plan and above. ... After upgrading to Pro, redeploy the service that needs to use SMTP for the changes to take effect.' },
      { url: 'https://docs.railway.com/networking/outbound-networking', title: 'Railway docs: Outbound networking (IPv6)', firstParty: true, quote: 'Outbound IPv6 is disabled by default. While this setting is disabled, IPv6 connection attempts fail with "Network is unreachable" or ENETUNREACH.' },
      { url: 'https://github.com/railwayapp/docs/issues/1126', title: 'railwayapp/docs #1126: SMTP port 587 timeout (user report)', firstParty: false },
    ],
  },
  'netlify': {
    howItShows: 'the SYN to port 25 is dropped and the connect never completes; a synchronous function is killed at 60 s while nodemailer waits 120 s by default, so the log shows a function timeout and no SMTP error at all (set connectionTimeout to about 10 s)',
    envSignals: ['SITE_ID', 'SITE_NAME', 'URL', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_REGION', 'NETLIFY', 'NETLIFY_DEV', 'NETLIFY_LOCAL', 'CONTEXT', 'DEPLOY_ID'],
    planRules: [{ plan: 'Netlify Functions (all plans)', blockedPorts: [25], note: 'port 25 is blocked, not throttled: AWS blocks it for Lambda functions outside a VPC and cannot lift it there; no rule restricts 465 or 587' }],
    buildEgress: 'builds run in Netlify\'s build environment, not on Lambda; SMTP from a build step is not documented either way',
    detection: 'deployed functions get only SITE_ID, SITE_NAME and URL besides AWS Lambda\'s variables: SITE_ID + SITE_NAME + AWS_LAMBDA_FUNCTION_NAME means a Netlify function; NETLIFY, CONTEXT and DEPLOY_ID exist only at build time and in Netlify Dev',
    sources: [
      { url: 'https://docs.netlify.com/build/functions/environment-variables/', title: 'Netlify: Environment variables and functions', firstParty: true, quote: 'Because Netlify Functions are powered by AWS Lambda, AWS\'s environment property limits apply ...' },
      { url: AWS_KC, title: 'AWS Knowledge Center: remove the port 25 restriction from EC2 or Lambda (Japanese edition)', firstParty: true, quote: 'The port 25 restriction cannot be removed from non-VPC functions.' },
      { url: 'https://docs.netlify.com/build/functions/configuration', title: 'Netlify: Functions configuration', firstParty: true, quote: 'Synchronous execution limit | 60 seconds' },
      { url: 'https://docs.aws.amazon.com/lambda/latest/dg/API_VpcConfig.html', title: 'AWS Lambda API: VpcConfig (IPv6 only for VPC functions)', firstParty: true },
    ],
  },
  'aws-lambda': {
    howItShows: `${DROPPED_SYN}; often the function's own timeout fires first`,
    envSignals: ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV', 'AWS_REGION', 'AWS_LAMBDA_FUNCTION_VERSION', 'LAMBDA_TASK_ROOT'],
    planRules: [
      { plan: 'Functions not attached to a VPC', blockedPorts: [25], note: 'blocked for good; 465, 587 and SES\'s 2587 are usable' },
      { plan: 'Functions in a VPC behind a NAT gateway', blockedPorts: [25], note: 'blocked until AWS approves removing the limit for the NAT gateway\'s Elastic IP' },
    ],
    buildEgress: null,
    detection: 'AWS_LAMBDA_FUNCTION_NAME (a reserved Lambda variable), after Netlify and Vercel, whose functions carry it too',
    sources: [
      { url: AWS_KC, title: 'AWS Knowledge Center: remove the port 25 restriction from EC2 or Lambda (Japanese edition)', firstParty: true, quote: 'To remove the port 25 restriction of a Lambda function, associate the function with an Amazon VPC, then give it internet access through a NAT gateway.' },
      { url: 'https://docs.aws.amazon.com/lambda/latest/dg/API_VpcConfig.html', title: 'AWS Lambda API: VpcConfig', firstParty: true, quote: 'Allows outbound IPv6 traffic on VPC functions that are connected to dual-stack subnets.' },
    ],
  },
  'aws-ec2': {
    howItShows: `${DROPPED_SYN}; SES documents the resulting timeouts on port 25 from EC2`,
    envSignals: [],
    planRules: [{ plan: 'All accounts by default (EC2, and ECS, Fargate or Elastic Beanstalk on it)', blockedPorts: [25], note: '465, 587 and SES\'s 2587 and 2465 are not restricted' }],
    buildEgress: null,
    detection: NO_ENV('a plain EC2 instance'),
    sources: [
      { url: AWS_KC, title: 'AWS Knowledge Center: remove the port 25 restriction from EC2 or Lambda (Japanese edition)', firstParty: true, quote: 'AWS blocks outbound traffic on port 25 (SMTP) of all EC2 instances.' },
      { url: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html', title: 'Amazon SES: Connecting to an SMTP endpoint', firstParty: true, quote: 'Amazon EC2 throttles email traffic over port 25 by default. To avoid timeouts when sending email through the SMTP endpoint from EC2, submit a Request to Remove Email Sending Limitations.' },
    ],
  },
  'google-compute-engine': {
    howItShows: `${DROPPED_SYN} (on GKE: "curl: (28) Connection timed out" on :25 while :465 and :587 connect)`,
    envSignals: [],
    planRules: [{ plan: 'All projects', blockedPorts: [25], note: GCP_ALLOWED }],
    buildEgress: null,
    detection: NO_ENV('a Compute Engine VM or GKE node'),
    sources: [GCP_FIREWALL, GCP_MAILJET, { url: 'https://gitlab.com/gitlab-org/charts/gitlab/-/merge_requests/647', title: 'GitLab MR quoting the GKE docs', firstParty: false, quote: 'Although port 25 is blocked, you can choose to use port 465, 587, or a non-standard port to send email through a relay.' }],
  },
  'google-cloud-run': {
    howItShows: DROPPED_SYN,
    envSignals: ['K_SERVICE', 'K_REVISION', 'K_CONFIGURATION', 'CLOUD_RUN_JOB', 'CLOUD_RUN_EXECUTION'],
    planRules: [{ plan: 'All projects', blockedPorts: [25], note: GCP_ALLOWED }],
    buildEgress: null,
    detection: 'K_SERVICE + K_REVISION (services and functions) or CLOUD_RUN_JOB (jobs); K_* are Knative names, so Knative outside Google looks the same',
    sources: [GCP_FUNCTIONS, GCP_FIREWALL, { url: 'https://cloud.google.com/run/docs/container-contract', title: 'Cloud Run container runtime contract', firstParty: true, quote: 'K_SERVICE The name of the Cloud Run service being run.' }],
  },
  'google-app-engine': {
    howItShows: DROPPED_SYN,
    envSignals: ['GAE_SERVICE', 'GAE_VERSION', 'GAE_INSTANCE', 'GAE_ENV', 'GAE_APPLICATION', 'GAE_DEPLOYMENT_ID', 'GAE_RUNTIME', 'GOOGLE_CLOUD_PROJECT'],
    planRules: [{ plan: 'All projects', blockedPorts: [25], note: `${GCP_ALLOWED}; App Engine is not named in the rule, so this is inferred` }],
    buildEgress: null,
    detection: 'GAE_SERVICE or GAE_APPLICATION; GAE_ENV=standard marks the standard environment',
    sources: [GCP_FIREWALL, { url: 'https://cloud.google.com/appengine/docs/go/runtime', title: 'App Engine runtime: environment variables', firstParty: true, quote: 'GAE_ENV | The App Engine environment. Set to standard.' }],
  },
  'azure-vm': {
    howItShows: 'Microsoft does not say; a connect timeout is the usual report',
    envSignals: [],
    planRules: [
      { plan: 'Pay-as-you-go, MSDN/Visual Studio, free trial, CSP, sponsorship and other non-Enterprise subscriptions', blockedPorts: [25], note: 'authenticated relays on 587 and other ports are not restricted' },
      { plan: 'Enterprise Agreement', blockedPorts: [], note: 'not blocked; Enterprise Dev/Test is blocked by default but can be exempted' },
    ],
    buildEgress: null,
    detection: NO_ENV('an Azure VM'),
    sources: [AZURE_SMTP],
  },
  'azure-app-service': {
    howItShows: 'Microsoft does not say; a connect timeout is the usual report',
    envSignals: ['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID', 'WEBSITE_RESOURCE_GROUP', 'WEBSITE_OWNER_NAME', 'REGION_NAME', 'WEBSITE_HOSTNAME', 'FUNCTIONS_WORKER_RUNTIME'],
    planRules: [{ plan: 'App Service / Azure Functions', blockedPorts: [25], note: 'port 25 only through VNet integration or App Service Environment v3, and then only where the subscription type allows it' }],
    buildEgress: null,
    detection: 'WEBSITE_SITE_NAME + WEBSITE_INSTANCE_ID (read-only App Service settings); the region from REGION_NAME; FUNCTIONS_WORKER_RUNTIME marks Azure Functions (a third-party signal)',
    sources: [
      { ...AZURE_SMTP, quote: 'Sending email on Port 25 is unsupported for all other Azure Platform-as-a-Service (PaaS) resources.' },
      { url: 'https://learn.microsoft.com/en-us/azure/app-service/reference-app-settings', title: 'Azure App Service: environment variables and app settings', firstParty: true, quote: 'WEBSITE_INSTANCE_ID | Read-only. Unique ID of the current VM instance' },
    ],
  },
  'digitalocean-droplets': {
    howItShows: `${DROPPED_SYN} (reported: "smtp.zeptomail.com 465 TimeoutError")`,
    envSignals: [],
    planRules: [{ plan: 'All Droplets (the support article says: of new accounts)', blockedPorts: [25, 465, 587], note: 'SMTP through Reserved IPs and over IPv6 is restricted too; non-standard ports (2525, 2587, 8025...) are reported to work' }],
    buildEgress: null,
    detection: NO_ENV('a Droplet'),
    sources: [
      { url: 'https://docs.digitalocean.com/products/droplets/details/limits/', title: 'DigitalOcean: Droplet limits', firstParty: true, quote: 'SMTP ports 25, 465, and 587 are blocked on all Droplets. ... SMTP via Reserved IPs and IPv6.' },
      { url: 'https://docs.digitalocean.com/support/why-is-smtp-blocked/', title: 'DigitalOcean: Why is SMTP blocked?', firstParty: true, quote: 'SMTP port 25 is blocked on all Droplets for new accounts to prevent spam and other abuses of our platform.' },
    ],
  },
  'digitalocean-app-platform': {
    howItShows: 'a connect timeout (as reported)',
    envSignals: [],
    planRules: [{ plan: 'All (as reported by users)', blockedPorts: [25, 465, 587], note: 'no DigitalOcean page on App Platform egress was found' }],
    buildEgress: null,
    detection: 'not detected: App Platform injects no documented variable that names it (APP_URL and APP_DOMAIN are opt-in bindings)',
    sources: [{ url: 'https://docs.digitalocean.com/products/droplets/details/limits/', title: 'DigitalOcean: Droplet limits (the Droplet rule users report on App Platform too)', firstParty: true }],
  },
  'hetzner-cloud': {
    howItShows: `${DROPPED_SYN}; the block sits upstream of the VM, so ufw and iptables look clean ("nc to 587 succeeds, nc to 465 silently times out")`,
    envSignals: [],
    planRules: [{ plan: 'All Cloud Servers by default', blockedPorts: [25, 465], note: '587 is not blocked' }],
    buildEgress: null,
    detection: NO_ENV('a Hetzner Cloud server'),
    sources: [{ url: 'https://docs.hetzner.com/cloud/servers/faq/', title: 'Hetzner Cloud servers FAQ (as quoted in repositories)', firstParty: true, quote: 'Ports 25 and 465 are blocked by default on all cloud servers. ... only possible if you have been with us for a month and paid your first invoice.' }],
  },
  'linode': {
    howItShows: 'Linode does not say; a connect timeout is expected',
    envSignals: [],
    planRules: [
      { plan: 'Accounts created on or after 2019-11-05', blockedPorts: [25, 465, 587], note: 'restricted by default' },
      { plan: 'Older accounts', blockedPorts: [], note: 'not affected' },
    ],
    buildEgress: null,
    detection: NO_ENV('a Linode'),
    sources: [{ url: 'https://www.linode.com/blog/linode/a-new-policy-to-help-fight-spam/', title: 'Linode blog: A new policy to help fight spam', firstParty: true, quote: 'Linodes on newly created customer accounts will have outbound connections from ports 25, 465, and 587 restricted by default.' }],
  },
  'vultr': {
    howItShows: 'not documented; a connect timeout is the usual report',
    envSignals: [],
    planRules: [{ plan: 'New accounts (as reported by users)', blockedPorts: [25], note: '465 and 587 are not reported blocked' }],
    buildEgress: null,
    detection: NO_ENV('a Vultr instance'),
    sources: [{ url: 'https://github.com/LukeSmithxyz/emailwiz/issues/172', title: "emailwiz #172: Vultr won't unblock port 25 (user report)", firstParty: false, quote: "they said they couldn't unblock port 25 for me, and linked me to their TOS." }],
  },
  'oracle-cloud': {
    howItShows: 'a connect timeout (as reported)',
    envSignals: [],
    planRules: [{ plan: 'New tenancies (as reported by users)', blockedPorts: [25], note: 'some report 465 and 587 blocked too; OCI Email Delivery itself accepts 587 (STARTTLS) and 465' }],
    buildEgress: null,
    detection: NO_ENV('an OCI instance'),
    sources: [
      { url: 'https://bitbucket.org/analogic/mailserver/issues/975/outbound-port-25-timeout-on-digital-ocean', title: 'poste.io #975 (a user on Oracle Cloud)', firstParty: false, quote: 'If you have a paid account, you can ask for removing such a limitation.' },
      { url: 'https://docs.oracle.com/iaas/Content/Email/Tasks/configuresmtpconnection.htm', title: 'OCI Email Delivery: configuring the SMTP connection', firstParty: true, quote: 'Email Delivery supports TLS on port 465.' },
    ],
  },
  'scaleway': {
    howItShows: 'Scaleway does not say; a connect timeout is expected',
    envSignals: [],
    planRules: [
      { plan: 'Instances (default security group)', blockedPorts: [25, 465, 587], note: 'unblocked in the security group after identity verification (KYC)' },
      { plan: 'Serverless Containers and Functions (reported)', blockedPorts: [25, 465], note: 'not confirmed by Scaleway' },
    ],
    buildEgress: null,
    detection: NO_ENV('a Scaleway Instance'),
    sources: [{ url: 'https://raw.githubusercontent.com/scaleway/docs-content/main/pages/instances/how-to/send-emails-from-your-instance.mdx', title: 'Scaleway docs: How to send emails from your Instance', firstParty: true, quote: 'By default, remote SMTP ports (25, 465, and 587) are blocked and cannot be accessed from our infrastructure to prevent spam.' }],
  },
  'fly': {
    howItShows: null,
    envSignals: ['FLY_APP_NAME', 'FLY_MACHINE_ID', 'FLY_ALLOC_ID', 'FLY_REGION', 'FLY_PUBLIC_IP', 'FLY_PRIVATE_IP', 'PRIMARY_REGION'],
    planRules: [{ plan: 'All', blockedPorts: [], note: 'no outbound SMTP block documented; Fly recommends a transactional email service' }],
    buildEgress: null,
    detection: 'FLY_APP_NAME (documented runtime variable); the region from FLY_REGION',
    sources: [
      { url: 'https://fly.io/docs/networking/egress-ips/', title: 'Fly.io: Egress IP addresses', firstParty: true, quote: 'Machines often egress over IPv6 when the destination has an AAAA record and the application prefers it.' },
      { url: 'https://fly.io/docs/machines/runtime-environment/', title: 'Fly.io: Machine runtime environment', firstParty: true },
    ],
  },
  'heroku': {
    howItShows: null,
    envSignals: ['DYNO'],
    planRules: [{ plan: 'All', blockedPorts: [], note: 'no outbound SMTP restriction found; Heroku provides no mail service but allows external SMTP servers' }],
    buildEgress: null,
    detection: 'DYNO (set in every dyno)',
    sources: [{ url: 'https://github.com/herokaijp/devcenter/wiki/smtp', title: 'Heroku Dev Center, Japanese translation: SMTP', firstParty: false, quote: 'Heroku provides no mail service, but allows the use of external SMTP servers.' }],
  },
};

export type DetailedPolicy = EgressPolicy & EgressPolicyDetail;

const NO_DETAIL: EgressPolicyDetail = { howItShows: null, envSignals: [], planRules: [], buildEgress: null, detection: 'not detected', sources: [] };

/** The policy with its detail (the data test holds that every policy has one). */
export function detailedPolicy(p: EgressPolicy): DetailedPolicy {
  return { ...p, ...(POLICY_DETAILS[p.platform] ?? NO_DETAIL) };
}
