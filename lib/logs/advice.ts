// Every cause and fix the log classifier gives, written once: one entry per outcome, worded for
// each client family through that family's vocabulary (where TLS, credentials and timeouts are
// set in Django, nodemailer, PHPMailer...), plus the notes that a specific error text adds
// (a Gmail app password, Python's last-address Errno 101, WRONG_VERSION_NUMBER inside starttls()).
// The advice catalogue of lib/diagnosis can later back these entries; the classifier and the
// renderer only read this table.
import type { LogOutcome, MailClient } from '../model/logs-report.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';

export type Family = 'python' | 'node' | 'phpmailer' | 'symfony' | 'ruby' | 'go' | 'smtpclient' | 'mailkit' | 'java' | 'generic';

interface Vocab {
  implicitTls: string;
  starttls: string;
  credentials: string;
  hostPort: string;
  timeout: string;
  ipv4: string;
}

const VOCAB: Record<Family, Vocab> = {
  python: {
    implicitTls: 'EMAIL_USE_SSL=True with EMAIL_USE_TLS empty on port 465 (smtplib.SMTP_SSL)',
    starttls: 'EMAIL_USE_TLS=True with EMAIL_USE_SSL empty on port 587 (smtplib.SMTP, then starttls())',
    credentials: 'EMAIL_HOST_USER / EMAIL_HOST_PASSWORD (smtplib login())',
    hostPort: 'EMAIL_HOST and EMAIL_PORT',
    timeout: 'EMAIL_TIMEOUT=10 (smtplib timeout=10)',
    // Never an IP address in EMAIL_HOST: Django 4+ checks the certificate against it.
    ipv4: 'prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100) and keep EMAIL_HOST a name (Django 4+ checks the certificate against it); Python tries the addresses getaddrinfo returns in order',
  },
  node: {
    implicitTls: 'secure: true on port 465',
    starttls: 'secure: false with requireTLS: true on port 587',
    credentials: 'auth: { user, pass }',
    hostPort: 'host and port of the transport',
    timeout: 'connectionTimeout: 10000 (and greetingTimeout)',
    ipv4: "set host to the server's IPv4 address and tls: { servername: '<the host name>' }",
  },
  phpmailer: {
    implicitTls: "$mail->SMTPSecure = PHPMailer::ENCRYPTION_SMTPS ('ssl') with $mail->Port = 465",
    starttls: "$mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS ('tls') with $mail->Port = 587",
    credentials: '$mail->Username / $mail->Password (with $mail->SMTPAuth = true)',
    hostPort: '$mail->Host and $mail->Port',
    timeout: '$mail->Timeout = 10',
    ipv4: "keep the host a name (TLS checks the certificate against it) and prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100)",
  },
  symfony: {
    implicitTls: 'MAILER_DSN=smtps://USER:PASS@HOST:465 (Laravel: MAIL_SCHEME=smtps / MAIL_ENCRYPTION=ssl, MAIL_PORT=465)',
    starttls: 'MAILER_DSN=smtp://USER:PASS@HOST:587 (Laravel: MAIL_ENCRYPTION=tls, MAIL_PORT=587)',
    credentials: 'the user and password in MAILER_DSN (Laravel: MAIL_USERNAME / MAIL_PASSWORD)',
    hostPort: 'the host and port in MAILER_DSN (Laravel: MAIL_HOST / MAIL_PORT)',
    timeout: 'a timeout in the DSN (?timeout=10; Laravel: the mailer timeout option)',
    ipv4: "keep the host a name (TLS checks the certificate against it) and prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100)",
  },
  ruby: {
    implicitTls: 'tls: true (ssl: true) on port 465 in smtp_settings',
    starttls: 'enable_starttls_auto: true with tls: false on port 587 in smtp_settings',
    credentials: 'user_name / password in config.action_mailer.smtp_settings',
    hostPort: 'address and port in config.action_mailer.smtp_settings',
    timeout: 'open_timeout: 10 and read_timeout: 10 in smtp_settings',
    ipv4: "keep the host a name (TLS checks the certificate against it) and prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100)",
  },
  go: {
    implicitTls: 'tls.Dial to port 465, then smtp.NewClient on that connection',
    starttls: 'smtp.Dial to port 587, then client.StartTLS (smtp.SendMail does it when offered)',
    credentials: 'smtp.PlainAuth("", user, password, host)',
    hostPort: 'the host:port passed to the dialer',
    timeout: 'net.DialTimeout (net/smtp has no timeout of its own)',
    ipv4: 'dial "tcp4" instead of "tcp"',
  },
  smtpclient: {
    implicitTls: 'System.Net.Mail cannot speak implicit TLS: use port 587 with EnableSsl = true, or MailKit with SecureSocketOptions.SslOnConnect on 465',
    starttls: 'EnableSsl = true on port 587',
    credentials: 'Credentials = new NetworkCredential(user, password) with UseDefaultCredentials = false',
    hostPort: 'Host and Port of the SmtpClient',
    timeout: 'SmtpClient.Timeout = 10000',
    ipv4: "keep the host a name (TLS checks the certificate against it) and prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100)",
  },
  mailkit: {
    implicitTls: 'client.Connect(host, 465, SecureSocketOptions.SslOnConnect)',
    starttls: 'client.Connect(host, 587, SecureSocketOptions.StartTls)',
    credentials: 'client.Authenticate(user, password)',
    hostPort: 'the host and port passed to client.Connect',
    timeout: 'client.Timeout = 10000',
    ipv4: "keep the host a name (TLS checks the certificate against it) and prefer IPv4 in the system resolver (/etc/gai.conf: precedence ::ffff:0:0/96 100)",
  },
  java: {
    implicitTls: 'mail.smtp.ssl.enable=true on port 465 (Spring: spring.mail.properties.mail.smtp.ssl.enable=true)',
    starttls: 'mail.smtp.starttls.enable=true and mail.smtp.starttls.required=true on port 587',
    credentials: 'spring.mail.username / spring.mail.password (mail.smtp.auth=true)',
    hostPort: 'spring.mail.host and spring.mail.port (mail.smtp.host / mail.smtp.port)',
    timeout: 'mail.smtp.connectiontimeout=10000 and mail.smtp.timeout=10000 (JavaMail waits forever by default)',
    ipv4: 'start the JVM with -Djava.net.preferIPv4Stack=true',
  },
  generic: {
    implicitTls: 'implicit TLS (SSL) on port 465',
    starttls: 'STARTTLS on port 587',
    credentials: 'the SMTP user and password',
    hostPort: 'the SMTP host and port',
    timeout: 'a connect timeout of about 10 seconds',
    ipv4: "the server's IPv4 address",
  },
};

