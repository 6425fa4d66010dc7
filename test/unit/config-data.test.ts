// The knowledge files: every platform the issue names, every provider, each entry with a source
// and a check date; the egressPolicyFor API the verdict uses keeps working.
import { describe, expect, it } from 'vitest';
import { EGRESS_POLICIES, egressPolicyFor } from '../../lib/platform/egress-policies.ts';
import { PLATFORM_NAMES } from '../../lib/platform/detect.ts';
import { POLICY_DETAILS } from '../../lib/platform/policy-details.ts';
import { PROVIDERS, providerForHost } from '../../lib/providers/presets.ts';
import { providerErrorFor } from '../../lib/providers/provider-errors.ts';
import { SES_SMTP_REGIONS } from '../../lib/providers/ses-smtp-password.ts';
import { KNOWN_PLATFORMS } from '../../lib/diagnosis/config-check.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('platform egress policies', () => {
  it('covers every platform the issue lists', () => {
    for (const p of ['render', 'vercel', 'netlify', 'railway', 'fly', 'heroku', 'aws-lambda', 'aws-ec2', 'google-cloud-run', 'google-compute-engine', 'google-app-engine', 'azure-vm', 'azure-app-service', 'digitalocean-droplets', 'digitalocean-app-platform', 'hetzner-cloud', 'linode', 'vultr', 'oracle-cloud', 'scaleway']) {
      expect(egressPolicyFor(p)?.platform, p).toBe(p);
    }
    expect(egressPolicyFor('nowhere')).toBeUndefined();
  });

  it('still accepts the names --platform took before the split, as aliases', () => {
    expect(egressPolicyFor('google-cloud')?.platform).toBe('google-compute-engine');
    expect(egressPolicyFor('azure')?.platform).toBe('azure-vm');
    expect(egressPolicyFor('digitalocean')?.platform).toBe('digitalocean-droplets');
    expect(egressPolicyFor(' GCP ')?.platform).toBe('google-compute-engine');
    for (const name of ['google-cloud', 'azure', 'digitalocean', 'hetzner']) expect(KNOWN_PLATFORMS).toContain(name);
  });

  it('gives each entry a source, a date, and tells documented from reported', () => {
    for (const p of EGRESS_POLICIES) {
      expect(p.source, p.platform).toMatch(/^https?:\/\//);
      expect(p.checked).toMatch(DATE);
      if (p.since !== null) expect(p.since).toMatch(DATE);
      expect(typeof p.documented).toBe('boolean');
      expect([true, false, null]).toContain(p.outboundIpv6);
      for (const port of p.blockedPorts) expect(port).toBeGreaterThan(0);
      expect(p.note.length).toBeGreaterThan(10);
    }
    expect(new Set(EGRESS_POLICIES.map((p) => p.platform)).size).toBe(EGRESS_POLICIES.length);
  });

  it("records Render's free-plan block since 2025-09-26 from its changelog, with no shell on free", () => {
    expect(egressPolicyFor('render')).toMatchObject({ blockedPorts: [25, 465, 587], since: '2025-09-26', outboundIpv6: false, ipv6Inferred: true, shellOnAffectedPlan: false, documented: true, allPlans: false, liftable: true });
    expect(egressPolicyFor('render')?.source).toMatch(/^https:\/\/render\.com\/changelog\//);
  });

  it('records the corrections: Netlify blocked for good, Vercel only 25, Railway below Pro, Hetzner 25 and 465', () => {
    expect(egressPolicyFor('netlify')).toMatchObject({ blockedPorts: [25], liftable: false, lift: null, functionTimeLimitS: 60, outboundIpv6: false, ipv6Inferred: true, documented: false });
    expect(egressPolicyFor('vercel')).toMatchObject({ blockedPorts: [25], documented: true, source: 'https://vercel.com/kb/guide/serverless-functions-and-smtp' });
    expect(egressPolicyFor('railway')).toMatchObject({ documented: true, outboundIpv6: false, liftable: true });
    expect(egressPolicyFor('railway')?.lift).toMatch(/Pro.*redeploy/);
    expect(egressPolicyFor('hetzner')?.blockedPorts).toEqual([25, 465]);
    expect(POLICY_DETAILS['aws-lambda']?.planRules[0]?.note).toMatch(/for good/);
  });

  it('accepts every detectable platform name for --platform', () => {
    for (const name of PLATFORM_NAMES) expect(KNOWN_PLATFORMS).toContain(name);
  });
});

