// Mail providers as data: host patterns, ports and modes (alternative ports included), username
// conventions and whether an HTTPS API exists. Every entry names the provider's page it comes
// from and the date it was checked. config-check recognises the provider from EMAIL_HOST and
// holds the settings against this.
import { SES_HOST, SES_SMTP_REGIONS, sesRegionFromHost } from './ses-smtp-password.ts';

export type ProviderMode = 'starttls' | 'implicit-tls';

export interface ProviderPort {
  port: number;
  mode: ProviderMode;
}

export interface Provider {
  id: string;
  name: string;
  hosts: readonly RegExp[];
  /** Every port the provider serves, in order of preference. */
  ports: readonly ProviderPort[];
  /** The username convention, in words. */
  username: string;
  /** When the username is a fixed word (SendGrid "apikey", Resend "resend"). */
  fixedUsername?: string;
  /** The provider's HTTPS sending API (works where SMTP ports are blocked), or null. */
  httpsApi: string | null;
  source: string;
  checked: string;
  note?: string;
}

const sp = (port: number): ProviderPort => ({ port, mode: 'starttls' });
const tp = (port: number): ProviderPort => ({ port, mode: 'implicit-tls' });

export const PROVIDERS: readonly Provider[] = [
  {
    id: 'sendgrid',
    name: 'SendGrid',
    hosts: [/^smtp\.sendgrid\.net$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'the literal word "apikey"; the password is an API key (SG....)',
    fixedUsername: 'apikey',
    httpsApi: 'https://api.sendgrid.com/v3/mail/send',
    source: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
    checked: '2026-11-01',
  },
  {
    id: 'mailgun-us',
    name: 'Mailgun (US)',
    hosts: [/^smtp\.mailgun\.org$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'an SMTP credential of the sending domain, e.g. postmaster@mg.example.com',
    httpsApi: 'https://api.mailgun.net/v3/<domain>/messages',
    source: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
    checked: '2026-11-01',
  },
  {
    id: 'mailgun-eu',
    name: 'Mailgun (EU)',
    hosts: [/^smtp\.eu\.mailgun\.org$/],
    ports: [sp(587), sp(2525), sp(25), tp(465)],
    username: 'an SMTP credential of the sending domain, e.g. postmaster@mg.example.com',
    httpsApi: 'https://api.eu.mailgun.net/v3/<domain>/messages',
    source: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
    checked: '2026-11-01',
    note: 'an EU domain must use the EU host; credentials of a US domain do not work here',
  },
  {
    id: 'ses',
    name: 'Amazon SES',
    hosts: [SES_HOST],
    ports: [sp(587), sp(2587), sp(25), tp(465), tp(2465)],
    username: 'the SMTP username (an IAM access key id, AKIA...); the password is derived from the secret key per region',
    httpsApi: 'https://email.<region>.amazonaws.com/v2/email/outbound-emails (SES v2 SendEmail)',
    source: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
    checked: '2026-11-01',
    note: `SMTP endpoints: email-smtp.<region>.amazonaws.com for ${SES_SMTP_REGIONS.length} regions`,
  },
  {
    id: 'brevo',
    name: 'Brevo (Sendinblue)',
    hosts: [/^smtp-relay\.brevo\.com$/, /^smtp-relay\.sendinblue\.com$/],
    ports: [sp(587), sp(2525), tp(465)],
    username: 'the SMTP login shown in Brevo (SMTP & API > SMTP); the password is an SMTP key, not an API key',
    httpsApi: 'https://api.brevo.com/v3/smtp/email',
    source: 'https://developers.brevo.com/docs/smtp-integration',
    checked: '2026-11-01',
  },
  {
    id: 'postmark',
    name: 'Postmark',
    hosts: [/^smtp\.postmarkapp\.com$/, /^smtp-broadcasts\.postmarkapp\.com$/],
    ports: [sp(587), sp(2525), sp(25)],
    username: 'a Server API token (also the password), or an SMTP token access key',
    httpsApi: 'https://api.postmarkapp.com/email',
    source: 'https://postmarkapp.com/developer/user-guide/send-email-with-smtp',
    checked: '2026-11-01',
  },
  {
    id: 'resend',
    name: 'Resend',
    hosts: [/^smtp\.resend\.com$/],
    ports: [sp(587), sp(2587), sp(25), tp(465), tp(2465)],
    username: 'the literal word "resend"; the password is an API key (re_...)',
    fixedUsername: 'resend',
    httpsApi: 'https://api.resend.com/emails',
    source: 'https://resend.com/docs/send-with-smtp',
    checked: '2026-11-01',
  },
  {
    id: 'mailjet',
    name: 'Mailjet',
    hosts: [/^in-v3\.mailjet\.com$/],
    ports: [sp(587), sp(25), sp(80), tp(465)],
    username: 'the API key; the password is the API secret key',
    httpsApi: 'https://api.mailjet.com/v3.1/send',
    source: 'https://dev.mailjet.com/smtp-relay/configuration/',
    checked: '2026-11-01',
  },
  {
    id: 'gmail',
    name: 'Gmail / Google Workspace',
    hosts: [/^smtp\.gmail\.com$/, /^smtp\.googlemail\.com$/],
    ports: [sp(587), tp(465), sp(25)],
    username: 'the full address of the account; the password is an app password (needs 2-Step Verification)',
    httpsApi: 'https://gmail.googleapis.com/gmail/v1/users/me/messages/send (OAuth)',
    source: 'https://support.google.com/a/answer/176600',
    checked: '2026-11-01',
    note: 'the From address must be the account or one of its verified aliases',
  },
  {
    id: 'google-relay',
    name: 'Google Workspace SMTP relay',
    hosts: [/^smtp-relay\.gmail\.com$/],
    ports: [sp(587), tp(465), sp(25)],
    username: 'a Workspace address (when the relay requires SMTP AUTH) or none (IP allow-list)',
    httpsApi: null,
    source: 'https://support.google.com/a/answer/2956491',
    checked: '2026-11-01',
  },
  {
    id: 'microsoft365',
    name: 'Microsoft 365 / Outlook',
    hosts: [/^smtp\.office365\.com$/, /^smtp-mail\.outlook\.com$/],
    ports: [sp(587), sp(25)],
    username: 'the mailbox address; SMTP AUTH must be enabled for the mailbox',
    httpsApi: 'https://graph.microsoft.com/v1.0/users/<id>/sendMail (Microsoft Graph)',
    source: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
    checked: '2026-11-01',
    note: 'Microsoft is retiring Basic authentication for SMTP AUTH in Exchange Online; a password login may stop working',
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    hosts: [/^smtp(pro)?\.zoho\.(com|eu|in|com\.au|jp|com\.cn|sa|ca)$/],
    ports: [tp(465), sp(587)],
    username: 'the full address of the account (smtppro.zoho.* for addresses on your own domain)',
    httpsApi: 'https://www.zoho.com/zeptomail/ (ZeptoMail API for transactional mail)',
    source: 'https://www.zoho.com/mail/help/zoho-smtp.html',
    checked: '2026-11-01',
  },
  {
    id: 'ovh',
    name: 'OVHcloud',
    hosts: [/^ssl0\.ovh\.net$/, /^pro\d+\.mail\.ovh\.net$/, /^ex\d*\.mail\.ovh\.net$/],
    ports: [tp(465), sp(587)],
    username: 'the full address of the mailbox',
    httpsApi: null,
    source: 'https://help.ovhcloud.com/ (MX Plan: ssl0.ovh.net, 465 SSL/TLS or 587 STARTTLS; Email Pro and Exchange show their host in the control panel)',
    checked: '2026-11-01',
  },
  {
    id: 'lws',
    name: 'LWS',
    hosts: [/^mail\d*\.lwspanel\.com$/],
    ports: [sp(587), tp(465)],
    username: 'the full address of the mailbox',
    httpsApi: null,
    source: 'https://help.lws-hosting.com/ (LWS Panel > Email: the account\'s mailNN.lwspanel.com, 465 SSL/TLS or 587 STARTTLS)',
    checked: '2026-11-01',
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
