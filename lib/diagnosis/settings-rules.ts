// The rules: from normalised settings (and what the reader already found) to findings, each with
// the fix in the source's own terms and, when the fix is a value, a patch for the corrected
// snippet. Offline: no rule resolves a name or opens a connection.
import net from 'node:net';
import { egressPolicyFor } from '../platform/egress-policies.ts';
import { organisationalDomain, parseAddress } from '../settings/address.ts';
import { providerForHost, providerPort, type Provider, type ProviderMatch, type ProviderMode } from '../providers/presets.ts';
import type { Finding } from '../model/config-report.ts';
import { SES_SMTP_REGIONS, regionOfSesPassword, sameSecret, sesPasswordShape, sesSmtpHost } from '../providers/ses-smtp-password.ts';
import { DJANGO_SMTP_BACKEND, finding, type MailSettings, type ReadResult } from '../settings/mail-settings.ts';

export const STARTTLS_PORTS: readonly number[] = [25, 587, 2525, 2587];
export const IMPLICIT_TLS_PORTS: readonly number[] = [465, 2465];
/** The EMAIL_TIMEOUT recommended when none is set: well under gunicorn's 30 s and Netlify's 60 s. */
export const RECOMMENDED_TIMEOUT_S = 10;

const HTTPS_API_BACKENDS = /anymail|django_ses|sendgrid_backend|postmarker|django_mailgun|brevo|sendinblue|resend|mailjet/i;
const NO_SEND_BACKENDS = /\.(console|locmem|dummy|filebased)\.EmailBackend$/;

export type SettingsPatch = Partial<Pick<MailSettings, 'host' | 'port' | 'useTls' | 'useSsl' | 'user' | 'timeout' | 'serverEmail' | 'from'>>;

export interface RuleFinding extends Finding {
  patch?: SettingsPatch;
  /** The corrected password must be derived (SES): the snippet names the command. */
  derivePasswordFor?: string;
}

export interface RuleContext {
  /** The platform whose egress policy applies, or null for none. */
  platform: string | null;
}

export interface RuleOutput {
  findings: RuleFinding[];
  provider: ProviderMatch | null;
}

type Dialect = 'django' | 'django-url' | 'nodemailer-url' | 'nodemailer';

function dialectOf(r: ReadResult): Dialect {
  if (r.source === 'nodemailer') return r.fields.host === 'host' ? 'nodemailer' : 'nodemailer-url';
  if (r.urlDialect === 'django-environ') return 'django-url';
  if (r.urlDialect === 'nodemailer') return 'nodemailer-url';
  return 'django';
}

/** "EMAIL_USE_TLS=True and EMAIL_USE_SSL empty with EMAIL_PORT=587", in each source's terms. */
export function modePhrase(d: Dialect, mode: ProviderMode | 'none', port?: number): string {
  const p = port === undefined ? '' : port;
  switch (d) {
    case 'django':
      return `${mode === 'implicit-tls' ? 'EMAIL_USE_SSL=True and EMAIL_USE_TLS empty' : mode === 'starttls' ? 'EMAIL_USE_TLS=True and EMAIL_USE_SSL empty' : 'EMAIL_USE_TLS and EMAIL_USE_SSL empty'}${p ? ` with EMAIL_PORT=${p}` : ''}`;
    case 'django-url':
      return `the ${mode === 'implicit-tls' ? 'smtp+ssl://' : mode === 'starttls' ? 'smtp+tls://' : 'smtp://'} scheme${p ? ` and port ${p}` : ''}`;
    case 'nodemailer-url':
      return `the ${mode === 'implicit-tls' ? 'smtps://' : 'smtp://'} scheme${p ? ` and port ${p}` : ''}`;
    case 'nodemailer':
      return `${mode === 'implicit-tls' ? 'secure: true' : mode === 'starttls' ? 'secure: false, requireTLS: true' : 'secure: false, ignoreTLS: true'}${p ? `, port: ${p}` : ''}`;
  }
}

