// The test message: it says where it came from (platform, region, deploy context, tool version,
// the transport) in its body and in X-Smtp-Egress-* headers, so whoever receives it can tell
// which platform's egress delivered it and match it to the send result by its id.
import type { Platform } from '../model/probe-report.ts';
import { platformLabel } from '../platform/detect.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import type { MailAddress } from './options.ts';

export const ID_HEADER = 'X-Smtp-Egress-Id';

export interface TestMessageInput {
  id: string;
  from: MailAddress;
  to: string;
  subject: string | null;
  text: string | null;
  platform: Platform;
  /** How it is sent, in words: "SMTP smtp.example.com:587 (starttls)". */
  via: string;
  now: Date;
}

export interface TestMessage {
  from: MailAddress;
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** Header values come partly from env (region, deploy context): keep them on one clean line. */
// eslint-disable-next-line no-control-regex
const headerValue = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);

export function buildTestMessage(m: TestMessageInput): TestMessage {
  const where = platformLabel(m.platform);
  const context = m.platform.deployContext ? `, ${m.platform.deployContext}` : '';
  const subject = m.subject ?? `${TOOL_NAME} test from ${where} (${m.id.slice(0, 8)})`;
  const lines = [
    `This is a test message sent by ${TOOL_NAME} ${TOOL_VERSION}.`,
    '',
    `Sent from: ${where}${context}`,
    `Runtime:   ${m.platform.runtime}`,
    `Sent via:  ${m.via}`,
    `Sent at:   ${m.now.toISOString()}`,
    `Id:        ${m.id}`,
    `           (also in the ${ID_HEADER} header)`,
    '',
    `If you are reading this, mail gets out of ${where} this way.`,
  ];
  if (m.text) lines.push('', m.text);
  return {
    from: m.from,
    to: m.to,
    subject,
    text: `${lines.join('\n')}\n`,
    headers: {
      [ID_HEADER]: m.id,
      'X-Smtp-Egress-Platform': headerValue(`${where}${context}`),
      'X-Smtp-Egress-Version': `${TOOL_NAME} ${TOOL_VERSION}`,
      'X-Smtp-Egress-Transport': headerValue(m.via),
    },
  };
}

/** "Name <a@b>" for display and for SES's FromEmailAddress (non-ASCII names as an RFC 2047 word). */
export function formatAddress(a: MailAddress): string {
  if (!a.name) return a.address;
  const name = /^[\u0020-\u007e]*$/.test(a.name) ? `"${a.name}"` : `=?UTF-8?B?${Buffer.from(a.name, 'utf8').toString('base64')}?=`;
  return `${name} <${a.address}>`;
}
