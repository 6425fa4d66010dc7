// From attempts to one target-level verdict: what is wrong, the likely causes, and fixes in
// plain words. The first matching rule names the verdict; every rule that matches adds its
// causes and fixes, because a blocked port and a wrong password can both be true at once.
import type { Attempt, Outcome, Platform, Verdict } from '../model/probe-report.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';
import { platformLabel } from '../platform/detect.ts';

/** Outcomes where no TCP connection was made: the network, not the server, said no. */
export const CONNECT_FAILURES: readonly Outcome[] = ['connect_timeout', 'network_unreachable', 'host_unreachable', 'connection_refused'];
/** Outcomes that prove a TCP connection was made (the egress let it through). */
export function connected(a: Attempt): boolean {
  return !CONNECT_FAILURES.includes(a.outcome) && a.outcome !== 'dns_failed' && a.outcome !== 'blocked_by_policy' && a.outcome !== 'local_error';
}

const list = (ports: number[], conj = 'and') => {
  const u = [...new Set(ports)].sort((a, b) => a - b);
  return u.length <= 1 ? String(u[0] ?? '') : `${u.slice(0, -1).join(', ')} ${conj} ${u[u.length - 1]}`;
};
const many = (ports: number[]) => new Set(ports).size > 1;

interface Finding {
  code: string;
  summary: string;
  causes: string[];
  fixes: string[];
}