/**
 * "set FIELD=VALUE" in the words of the source the field came from: an env variable
 * (EMAIL_TIMEOUT=10), a part of a URL (?timeout=10 in the URL, the host of the URL) or a
 * nodemailer option (connectionTimeout: 10000). The readers name URL parts `url (?timeout=)`,
 * `url (host)`, `url (port)`.
 */
export function assignment(field: string, value: string | number): string {
  const part = /^(.+) \((\?[\w-]+=|host|port|username|password|scheme)\)$/.exec(field);
  if (part) {
    const [, name, what] = part as unknown as [string, string, string];
    const base = name === 'url' ? 'the URL' : name;
    if (what.startsWith('?')) return `add ${what}${value} to ${base}`;
    if (what === 'port') return `put :${value} after the host in ${base}`;
    return `make ${value} the ${what} of ${base}`;
  }
  if (/^[A-Z][A-Z0-9_]*$/.test(field)) return `set ${field}=${value}`;
  return `set ${field}: ${typeof value === 'number' ? value : JSON.stringify(value)}`;
}

const modePatch = (mode: ProviderMode, port?: number): SettingsPatch => ({ useSsl: mode === 'implicit-tls', useTls: mode === 'starttls', ...(port === undefined ? {} : { port }) });
const modeWord = (mode: ProviderMode) => (mode === 'implicit-tls' ? 'TLS from the first byte' : 'STARTTLS');
const portList = (p: Provider) => {
  const of = (m: ProviderMode) => p.ports.filter((x) => x.mode === m).map((x) => x.port);
  const parts = [];
  if (of('starttls').length) parts.push(`${of('starttls').join(', ')} (STARTTLS)`);
  if (of('implicit-tls').length) parts.push(`${of('implicit-tls').join(', ')} (TLS)`);
  return parts.join(', ');
};
const isLocal = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '::1';

