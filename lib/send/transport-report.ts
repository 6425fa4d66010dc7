// What one transport (SMTP via nodemailer, SES v2, the dry run) found out, before the diagnosis
// reads it: the outcome, the server's or API's answer, and where it happened.
import type { Family, Mode, TlsErrorReason } from '../model/probe-report.ts';
import type { SendOutcome } from '../model/send-report.ts';

/** What a transport found out; the engine wraps it into a SendResult. */
export interface TransportReport {
  outcome: SendOutcome;
  errno: string | null;
  message: string;
  sent: boolean;
  accepted: string[];
  rejected: string[];
  messageId: string | null;
  response: string | null;
  command: string | null;
  tls: { error: TlsErrorReason; detail: string | null } | null;
  timings: { dns?: number; envelope?: number; message?: number; api?: number };
  address?: string | null;
  family?: Family | null;
  detectedMode?: Mode | null;
}

/** A report with nothing sent yet; `fields` says what happened (each transport and the dry run). */
export function transportReport(fields: Partial<TransportReport> & Pick<TransportReport, 'outcome' | 'message'>): TransportReport {
  return { errno: null, sent: false, accepted: [], rejected: [], messageId: null, response: null, command: null, tls: null, timings: {}, ...fields };
}