describe('providers', () => {
  it.each([
    ['smtp.sendgrid.net', 'sendgrid'],
    ['smtp.mailgun.org', 'mailgun-us'],
    ['smtp.eu.mailgun.org', 'mailgun-eu'],
    ['email-smtp.eu-west-3.amazonaws.com', 'ses'],
    ['smtp-relay.brevo.com', 'brevo'],
    ['smtp-relay.sendinblue.com', 'brevo'],
    ['smtp.postmarkapp.com', 'postmark'],
    ['smtp.resend.com', 'resend'],
    ['in-v3.mailjet.com', 'mailjet'],
    ['smtp.gmail.com', 'gmail'],
    ['smtp.office365.com', 'microsoft365'],
    ['smtp-legacy.office365.com', 'microsoft365'],
    ['smtp-mail.outlook.com', 'outlook-com'],
    ['in.mailjet.com', 'mailjet'],
    ['live.smtp.mailtrap.io', 'mailtrap'],
    ['mail-eu.smtp2go.com', 'smtp2go'],
    ['smtp.zeptomail.com', 'zeptomail'],
    ['smtp.mail.yahoo.com', 'yahoo'],
    ['smtp.mail.me.com', 'icloud'],
    ['smtp.eu.sparkpostmail.com', 'sparkpost'],
    ['smtp.elasticemail.com', 'elastic-email'],
    ['smtp.mailersend.net', 'mailersend'],
    ['smtp.mandrillapp.com', 'mandrill'],
    ['smtpout.secureserver.net', 'godaddy'],
    ['smtp.fastmail.com', 'fastmail'],
    ['smtp.protonmail.ch', 'proton'],
    ['smtp.mail.eu-west-1.awsapps.com', 'amazon-workmail'],
    ['smtp.zoho.eu', 'zoho'],
    ['smtppro.zoho.com', 'zoho'],
    ['ssl0.ovh.net', 'ovh'],
    ['mail55.lwspanel.com', 'lws'],
    ['MAIL55.LWSPANEL.COM.', 'lws'],
  ])('recognises %s as %s', (host, id) => {
    expect(providerForHost(host)?.provider.id).toBe(id);
  });

  it('does not recognise look-alikes', () => {
    for (const host of ['smtp.sendgrid.net.evil.example', 'evilsmtp.gmail.com', 'mail55.lwspanel.com.example', 'smtp.example.com']) expect(providerForHost(host)).toBeNull();
  });

  it('gives every provider ports with modes, a username rule, a source and a date', () => {
    for (const p of PROVIDERS) {
      expect(p.ports.length, p.id).toBeGreaterThan(0);
      for (const port of p.ports) expect(['starttls', 'implicit-tls']).toContain(port.mode);
      expect(p.source).toMatch(/^https?:\/\//);
      expect(p.checked).toMatch(DATE);
      expect(p.username.length).toBeGreaterThan(5);
    }
  });

  it('lists the alternative ports (2525, 2587, 2465) where providers serve them', () => {
    const ports = (id: string) => PROVIDERS.find((p) => p.id === id)?.ports.map((p) => p.port);
    expect(ports('ses')).toEqual(expect.arrayContaining([25, 587, 2587, 465, 2465]));
    expect(ports('resend')).toEqual(expect.arrayContaining([2587, 2465]));
    expect(ports('sendgrid')).toContain(2525);
    expect(ports('brevo')).toContain(2525);
    expect(ports('smtp2go')).toEqual(expect.arrayContaining([2525, 8025, 80, 443, 8465]));
  });

  it('records the provider corrections: Mailjet 2525 and no port 80, Postmark without 465, WorkMail 465 only', () => {
    const ports = (id: string) => PROVIDERS.find((p) => p.id === id)?.ports.map((p) => p.port);
    expect(ports('mailjet')).toContain(2525);
    expect(ports('mailjet')).not.toContain(80);
    expect(ports('postmark')).not.toContain(465);
    expect(ports('amazon-workmail')).toEqual([465]);
    expect(ports('microsoft365')).toEqual([587]);
  });

  it.each([
    ['534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor o1-20020a05', 'gmail', 'gmail_app_password_required'],
    ['550 5.7.30 Basic authentication is not supported for Client Submission. [AM0PR02CA0001.eurprd02.prod.outlook.com]', 'microsoft365', 'm365_basic_auth_retired'],
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.', 'microsoft365', 'm365_smtp_auth_disabled_tenant'],
    ['550 5.7.1 Unconfigured Sending Domain <example.org>', 'sparkpost', 'sparkpost_unconfigured_domain'],
  ])('explains the reply %s as %s %s, even with the host unknown', (reply, provider, id) => {
    expect(providerErrorFor(reply, null)).toMatchObject({ provider: { id: provider }, error: { id } });
  });

  it('knows every SES region in the list as an SES host', () => {
    for (const r of SES_SMTP_REGIONS) expect(providerForHost(`email-smtp.${r}.amazonaws.com`)).toMatchObject({ region: r });
  });
});