export const CLIENT_LABEL: Record<MailClient, string> = {
  smtplib: 'smtplib',
  django: 'Django (smtplib)',
  aiosmtplib: 'aiosmtplib',
  nodemailer: 'nodemailer',
  emailjs: 'emailjs',
  phpmailer: 'PHPMailer',
  swiftmailer: 'Swift Mailer',
  'symfony-mailer': 'Symfony Mailer',
  'net-smtp': 'Net::SMTP',
  actionmailer: 'ActionMailer (Net::SMTP)',
  'go-net-smtp': 'Go net/smtp',
  gomail: 'gomail',
  'go-simple-mail': 'go-simple-mail',
  'system-net-mail': 'System.Net.Mail (SmtpClient)',
  mailkit: 'MailKit',
  javamail: 'JavaMail',
  'spring-mail': 'Spring Mail (JavaMail)',
};

const FAMILY_OF_CLIENT: Record<MailClient, Family> = {
  smtplib: 'python', django: 'python', aiosmtplib: 'python',
  nodemailer: 'node', emailjs: 'node',
  phpmailer: 'phpmailer', swiftmailer: 'symfony', 'symfony-mailer': 'symfony',
  'net-smtp': 'ruby', actionmailer: 'ruby',
  'go-net-smtp': 'go', gomail: 'go', 'go-simple-mail': 'go',
  'system-net-mail': 'smtpclient', mailkit: 'mailkit',
  javamail: 'java', 'spring-mail': 'java',
};
const FAMILY_OF_SOURCE: Record<string, Family> = { python: 'python', node: 'node', php: 'phpmailer', ruby: 'ruby', go: 'go', dotnet: 'smtpclient', java: 'java' };

