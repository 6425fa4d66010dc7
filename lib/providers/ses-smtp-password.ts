// Amazon SES SMTP passwords. SES does not take the IAM secret access key as the SMTP password: the
// password is derived from it with SigV4, per region (AWS's documented algorithm, "Obtaining
// Amazon SES SMTP credentials", https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html):
//   k = HMAC-SHA256("AWS4" + secret, "11111111"); then over region, "ses", "aws4_request",
//   "SendRawEmail"; password = base64(0x04 || k).
// Secrets handled here never leave as text except from sesSmtpPassword itself.
import { createHmac, timingSafeEqual } from 'node:crypto';

const DATE = '11111111';
const SERVICE = 'ses';
const TERMINAL = 'aws4_request';
const MESSAGE = 'SendRawEmail';
const VERSION_V4 = 0x04;
const VERSION_V2 = 0x02;

// The endpoints (regions, host shape) live in ses-endpoints.ts, which needs no crypto and so can
// reach the page; re-exported here for the callers that import them with the password.
import { SES_SMTP_REGIONS } from './ses-endpoints.ts';

export { REGION_SHAPE, SES_HOST, SES_SMTP_REGIONS, sesRegionFromHost, sesSmtpHost } from './ses-endpoints.ts';

const hmac = (key: Buffer | string, msg: string) => createHmac('sha256', key).update(msg, 'utf8').digest();

/** The SMTP password for `region` derived from an IAM secret access key (SigV4, version 4). */
export function sesSmtpPassword(secretAccessKey: string, region: string): string {
  let key = hmac(`AWS4${secretAccessKey}`, DATE);
  for (const part of [region, SERVICE, TERMINAL, MESSAGE]) key = hmac(key, part);
  return Buffer.concat([Buffer.from([VERSION_V4]), key]).toString('base64');
}

export type SesPasswordShape = 'v4' | 'v2' | 'secret-key' | 'malformed';

/** 40 characters of the secret key alphabet: what IAM secret access keys look like. */
const SECRET_KEY_SHAPE = /^[A-Za-z0-9/+]{40}$/;

/** What an SES SMTP password looks like, without any secret to compare with. */
export function sesPasswordShape(password: string): SesPasswordShape {
  if (SECRET_KEY_SHAPE.test(password)) return 'secret-key';
  if (!/^[A-Za-z0-9+/]{44}$/.test(password)) return 'malformed';
  const bytes = Buffer.from(password, 'base64');
  if (bytes.length !== 33) return 'malformed';
  if (bytes[0] === VERSION_V4) return 'v4';
  if (bytes[0] === VERSION_V2) return 'v2';
  return 'malformed';
}

/** Constant-time string comparison (lengths may differ). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** The region whose derived password equals `password`, trying `preferred` first; null if none. */
export function regionOfSesPassword(password: string, secretAccessKey: string, preferred: string | null, regions: readonly string[] = SES_SMTP_REGIONS): string | null {
  const order = preferred ? [preferred, ...regions.filter((r) => r !== preferred)] : [...regions];
  for (const region of order) if (sameSecret(sesSmtpPassword(secretAccessKey, region), password)) return region;
  return null;
}
