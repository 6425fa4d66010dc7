// The send-test engine: one message to one (already allowed) recipient through SMTP or SES, or
// a dry run that renders it without connecting. Returns evidence (the diagnosis adds the
// verdict: lib/diagnosis/send.ts); never throws for anything the network, the server or the API
// does. Every string in the result passes the redactor.
import { randomUUID } from 'node:crypto';
import { createRedactor, redactDeep, type Redactor } from '../security/redact.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { buildTestMessage } from './message.ts';
import type { SendOptions } from './options.ts';
import { SEND_SCHEMA_ID, type SendResult, type SendTarget } from '../model/send-report.ts';
import { renderSmtpMessage, sendViaSmtp, smtpVia } from './smtp.ts';
import { sesRequest, sesVia, sendViaSes, shortKeyId } from './ses.ts';
import { transportReport, type TransportReport } from './transport-report.ts';
import { emptyTlsInfo } from '../smtp/tls-info.ts';

export interface SendTestRun {
  signal?: AbortSignal;
  /** Fixed id (tests); a random UUID otherwise. */
  id?: string;
}

/** The secrets of a send: what the redactor hides everywhere. */
export function sendSecrets(o: SendOptions): { secrets: (string | null | undefined)[]; user: string | null } {
  return o.transport === 'smtp'
    ? { secrets: [o.password], user: o.user }
    : { secrets: [o.credentials.secretAccessKey, o.credentials.sessionToken], user: null };
}

/** The send's result before its verdict, already redacted; `transport` is the raw transport report
 * the diagnosis reads (its strings must pass `redact` before they reach any output). */
export interface SendEvidence {
  result: Omit<SendResult, 'verdict'>;
  transport: TransportReport;
  redact: Redactor;
}

export async function sendTest(o: SendOptions, run: SendTestRun = {}): Promise<SendEvidence> {
  const id = run.id ?? randomUUID();
  const startedAt = new Date();
  const t0 = performance.now();
  const deadline = AbortSignal.timeout(o.timeouts.totalMs);
  const signal = run.signal ? AbortSignal.any([deadline, run.signal]) : deadline;
  const { secrets, user } = sendSecrets(o);
  const redact = createRedactor(secrets, user);

  const via = o.transport === 'smtp' ? smtpVia(o) : sesVia(o);
  const message = buildTestMessage({ id, from: o.from, to: o.to, subject: o.subject, text: o.text, platform: o.platform, via, now: startedAt });

  let report: TransportReport;
  let preview: string | null = null;
  if (o.dryRun) {
    preview = o.transport === 'smtp' ? await renderSmtpMessage(message) : JSON.stringify(sesRequest(message), null, 2);
    report = transportReport({
      outcome: 'ok',
      message: `dry run: valid settings, message rendered; nothing was sent and no connection was made (would send via ${via})`,
    });
  } else {
    report = o.transport === 'smtp' ? await sendViaSmtp(o, message, signal) : await sendViaSes(o, message, signal);
  }

  const target: SendTarget =
    o.transport === 'smtp'
      ? { transport: 'smtp', host: o.host, port: o.port, mode: o.mode, address: report.address ?? null, family: report.family ?? null, user: o.user, source: o.source }
      : { transport: 'ses', region: o.region, endpoint: o.endpoint, accessKeyId: shortKeyId(o.credentials.accessKeyId) };
  const durationMs = Math.round(performance.now() - t0);
  const result: Omit<SendResult, 'verdict'> = {
    schema: SEND_SCHEMA_ID,
    id,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    platform: o.platform,
    startedAt: startedAt.toISOString(),
    durationMs,
    transport: o.transport,
    dryRun: o.dryRun,
    sent: report.sent,
    outcome: report.outcome,
    errno: report.errno,
    message: report.message,
    target,
    envelope: { from: o.from.address, to: [o.to] },
    accepted: report.accepted,
    rejected: report.rejected,
    messageId: report.messageId,
    response: report.response,
    command: report.command,
    tls: report.tls ? emptyTlsInfo(report.tls.error, report.tls.detail) : null,
    timings: { ...report.timings, total: durationMs },
    rendered: {
      from: message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address,
      to: message.to,
      subject: message.subject,
      headers: message.headers,
      text: message.text,
      preview,
    },
  };
  return { result: redactDeep(result, redact), transport: report, redact };
}
