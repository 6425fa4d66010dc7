// From a transport's outcome to a verdict with causes and fixes. SMTP outcomes the probe knows
// (connect_timeout, auth_failed, tls_mode_mismatch...) go through the probe's own verdict, so a
// blocked port reads the same whether a probe or a send found it; what only sending meets
// (the envelope refused, the SES API's refusals) is explained here.
import type { Attempt, Outcome } from '../model/probe-report.ts';
import { OUTCOMES } from '../model/probe-report.ts';
import type { SendOutcome, SendVerdict, SendVerdictCode } from '../model/send-report.ts';
import { computeVerdict } from './verdict.ts';
import { platformLabel } from '../platform/detect.ts';
import { emptyTlsInfo } from '../smtp/tls-info.ts';
import type { SendOptions } from '../send/options.ts';
import type { TransportReport } from '../send/transport-report.ts';

const isProbeOutcome = (o: SendOutcome): o is Outcome => (OUTCOMES as readonly string[]).includes(o);

const sesEndpoint = (o: SendOptions) => (o.transport === 'ses' ? (o.endpoint ?? `https://email.${o.region}.amazonaws.com`) : '');

export function sendVerdict(opts: SendOptions, r: TransportReport, id: string): SendVerdict {
  const where = platformLabel(opts.platform);
  if (opts.dryRun) {
    return { code: 'dry_run', summary: 'Dry run: the settings are valid and the message is rendered; nothing was sent and no connection was made.', causes: [], fixes: [] };
  }
  if (r.sent) {
    const via = opts.transport === 'smtp' ? `${opts.host}:${opts.port}` : `the SES API (${opts.region})`;
    return {
      code: 'sent',
      summary: `${via} accepted the message to ${opts.to} from ${where}${r.response ? ` (${r.response})` : ''}. Look for ${id} in its X-Smtp-Egress-Id header (check the spam folder too).`,
      causes: [],
      fixes: [],
    };
  }
  const summary = `The message was not sent: ${r.message}`;

  if (opts.transport === 'smtp' && isProbeOutcome(r.outcome)) {
    const attempt: Attempt = {
      port: opts.port,
      mode: opts.mode,
      detectedMode: r.detectedMode ?? null,
      address: r.address ?? null,
      family: r.family ?? null,
      outcome: r.outcome,
      errno: r.errno,
      message: r.message,
      phases: {},
      banner: null,
      capabilities: [],
      tls: r.tls ? emptyTlsInfo(r.tls.error, r.tls.detail) : null,
      auth:
        r.outcome === 'auth_failed' ? { mechanisms: [], result: 'failed', response: r.response } : r.outcome === 'auth_unavailable' ? { mechanisms: [], result: 'unavailable', response: r.response } : null,
      transcript: [],
    };
    const v = computeVerdict([attempt], opts.platform, opts.host);
    return { code: v.code, summary, causes: v.causes, fixes: v.fixes };
  }

  const own = (code: SendVerdictCode, causes: string[], fixes: string[]): SendVerdict => ({ code, summary, causes, fixes });
  switch (r.outcome) {
    case 'sender_rejected':
      return own(
        'sender_rejected',
        ['The server does not let this account send as this address: the address or its domain is not verified with the provider, or the server refuses to relay for it.'],
        ["Send from an address or domain the provider has verified for this account, and set DEFAULT_FROM_EMAIL to it.", 'Log in if the server needs it (EMAIL_HOST_USER and EMAIL_HOST_PASSWORD).'],
      );
    case 'recipient_rejected':
      return own(
        'recipient_rejected',
        ['The server refuses to deliver to this recipient: relaying is denied without a login, the mailbox does not exist, or the account is in a sandbox that only delivers to verified recipients.'],
        ['Log in (EMAIL_HOST_USER and EMAIL_HOST_PASSWORD): most submission servers relay only for logged-in users.', 'Check the address; in a provider sandbox (Amazon SES), verify the recipient or request production access.'],
      );
    case 'message_rejected':
      return own(
        'message_rejected',
        ['The server accepted the envelope but refused the message: a content or policy filter, its size, or a From domain the provider may not send for (SPF/DKIM/DMARC).'],
        ["Send from a domain the provider signs for (set up its SPF and DKIM records), and read the server's reply for the exact rule."],
      );
    case 'ses_unverified_identity':
      return own(
        'ses_unverified_identity',
        [`The sender ${opts.from.address} (or its domain) is not a verified identity in SES ${opts.transport === 'ses' ? opts.region : ''}; while the account is in the SES sandbox, the recipient must be verified too.`],
        [
          `Verify ${opts.from.address} or its domain in the SES console for region ${opts.transport === 'ses' ? opts.region : ''} (identities are per region).`,
          'In the sandbox, verify the recipient as well, or request production access.',
        ],
      );
    case 'ses_message_rejected':
      return own(
        'ses_message_rejected',
        ['SES refused the message: its content, or a recipient on the account-level suppression list.'],
        ["Read the API's message in `response`; check the account's suppression list in the SES console."],
      );
    case 'ses_access_denied':
      return own(
        'ses_access_denied',
        ['The IAM identity behind this key may not call ses:SendEmail (for this identity or region).'],
        ['Attach a policy allowing ses:SendEmail (and ses:SendRawEmail) on the sending identity to the IAM user or role of this key.'],
      );
    case 'ses_bad_credentials':
      return own(
        'ses_bad_credentials',
        ['The access key id is unknown, the secret key is wrong, or a session token has expired. The SES SMTP password is not the API secret: the API wants the IAM secret access key itself.'],
        [
          'Set SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) to an active IAM access key; on Netlify use the SES_* names, the AWS_* ones are reserved there.',
        ],
      );
    case 'ses_throttled':
      return own('ses_throttled', ['The sending rate or the 24-hour quota of the SES account is exceeded.'], ['Wait and try again; request a higher quota in the SES console.']);
    case 'ses_sending_paused':
      return own('ses_sending_paused', ['Sending is paused or the SES account is suspended (bounce or complaint rates, or a review).'], ['Check the account dashboard in the SES console and resolve the review before sending.']);
    case 'ses_bad_request':
      return own('ses_bad_request', ['The SES API refused the request as malformed (an empty subject, a bad address, a header it does not allow).'], ["Read the API's message in `response`."]);
    case 'ses_service_error':
      return own('ses_service_error', ['The SES API answered with a server error.'], ['Try again later; check the AWS Health Dashboard for SES in this region.']);
    default:
      break;
  }
  if (opts.transport === 'ses' && r.outcome !== 'failed') {
    return own(
      'api_unreachable',
      [`The SES API endpoint ${sesEndpoint(opts)} could not be reached from ${where} (${r.outcome.replace(/_/g, ' ')}): outbound HTTPS is blocked on this network, DNS fails, or the endpoint is wrong.`],
      ['Check the region (SES_REGION / AWS_REGION) and any endpoint override (AWS_ENDPOINT_URL_SESV2).', `Check that ${where} allows outbound HTTPS on port 443.`],
    );
  }
  return own('failed', [], ['Read the message and response fields; run smtp-egress probe for the SMTP path.']);
}
