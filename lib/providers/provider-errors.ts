// The replies peculiar to a mail provider, and what each means: Gmail's 534 5.7.9 asks for an
// app password, Microsoft 365's 550 5.7.30 says Basic-auth SMTP is gone. The diagnosis matches a
// server's reply (or a pasted log line) against them; kept apart from the presets so functions
// that only check settings do not carry them.
import { PROVIDERS, type Provider } from './presets.ts';

export interface ProviderError {
  /** A stable name for the diagnosis to key its advice on. */
  id: string;
  /** Tested against the server's reply (code and text). */
  match: RegExp;
  /** The reply as the server sends it. */
  example: string;
  means: string;
  fix: string;
  /** Unique to this provider: it names the provider even when the host is not known. */
  distinctive: boolean;
  documented: boolean;
}

const M365_535 = (id: string, text: string, means: string, fix: string): ProviderError => ({
  id,
  match: new RegExp(`5\\.7\\.139\\b.*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i'),
  example: `535 5.7.139 Authentication unsuccessful, ${text}`,
  means,
  fix,
  distinctive: true,
  documented: false,
});

/** By provider id. */
export const PROVIDER_ERRORS: Readonly<Record<string, readonly ProviderError[]>> = {
  'gmail': [
    { id: 'gmail_app_password_required', match: /\b534[- ]5\.7\.9\b/, example: '534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor', means: 'the account has 2-Step Verification and the normal account password was sent', fix: 'create an app password (Google Account > Security > App passwords) and use its 16 characters, without spaces, as the password', distinctive: true, documented: false },
    { id: 'gmail_bad_credentials', match: /\b535[- ]5\.7\.8\b.*(?:Username and Password not accepted|BadCredentials)/i, example: '535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials', means: 'Google refused the login: 2-Step Verification is off (so no app password exists), the app password has spaces, or the account is under Advanced Protection', fix: 'turn on 2-Step Verification, create an app password and paste it without spaces; Advanced Protection accounts need OAuth', distinctive: true, documented: false },
    { id: 'gmail_too_many_logins', match: /\b454[- ]4\.7\.0\b.*Too many login attempts/i, example: '454-4.7.0 Too many login attempts, please try again later.', means: 'Google throttles logins from this IP after repeated failures', fix: 'stop retrying, fix the password, and try again later', distinctive: true, documented: false },
  ],
  'microsoft365': [
    { id: 'm365_basic_auth_retired', match: /\b5\.7\.30\b.*Basic authentication is not supported/i, example: '550 5.7.30 Basic authentication is not supported for Client Submission.', means: 'Exchange Online no longer accepts a password login (Basic authentication) for SMTP AUTH on this tenant', fix: 'switch the app to OAuth 2.0 (XOAUTH2) or send through Microsoft Graph; or use another provider', distinctive: true, documented: true },
    M365_535('m365_smtp_auth_disabled_tenant', 'SmtpClientAuthentication is disabled for the Tenant', 'SMTP AUTH is turned off for the whole tenant (the default in Exchange Online; Security Defaults also block it)', 'an admin enables SMTP AUTH for the mailbox (Microsoft 365 admin center > user > Mail > Manage email apps > Authenticated SMTP), or the app moves to Microsoft Graph'),
    M365_535('m365_smtp_auth_disabled_mailbox', 'SmtpClientAuthentication is disabled for the Mailbox', 'SMTP AUTH is turned off for this mailbox', 'an admin enables Authenticated SMTP for this mailbox'),
    M365_535('m365_basic_auth_disabled', 'basic authentication is disabled', 'the tenant refuses password logins (Basic authentication)', 'use OAuth 2.0 (XOAUTH2) or Microsoft Graph'),
    M365_535('m365_bad_credentials', 'the user credentials were incorrect', 'wrong address or password, or an MFA account without an app password', 'check the mailbox address and password; accounts with MFA need OAuth'),
    M365_535('m365_criteria_not_met', 'the request did not meet the criteria', 'a Conditional Access or security policy refused the login', 'an admin checks the sign-in logs for the refused login'),
    { id: 'm365_not_authenticated', match: /\b5\.7\.57\b/, example: '530 5.7.57 Client not authenticated to send mail', means: 'the client sent mail without logging in (or the login silently failed)', fix: 'set the username and password (or OAuth token) and use STARTTLS on 587', distinctive: true, documented: false },
  ],
  'sparkpost': [{ id: 'sparkpost_unconfigured_domain', match: /Unconfigured Sending Domain/i, example: '550 5.7.1 Unconfigured Sending Domain <example.com>', means: 'the From domain is not a verified sending domain of the account', fix: 'add and verify the From domain in SparkPost, or send from a verified one', distinctive: true, documented: false }],
};

export interface ProviderErrorMatch {
  provider: Provider;
  error: ProviderError;
}

/**
 * The provider-specific meaning of a server reply: among the provider's own errors when it is
 * known, else among the replies distinctive enough to name their provider.
 */
export function providerErrorFor(reply: string, provider: Provider | null): ProviderErrorMatch | null {
  const pool = provider ? [provider] : PROVIDERS;
  for (const p of pool) {
    for (const error of PROVIDER_ERRORS[p.id] ?? []) if ((provider || error.distinctive) && error.match.test(reply)) return { provider: p, error };
  }
  return null;
}
