// The knowledge files: every platform the issue names, every provider, each entry with a source
// and a check date; the egressPolicyFor API the verdict uses keeps working.
import { describe, expect, it } from 'vitest';
import { EGRESS_POLICIES, egressPolicyFor } from '../../lib/platform/egress-policies.ts';
import { PLATFORM_NAMES } from '../../lib/platform/detect.ts';
import { PROVIDERS, providerForHost } from '../../lib/providers/presets.ts';
import { SES_SMTP_REGIONS } from '../../lib/providers/ses-smtp-password.ts';
import { KNOWN_PLATFORMS } from '../../lib/diagnosis/config-check.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('platform egress policies', () => {
  it('covers every platform the issue lists', () => {
    for (const p of ['render', 'vercel', 'netlify', 'railway', 'fly', 'heroku', 'aws-lambda', 'aws-ec2', 'google-cloud', 'azure', 'digitalocean']) expect(egressPolicyFor(p), p).toBeDefined();
    expect(egressPolicyFor('nowhere')).toBeUndefined();
  });

  it('gives each entry a source, a date, and tells documented from reported', () => {
    for (const p of EGRESS_POLICIES) {
      expect(p.source, p.platform).toMatch(/^https:\/\//);
      expect(p.checked).toMatch(DATE);
      if (p.since !== null) expect(p.since).toMatch(DATE);
      expect(typeof p.documented).toBe('boolean');
      expect([true, false, null]).toContain(p.outboundIpv6);
      for (const port of p.blockedPorts) expect(port).toBeGreaterThan(0);
      expect(p.note.length).toBeGreaterThan(10);
    }
    expect(new Set(EGRESS_POLICIES.map((p) => p.platform)).size).toBe(EGRESS_POLICIES.length);
  });

  it("records Render's free-plan block since 2025-09-26 and its missing outbound IPv6", () => {
    expect(egressPolicyFor('render')).toMatchObject({ blockedPorts: [25, 465, 587], since: '2025-09-26', outboundIpv6: false, documented: true, allPlans: false });
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
      expect(p.source).toMatch(/^https:\/\//);
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
  });

  it('knows every SES region in the list as an SES host', () => {
    for (const r of SES_SMTP_REGIONS) expect(providerForHost(`email-smtp.${r}.amazonaws.com`)).toMatchObject({ region: r });
  });
});