export function computeVerdict(attempts: readonly Attempt[], platform: Platform, host: string): Verdict {
  if (attempts.length === 0) return { code: 'nothing_probed', summary: 'No attempt was made.', causes: [], fixes: [] };
  const findings: Finding[] = [];
  const where = platformLabel(platform);
  const policy = egressPolicyFor(platform.name);
  const by = (o: Outcome) => attempts.filter((a) => a.outcome === o);

  if (attempts.every((a) => a.outcome === 'blocked_by_policy')) {
    findings.push({
      code: 'blocked_by_policy',
      summary: `${host} was not probed: ${attempts[0]?.message ?? 'refused by the address policy'}`,
      causes: ['The target resolves to a private, loopback or metadata address, or is not in SMTP_EGRESS_ALLOWED_HOSTS.'],
      fixes: ['Probe the public name of your mail provider.', 'For a local test only, set SMTP_EGRESS_ALLOW_PRIVATE=1 (or pass --allow-private to the CLI).'],
    });
  }
  if (attempts.every((a) => a.outcome === 'dns_failed')) {
    findings.push({
      code: 'dns_failed',
      summary: `${host} does not resolve from ${where}: ${attempts[0]?.message ?? ''}`,
      causes: ['A typo in EMAIL_HOST, a record that does not exist, or no working resolver on this host.'],
      fixes: [`Check the spelling of ${host} against your provider's documentation.`, 'Compare with a lookup from another network (dig, or this probe run elsewhere).'],
    });
  }

  // IPv6 fails to connect where IPv4 connects, port by port: the Errno 101 trap.
  const v6Broken = attempts.filter((a) => a.family === 'ipv6' && CONNECT_FAILURES.includes(a.outcome));
  const v6OnlyPorts = v6Broken.filter((v6) => attempts.some((v4) => v4.family === 'ipv4' && v4.port === v6.port && connected(v4))).map((a) => a.port);
  const v4Broken = attempts.filter((a) => a.family === 'ipv4' && CONNECT_FAILURES.includes(a.outcome));
  if (v6OnlyPorts.length > 0 && v4Broken.length === 0) {
    findings.push({
      code: 'ipv6_only_failure',
      summary: `IPv6 fails from ${where} (${v6Broken[0]?.outcome.replace(/_/g, ' ')}) while IPv4 connects on port ${list(v6OnlyPorts)}: a client that tries the IPv6 address first gets "[Errno 101] Network is unreachable".`,
      causes: [`${host} has an AAAA record, but ${where} has no working IPv6 route.${policy?.outboundIpv6 === false ? ` ${policy.note}.` : ''}`],
      fixes: [
        'Force IPv4 for the mail connection: in Python, connect to an IPv4 address of the host (e.g. resolve with socket.getaddrinfo(host, port, socket.AF_INET)) or use a backend that lets you pick the family; in Node, pass family: 4 to nodemailer.',
        'Or set the system to prefer IPv4 (gai.conf "precedence ::ffff:0:0/96 100").',
      ],
    });
  }

  // Egress block: connect failures on some ports while others connect.
  const blocked = attempts.filter((a) => CONNECT_FAILURES.includes(a.outcome) && !(a.family === 'ipv6' && v6OnlyPorts.includes(a.port) && v4Broken.length === 0));
  if (blocked.length > 0) {
    const blockedPorts = blocked.map((a) => a.port);
    const working = [...new Set(attempts.filter(connected).map((a) => a.port))].filter((p) => !blocked.some((b) => b.port === p && b.family === 'ipv4'));
    const kinds = [...new Set(blocked.map((a) => a.outcome.replace(/_/g, ' ')))].join(', ');
    const policyPorts = policy ? blocked.filter((a) => policy.blockedPorts.includes(a.port)).map((a) => a.port) : [];
    const causes = [
      blocked.every((a) => a.outcome === 'connection_refused')
        ? `Port ${list(blockedPorts)} refused the connection: nothing listens there, or a firewall rejects it.`
        : `Port ${list(blockedPorts)} could not be reached from ${where} (${kinds}): an egress firewall drops or rejects outbound SMTP.`,
    ];
    if (policy && policyPorts.length > 0) causes.push(`${policy.note} (${policy.documented ? 'documented' : 'reported by users'}: ${policy.source}).`);
    const fixes: string[] = [];
    if (working.length > 0) fixes.push(`Use port ${list(working, 'or')}: ${many(working) ? 'they get' : 'it gets'} out from ${where}${working.includes(2525) || working.includes(2587) || working.includes(2465) ? ' (an alternative port many providers serve)' : ''}.`);
    else fixes.push('Try an alternative port your provider serves (2525, 2587 or 2465), if it offers one.');
    fixes.push('Send through an HTTPS mail API on port 443 instead of SMTP (Amazon SES v2, SendGrid, Mailgun, Postmark, Resend...).');
    if (policy && policyPorts.length > 0) fixes.push(`Or move to a paid ${platformLabel({ ...platform, region: null })} plan, where these ports are open.`);
    fixes.push('Set a timeout on the mail connection (Django: EMAIL_TIMEOUT=10) so a blocked port fails fast instead of hanging a worker.');
    findings.push({
      code: working.length === 0 ? 'egress_blocked_all' : 'egress_blocked',
      summary:
        working.length === 0
          ? `No SMTP port gets out of ${where}: ${list(blockedPorts)} ${blocked.length === 1 ? 'fails' : 'fail'} with ${kinds}.`
          : `Port ${list(blockedPorts)} ${blocked.every((a) => a.outcome === 'connection_refused') ? (many(blockedPorts) ? 'refuse' : 'refuses') + ' connections' : (many(blockedPorts) ? 'are' : 'is') + ' blocked'} from ${where} (${kinds}) while port ${list(working)} ${many(working) ? 'get' : 'gets'} through.`,
      causes,
      fixes,
    });
  }

  const rejectedAttempts = by('smtp_rejected');
  if (rejectedAttempts.length > 0) {
    const a = rejectedAttempts[0] as Attempt;
    findings.push({
      code: 'server_rejected',
      summary: `The server at ${host} refuses the SMTP dialogue on port ${list(rejectedAttempts.map((x) => x.port))}: ${a.message}`,
      causes: [/ 55\d /.test(` ${a.message} `) || /\b554\b/.test(a.message) ? `The server rejects ${where}'s IP address: shared cloud IPs are often on blocklists.` : 'The server refused or did not speak SMTP.'],
      fixes: ["Ask the provider whether it blocks your platform's IP range, or check the IP on a blocklist lookup.", 'Send through an HTTPS mail API or a relay your provider allows.'],
    });
  }

  const mismatches = by('tls_mode_mismatch');
  if (mismatches.length > 0) {
    const fixes = mismatches.map((a) =>
      a.detectedMode === 'implicit-tls'
        ? `Port ${a.port} speaks implicit TLS (SMTPS): set EMAIL_USE_SSL=True and EMAIL_USE_TLS=False (nodemailer: secure: true).`
        : a.detectedMode === 'starttls'
          ? `Port ${a.port} speaks STARTTLS: set EMAIL_USE_TLS=True and EMAIL_USE_SSL=False (nodemailer: secure: false).`
          : `Port ${a.port} speaks plain SMTP without TLS: use a port that offers TLS (587 with EMAIL_USE_TLS=True, or 465 with EMAIL_USE_SSL=True).`,
    );
    findings.push({
      code: 'tls_misconfigured',
      summary: `TLS mode mismatch on port ${list(mismatches.map((a) => a.port))}: the client's mode is not what the server speaks.`,
      causes: ['The port and the TLS setting do not match: 465 wants SSL/TLS from the first byte, 587 wants plain text then STARTTLS.'],
      fixes: [...new Set(fixes)],
    });
  }

  const certFailures = by('tls_failed');
  if (certFailures.length > 0) {
    const reasons = [...new Set(certFailures.map((a) => a.tls?.error ?? 'handshake'))];
    findings.push({
      code: 'tls_certificate',
      summary: `TLS fails on port ${list(certFailures.map((a) => a.port))}: ${certFailures[0]?.message ?? ''}`,
      causes: reasons.map((r) =>
        r === 'hostname_mismatch'
          ? `The certificate does not name ${host}: the host name in the settings differs from the one the provider's certificate covers.`
          : r === 'cert_expired'
            ? 'The server certificate has expired.'
            : r === 'self_signed' || r === 'untrusted'
              ? 'The certificate is not signed by an authority this client trusts.'
              : 'The TLS handshake itself failed (protocol or cipher mismatch, or the connection broke).',
      ),
      fixes: reasons.includes('hostname_mismatch')
        ? [`Use the host name the certificate names (see tls.cert.altNames in the report) as EMAIL_HOST.`]
        : ['Ask the provider to fix the certificate; do not turn verification off in production.'],
    });
  }

  const noStarttls = by('starttls_unavailable');
  if (noStarttls.length > 0) {
    findings.push({
      code: 'starttls_unavailable',
      summary: `Port ${list(noStarttls.map((a) => a.port))} does not offer a working STARTTLS.`,
      causes: ['The server does not advertise STARTTLS, refuses it, or something on the path strips it.'],
      fixes: ['Use the implicit-TLS port (465) with EMAIL_USE_SSL=True, or ask the provider which port offers TLS.'],
    });
  }

  const authFailed = by('auth_failed');
  if (authFailed.length > 0) {
    findings.push({
      code: 'auth_failed',
      summary: `The server rejected the login on port ${list(authFailed.map((a) => a.port))}: ${authFailed[0]?.auth?.response ?? ''}`.trim(),
      causes: ['Wrong user name or password, an account that needs an app password, or (Amazon SES) the AWS secret key used instead of the derived SMTP password.'],
      fixes: ['Check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD against the provider (SendGrid: user "apikey"; SES: the SMTP credentials, not the IAM secret).'],
    });
  }
  const authUnavailable = by('auth_unavailable');
  if (authUnavailable.length > 0) {
    findings.push({
      code: 'auth_unavailable',
      summary: `Port ${list(authUnavailable.map((a) => a.port))} offers no login this client can use.`,
      causes: ['The server offers AUTH only on another port, only after TLS, or only with mechanisms other than PLAIN and LOGIN.'],
      fixes: ["Use the provider's submission port (587 with STARTTLS or 465 with TLS)."],
    });
  }

  const slow = attempts.filter((a) => a.outcome === 'greeting_timeout' || a.outcome === 'timeout' || a.outcome === 'connection_reset');
  if (slow.length > 0) {
    findings.push({
      code: 'server_unresponsive',
      summary: `Port ${list(slow.map((a) => a.port))} connected but the dialogue stalled or broke: ${slow[0]?.message ?? ''}`,
      causes: ['The server is overloaded, tarpits this client, or a middlebox interferes after the connection opens.'],
      fixes: ['Try again later or from another network; compare with a probe run elsewhere (smtp-egress compare).'],
    });
  }

  if (findings.length === 0) {
    if (attempts.every((a) => a.outcome === 'ok')) {
      const ports = [...new Set(attempts.map((a) => a.port))];
      return {
        code: 'all_ok',
        summary: `Every port tried (${list(ports)}) gets out of ${where} and completes the SMTP dialogue${attempts.some((a) => a.auth?.result === 'ok') ? ', and the login works' : ''}.`,
        causes: [],
        fixes: [],
      };
    }
    return { code: 'mixed', summary: 'Some attempts did not succeed; see each attempt.', causes: [], fixes: [] };
  }
  const [first, ...rest] = findings as [Finding, ...Finding[]];
  return {
    code: first.code,
    summary: [first.summary, ...rest.map((f) => f.summary)].join(' '),
    causes: [...new Set([...first.causes, ...rest.flatMap((f) => f.causes)])],
    fixes: [...new Set([...first.fixes, ...rest.flatMap((f) => f.fixes)])],
  };
}
