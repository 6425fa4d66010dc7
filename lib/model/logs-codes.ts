// The plain constants of the logs report (its schema id, its outcome codes, the mail clients it
// names), apart from the zod schemas: the classifier needs only these, so a bundle that runs it
// (the classify-logs function) does not carry the report's schemas.
import { OUTCOMES } from './outcomes.ts';

export const LOGS_SCHEMA_ID = 'smtp-egress/logs@2';

/**
 * The probe's outcome codes, plus the codes only a log can show: `settings_conflict` is a
 * settings error the client raised before any connection (Django's "EMAIL_USE_TLS/EMAIL_USE_SSL
 * are mutually exclusive"; the diagnosis's finding of the same name).
 */
export const LOG_OUTCOMES = [...OUTCOMES, 'settings_conflict'] as const;

/** The mail clients an error can be tied to. */
export const MAIL_CLIENTS = [
  'smtplib',
  'django',
  'aiosmtplib',
  'nodemailer',
  'emailjs',
  'phpmailer',
  'swiftmailer',
  'symfony-mailer',
  'net-smtp',
  'actionmailer',
  'go-net-smtp',
  'gomail',
  'go-simple-mail',
  'system-net-mail',
  'mailkit',
  'javamail',
  'spring-mail',
] as const;
