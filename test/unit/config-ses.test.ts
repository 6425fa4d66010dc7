// The SES SMTP password derivation, checked three independent ways: a value AWS's own SDK tests
// publish, OpenSSL's HMAC run as a separate program, and a second chain on WebCrypto written here.
import { execFileSync, spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SES_SMTP_REGIONS, regionOfSesPassword, sameSecret, sesPasswordShape, sesRegionFromHost, sesSmtpHost, sesSmtpPassword } from '../../lib/providers/ses-smtp-password.ts';

// AWS's documentation example key (IAM user guide and SigV4 examples).
const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('sesSmtpPassword', () => {
  it("matches the value aws/aws-sdk-php's SesClientTest publishes (SigV4, us-east-2)", () => {
    // tests/Ses/SesClientTest.php, testCanGenerateSmtpPasswordV4FromCredentials
    expect(sesSmtpPassword(EXAMPLE_SECRET, 'us-east-2')).toBe('BMPPgbAHoFVbze1Ud0oA5uNdXRwUXUZ+qOwphGJbl/cS');
  });

  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)('matches an HMAC chain computed by the openssl program', () => {
    const hmacHex = (keyHex: string, msg: string) =>
      execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${keyHex}`, '-binary'], { input: msg }).toString('hex');
    for (const [secret, region] of [
      [EXAMPLE_SECRET, 'eu-west-3'],
      ['AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/Ab', 'ap-southeast-2'],
      ['0000000000000000000000000000000000000000', 'us-gov-west-1'],
    ] as const) {
      let key = Buffer.from(`AWS4${secret}`, 'utf8').toString('hex');
      for (const msg of ['11111111', region, 'ses', 'aws4_request', 'SendRawEmail']) key = hmacHex(key, msg);
      const expected = Buffer.concat([Buffer.from([4]), Buffer.from(key, 'hex')]).toString('base64');
      expect(sesSmtpPassword(secret, region)).toBe(expected);
    }
  });

  async function webCryptoPassword(secret: string, region: string): Promise<string> {
    const enc = new TextEncoder();
    let key: ArrayBuffer = enc.encode(`AWS4${secret}`).buffer as ArrayBuffer;
    for (const msg of ['11111111', region, 'ses', 'aws4_request', 'SendRawEmail']) {
      const k = await webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      key = await webcrypto.subtle.sign('HMAC', k, enc.encode(msg));
    }
    const out = new Uint8Array(33);
    out[0] = 0x04;
    out.set(new Uint8Array(key), 1);
    return btoa(String.fromCharCode(...out));
  }

  it('matches a WebCrypto HMAC chain for every known region', async () => {
    for (const region of SES_SMTP_REGIONS) expect(sesSmtpPassword(EXAMPLE_SECRET, region)).toBe(await webCryptoPassword(EXAMPLE_SECRET, region));
  });

  it('matches the WebCrypto chain for arbitrary secrets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 64 }), fc.constantFrom(...SES_SMTP_REGIONS), async (secret, region) => {
        expect(sesSmtpPassword(secret, region)).toBe(await webCryptoPassword(secret, region));
      }),
      { numRuns: 60 },
    );
  });

  it('gives a different password per region, always 44 characters starting with B', () => {
    const all = SES_SMTP_REGIONS.map((r) => sesSmtpPassword(EXAMPLE_SECRET, r));
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) {
      expect(p).toMatch(/^B[A-Za-z0-9+/]{43}$/);
      expect(sesPasswordShape(p)).toBe('v4');
    }
  });
});

describe('password shapes and regions', () => {
  it('tells a secret key, a v2 password, a v4 password and garbage apart', () => {
    expect(sesPasswordShape(EXAMPLE_SECRET)).toBe('secret-key');
    expect(sesPasswordShape('An60U4ZD3sd4fg+FvXUjayOipTt8LO4rUUmhpdX6ctDy')).toBe('v2'); // aws-sdk-php's published v2 value
    expect(sesPasswordShape(sesSmtpPassword(EXAMPLE_SECRET, 'eu-west-1'))).toBe('v4');
    for (const bad of ['', 'hunter2', 'C'.repeat(44), `${sesSmtpPassword(EXAMPLE_SECRET, 'eu-west-1')}=`, 'é'.repeat(44)]) expect(sesPasswordShape(bad)).toBe('malformed');
  });

  it('finds the region a password was derived for', () => {
    const pw = sesSmtpPassword(EXAMPLE_SECRET, 'ap-northeast-1');
    expect(regionOfSesPassword(pw, EXAMPLE_SECRET, 'eu-west-3')).toBe('ap-northeast-1');
    expect(regionOfSesPassword(pw, EXAMPLE_SECRET, 'ap-northeast-1')).toBe('ap-northeast-1');
    expect(regionOfSesPassword(pw, 'another-secret', null)).toBeNull();
  });

  it('reads the region from SES SMTP hosts only', () => {
    expect(sesRegionFromHost('email-smtp.eu-west-3.amazonaws.com')).toBe('eu-west-3');
    expect(sesRegionFromHost('EMAIL-SMTP.US-EAST-1.AMAZONAWS.COM.')).toBe('us-east-1');
    expect(sesRegionFromHost('email-smtp-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(sesRegionFromHost('email.eu-west-3.amazonaws.com')).toBeNull();
    expect(sesRegionFromHost('email-smtp.eu-west-3.amazonaws.com.evil.example')).toBeNull();
    expect(sesSmtpHost('eu-west-3')).toBe('email-smtp.eu-west-3.amazonaws.com');
  });

  it('compares secrets of any length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});
