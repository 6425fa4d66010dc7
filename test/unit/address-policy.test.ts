import { describe, expect, it } from 'vitest';
import { blockedReason, embeddedIpv4, hostAllowed, policyFromEnv } from '../../lib/security/address-policy.ts';

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '100.64.0.1', '169.254.169.254', '169.254.1.1', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '224.0.0.1',
  ])('blocks %s', (address) => {
    expect(blockedReason(address)).not.toBeNull();
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '203.0.114.1'])('allows %s', (address) => {
    expect(blockedReason(address)).toBeNull();
  });

  it('names the metadata address in the reason', () => {
    expect(blockedReason('169.254.169.254')).toMatch(/metadata/);
    expect(blockedReason('fd00:ec2::254')).toMatch(/metadata/);
    expect(blockedReason('::ffff:127.0.0.1')).toMatch(/IPv4-mapped/);
  });

  it('finds the IPv4 address inside mapped IPv6 spellings', () => {
    expect(embeddedIpv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('0:0:0:0:0:ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('2001:db8::1')).toBeNull();
  });

  it('matches allowed hosts exactly or by *.domain', () => {
    expect(hostAllowed('smtp.sendgrid.net', [])).toBe(true);
    expect(hostAllowed('smtp.sendgrid.net', ['smtp.sendgrid.net'])).toBe(true);
    expect(hostAllowed('SMTP.SendGrid.net.', ['smtp.sendgrid.net'])).toBe(true);
    expect(hostAllowed('email-smtp.eu-west-1.amazonaws.com', ['*.amazonaws.com'])).toBe(true);
    expect(hostAllowed('amazonaws.com.evil.test', ['*.amazonaws.com'])).toBe(false);
    expect(hostAllowed('evil.test', ['smtp.sendgrid.net'])).toBe(false);
  });

  it('reads the policy from env', () => {
    expect(policyFromEnv({})).toEqual({ allowPrivate: false, allowedHosts: [] });
    expect(policyFromEnv({ SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_ALLOWED_HOSTS: 'a.test, *.b.test' })).toEqual({ allowPrivate: true, allowedHosts: ['a.test', '*.b.test'] });
  });
});