export function familyOf(client: MailClient | null, source: string): Family {
  return client ? FAMILY_OF_CLIENT[client] : (FAMILY_OF_SOURCE[source] ?? 'generic');
}

const PROBE_FIX = 'Run `smtp-egress probe` on the same service (or `node smtp-egress.mjs probe --compare https://SITE/api/probe`): it shows which ports and address families get out.';
const EGRESS_FIXES = [
  'Use an alternative port your provider serves (2525, 2587 or 2465), if it offers one.',
  'Or send through an HTTPS mail API on port 443 instead (Amazon SES v2, SendGrid, Mailgun, Postmark, Resend).',
];

interface Entry {
  summary: string;
  cause: (v: Vocab) => string;
  fixes: (v: Vocab) => string[];
}

/** What each outcome means and what to do, in the order to try it. */
export const ADVICE: Record<LogOutcome, Entry> = {
  network_unreachable: {
    summary: 'the network has no route for the mail connection (ENETUNREACH, Errno 101)',
    cause: () => 'No route out of this network to that address: what an egress blocking outbound SMTP, or an IPv6 address on a network without outbound IPv6, looks like.',
    fixes: (v) => [...EGRESS_FIXES, `If only IPv6 fails, force IPv4: ${v.ipv4}.`, PROBE_FIX],
  },
  host_unreachable: {
    summary: 'there is no route to the mail host (EHOSTUNREACH, Errno 113)',
    cause: () => 'A router or firewall on the way answered "host unreachable": an egress that rejects SMTP, or the host is down or the address is wrong.',
    fixes: (v) => [`Check ${v.hostPort} against your provider's documentation.`, ...EGRESS_FIXES, PROBE_FIX],
  },
  connect_timeout: {
    summary: 'the connection attempt timed out: nothing answered (typical of an egress firewall that drops SMTP)',
    cause: () => 'The connection was never answered: an egress firewall that silently drops outbound SMTP does exactly this; a wrong host or port can too.',
    fixes: (v) => [...EGRESS_FIXES, PROBE_FIX, `Set ${v.timeout} so a blocked port fails fast instead of hanging a worker.`],
  },
  connection_refused: {
    summary: 'the connection was refused (ECONNREFUSED, Errno 111)',
    cause: () => 'Nothing listens on that host and port, or a firewall rejects the connection with a reset.',
    fixes: (v) => [`Check that ${v.hostPort} are set in the service environment and read by the app.`, "Check the port against your provider's documentation (587 STARTTLS, 465 implicit TLS).", PROBE_FIX],
  },
  connection_reset: {
    summary: 'the server closed or reset the connection in the middle of the dialogue',
    cause: () => "The other side dropped the connection: a server refusing the platform's IP (reputation, rate limit), a TLS mode that does not match the port, a connection reused after the server closed it, or a middlebox.",
    fixes: (v) => [`Check the port and TLS mode: ${v.starttls}, or ${v.implicitTls}.`, "Ask the provider whether it drops connections from your platform's IP range.", PROBE_FIX],
  },
  dns_failed: {
    summary: 'the mail host name does not resolve',
    cause: () => 'A typo in the host name (stray quotes, a trailing comma), a record that does not exist, or no working DNS resolver where the app runs.',
    fixes: (v) => [`Check the spelling of ${v.hostPort} against your provider's documentation (no quotes or trailing characters).`, 'Compare with a lookup from another network (dig, or `smtp-egress probe` elsewhere); in a container, check its resolver.'],
  },
  greeting_timeout: {
    summary: 'the connection was made but the server never sent its 220 greeting',
    cause: () => 'A client that waits for a plain-text greeting on an implicit-TLS port (465) never gets one: the server waits for TLS first. A proxy that accepts and stalls does the same.',
    fixes: (v) => [`On 465 use ${v.implicitTls}; on 587 use ${v.starttls}.`, PROBE_FIX],
  },
  smtp_rejected: {
    summary: 'the server answered and refused (a 4xx/5xx reply)',
    cause: () => "The server refused the connection, the sender or a recipient: the platform's IP on a blocklist, an unverified sender (Amazon SES sandbox), or relaying without logging in.",
    fixes: () => ['Read the server reply in the error: it names the reason.', 'Send from an address or domain your provider has verified; in the SES sandbox, verify the recipients too.', "Ask the provider whether it blocks your platform's IP range, or send through its HTTPS API."],
  },
  tls_mode_mismatch: {
    summary: "the client's TLS mode does not match the port (implicit TLS against STARTTLS, or the reverse)",
    cause: () => 'The client started TLS at once on a port that speaks plain SMTP and then STARTTLS (587, 25, 2525), or waited for plain text on the implicit-TLS port 465.',
    fixes: (v) => [`On 587 use ${v.starttls}.`, `On 465 use ${v.implicitTls}.`],
  },
  starttls_unavailable: {
    summary: 'STARTTLS did not happen: the server requires it and the client did not use it, or the server does not offer it',
    cause: () => 'Server and client disagree about STARTTLS on this port: the server demands it and the client did not upgrade, or the client demands it and the server (or a middlebox) does not offer it.',
    fixes: (v) => [`Use ${v.starttls}, or ${v.implicitTls}.`, PROBE_FIX],
  },
  tls_failed: {
    summary: 'the TLS handshake or the certificate check failed',
    cause: () => 'TLS did not come up: a certificate that has expired, names another host or is not trusted here, or a handshake one side broke off (old TLS versions or ciphers).',
    fixes: (v) => [`Use the host name the certificate names in ${v.hostPort} (the provider documents it).`, 'Do not turn certificate checks off in production; update the CA bundle, or ask the provider to fix its certificate or TLS versions.', PROBE_FIX],
  },
  auth_failed: {
    summary: 'the server refused the login',
    cause: () => 'Wrong user or password; an app password needed (Gmail, Outlook with 2FA); SMTP AUTH disabled for the mailbox (Microsoft 365); a login required and none sent; or for Amazon SES a raw IAM secret key used instead of the SMTP password derived from it.',
    fixes: (v) => [`Check ${v.credentials} in the service environment.`, 'Gmail / Outlook: create an app password; Microsoft 365: enable SMTP AUTH for the mailbox.', 'Amazon SES: use the SMTP credentials from the SES console, or derive the SMTP password from the secret key (`smtp-egress check`).'],
  },
  auth_unavailable: {
    summary: 'the server offers no login on this connection',
    cause: () => 'Servers offer AUTH only after STARTTLS: a client on 587 that logs in before starttls() never sees it; a local relay may offer no AUTH at all.',
    fixes: (v) => [`Use ${v.starttls} (upgrade before logging in), or ${v.implicitTls}.`, 'If the server is a relay that needs no login, do not log in.'],
  },
  timeout: {
    summary: 'a step after the connect timed out (TLS, the greeting or a command reply)',
    cause: () => 'The connection was made but a later step got no answer in time: a TLS mode that does not match the port, a slow or overloaded server, or a middlebox.',
    fixes: (v) => [`Check the port and TLS mode: ${v.starttls}, or ${v.implicitTls}.`, PROBE_FIX],
  },
  blocked_by_policy: {
    summary: 'the connection was refused by an address policy',
    cause: () => 'A guard refused the target (a private address or a host not on the allow-list).',
    fixes: () => ['Use the public name of the mail provider.'],
  },
  local_error: {
    summary: 'this machine could not open a socket (EPERM, EACCES, EMFILE, ENOBUFS)',
    cause: () => 'The connection never left this machine: a local firewall or sandbox forbids it (SELinux httpd_can_sendmail, seccomp), or the process ran out of descriptors.',
    fixes: () => ['Check the local firewall or sandbox rules and the process limits (ulimit -n); this says nothing about the mail server.'],
  },
  settings_conflict: {
    summary: 'the mail settings contradict each other: EMAIL_USE_TLS and EMAIL_USE_SSL are both True',
    cause: () => 'Django refuses EMAIL_USE_TLS=True together with EMAIL_USE_SSL=True before it connects anywhere: STARTTLS and implicit TLS are two ways to do the same thing.',
    fixes: (v) => [`Set only one: ${v.starttls}, or ${v.implicitTls}.`],
  },
  ok: { summary: 'no failure', cause: () => 'The connection worked.', fixes: () => [] },
};

