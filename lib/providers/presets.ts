// Mail providers as data: hosts, every port with its TLS mode (alternative ports such as 2525,
// 2587 and 2465 included: they are how mail leaves a platform that blocks 25/465/587), the
// username convention and the HTTPS API (which works where every SMTP port is blocked). The
// replies peculiar to each provider are in provider-errors.ts; the hosts as written, the pitfalls
// and the sources in provider-details.ts. Every entry names its sources and the date they were
// checked; `documented` tells the provider's own word from third-party guides and user reports.
// Compared with nodemailer's well-known services (lib/well-known/services.json) on 2026-12-01.
import { SES_HOST, SES_SMTP_REGIONS, sesRegionFromHost } from './ses-endpoints.ts';

export type ProviderMode = 'starttls' | 'implicit-tls';

export interface ProviderPort {
  port: number;
  mode: ProviderMode;
}

export interface Provider {
  id: string;
  name: string;
  /** Anchored patterns of the SMTP hosts. */
  hosts: readonly RegExp[];
  /** Every port the provider serves, in order of preference. */
  ports: readonly ProviderPort[];
  /** The username convention, in words. */
  username: string;
  /** When the username is a fixed word (SendGrid "apikey", Resend "resend"). */
  fixedUsername?: string;
  /** The provider's HTTPS sending API (works where SMTP ports are blocked), or null. */
  httpsApi: string | null;
  documented: boolean;
  /** The main source (the first of the detail's `sources`). */
  source: string;
  checked: string;
  note?: string;
}

const CHECKED = '2026-12-01';
const sp = (port: number): ProviderPort => ({ port, mode: 'starttls' });
const tp = (port: number): ProviderPort => ({ port, mode: 'implicit-tls' });


