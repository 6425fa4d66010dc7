// The advice catalogue: every fix the tool gives, written once, parameterised, in the words of
// the settings' source (Django env, nodemailer options). The diagnosis decides WHEN a fix applies
// and whether the evidence verifies it; this file only says it. Snippets never write a false
// boolean as "False" (a settings.py that reads booleans with os.environ.get() takes any
// non-empty string as true): false is written as an empty value.
import type { Fix, FixSetting } from '../model/diagnosis.ts';
import type { Mode } from '../model/probe-report.ts';
import type { EgressPolicy } from '../platform/egress-policies.ts';
import type { Provider } from '../providers/presets.ts';
import { enhancedStatus } from '../smtp/reply-parser.ts';

/** How settings are written in a fix: Django's EMAIL_* variables or nodemailer's options. */
export type Dialect = 'django' | 'nodemailer';

/** The timeout the advice recommends, in seconds: long enough for a slow server, short enough for a worker. */
export const RECOMMENDED_TIMEOUT_S = 10;

const fix = (id: string, text: string, settings: FixSetting[] | null = null, verified: Fix['verified'] = null): Fix => ({ id, text, settings, verified });

/** The settings for a port in a mode, complete: port and both TLS flags (or nodemailer's secure). */
export function portSettings(port: number, mode: Mode, d: Dialect): FixSetting[] {
  const ssl = mode === 'implicit-tls';
  const tls = mode === 'starttls' || mode === 'starttls-optional';
  if (d === 'nodemailer') return [{ name: 'port', value: String(port) }, { name: 'secure', value: ssl ? 'true' : 'false' }, ...(tls ? [{ name: 'requireTLS', value: 'true' }] : [])];
  return [
    { name: 'EMAIL_PORT', value: String(port) },
    { name: 'EMAIL_USE_TLS', value: tls ? 'True' : '' },
    { name: 'EMAIL_USE_SSL', value: ssl ? 'True' : '' },
  ];
}

export const settingsText = (s: readonly FixSetting[]): string => s.map((x) => `${x.name}=${x.value}`).join(', ');
const modeWords = (mode: Mode) => (mode === 'implicit-tls' ? 'implicit TLS (SSL)' : mode === 'plain' ? 'no TLS' : 'STARTTLS');