/** What a specific error text adds to its outcome's entry: a sharper cause and a first fix. */
interface Note {
  cause: (v: Vocab) => string;
  fix?: (v: Vocab) => string;
}

export const NOTES = {
  'python-last-address': {
    cause: () => "Python's socket.create_connection tries every address getaddrinfo returns, in order, and raises only the last one's error: an [Errno 101] Network is unreachable is usually the IPv6 address's error, after the IPv4 attempt failed first (dropped or refused) and its error was thrown away. Either way no address got out to the mail port.",
  },
  'ipv6-unreachable': {
    cause: () => 'The address tried is IPv6 and this network has no working route for IPv6 (unreachable, not a host that is down): the host has an AAAA record but the app has no outbound IPv6.',
    fix: (v) => `Force IPv4 for the mail connection: ${v.ipv4}.`,
  },
  'no-source-address': {
    cause: () => 'No local address of that family to connect from (EADDRNOTAVAIL): usually an IPv6 address on a host without IPv6.',
    fix: (v) => `Force IPv4 for the mail connection: ${v.ipv4}.`,
  },
  'refused-localhost': {
    cause: () => "The connection went to this machine itself (localhost), where no mail server listens: the mail settings did not reach the app (Django's and ActionMailer's defaults are localhost:25).",
    fix: (v) => `Set ${v.hostPort} in the service environment and check the app reads them.`,
  },
  'dns-server': {
    cause: () => 'The DNS server itself failed (refused, timed out or answered SERVFAIL), not the name: no working resolver where the app runs, or a resolver that blocks the lookup.',
    fix: () => "Check the resolver of the service or container (/etc/resolv.conf; Docker's embedded DNS); compare with `dig` from the same place.",
  },
  'wrong-version': {
    cause: () => 'The client spoke TLS from the first byte (implicit TLS) and the server answered in plain text: a STARTTLS port (587, 25, 2525) configured for SSL.',
    fix: (v) => `On 587 use ${v.starttls}; for implicit TLS use port 465 (${v.implicitTls}).`,
  },
  'wrong-version-in-starttls': {
    cause: () => 'Raised inside starttls(): the client was in STARTTLS mode, the server accepted STARTTLS, and what came back was not TLS. Implicit-TLS settings are not the cause; a proxy, antivirus or load balancer answering STARTTLS without doing it, or a server misconfigured for it, is.',
    fix: (v) => `Try ${v.implicitTls}; if that fails too, look for a proxy or antivirus intercepting SMTP, and compare with \`smtp-egress probe\` from another network.`,
  },
  'plaintext-on-465': {
    cause: () => 'A client that waits for a plain-text greeting was pointed at port 465, where the server waits for TLS first: neither side speaks, and the wait times out.',
    fix: (v) => `On 465 use ${v.implicitTls}; or use port 587 with ${v.starttls}.`,
  },
  'smtpclient-465': {
    cause: () => 'System.Net.Mail.SmtpClient cannot speak implicit TLS: on port 465 it waits for a greeting the server sends only after TLS, and times out.',
    fix: (v) => v.implicitTls,
  },
  'tls-disconnected': {
    cause: () => 'The server closed the connection during the TLS handshake: often a server that only speaks TLS versions or ciphers the client refuses (OpenSSL 3 security level), or a TLS mode that does not match the port.',
    fix: (v) => `Check the TLS mode (${v.starttls}, or ${v.implicitTls}); if the server only speaks TLS 1.0/1.1, ask the provider to update it.`,
  },
  'hostname-mismatch': {
    cause: () => "The server's certificate does not name the host in the settings: the host differs from the name the provider's certificate covers (or an IP address was used).",
    fix: (v) => `Use the host name the certificate names in ${v.hostPort}.`,
  },
  'self-signed': {
    cause: () => 'The server presents a self-signed certificate, or one from a private CA (an antivirus or corporate proxy re-signing TLS does this too): this client does not trust it.',
    fix: () => "Trust the server's CA explicitly, or send through a provider with a public certificate; turn off antivirus SMTP scanning if it re-signs the connection.",
  },
  untrusted: {
    cause: () => "The server's certificate chain does not lead to an authority this client trusts: a missing intermediate, a private CA, or an outdated CA bundle (Java's cacerts, a container without ca-certificates).",
    fix: () => 'Update the CA bundle of the runtime (ca-certificates, the JDK cacerts), or trust the private CA explicitly.',
  },
  'starttls-required': {
    cause: () => 'The server requires STARTTLS before mail or login (530 5.7.0 "Must issue a STARTTLS command first", 451 5.7.3 "STARTTLS is required"): the client sent in plain text without upgrading.',
    fix: (v) => `Turn STARTTLS on: ${v.starttls}.`,
  },
  'starttls-not-offered': {
    cause: () => 'The client requires STARTTLS and the server does not offer it on this port: a port meant for implicit TLS or plain relaying, or a middlebox stripping STARTTLS.',
    fix: (v) => `Use the submission port with ${v.starttls}, or ${v.implicitTls}.`,
  },
  'unencrypted-auth': {
    cause: () => 'Go net/smtp will not send a password over an unencrypted connection (PlainAuth needs TLS except to localhost): the server did not offer STARTTLS, or the client did not use it.',
    fix: (v) => `Use ${v.starttls}, or ${v.implicitTls}.`,
  },
  'gmail-app-password': {
    cause: () => 'The account has two-factor authentication: Google (or Microsoft) wants an app password, not the account password.',
    fix: (v) => `Create an app password (Google Account > Security > App passwords) and use it in ${v.credentials}.`,
  },
  'gmail-bad-credentials': {
    cause: () => 'Gmail refused the user name and password: with 2FA it needs an app password, and the user must be the full address.',
    fix: (v) => `Use the full Gmail address and an app password in ${v.credentials}.`,
  },
  'gmail-web-login': {
    cause: () => 'Google blocked the sign-in as suspicious (534 5.7.14 "Please log in via your web browser"): a new location such as a cloud data centre, or an account without an app password.',
    fix: (v) => `Use an app password in ${v.credentials}; sign in once from a browser and confirm the activity.`,
  },
  'ms365-smtp-auth-disabled': {
    cause: () => 'Microsoft 365 refused the login: SMTP AUTH (basic authentication) is disabled for the tenant or the mailbox (5.7.139 / 5.7.3).',
    fix: () => 'Enable Authenticated SMTP for the mailbox in the Microsoft 365 admin center (or send through Microsoft Graph / an API with OAuth).',
  },
  'ses-credentials': {
    cause: () => 'Amazon SES refused the SMTP credentials: the SMTP password is derived from the IAM secret key (it is not the secret key itself), per region, and the user is the access key id.',
    fix: () => "Create SMTP credentials in the SES console, or derive the SMTP password from the secret key for the endpoint's region (`smtp-egress check`).",
  },
  'login-required': {
    cause: () => 'The server wants a login before it takes mail (530 5.7.0 / 5.7.57 "Client was not authenticated"): the client sent without logging in; the credentials are empty or not read.',
    fix: (v) => `Set ${v.credentials} in the service environment and make the client log in.`,
  },
  'missing-credentials': {
    cause: () => 'nodemailer had no user or password to log in with: the auth settings did not reach the app.',
    fix: (v) => `Set the SMTP user and password in the service environment and pass them as ${v.credentials}.`,
  },
  'auth-before-starttls': {
    cause: () => 'The server offers no AUTH on this connection. On 587 this usually means the client tried to log in before starttls(): servers offer AUTH only after the upgrade.',
    fix: (v) => `Upgrade first: ${v.starttls}.`,
  },
  'ip-blocklist': {
    cause: () => "The server refused because of the sending IP's or domain's reputation (a Spamhaus or other blocklist listing): common for shared cloud egress IPs.",
    fix: () => "Send through your provider's authenticated submission port or HTTPS API instead of direct delivery; check the listing and request removal.",
  },
  'ses-not-verified': {
    cause: () => 'Amazon SES refused the message: the sender (or, in the sandbox, a recipient) is not verified.',
    fix: () => 'Verify the sender address or domain in SES; in the sandbox verify the recipients or request production access.',
  },
  'reply-timeout': {
    cause: () => 'The server itself reported a timeout (4.4.x): the connection was up and the server gave up on a later step.',
  },
  'read-timeout': {
    cause: () => 'A read on an open connection timed out ("The read operation timed out"): the connection was made, then the server stopped answering (TLS or a command reply).',
  },
  'tls-handshake-timeout': {
    cause: () => 'The TLS handshake timed out after the connection was made ("The handshake operation timed out"): often a TLS mode that does not match the port, or a middlebox.',
  },
  'command-timeout': {
    cause: () => 'Connected, then the reply to an SMTP command did not come in time: a slow or overloaded server, or a middlebox.',
  },
  'worker-timeout': {
    cause: () => 'gunicorn killed the worker (WORKER TIMEOUT) inside the mail connection: the connect hung until the worker timeout, the signature of an egress firewall dropping SMTP with no mail timeout set.',
    fix: (v) => `Set ${v.timeout} so the mail connection fails in seconds, not at the worker timeout; then see which port gets out.`,
  },
  'disconnected-after-failure': {
    cause: () => 'No open connection when it was used: an earlier failure closed it (see the first error above), or a connection was reused after the server dropped it.',
  },
  'eof-from-server': {
    cause: () => 'The server closed the connection without a reply (end of stream): a TLS mode that does not match the port, a server dropping clients from the platform\'s IP, or a pooled connection reused after the server closed it.',
  },
  'undetermined-socket': {
    cause: () => 'A socket error (refused, unreachable, reset or TLS) whose error object does not say which in the lines shown.',
  },
  'wrapper-only': {
    cause: () => 'A mail error whose wrapper is shown without the inner exception that says which failure it is.',
  },
} satisfies Record<string, Note>;
export type NoteId = keyof typeof NOTES;