export const PROVIDERS: readonly Provider[] = [
  {
    id: 'sendgrid',
    name: 'SendGrid',
    hosts: [/^smtp\.sendgrid\.net$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'the literal word "apikey"; the password is an API key (SG....) with Mail Send permission',
    fixedUsername: 'apikey',
    httpsApi: 'https://api.sendgrid.com/v3/mail/send',
    documented: true,
    source: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
    checked: CHECKED,
  },
  {
    id: 'mailgun-us',
    name: 'Mailgun (US)',
    hosts: [/^smtp\.mailgun\.org$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'an SMTP credential of the sending domain, e.g. postmaster@mg.example.com',
    httpsApi: 'https://api.mailgun.net/v3/<domain>/messages',
    documented: true,
    source: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
    checked: CHECKED,
  },
  {
    id: 'mailgun-eu',
    name: 'Mailgun (EU)',
    hosts: [/^smtp\.eu\.mailgun\.org$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'an SMTP credential of the sending domain, e.g. postmaster@mg.example.com',
    httpsApi: 'https://api.eu.mailgun.net/v3/<domain>/messages',
    documented: true,
    source: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
    checked: CHECKED,
    note: 'an EU domain must use the EU host; credentials of a US domain do not work here',
  },
  {
    id: 'ses',
    name: 'Amazon SES',
    hosts: [SES_HOST],
    ports: [sp(587), sp(2587), sp(25), tp(465), tp(2465)],
    username: 'the SMTP username (an IAM access key id, AKIA...); the password is derived from the secret key per region',
    httpsApi: 'https://email.<region>.amazonaws.com/v2/email/outbound-emails (SES v2 SendEmail)',
    documented: true,
    source: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
    checked: CHECKED,
    note: `SMTP endpoints: email-smtp.<region>.amazonaws.com for ${SES_SMTP_REGIONS.length} regions`,
  },
  {
    id: 'brevo',
    name: 'Brevo (Sendinblue)',
    hosts: [/^smtp-relay\.brevo\.com$/, /^smtp-relay\.sendinblue\.com$/],
    ports: [sp(587), sp(2525), tp(465)],
    username: 'the SMTP login shown in Brevo (SMTP & API > SMTP); the password is an SMTP key, not an API key',
    httpsApi: 'https://api.brevo.com/v3/smtp/email',
    documented: true,
    source: 'https://developers.brevo.com/docs/smtp-integration',
    checked: CHECKED,
  },
  {
    id: 'postmark',
    name: 'Postmark',
    hosts: [/^smtp\.postmarkapp\.com$/, /^smtp-broadcasts\.postmarkapp\.com$/],
    ports: [sp(587), sp(2525), sp(25)],
    username: 'a Server API token (also the password), or an SMTP token access key and secret',
    httpsApi: 'https://api.postmarkapp.com/email',
    documented: true,
    source: 'https://postmarkapp.com/support/article/811-what-are-the-smtp-details-api-tokens-i-should-be-using',
    checked: CHECKED,
  },
  {
    id: 'resend',
    name: 'Resend',
    hosts: [/^smtp\.resend\.com$/],
    ports: [tp(465), tp(2465), sp(587), sp(2587), sp(25)],
    username: 'the literal word "resend"; the password is an API key (re_...)',
    fixedUsername: 'resend',
    httpsApi: 'https://api.resend.com/emails',
    documented: true,
    source: 'https://resend.com/changelog/smtp-service',
    checked: CHECKED,
  },
  {
    id: 'mailjet',
    name: 'Mailjet',
    hosts: [/^in-v3\.mailjet\.com$/, /^in\.mailjet\.com$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'the API key; the password is the API secret key (per sub-account)',
    httpsApi: 'https://api.mailjet.com/v3.1/send',
    documented: true,
    source: 'https://cloud.google.com/compute/docs/tutorials/sending-mail/using-mailjet?hl=zh_cn',
    checked: CHECKED,
    note: 'in.mailjet.com is the host nodemailer\'s "Mailjet" uses; Mailjet\'s own SDK uses in-v3.mailjet.com. Port 80 is not confirmed by any source and is not listed',
  },
  {
    id: 'gmail',
    name: 'Gmail / Google Workspace',
    hosts: [/^smtp\.gmail\.com$/, /^smtp\.googlemail\.com$/],
    ports: [sp(587), tp(465)],
    username: 'the full address of the account; the password is a 16-character app password (needs 2-Step Verification) or an OAuth2 token',
    httpsApi: 'https://gmail.googleapis.com/gmail/v1/users/me/messages/send (OAuth)',
    documented: false,
    source: 'https://developer.nylas.com/docs/cookbook/email/gmail-smtp-settings',
    checked: CHECKED,
    note: 'the From address must be the account or one of its verified aliases',
  },
  {
    id: 'google-relay',
    name: 'Google Workspace SMTP relay',
    hosts: [/^smtp-relay\.gmail\.com$/],
    ports: [sp(587), tp(465), sp(25)],
    username: 'a Workspace address (when the relay requires SMTP AUTH) or none (IP allow-list)',
    httpsApi: null,
    documented: false,
    source: 'https://developer.nylas.com/docs/cookbook/email/gmail-smtp-settings',
    checked: CHECKED,
  },
  {
    id: 'microsoft365',
    name: 'Microsoft 365 / Exchange Online',
    hosts: [/^smtp\.office365\.com$/, /^smtp-legacy\.office365\.com$/],
    ports: [sp(587)],
    username: 'the mailbox address; SMTP AUTH must be enabled for the tenant and the mailbox (it is off by default); OAuth (XOAUTH2) rather than a password',
    httpsApi: 'https://graph.microsoft.com/v1.0/users/<id>/sendMail (Microsoft Graph)',
    documented: true,
    source: 'https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835',
    checked: CHECKED,
    note: 'Basic-auth SMTP AUTH is disabled by default from the end of December 2026; use OAuth or Microsoft Graph',
  },
  {
    id: 'outlook-com',
    name: 'Outlook.com / Hotmail (personal accounts)',
    hosts: [/^smtp-mail\.outlook\.com$/],
    ports: [sp(587)],
    username: 'the personal address, with OAuth2 only: passwords and app passwords are refused since 2024-09-16 (as reported)',
    httpsApi: 'https://graph.microsoft.com/v1.0/me/sendMail (Microsoft Graph, delegated)',
    documented: false,
    source: 'https://techissuestoday.com/how-to-update-outlook-email-settings-to-avoid-losing-access-after-september-16/',
    checked: CHECKED,
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    hosts: [/^smtp(pro)?\.zoho\.(com|eu|in|com\.au|jp|com\.cn|sa|ca)$/],
    ports: [tp(465), sp(587)],
    username: 'the full address of the account (smtppro.zoho.* for addresses on your own domain); an application-specific password when 2FA is on',
    httpsApi: null,
    documented: false,
    source: 'https://www.zoho.com/mail/help/zoho-smtp.html',
    checked: CHECKED,
  },
  {
    id: 'zeptomail',
    name: 'Zoho ZeptoMail',
    hosts: [/^smtp\.zeptomail\.(com|eu|in|com\.au|jp|com\.cn|sa|ca)$/],
    ports: [sp(587), tp(465)],
    username: 'the literal word "emailapikey" (as reported); the password is the Send Mail token of the Mail Agent',
    fixedUsername: 'emailapikey',
    httpsApi: 'https://api.zeptomail.com/v1.1/email (header "Authorization: Zoho-enczapikey <token>")',
    documented: false,
    source: 'https://zoho.com/zeptomail/help/api/postmark-transition-api.html',
    checked: CHECKED,
  },
  {
    id: 'smtp2go',
    name: 'SMTP2GO',
    hosts: [/^mail(-us|-eu|-eu2|-au)?\.smtp2go\.com$/],
    ports: [sp(2525), sp(587), sp(8025), sp(80), sp(25), tp(465), tp(8465), tp(443)],
    username: 'an SMTP user created under Sending > SMTP Users, with its password',
    httpsApi: 'https://api.smtp2go.com/v3/email/send',
    documented: true,
    source: 'https://developers.smtp2go.com/docs/smtp-relay',
    checked: CHECKED,
  },
  {
    id: 'mailtrap',
    name: 'Mailtrap Email Sending',
    hosts: [/^(live|bulk)\.smtp\.mailtrap\.io$/],
    ports: [sp(587)],
    username: 'the literal word "api"; the password is the API token',
    fixedUsername: 'api',
    httpsApi: 'https://send.api.mailtrap.io/api/send (bulk: https://bulk.api.mailtrap.io/api/send)',
    documented: true,
    source: 'https://mailtrap.io/smtp-service/',
    checked: CHECKED,
  },
  {
    id: 'sparkpost',
    name: 'SparkPost',
    hosts: [/^smtp(\.eu)?\.sparkpostmail\.com$/],
    ports: [sp(587), sp(2525)],
    username: 'the literal word "SMTP_Injection"; the password is an API key with the "Send via SMTP" permission',
    fixedUsername: 'SMTP_Injection',
    httpsApi: 'https://api.sparkpost.com/api/v1/transmissions (EU: https://api.eu.sparkpost.com)',
    documented: true,
    source: 'https://developers.sparkpost.com/api/smtp/',
    checked: CHECKED,
  },
  {
    id: 'elastic-email',
    name: 'Elastic Email',
    hosts: [/^smtp\.elasticemail\.com$/],
    ports: [sp(2525), tp(465)],
    username: 'an SMTP credential created in the account (its name is an email address); the password is the credential\'s key',
    httpsApi: null,
    documented: false,
    source: 'https://docs.rs/crate/ElasticEmail/4.2.0/source/src/models/smtp_credentials_payload.rs',
    checked: CHECKED,
    note: 'ports from a user configuration (2525) and nodemailer (465), not from an Elastic Email page',
  },
  {
    id: 'mailersend',
    name: 'MailerSend',
    hosts: [/^smtp\.mailersend\.net$/],
    ports: [sp(587)],
    username: 'the SMTP user and password generated per domain in MailerSend',
    httpsApi: null,
    documented: false,
    source: 'https://github.com/symfonyaml/symfony/commit/16c8a943488e61452c9203108f7dfb3f07cf0da3',
    checked: CHECKED,
  },
  {
    id: 'mandrill',
    name: 'Mandrill (Mailchimp Transactional)',
    hosts: [/^smtp\.mandrillapp\.com$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'any string (usually the account name); the password is a Mandrill API key',
    httpsApi: null,
    documented: false,
    source: 'https://gist.github.com/lordspace/e61862d5a958774a0c21',
    checked: CHECKED,
  },
  {
    id: 'yahoo',
    name: 'Yahoo Mail',
    hosts: [/^smtp\.mail\.yahoo\.com$/],
    ports: [tp(465), sp(587)],
    username: 'the full Yahoo address; the password is an app password (Account Security, needs 2-step verification)',
    httpsApi: null,
    documented: false,
    source: 'https://xenocept.com/docs/email-setup/yahoo.html',
    checked: CHECKED,
  },
  {
    id: 'icloud',
    name: 'iCloud Mail',
    hosts: [/^smtp\.mail\.me\.com$/],
    ports: [sp(587)],
    username: 'the full iCloud address; the password is an app-specific password (needs two-factor authentication on the Apple ID)',
    httpsApi: null,
    documented: false,
    source: 'https://meshworld.in/blog/devops/email/icloud-smtp-server',
    checked: CHECKED,
  },
  {
    id: 'fastmail',
    name: 'Fastmail',
    hosts: [/^smtp\.fastmail\.com$/],
    ports: [tp(465), sp(587)],
    username: 'the full Fastmail address; the password is an app password (the account password never works)',
    httpsApi: null,
    documented: true,
    source: 'https://www.fastmail.com/help/technical/servernamesandports.html',
    checked: CHECKED,
  },
  {
    id: 'proton',
    name: 'Proton Mail (SMTP submission)',
    hosts: [/^smtp\.protonmail\.ch$/],
    ports: [sp(587)],
    username: 'a custom-domain Proton address; the password is an SMTP token generated in Proton Mail settings',
    httpsApi: null,
    documented: true,
    source: 'https://proton.me/support/ru/smtp-submission',
    checked: CHECKED,
  },
  {
    id: 'amazon-workmail',
    name: 'Amazon WorkMail',
    hosts: [/^smtp\.mail\.[a-z]{2}-[a-z]+-\d+\.awsapps\.com$/],
    ports: [tp(465)],
    username: 'the WorkMail address and its password',
    httpsApi: null,
    documented: true,
    source: 'https://docs.aws.amazon.com/workmail/latest/userguide/using_IMAP.html',
    checked: CHECKED,
  },
  {
    id: 'godaddy',
    name: 'GoDaddy Workspace Email',
    hosts: [/^smtpout\.secureserver\.net$/, /^smtp\.(asia|europe)\.secureserver\.net$/],
    ports: [sp(25)],
    username: 'the full mailbox address and its password',
    httpsApi: null,
    documented: false,
    source: 'https://pastebin.com/bWDNUSXW',
    checked: CHECKED,
  },
  {
    id: 'ovh',
    name: 'OVHcloud',
    hosts: [/^ssl0\.ovh\.net$/, /^pro\d+\.mail\.ovh\.net$/, /^ex\d*\.mail\.ovh\.net$/],
    ports: [tp(465), sp(587)],
    username: 'the full address of the mailbox',
    httpsApi: null,
    documented: false,
    source: 'http://gids.ovh.nl/EmailSmtpPop3Imap',
    checked: CHECKED,
  },
  {
    id: 'lws',
    name: 'LWS',
    hosts: [/^mail\d*\.lwspanel\.com$/],
    ports: [sp(587), tp(465)],
    username: 'the full address of the mailbox',
    httpsApi: null,
    documented: false,
    source: 'https://help.lws-hosting.com/en/configure-email-address-restrictions',
    checked: CHECKED,
    note: 'each account has its own mailNN.lwspanel.com host: use the one shown in the LWS panel',
  },
];

export interface ProviderMatch {
  provider: Provider;
  /** The SES region, for SES hosts. */
  region: string | null;
}

export function providerForHost(host: string | null): ProviderMatch | null {
  if (!host) return null;
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  for (const provider of PROVIDERS) {
    if (provider.hosts.some((re) => re.test(h))) return { provider, region: provider.id === 'ses' ? sesRegionFromHost(h) : null };
  }
  return null;
}

export function providerPort(provider: Provider, port: number): ProviderPort | undefined {
  return provider.ports.find((p) => p.port === port);
}

