// The detail behind each provider preset that only `smtp-egress explain` and the data test need:
// the hosts as people write them, what users learn the hard way, nodemailer's name for it, and
// the sources with the sentence each rests on. Kept apart from presets.ts so the Netlify
// functions, which match hosts and replies, stay inside their size budget.
import type { KnowledgeSource } from '../platform/policy-details.ts';
import type { Provider } from './presets.ts';
import { PROVIDER_ERRORS, type ProviderError } from './provider-errors.ts';

export interface ProviderDetail {
  /** The hosts as people write them; <region> and <N> stand for the variable part. */
  hostNames: readonly string[];
  /** What users learn the hard way. */
  pitfalls: readonly string[];
  /** nodemailer's well-known service name for it, or null when nodemailer has none. */
  nodemailerService: string | null;
  /** The first is the provider's `source`. */
  sources: readonly KnowledgeSource[];
}

const MAILGUN = { url: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp', title: 'Mailgun: Send via SMTP', firstParty: true, quote: 'Mailgun SMTP servers listen on ports 25, 465, 587, and 2525. Port 465 requires a TLS connection.' };
const MAILGUN_GCP = { url: 'https://cloud.google.com/compute/docs/tutorials/sending-mail/using-mailgun?hl=FR', title: 'Google Cloud: Sending email with Mailgun', firstParty: true, quote: 'the SMTP host name is smtp.mailgun.org or smtp.eu.mailgun.org' };
const M365_BLOG = { url: 'https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835', title: 'Exchange Team blog: Updated SMTP AUTH Basic authentication deprecation timeline (2026-01-27)', firstParty: true, quote: 'End of December 2026: SMTP AUTH Basic Authentication will be disabled by default for existing tenants. Administrators will still be able to enable it if needed.' };
const MAILGUN_PITFALLS = ['US and EU are separate: a domain created in the EU region is unknown to smtp.mailgun.org, and its credentials fail there', 'the SMTP credential is per sending domain, not the Control Panel login'];

export const PROVIDER_DETAILS: Readonly<Record<string, ProviderDetail>> = {
  'sendgrid': {
    hostNames: ['smtp.sendgrid.net'],
    pitfalls: ['the username is the word "apikey", not the key and not the account name', 'a key pasted with a trailing newline fails AUTH'],
    nodemailerService: 'SendGrid',
    sources: [{ url: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api', title: 'SendGrid: Integrating with the SMTP API', firstParty: true, quote: 'For an unencrypted or a TLS connection, use port 25, 2525, or 587. ... Set your username to the string apikey.' }],
  },
  'mailgun-us': {
    hostNames: ['smtp.mailgun.org'],
    pitfalls: MAILGUN_PITFALLS,
    nodemailerService: 'Mailgun',
    sources: [MAILGUN, MAILGUN_GCP],
  },
  'mailgun-eu': {
    hostNames: ['smtp.eu.mailgun.org'],
    pitfalls: MAILGUN_PITFALLS,
    nodemailerService: null,
    sources: [MAILGUN, MAILGUN_GCP],
  },
  'ses': {
    hostNames: ['email-smtp.<region>.amazonaws.com'],
    pitfalls: ['the SMTP password is derived from the IAM secret per region (smtp-egress ses-smtp-password), it is not the secret itself', 'every connection must use TLS', 'from EC2 and Lambda port 25 is blocked: use 587 or 2587'],
    nodemailerService: 'SES (and SES-<REGION>)',
    sources: [{ url: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html', title: 'Amazon SES: Connecting to an SMTP endpoint', firstParty: true, quote: 'To set up a STARTTLS connection, the SMTP client connects to the Amazon SES SMTP endpoint on port 25, 587, or 2587' }],
  },
  'brevo': {
    hostNames: ['smtp-relay.brevo.com', 'smtp-relay.sendinblue.com'],
    pitfalls: ['the password is an SMTP key (xsmtpsib-...), not the API key (xkeysib-...) and not the account password'],
    nodemailerService: 'SendinBlue (alias Brevo)',
    sources: [{ url: 'https://developers.brevo.com/docs/smtp-integration', title: 'Brevo: SMTP relay integration', firstParty: true, quote: 'Non-encrypted: Use ports 587 or 2525 ... Use an SMTP key, not an API key, for SMTP relay connections.' }],
  },
  'postmark': {
    hostNames: ['smtp.postmarkapp.com', 'smtp-broadcasts.postmarkapp.com'],
    pitfalls: ['Postmark has no port 465: a client set to implicit TLS (secure: true) on 465 hangs until it times out', 'until the account is approved, mail is delivered only to addresses on the sender\'s own domain', 'broadcast streams use smtp-broadcasts.postmarkapp.com'],
    nodemailerService: 'Postmark',
    sources: [
      { url: 'https://postmarkapp.com/support/article/811-what-are-the-smtp-details-api-tokens-i-should-be-using', title: 'Postmark: What are the SMTP details I should be using?', firstParty: true, quote: 'Ports — 25, 2525, or 587. TLS is available via the STARTTLS SMTP extension.' },
      { url: 'https://github.com/umputun/remark42/discussions/1359', title: 'remark42 discussion: Postmark on 465 times out (user report)', firstParty: false, quote: "port 465 doesn't seem to be in use by Postmark. Calls using 465 result in a timeout" },
    ],
  },
  'resend': {
    hostNames: ['smtp.resend.com'],
    pitfalls: ['2465 and 2587 are the ports to use where 465 and 587 are blocked (Render free, DigitalOcean)'],
    nodemailerService: 'Resend',
    sources: [{ url: 'https://resend.com/changelog/smtp-service', title: 'Resend changelog: SMTP service', firstParty: true, quote: 'For a SSL connection, use port 465 or 2465. For an unencrypted or a TLS connection, use port 25, 587, or 2587.' }],
  },
  'mailjet': {
    hostNames: ['in-v3.mailjet.com', 'in.mailjet.com'],
    pitfalls: ['the password is the API secret key, not the account password; a swapped key and secret fails with 535', 'the From address must be a validated sender or mail is refused'],
    nodemailerService: 'Mailjet',
    sources: [
      { url: 'https://cloud.google.com/compute/docs/tutorials/sending-mail/using-mailjet?hl=zh_cn', title: 'Google Cloud: Sending email with Mailjet', firstParty: true, quote: 'relayhost = in-v3.mailjet.com:2525' },
      { url: 'https://rubydoc.info/gems/mailjet/Mailjet/Mailer', title: "Mailjet's Ruby SDK: Mailjet::Mailer", firstParty: true, quote: "address: 'in-v3.mailjet.com', port: 587" },
    ],
  },
  'gmail': {
    hostNames: ['smtp.gmail.com', 'smtp.googlemail.com'],
    pitfalls: ['"Less secure apps" ended on 2025-05-01 (as reported): a plain account password no longer works', 'the From address is rewritten to the account unless it is a verified alias'],
    nodemailerService: 'Gmail',
    sources: [
      { url: 'https://developer.nylas.com/docs/cookbook/email/gmail-smtp-settings', title: 'Nylas: Gmail SMTP settings', firstParty: false, quote: "Gmail's SMTP server is smtp.gmail.com, reachable on port 587 with STARTTLS or port 465 with implicit SSL/TLS." },
      { url: 'https://support.google.com/a/answer/176600', title: 'Google Workspace Admin Help: Send email from a printer, scanner, or app', firstParty: true },
    ],
  },
  'google-relay': {
    hostNames: ['smtp-relay.gmail.com'],
    pitfalls: ['with IP allow-listing, a cloud app whose outbound IP changes is refused: use SMTP AUTH'],
    nodemailerService: 'GmailWorkspace',
    sources: [
      { url: 'https://developer.nylas.com/docs/cookbook/email/gmail-smtp-settings', title: 'Nylas: Gmail SMTP settings', firstParty: false, quote: 'Google Workspace accounts that need higher throughput can use the relay at smtp-relay.gmail.com' },
      { url: 'https://support.google.com/a/answer/2956491', title: 'Google Workspace Admin Help: SMTP relay service', firstParty: true },
    ],
  },
  'microsoft365': {
    hostNames: ['smtp.office365.com', 'smtp-legacy.office365.com'],
    pitfalls: [
      'Basic-auth SMTP (a password login) is disabled by default for existing tenants at the end of December 2026 (admins can re-enable it), and tenants created after that do not get it; the final removal date is to be announced in the second half of 2027 (timeline of 2026-01-27, which replaced earlier dates)',
      'SMTP AUTH is off by default in Exchange Online and Security Defaults block it',
    ],
    nodemailerService: 'Outlook365',
    sources: [
      M365_BLOG,
      { url: 'https://github.com/OpenCTI-Platform/opencti/issues/12069', title: "OpenCTI #12069 quoting Microsoft's 2024 announcement", firstParty: false, quote: 'any clients or apps connecting using Basic auth with Client Submission (SMTP AUTH) will receive this response: 550 5.7.30 Basic authentication is not supported for Client Submission.' },
      { url: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365', title: 'Microsoft: How to set up a device or application to send email using Microsoft 365', firstParty: true },
    ],
  },
  'outlook-com': {
    hostNames: ['smtp-mail.outlook.com'],
    pitfalls: ['personal Microsoft accounts accept only OAuth2 since 2024-09-16 (as reported): an app password does not help'],
    nodemailerService: 'Hotmail (Outlook, Outlook.com, Hotmail.com)',
    sources: [{ url: 'https://techissuestoday.com/how-to-update-outlook-email-settings-to-avoid-losing-access-after-september-16/', title: 'How to update Outlook email settings', firstParty: false, quote: 'September 16, 2024: Basic Authentication no longer available to access any Outlook account' }],
  },
  'zoho': {
    hostNames: ['smtp.zoho.com', 'smtp.zoho.eu', 'smtp.zoho.in', 'smtp.zoho.com.au', 'smtp.zoho.jp', 'smtp.zoho.com.cn', 'smtp.zoho.sa', 'smtp.zoho.ca', 'smtppro.zoho.com'],
    pitfalls: ['the host must match the account\'s data centre (smtp.zoho.eu for an EU account)', 'the From address must be the account or one of its aliases'],
    nodemailerService: 'Zoho',
    sources: [
      { url: 'https://www.zoho.com/mail/help/zoho-smtp.html', title: 'Zoho Mail: SMTP server configuration', firstParty: true },
      { url: 'https://pastebin.com/az8SpXzp', title: "A copy of Zoho's SMTP settings text", firstParty: false, quote: 'The email address should match the email address/ aliases of the account, for which the authentication details are provided.' },
    ],
  },
  'zeptomail': {
    hostNames: ['smtp.zeptomail.com'],
    pitfalls: [],
    nodemailerService: null,
    sources: [
      { url: 'https://zoho.com/zeptomail/help/api/postmark-transition-api.html', title: 'ZeptoMail: Transition API for Postmark', firstParty: true, quote: 'Authorization: zoho-enczapikey <space> <send mail token>' },
      { url: 'https://thekiharani.com/notes/why-your-vps-blocks-smtp-use-an-email-api', title: 'ZeptoMail from DigitalOcean (user report)', firstParty: false, quote: 'FAILED smtp.zeptomail.com 465 TimeoutError' },
    ],
  },
  'smtp2go': {
    hostNames: ['mail.smtp2go.com', 'mail-us.smtp2go.com', 'mail-eu.smtp2go.com', 'mail-eu2.smtp2go.com', 'mail-au.smtp2go.com'],
    pitfalls: ['SMTP on 80 (STARTTLS) and 443 (implicit TLS) gets out where every usual SMTP port is blocked'],
    nodemailerService: 'SMTP2GO',
    sources: [{ url: 'https://developers.smtp2go.com/docs/smtp-relay', title: 'SMTP2GO: SMTP relay', firstParty: true, quote: 'TLS (or no encryption): available on 25, 2525, 8025, 587 and 80. SSL: available on ports 465, 8465 and 443.' }],
  },
  'mailtrap': {
    hostNames: ['live.smtp.mailtrap.io', 'bulk.smtp.mailtrap.io'],
    pitfalls: ['live is for transactional mail, bulk for promotional', "Mailtrap's sandbox (testing) hosts capture mail and never deliver it"],
    nodemailerService: 'Mailtrap',
    sources: [
      { url: 'https://mailtrap.io/smtp-service/', title: 'Mailtrap: SMTP service', firstParty: true, quote: 'MAIL_HOST=live.smtp.mailtrap.io MAIL_PORT=587 MAIL_USERNAME=api MAIL_PASSWORD=<YOUR_API_TOKEN>' },
      { url: 'https://mailtrap.io/email-sending.md', title: 'Mailtrap: Email sending', firstParty: true },
    ],
  },
  'sparkpost': {
    hostNames: ['smtp.sparkpostmail.com', 'smtp.eu.sparkpostmail.com'],
    pitfalls: ['an EU account must use smtp.eu.sparkpostmail.com'],
    nodemailerService: 'Sparkpost',
    sources: [{ url: 'https://developers.sparkpost.com/api/smtp/', title: 'SparkPost: SMTP API', firstParty: true, quote: 'Port 2525 is provided as an alternate port for cases where port 587 is blocked (such as a Google Compute Engine environment).' }],
  },
  'elastic-email': {
    hostNames: ['smtp.elasticemail.com'],
    pitfalls: [],
    nodemailerService: 'ElasticEmail',
    sources: [{ url: 'https://docs.rs/crate/ElasticEmail/4.2.0/source/src/models/smtp_credentials_payload.rs', title: "Elastic Email's Rust SDK: SMTP credentials", firstParty: true, quote: 'Name of the Credential for ease of reference. It must be a valid email address.' }],
  },
  'mailersend': {
    hostNames: ['smtp.mailersend.net'],
    pitfalls: [],
    nodemailerService: 'MailerSend',
    sources: [{ url: 'https://github.com/symfonyaml/symfony/commit/16c8a943488e61452c9203108f7dfb3f07cf0da3', title: "Symfony's MailerSend bridge: STARTTLS on 587", firstParty: false, quote: "parent::__construct('smtp.mailersend.net', 587, false, ...)" }],
  },
  'mandrill': {
    hostNames: ['smtp.mandrillapp.com'],
    pitfalls: [],
    nodemailerService: 'Mandrill',
    sources: [{ url: 'https://gist.github.com/lordspace/e61862d5a958774a0c21', title: 'A Mandrill sendmail configuration (user)', firstParty: false, quote: 'smtp_server=smtp.mandrillapp.com ... smtp_port=2525 ;smtp_port=587 ;smtp_port=465' }],
  },
  'yahoo': {
    hostNames: ['smtp.mail.yahoo.com'],
    pitfalls: ['the normal account password never works over SMTP'],
    nodemailerService: 'Yahoo',
    sources: [{ url: 'https://xenocept.com/docs/email-setup/yahoo.html', title: 'Yahoo Mail setup', firstParty: false, quote: 'Yahoo Mail requires an app password for any third-party SMTP client.' }],
  },
  'icloud': {
    hostNames: ['smtp.mail.me.com'],
    pitfalls: ['only 587 with STARTTLS; third parties disagree about 465'],
    nodemailerService: 'iCloud',
    sources: [{ url: 'https://meshworld.in/blog/devops/email/icloud-smtp-server', title: 'iCloud Mail SMTP server', firstParty: false, quote: 'Port 587 with STARTTLS is the only officially documented port for iCloud SMTP.' }],
  },
  'fastmail': {
    hostNames: ['smtp.fastmail.com'],
    pitfalls: ['Fastmail documents 465 with implicit TLS; 587 with STARTTLS comes from a third-party guide'],
    nodemailerService: 'FastMail',
    sources: [{ url: 'https://www.fastmail.com/help/technical/servernamesandports.html', title: 'Fastmail: Server names and ports', firstParty: true, quote: 'smtp.fastmail.com | Port 465 | SSL/TLS Encryption: Enabled, but not STARTTLS. You will need to get an app password.' }],
  },
  'proton': {
    hostNames: ['smtp.protonmail.ch'],
    pitfalls: ['only for some business plans and for custom-domain addresses; Proton Mail Bridge listens on 127.0.0.1 and cannot serve a cloud app'],
    nodemailerService: 'Proton',
    sources: [
      { url: 'https://proton.me/support/ru/smtp-submission', title: 'Proton support: SMTP submission (Russian edition)', firstParty: true },
      { url: 'https://dotcompc.ir/support/fr/smtp-submission', title: "A copy of Proton's SMTP submission page", firstParty: false, quote: 'This feature is currently only available for select Proton for Business customers and those with Visionary and Family plans with a custom domain addresses.' },
    ],
  },
  'amazon-workmail': {
    hostNames: ['smtp.mail.us-east-1.awsapps.com', 'smtp.mail.us-west-2.awsapps.com', 'smtp.mail.eu-west-1.awsapps.com'],
    pitfalls: ['only 465 with implicit TLS: STARTTLS on 587 fails', 'AWS ends support for Amazon WorkMail on 2027-03-31'],
    nodemailerService: null,
    sources: [{ url: 'https://docs.aws.amazon.com/workmail/latest/userguide/using_IMAP.html', title: 'Amazon WorkMail: Setting up IMAP (and SMTP)', firstParty: true, quote: 'STARTTLS is not currently supported by Amazon WorkMail' }],
  },
  'godaddy': {
    hostNames: ['smtpout.secureserver.net', 'smtp.asia.secureserver.net', 'smtp.europe.secureserver.net'],
    pitfalls: ["nodemailer's \"Godaddy\" service uses port 25, which nearly every cloud blocks; other ports are not confirmed", 'Microsoft 365 mailboxes bought from GoDaddy use smtp.office365.com instead'],
    nodemailerService: 'Godaddy, GodaddyAsia, GodaddyEurope',
    sources: [{ url: 'https://pastebin.com/bWDNUSXW', title: 'A GoDaddy SMTP configuration (user)', firstParty: false, quote: '<network host="smtpout.secureserver.net" port="80" ...' }],
  },
  'ovh': {
    hostNames: ['ssl0.ovh.net', 'pro<N>.mail.ovh.net', 'ex<N>.mail.ovh.net'],
    pitfalls: ['use ssl0.ovh.net by that name: the certificate check fails on its aliases', 'Email Pro and Exchange show their own host in the control panel'],
    nodemailerService: null,
    sources: [
      { url: 'http://gids.ovh.nl/EmailSmtpPop3Imap', title: 'OVH (NL) guide: SMTP, POP3 and IMAP', firstParty: true, quote: 'To use the TLS/SSL layer (coding), you must use the SMTP server called ssl0.ovh.net.' },
      { url: 'https://www.quai-des-entrepreneurs.com/ovh-mail', title: 'OVH mail guide', firstParty: false, quote: 'SMTP alternatif | ssl0.ovh.net | 587 | STARTTLS' },
    ],
  },
  'lws': {
    hostNames: ['mail<N>.lwspanel.com'],
    pitfalls: ["LWS Panel can restrict SMTP per address (\"Configure restrictions\"): a refused login may be that setting"],
    nodemailerService: null,
    sources: [{ url: 'https://help.lws-hosting.com/en/configure-email-address-restrictions', title: 'LWS: Configure email address restrictions', firstParty: true, quote: 'This article describes the logic behind restricting POP, IMAP, SMTP and Webmail access.' }],
  },
};

export type DetailedProvider = Provider & ProviderDetail & { errors: readonly ProviderError[] };

const NO_DETAIL: ProviderDetail = { hostNames: [], pitfalls: [], nodemailerService: null, sources: [] };

/** The provider with its detail and its peculiar replies (the data test holds that every provider has a detail). */
export function detailedProvider(p: Provider): DetailedProvider {
  return { ...p, ...(PROVIDER_DETAILS[p.id] ?? NO_DETAIL), errors: PROVIDER_ERRORS[p.id] ?? [] };
}