export function vocabFor(family: Family): Vocab {
  return VOCAB[family];
}

/** The cause and fixes of one error: its note first, then its outcome's entry. */
export function adviceFor(outcome: LogOutcome, family: Family, note: NoteId | null): { cause: string; fixes: string[] } {
  const v = VOCAB[family];
  const entry = ADVICE[outcome];
  const n: Note | null = note ? NOTES[note] : null;
  const fixes = [...(n?.fix ? [n.fix(v)] : []), ...entry.fixes(v)];
  return { cause: n ? n.cause(v) : entry.cause(v), fixes: [...new Set(fixes)] };
}

/** Outcomes where a platform's SMTP block is a likely cause. */
const BLOCK_OUTCOMES: readonly LogOutcome[] = ['network_unreachable', 'host_unreachable', 'connect_timeout', 'timeout'];

/** The platform's own policy, when the platform is known and the outcome is one its block causes. */
export function platformAdvice(platform: string | null, outcome: LogOutcome, port: number | null): { cause: string; fix: string | null } | null {
  if (!platform) return null;
  const policy = egressPolicyFor(platform);
  if (!policy || !BLOCK_OUTCOMES.includes(outcome)) return null;
  if (port !== null && !policy.blockedPorts.includes(port)) return null;
  return {
    cause: `These logs come from ${policy.label}: ${policy.note} (${policy.source}).`,
    fix: policy.lift ? `On ${policy.label}: ${policy.lift}.` : null,
  };
}