export const advice = {
  /** A port that reached `ok` in this run, in its mode, with every setting it needs. */
  usePort(port: number, mode: Mode, d: Dialect, where: string, verified: Fix['verified']): Fix {
    const s = portSettings(port, mode, d);
    const proof = verified === 'this_run' ? `verified from ${where} in this run, login included` : `it gets out of ${where} and completes the SMTP dialogue in this run`;
    return fix('use-port', `Use port ${port} with ${modeWords(mode)}: ${settingsText(s)} (${proof}).`, s, verified);
  },
  setTlsMode(port: number, spoken: Mode, d: Dialect): Fix {
    if (spoken === 'plain') return fix('set-tls-mode', `Port ${port} speaks plain SMTP without TLS: use the provider's TLS port instead (587 with STARTTLS or 465 with implicit TLS).`);
    const s = portSettings(port, spoken, d);
    return fix('set-tls-mode', `Port ${port} speaks ${modeWords(spoken)}: ${settingsText(s)}.`, s, 'evidence');
  },
  oneTlsFlag(port: number, d: Dialect): Fix {
    const mode: Mode = port === 465 || port === 2465 ? 'implicit-tls' : 'starttls';
    const s = portSettings(port, mode, d);
    return fix('one-tls-flag', `Set only one of the two: for port ${port}, ${settingsText(s)} (leave the other empty; Django raises ValueError when both are true).`, s);
  },
  tlsForLogin(port: number, starttlsOffered: boolean, d: Dialect): Fix {
    if (starttlsOffered) {
      const s = portSettings(port, 'starttls', d);
      return fix('tls-for-login', `Port ${port} offers STARTTLS: turn it on so the login is encrypted: ${settingsText(s)}.`, s, 'evidence');
    }
    return fix('tls-for-login', `Log in only over TLS: use the provider's submission port (587 with STARTTLS, or 465 with implicit TLS).`);
  },
  booleanSpelling(name: string, value: string): Fix {
    return fix('boolean-spelling', `Leave ${name} empty instead of "${value}": a settings.py that reads it with os.environ.get() takes any non-empty text as true.`, [{ name, value: '' }]);
  },
  setTimeout(d: Dialect): Fix {
    return d === 'nodemailer'
      ? fix('set-timeout', `Set connectionTimeout: ${RECOMMENDED_TIMEOUT_S * 1000} (ms) so a blocked port fails fast instead of hanging for 2 minutes.`, [{ name: 'connectionTimeout', value: String(RECOMMENDED_TIMEOUT_S * 1000) }])
      : fix('set-timeout', `Set EMAIL_TIMEOUT=${RECOMMENDED_TIMEOUT_S} so a blocked port fails in seconds instead of hanging a worker for minutes (Django waits on every address in turn).`, [{ name: 'EMAIL_TIMEOUT', value: String(RECOMMENDED_TIMEOUT_S) }]);
  },
  httpsApi(provider: Provider | null): Fix {
    if (provider?.httpsApi) return fix('https-api', `Send through ${provider.name}'s HTTPS API instead of SMTP (port 443 is open where SMTP is not): ${provider.httpsApi}.`);
    return fix('https-api', 'Send through an HTTPS mail API on port 443 instead of SMTP (Amazon SES v2, SendGrid, Mailgun, Postmark, Resend...).');
  },
  switchProvider(provider: Provider, where: string): Fix {
    return fix('switch-provider', `${provider.name} serves no port that gets out of ${where} and has no HTTPS API: switch to a provider that serves port 2525 or has an HTTPS API (SendGrid, Mailgun, Postmark, Brevo, Amazon SES...).`);
  },
  paidPlan(policy: EgressPolicy): Fix {
    return fix('paid-plan', `Or ${policy.lift ?? `move off ${policy.plans}`} (${policy.label}: ${policy.note}).`);
  },
  alternativePort(provider: Provider | null): Fix {
    const alts = provider?.ports.filter((p) => p.port >= 1024).map((p) => `${p.port} (${modeWords(p.mode)})`) ?? [];
    return alts.length > 0
      ? fix('alternative-port', `${provider?.name} also serves ${alts.join(', ')}: probe ${alts.length > 1 ? 'them' : 'it'} from this network (smtp-egress probe --ports ${provider?.ports.filter((p) => p.port >= 1024).map((p) => p.port).join(',')}).`)
      : fix('alternative-port', 'Ask your provider for an alternative port (many serve 2525, 2587 or 2465) and probe it from this network.');
  },
  credentials(provider: Provider | null, response: string | null): Fix {
    const es = enhancedStatus(response);
    if (es === '5.7.9' || /application-specific password/i.test(response ?? '')) return fix('credentials', 'The account needs an app password: create one in the account security settings (Google: 2-Step Verification, then App passwords) and set it as EMAIL_HOST_PASSWORD.');
    if (es === '5.7.139' || es === '5.7.30' || /basic authentication is (disabled|not supported)|SmtpClientAuthentication is disabled/i.test(response ?? ''))
      return fix('credentials', 'Microsoft 365 refuses basic-auth SMTP for this mailbox: enable Authenticated SMTP for it (admin center, Mail, Manage email apps) while Microsoft still allows it, or send through Microsoft Graph or another provider.');
    if (provider?.id === 'ses') return fix('credentials', 'Amazon SES wants its SMTP credentials (IAM console, SMTP settings), not the IAM secret access key: derive the SMTP password with `smtp-egress ses-smtp-password`.');
    if (provider?.fixedUsername) return fix('credentials', `${provider.name}: EMAIL_HOST_USER must be "${provider.fixedUsername}" and EMAIL_HOST_PASSWORD ${provider.username.replace(/^.*?;\s*/, '')}.`);
    return fix('credentials', `Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD against ${provider ? `${provider.name} (${provider.username})` : "the provider's SMTP settings"}; some accounts need an app password.`);
  },
  certName(host: string, altNames: readonly string[]): Fix {
    const names = altNames.filter((n) => !n.startsWith('IP:')).slice(0, 3);
    return fix('cert-name', `The certificate does not name ${host}: set EMAIL_HOST to the name it covers (${names.length ? names.join(', ') : 'see tls.cert.altNames in the report'}). Never an IP address: Django 4+ checks the certificate against EMAIL_HOST.`);
  },
  fixCertificate(): Fix {
    return fix('fix-certificate', 'Ask the provider to fix the certificate; do not turn verification off in production.');
  },
  starttlsPort(): Fix {
    return fix('starttls-port', 'Use the implicit-TLS port (465) with EMAIL_USE_SSL=True, or ask the provider which port offers TLS.');
  },
  submissionPort(): Fix {
    return fix('submission-port', "Use the provider's submission port for logins (587 with STARTTLS or 465 with implicit TLS).");
  },
  blocklist(where: string): Fix {
    return fix('blocklist', `Ask the provider whether it refuses ${where}'s IP range; or send through an HTTPS mail API or a relay the provider allows.`);
  },
  retryElsewhere(): Fix {
    return fix('retry-elsewhere', 'Try again later, and compare with a probe from another network (smtp-egress compare).');
  },
  spelling(host: string): Fix {
    return fix('spelling', `Check the spelling of ${host} against the provider's documentation, and compare with a lookup from another network.`);
  },
  publicName(): Fix {
    return fix('public-name', 'Probe the public name of your mail provider; for a local test only, set SMTP_EGRESS_ALLOW_PRIVATE=1 (or pass --allow-private).');
  },
  localFirewall(): Fix {
    return fix('local-firewall', "Check this machine's own firewall or sandbox rules and its open-file limit (ulimit -n); then probe again.");
  },
  servedPorts(provider: Provider): Fix {
    return fix('served-ports', `${provider.name} serves ${provider.ports.map((p) => `${p.port} (${modeWords(p.mode)})`).join(', ')}.`);
  },
  preferIpv4KeepName(d: Dialect): Fix {
    return d === 'nodemailer'
      ? fix('prefer-ipv4', 'Nothing to change in nodemailer: it connects to IPv4 first. For plain Node sockets, start Node with --dns-result-order=ipv4first.')
      : fix('prefer-ipv4', 'To skip the IPv6 wait, prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100) or keep EMAIL_TIMEOUT short; keep EMAIL_HOST a name (never an IP: Django 4+ checks the certificate against it).');
  },
};

export type AdviceId = keyof typeof advice;