export function runRules(r: ReadResult, ctx: RuleContext): RuleOutput {
  const s = r.settings;
  const F = r.fields;
  const d = dialectOf(r);
  const django = d === 'django' || d === 'django-url';
  const out: RuleFinding[] = [];
  const add = (f: RuleFinding) => out.push(f);
  const readerFound = (code: Finding['code'], field?: string) => r.findings.some((f) => f.code === code && (field === undefined || f.field === field));
  if (r.fatal) return { findings: out, provider: null };

  // --- backend ---------------------------------------------------------------------------
  if (s.backend && s.backend !== DJANGO_SMTP_BACKEND) {
    if (NO_SEND_BACKENDS.test(s.backend)) {
      add({
        ...finding('warning', 'backend_not_smtp', F.backend, `EMAIL_BACKEND is ${s.backend}: Django does not send mail with it (it prints, keeps or drops each message), whatever the SMTP settings say`, `remove EMAIL_BACKEND or set it to ${DJANGO_SMTP_BACKEND}`),
      });
      fromRules();
      return { findings: out, provider: null };
    }
    if (HTTPS_API_BACKENDS.test(s.backend)) {
      add(finding('info', 'backend_https_api', F.backend, `EMAIL_BACKEND is ${s.backend}, which sends through an HTTPS API: SMTP ports and EMAIL_PORT/EMAIL_USE_TLS/EMAIL_USE_SSL do not apply`, null));
      fromRules();
      return { findings: out, provider: null };
    }
    add(finding('info', 'backend_not_smtp', F.backend, `EMAIL_BACKEND is ${s.backend}, not Django's SMTP backend: this check assumes it reads the EMAIL_* settings the same way`, null));
  }

  // --- host ------------------------------------------------------------------------------
  let host = s.host;
  if (host === null) {
    if (!readerFound('invalid_url') && !readerFound('invalid_json')) {
      add(
        finding(
          'error',
          'missing_field',
          F.host,
          django ? `${F.host} is not set: Django then connects to localhost, where a hosted app has no mail server (Connection refused)` : `${F.host} is not set: nodemailer then connects to localhost`,
          `set ${F.host} to your provider's SMTP host, e.g. smtp.example.com`,
        ),
      );
    }
  } else {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)(?::(\d+))?/i.exec(host);
    const hostPort = /^([^:/\s]+):(\d{1,5})$/.exec(host);
    if (scheme) {
      add({ ...finding('error', 'invalid_host', F.host, `${F.host} is "${host}": a host name only, without a scheme`, assignment(F.host, scheme[1] as string)), patch: { host: scheme[1] as string, ...(scheme[2] ? { port: Number(scheme[2]) } : {}) } });
      host = scheme[1] as string;
    } else if (hostPort) {
      add({ ...finding('error', 'invalid_host', F.host, `${F.host} is "${host}": the port goes in ${F.port}, not in the host`, `${assignment(F.host, hostPort[1] as string)} and ${assignment(F.port, hostPort[2] as string).replace(/^set /, '')}`), patch: { host: hostPort[1] as string, port: Number(hostPort[2]) } });
      host = hostPort[1] as string;
    } else if (net.isIP(host.replace(/^\[(.*)\]$/, '$1'))) {
      add(
        finding(
          'warning',
          'host_is_ip_address',
          F.host,
          `${F.host} is an IP address: the server's TLS certificate names a host, not an address, so certificate checks fail, and a provider's addresses change without notice`,
          `set ${F.host} to the provider's host name`,
        ),
      );
    } else if (!/^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*\.?$/i.test(host)) {
      add(finding('error', 'invalid_host', F.host, `${F.host} is "${host.slice(0, 80)}", which is not a host name (letters, digits, hyphens and dots)`, `set ${F.host} to your provider's SMTP host, e.g. smtp.example.com`));
      host = null;
    }
  }
  const match = providerForHost(host);
  const provider = match?.provider ?? null;

  // --- port and TLS mode -----------------------------------------------------------------
  const port = s.port;
  if (port === null && !readerFound('invalid_port')) {
    const best = provider?.ports[0] ?? { port: 587, mode: 'starttls' as const };
    add({
      ...finding(
        'warning',
        'missing_field',
        F.port,
        django ? `${F.port} is not set: Django then uses port 25, which most platforms block and most providers keep for server-to-server relay` : `${F.port} is not set`,
        `set ${modePhrase(d, best.mode, best.port)}`,
      ),
      patch: modePatch(best.mode, best.port),
    });
  }
  const modePort = port ?? (django && !readerFound('invalid_port') ? 25 : null);
  const tls = s.useTls === true;
  const ssl = s.useSsl === true;
  /** The mode after the fixes below: the platform rule picks an alternative port for it. */
  let fixedMode: ProviderMode = ssl && !tls ? 'implicit-tls' : 'starttls';
  const current = d === 'nodemailer' ? `secure: ${ssl}` : d === 'django' ? `${F.useTls}=${tls ? 'True' : 'False'}, ${F.useSsl}=${ssl ? 'True' : 'False'}` : 'the URL scheme';
  if (tls && ssl) {
    const implicit = modePort !== null && IMPLICIT_TLS_PORTS.includes(modePort);
    add({
      ...finding(
        'error',
        'tls_and_ssl_both_true',
        implicit ? F.useTls : F.useSsl,
        `${F.useTls} and ${F.useSsl} are both on: Django refuses to send ("EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True")`,
        implicit ? `for port ${modePort} set ${modePhrase(d, 'implicit-tls')}` : `for port ${modePort ?? 587} set ${modePhrase(d, 'starttls')}`,
      ),
      patch: modePatch(implicit ? 'implicit-tls' : 'starttls'),
    });
    fixedMode = implicit ? 'implicit-tls' : 'starttls';
  } else if (modePort !== null && ssl && STARTTLS_PORTS.includes(modePort)) {
    const alt = provider?.ports.find((p) => p.mode === 'implicit-tls');
    add({
      ...finding(
        'error',
        'ssl_on_starttls_port',
        F.useSsl,
        `${current} starts TLS at once, but port ${modePort}${port === null ? " (Django's default)" : ''} speaks plain SMTP first and upgrades with STARTTLS: the handshake fails ("wrong version number") or hangs until the timeout`,
        `set ${modePhrase(d, 'starttls', modePort)}${alt || !provider ? `, or keep TLS from the first byte on port ${alt?.port ?? 465}` : ''}`,
      ),
      patch: modePatch('starttls'),
    });
    fixedMode = 'starttls';
  } else if (modePort !== null && !ssl && IMPLICIT_TLS_PORTS.includes(modePort)) {
    add({
      ...finding(
        'error',
        'tls_on_implicit_port',
        tls && d !== 'nodemailer' ? F.useTls : F.useSsl,
        `port ${modePort} expects TLS from the first byte, but ${current} (${tls ? 'STARTTLS' : 'no TLS'}) makes the client wait for a plain-text greeting the server never sends: the connection hangs until the timeout or is dropped`,
        `set ${modePhrase(d, 'implicit-tls', modePort)}, or keep STARTTLS on port 587`,
      ),
      patch: modePatch('implicit-tls'),
    });
    fixedMode = 'implicit-tls';
  } else if (!tls && !ssl && (s.useTls !== null || s.useSsl !== null || django) && host !== null && !isLocal(host)) {
    const creds = Boolean(s.user && s.password);
    const target = modePort !== null && STARTTLS_PORTS.includes(modePort) ? modePort : 587;
    add({
      ...finding(
        creds ? 'error' : 'warning',
        'no_encryption',
        F.useTls,
        `neither STARTTLS nor TLS is on: ${creds ? 'the login and ' : ''}every message cross the network in clear text${creds ? ', and most providers refuse to log in before STARTTLS ("530 Must issue a STARTTLS command first")' : ''}`,
        `set ${modePhrase(d, 'starttls', target)}`,
      ),
      patch: modePatch('starttls', target === modePort ? undefined : target),
    });
  }
  if (r.opportunisticTls && s.user && (s.useSsl === false || s.useSsl === null)) {
    add(finding('info', 'starttls_not_required', d === 'nodemailer' ? 'requireTLS' : F.useTls, 'STARTTLS is used only if the server offers it: a server or middlebox that hides it gets the password in clear text', d === 'nodemailer' ? 'add requireTLS: true' : 'add requireTLS: true to the transport options'));
  }

  // --- credentials -----------------------------------------------------------------------
  const hasUser = Boolean(s.user);
  const hasPass = Boolean(s.password);
  if (hasUser !== hasPass) {
    const missing = hasUser ? F.password : F.user;
    add(finding('error', 'credentials_missing', missing, `${hasUser ? F.user : F.password} is set but ${missing} is not: ${django ? 'Django only logs in when both are set' : 'no login happens'}, so the server answers "530 Authentication required"`, `set ${missing}`));
  } else if (!hasUser && host !== null && !isLocal(host) && provider?.id !== 'google-relay') {
    add(
      finding(
        provider ? 'error' : 'warning',
        'credentials_missing',
        F.user,
        provider ? `no ${F.user}/${F.password}: ${provider.name} requires a login (${provider.username})` : `no ${F.user}/${F.password}: only a relay that trusts this machine's IP accepts mail without a login, and a hosted app's IP changes`,
        `set ${F.user} and ${F.password}`,
      ),
    );
  }

  // --- timeout ---------------------------------------------------------------------------
  if (s.timeout === null && !readerFound('invalid_timeout')) {
    if (django) {
      add({
        ...finding(
          'warning',
          'timeout_unset',
          F.timeout,
          `${F.timeout} is not set, and Django's default is no timeout: when the platform drops SMTP packets, send_mail() hangs and the worker is killed (gunicorn WORKER TIMEOUT, a 502) instead of raising an error you can log`,
          assignment(F.timeout, RECOMMENDED_TIMEOUT_S),
        ),
        patch: { timeout: RECOMMENDED_TIMEOUT_S },
      });
    } else {
      add({
        ...finding('warning', 'timeout_unset', F.timeout, 'connectionTimeout is not set: nodemailer waits 2 minutes for a connection, longer than most request and function limits', `set connectionTimeout: ${RECOMMENDED_TIMEOUT_S * 1000}`),
        patch: { timeout: RECOMMENDED_TIMEOUT_S },
      });
    }
  }

  fromRules();

  // --- provider --------------------------------------------------------------------------
  if (match && provider) {
    add(
      finding(
        'info',
        'provider_detected',
        F.host,
        `${host} is ${provider.name}${match.region ? ` (${match.region})` : ''}: ports ${portList(provider)}; username: ${provider.username}; HTTPS API: ${provider.httpsApi ?? 'none'}${provider.note ? `; ${provider.note}` : ''} (${provider.source}, checked ${provider.checked})`,
        null,
      ),
    );
    if (port !== null && !providerPort(provider, port)) {
      const best = provider.ports[0] as { port: number; mode: ProviderMode };
      add({
        ...finding('error', 'unknown_provider_port', F.port, `${provider.name} does not serve port ${port}: it serves ${portList(provider)}`, `set ${modePhrase(d, best.mode, best.port)}`),
        patch: modePatch(best.mode, best.port),
      });
    }
    if (provider.fixedUsername && s.user && s.user !== provider.fixedUsername) {
      add({
        ...finding(
          'error',
          provider.id === 'sendgrid' ? 'sendgrid_user_not_apikey' : 'provider_username_mismatch',
          F.user,
          `${provider.name}'s SMTP username is the literal word "${provider.fixedUsername}", not "${s.user}" (your account name or address): the login fails with 535`,
          `set ${F.user}=${provider.fixedUsername} (the password stays the API key)`,
        ),
        patch: { user: provider.fixedUsername },
      });
    }
    if (provider.id === 'sendgrid' && s.password && !s.password.startsWith('SG.')) {
      add(finding('warning', 'sendgrid_password_not_api_key', F.password, `${F.password} does not start with "SG.": SendGrid's SMTP password is an API key (SG....), not the account password`, 'create an API key with Mail Send permission and use it as the password'));
    }
    if (provider.id === 'ses') sesRules(match.region);
  }

  // --- platform --------------------------------------------------------------------------
  const policy = ctx.platform ? egressPolicyFor(ctx.platform) : undefined;
  if (policy && port !== null && policy.blockedPorts.includes(port)) {
    const open = (provider?.ports ?? []).filter((p) => !policy.blockedPorts.includes(p.port));
    const alt = open.find((p) => p.mode === fixedMode) ?? open[0];
    const paid = policy.lift ? `; or ${policy.lift}` : '';
    let fix: string;
    if (alt) fix = `use port ${alt.port}, which ${provider?.name} serves with ${modeWord(alt.mode)}: set ${modePhrase(d, alt.mode, alt.port)}${paid}`;
    else if (provider?.httpsApi) fix = `${provider.name} serves no unblocked SMTP port: send through its HTTPS API (${provider.httpsApi})${paid}`;
    else if (provider) fix = `${provider.name} serves only ${portList(provider)} and has no HTTPS API: send through a provider with an HTTPS API (e.g. Amazon SES v2) or an alternative port (2525, 2587, 2465)${paid}`;
    else fix = `use an alternative port if your provider serves one (2525, 2587 or 2465), or its HTTPS API${paid}`;
    add({
      ...finding(
        policy.allPlans ? 'error' : 'warning',
        'port_blocked_on_platform',
        F.port,
        `port ${port} is blocked on ${policy.label} (${policy.plans}): ${policy.note} (${policy.documented ? 'documented' : 'reported by users'}: ${policy.source}, checked ${policy.checked})`,
        fix,
      ),
      ...(alt ? { patch: modePatch(alt.mode, alt.port) } : {}),
    });
  }
  if (policy && policy.outboundIpv6 === false && host !== null && !net.isIP(host)) {
    add(
      finding(
        'info',
        'platform_no_outbound_ipv6',
        'platform',
        `${policy.label} has no outbound IPv6: if ${host} has an IPv6 (AAAA) address and the client tries it first, sending fails with "[Errno 101] Network is unreachable"`,
        'run `smtp-egress probe` on the platform to see each address family; force IPv4 for the mail connection if IPv6 fails',
      ),
    );
  }

  return { findings: out, provider: match };

  // --- helpers that read the closure -----------------------------------------------------
  function fromRules(): void {
    if (s.from === null) {
      if (django) {
        const suggestion = s.user && parseAddress(s.user).ok ? s.user : 'Name <you@your-domain>';
        add({
          ...finding('warning', 'missing_field', F.from, `${F.from} is not set: Django sends as webmaster@localhost, which providers reject ("553 sender rejected")`, `set ${F.from}=${suggestion}`),
          ...(s.user && parseAddress(s.user).ok ? { patch: { from: s.user } } : {}),
        });
      }
    } else {
      const parsed = parseAddress(s.from);
      if (!parsed.ok) {
        add({
          ...finding('error', 'from_unparseable', F.from, `${F.from} "${s.from.slice(0, 120)}" cannot be used: ${parsed.why}`, parsed.suggestion ? `quote the name: ${F.from}=${parsed.suggestion}` : `write ${F.from} as user@example.com or Name <user@example.com>`),
          ...(parsed.suggestion ? { patch: { from: parsed.suggestion } } : {}),
        });
      } else if (s.user) {
        const account = parseAddress(s.user);
        const fromOrg = organisationalDomain(parsed.value.domain);
        if (account.ok && organisationalDomain(account.value.domain) !== fromOrg) {
          const gmail = provider?.id === 'gmail';
          add(
            finding(
              'warning',
              'from_domain_mismatch',
              F.from,
              gmail
                ? `the sender ${parsed.value.address} is not the Gmail account you log in with (${account.value.address}): Gmail rewrites the From to the account unless the address is one of its verified aliases`
                : `the sender domain ${parsed.value.domain} is not the domain of the account you log in with (${account.value.domain}): the provider may refuse or rewrite the From, and receivers check SPF/DKIM against the From domain (DMARC alignment)`,
              gmail ? 'add the address as a "Send mail as" alias of the account, or send from the account address' : `send from an address at ${account.value.domain}, or authorise ${parsed.value.domain} with the provider (SPF and DKIM)`,
            ),
          );
        }
      }
    }
    if (s.serverEmail !== null) {
      const parsed = parseAddress(s.serverEmail);
      if (!parsed.ok) add(finding('error', 'from_unparseable', F.serverEmail, `${F.serverEmail} "${s.serverEmail.slice(0, 120)}" cannot be used: ${parsed.why}`, `write ${F.serverEmail} as user@example.com or Name <user@example.com>`));
    } else if ((r.source === 'django-env' || r.source === 'env-file') && s.from !== null && parseAddress(s.from).ok) {
      add({ ...finding('info', 'missing_field', F.serverEmail, `${F.serverEmail} is not set: error reports to ADMINS go out from root@localhost, which providers reject`, `set ${F.serverEmail} to the same address as ${F.from}`), patch: { serverEmail: s.from } });
    }
  }

  function sesRules(region: string | null): void {
    if (region && !SES_SMTP_REGIONS.includes(region)) {
      add(finding('warning', 'ses_unknown_region', F.host, `${region} is not among the ${SES_SMTP_REGIONS.length} regions with an SES SMTP endpoint known to this tool (checked 2026-11-01): check the host against AWS's endpoint list`, 'see https://docs.aws.amazon.com/general/latest/gr/ses.html'));
    }
    if (s.user && !/^AKIA[A-Z0-9]{16}$/.test(s.user)) {
      add(
        finding(
          'warning',
          'ses_user_not_access_key',
          F.user,
          /^ASIA[A-Z0-9]{16}$/.test(s.user)
            ? `${F.user} is a temporary access key id (ASIA...): SES SMTP needs a long-term IAM user's key (AKIA...)`
            : `${F.user} does not look like an SES SMTP username, which is an IAM access key id (AKIA followed by 16 letters and digits), not an IAM user name or an email address`,
          'use the SMTP username shown when the SES SMTP credentials were created',
        ),
      );
    }
    const pw = s.password;
    if (!pw) return;
    const target = region ?? 'REGION';
    const derive = `derive it: AWS_SECRET_ACCESS_KEY=... smtp-egress ses-smtp-password --region ${target} (the secret is read from the environment or stdin, never the command line), or create SMTP credentials in the SES console`;
    const secret = r.aws.secretAccessKey;
    if ((secret && sameSecret(pw, secret)) || sesPasswordShape(pw) === 'secret-key') {
      add({
        ...finding(
          'error',
          'ses_password_is_secret_key',
          F.password,
          `${F.password} ${secret && sameSecret(pw, secret) ? 'is the AWS secret access key itself' : 'looks like an AWS secret access key (40 characters)'}: SES's SMTP password is derived from the secret for each region (44 characters, starting with "B"), so the login fails with "535 Authentication Credentials Invalid"`,
          derive,
        ),
        derivePasswordFor: target,
      });
      return;
    }
    const shape = sesPasswordShape(pw);
    if (shape === 'malformed') {
      add({
        ...finding('error', 'ses_password_malformed', F.password, `${F.password} is not an SES SMTP password: those are 44 base64 characters (33 bytes starting with version 4); this one is ${pw.length} characters`, derive),
        derivePasswordFor: target,
      });
      return;
    }
    if (shape === 'v2') {
      add({
        ...finding('warning', 'ses_password_legacy_v2', F.password, `${F.password} is an SES SMTP password of the old, region-independent kind (version 2, before 2019): AWS asks for SigV4 passwords, which belong to one region`, derive),
        derivePasswordFor: target,
      });
      return;
    }
    if (!secret) {
      add(finding('info', 'ses_password_unverified', F.password, `${F.password} has the shape of an SES SMTP password; with AWS_SECRET_ACCESS_KEY at hand this check would also tell whether it was derived for ${target}`, null));
      return;
    }
    const found = regionOfSesPassword(pw, secret, region);
    if (found && found === region) {
      add(finding('info', 'ses_password_verified', F.password, `${F.password} is the SMTP password derived from AWS_SECRET_ACCESS_KEY for ${region}, the region of ${F.host}`, null));
    } else if (found) {
      add({
        ...finding(
          'error',
          'ses_region_mismatch',
          F.password,
          `${F.password} was derived for ${found}, but ${F.host} is the ${target} endpoint: an SES SMTP password only works in the region it was derived for ("535 Authentication Credentials Invalid")`,
          `use the ${target} password (${derive.replace(/^derive it: /, '')}), or set ${F.host}=${sesSmtpHost(found)}`,
        ),
        derivePasswordFor: target,
      });
    } else {
      const otherKey = r.aws.accessKeyId !== null && s.user !== null && r.aws.accessKeyId !== s.user;
      add({
        ...finding(
          otherKey ? 'warning' : 'error',
          'ses_password_mismatch',
          F.password,
          `${F.password} is not derived from the AWS_SECRET_ACCESS_KEY at hand for any SES region${otherKey ? ` (that secret belongs to another access key than ${F.user}, so this may be expected)` : ''}`,
          derive,
        ),
        derivePasswordFor: target,
      });
    }
  }
}
