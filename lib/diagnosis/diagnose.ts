// The diagnosis: evidence (attempts) + the app's configured path + provider + platform + the
// app's client -> one ordered list of findings; the first is the verdict. Settings mistakes come
// first (Django raises before it connects), then the configured path (will this app's mail get
// out as configured?), then notes about the other ports. A fix is offered only when the evidence
// shows it works, and its words come from the advice catalogue (advice.ts).
import type { Attempt, Family, Platform } from '../model/probe-report.ts';
import type { AppPath, ClientPrediction, Finding, FindingCode, FindingLevel, Fix } from '../model/diagnosis.ts';
import { egressPolicyFor, type EgressPolicy } from '../platform/egress-policies.ts';
import { platformLabel } from '../platform/detect.ts';
import { providerForHost, type Provider } from '../providers/presets.ts';
import { advice, type Dialect } from './advice.ts';
import { clientMovesOn, predictClient } from './client-model.ts';
import { answered, connected, isConnectFailure, listPorts, portsOf, sameAddressConnects, SILENT_OR_UNREACHABLE, spokenMode, words, works } from './evidence.ts';
import { describeTimeout } from './evidence-words.ts';

export interface DiagnosisInput {
  attempts: readonly Attempt[];
  host: string;
  /** The name's addresses, in the order the system resolver returned them. */
  addresses: readonly { address: string; family: Family }[];
  platform: Platform;
  app: AppPath | null;
  /** The boolean settings as written (EMAIL_USE_TLS: "False"), to catch spellings naive code misreads. */
  rawBooleans?: Readonly<Record<string, string | undefined>>;
}

export interface Diagnosis {
  findings: Finding[];
  prediction: ClientPrediction | null;
}

interface Ctx {
  where: string;
  policy: EgressPolicy | undefined;
  provider: Provider | null;
  d: Dialect;
  login: boolean;
  host: string;
}

const LEVEL_ORDER: Record<FindingLevel, number> = { error: 0, warning: 1, info: 2 };

/** Which port-level problems lead, when no configured path decides: the ones that stop mail first. */
const PRIORITY: readonly FindingCode[] = [
  'settings_conflict',
  'plaintext_login',
  'blocked_by_policy',
  'dns_failed',
  'local_error',
  'egress_blocked_all',
  'egress_blocked',
  'server_rejected',
  'tls_misconfigured',
  'tls_certificate',
  'starttls_unavailable',
  'auth_failed',
  'auth_unavailable',
  'server_unresponsive',
  'port_refused',
  'boolean_misread',
  'timeout_unset',
  'ipv6_only_failure',
  'ipv6_fallback_cost',
  'configured_ok',
  'all_ok',
  'alternative_blocked',
  'port_not_served',
  'mixed',
  'nothing_probed',
];

const FALSE_TEXT = /^(false|0|no|off|f|n)$/i;

/** Django's own words when both TLS flags are true (django/core/mail/backends/smtp.py). */
const DJANGO_BOTH_FLAGS = 'EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.';

export function diagnose(input: DiagnosisInput): Diagnosis {
  const { attempts, app } = input;
  const ctx: Ctx = {
    where: platformLabel(input.platform),
    policy: egressPolicyFor(input.platform.name),
    provider: providerForHost(input.host)?.provider ?? null,
    d: app?.client === 'nodemailer' || app?.client === 'node' || app?.source === 'nodemailer' ? 'nodemailer' : 'django',
    login: app?.login ?? attempts.some((a) => a.auth !== null && a.auth.result !== 'skipped'),
    host: input.host,
  };
  const findings: Finding[] = [];
  const add = (code: FindingCode, level: FindingLevel, summary: string, causes: string[], fixes: Fix[], ports: number[] = []) =>
    findings.push({ code, level, summary, causes, fixes: dedupeFixes(fixes), ports });

  if (attempts.length === 0) {
    add('nothing_probed', 'error', 'No attempt was made.', [], []);
    return { findings, prediction: null };
  }

  // 1. Settings mistakes: they fail before (or regardless of) the network.
  let conflict = false;
  let prediction: ClientPrediction | null = null;
  if (app) {
    // Django raises; nodemailer has no such check (secure wins, which the probe's mode reflects).
    if (app.useTls && app.useSsl && (app.client === 'django' || app.client === 'smtplib')) {
      conflict = true;
      prediction = {
        client: app.client,
        order: [...input.addresses],
        steps: [],
        sends: false,
        outcome: null,
        error: `ValueError: ${DJANGO_BOTH_FLAGS}`,
        hangMs: 0,
        summary: `Django will raise "ValueError: ${DJANGO_BOTH_FLAGS}" at once, before it connects.`,
      };
      add(
        'settings_conflict',
        'error',
        'EMAIL_USE_TLS and EMAIL_USE_SSL are both true: Django raises "ValueError: EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive" before it connects, so no mail is sent whatever the network does.',
        ['Only one TLS mode can be used: STARTTLS (EMAIL_USE_TLS, port 587) or implicit TLS (EMAIL_USE_SSL, port 465).'],
        [advice.oneTlsFlag(app.port, ctx.d)],
      );
    }
    for (const name of ['EMAIL_USE_TLS', 'EMAIL_USE_SSL'] as const) {
      const raw = input.rawBooleans?.[name]?.trim();
      if (raw && FALSE_TEXT.test(raw)) {
        const other = name === 'EMAIL_USE_TLS' ? app.useSsl : app.useTls;
        add(
          'boolean_misread',
          'warning',
          `${name}="${raw}" means false to Django's env helpers, but a settings.py that reads it with os.environ.get() gets the non-empty string "${raw}", which is true${
            other ? `: with ${name === 'EMAIL_USE_TLS' ? 'EMAIL_USE_SSL' : 'EMAIL_USE_TLS'} true as well, such an app raises "ValueError: ${DJANGO_BOTH_FLAGS}" and sends nothing` : ''
          }.`,
          [`bool("${raw}") is True in Python: only an empty value is false for such code.`],
          [advice.booleanSpelling(name, raw)],
        );
      }
    }
    if (!conflict && app.login && app.mode === 'plain') {
      const cfg = attempts.find((a) => a.port === app.port && connected(a));
      const caps = (cfg?.capabilities ?? []).map((c) => c.toUpperCase());
      const starttls = caps.includes('STARTTLS');
      const authOffered = caps.some((c) => c.startsWith('AUTH'));
      add(
        'plaintext_login',
        'error',
        `A login is configured (EMAIL_HOST_USER) on port ${app.port} without TLS (EMAIL_USE_TLS and EMAIL_USE_SSL unset or false): ${
          authOffered
            ? 'Django would send the password unencrypted; the probe did not.'
            : `the server offers no login before TLS, so Django raises "SMTPNotSupportedError: SMTP AUTH extension not supported by server."`
        }`,
        [starttls ? `Port ${app.port} offers STARTTLS, which the settings do not turn on.` : `Port ${app.port} offers no TLS at all.`],
        [advice.tlsForLogin(app.port, starttls, ctx.d)],
        [app.port],
      );
    }
  }

  // 2. What the guard, DNS or this machine decided for every attempt.
  const every = (o: Attempt['outcome']) => attempts.every((a) => a.outcome === o);
  if (every('blocked_by_policy')) {
    add('blocked_by_policy', 'error', `${input.host} was not probed: ${attempts[0]?.message ?? 'refused by the address policy'}`, ['The target resolves to a private, loopback or metadata address, or is not in SMTP_EGRESS_ALLOWED_HOSTS.'], [advice.publicName()]);
    return finish(findings, null);
  }
  if (every('dns_failed')) {
    add('dns_failed', 'error', `${input.host} does not resolve from ${ctx.where}: ${attempts[0]?.message ?? ''}`, ['A typo in EMAIL_HOST, a record that does not exist, or no working resolver on this host.'], [advice.spelling(input.host)]);
    return finish(findings, null);
  }
  if (every('local_error')) {
    add('local_error', 'error', `This machine could not open a connection: ${attempts[0]?.message ?? ''}`, ['Nothing left this machine, so this says nothing about the network or the mail server.'], [advice.localFirewall()]);
    return finish(findings, null);
  }

  // 3. The configured path: will this app's mail get out as configured?
  const isConfigured = (a: Attempt) => app !== null && a.port === app.port && a.mode === app.mode;
  if (app && !conflict) {
    const cfg = attempts.filter(isConfigured);
    if (cfg.length > 0) {
      prediction = predictClient({ app, addresses: input.addresses, attempts: cfg });
      configuredFindings(app, cfg, attempts, prediction, ctx, add);
    }
  }

  // 4. Every other port: alternatives when a path is configured, the whole answer otherwise.
  const others = attempts.filter((a) => !isConfigured(a));
  portFindings(others, attempts, app !== null, ctx, add);

  if (findings.length === 0 || findings.every((f) => f.level === 'info' && f.code !== 'configured_ok')) {
    const ok = attempts.filter((a) => a.outcome === 'ok');
    if (ok.length === attempts.length) {
      add('all_ok', 'info', `Every port tried (${listPorts(portsOf(attempts))}) gets out of ${ctx.where} and completes the SMTP dialogue${attempts.some((a) => a.auth?.result === 'ok') ? ', and the login works' : ''}.`, [], []);
    } else if (!app) {
      add('mixed', 'info', 'Some attempts did not succeed; see each attempt.', [], []);
    }
  }
  return finish(findings, prediction);
}

function finish(findings: Finding[], prediction: ClientPrediction | null): Diagnosis {
  const rank = (f: Finding) => LEVEL_ORDER[f.level] * 100 + PRIORITY.indexOf(f.code);
  // configured_ok leads when the configured path works: other notes follow it.
  findings.sort((a, b) => (a.code === 'configured_ok' ? -1 : b.code === 'configured_ok' ? 1 : 0) || rank(a) - rank(b));
  const errorsFirst = findings.filter((f) => f.level === 'error');
  if (errorsFirst.length > 0 && findings[0]?.code === 'configured_ok') {
    // A settings error outranks a path that only works in the probe's hands.
    findings.sort((a, b) => rank(a) - rank(b));
  }
  return { findings, prediction };
}

function dedupeFixes(fixes: Fix[]): Fix[] {
  const seen = new Set<string>();
  return fixes.filter((f) => (seen.has(f.text) ? false : (seen.add(f.text), true)));
}

type Add = (code: FindingCode, level: FindingLevel, summary: string, causes: string[], fixes: Fix[], ports?: number[]) => void;

const family = (f: Family | null) => (f === 'ipv6' ? 'IPv6' : 'IPv4');
const modeName = (a: Attempt) => (a.mode === 'implicit-tls' ? 'implicit TLS' : a.mode === 'plain' ? 'no TLS' : 'STARTTLS');
const served = (ctx: Ctx, port: number) => (ctx.provider ? ctx.provider.ports.some((p) => p.port === port) : null);

/** The ways out the evidence proves: ports that completed the dialogue (and the login, when one is configured). */
function waysOut(all: readonly Attempt[], exclude: number | null, ctx: Ctx): Fix[] {
  const okPorts = new Map<number, Attempt>();
  for (const a of all) {
    if (a.port === exclude || a.outcome !== 'ok') continue;
    // A port the same report shows blocked on IPv4 is no way out.
    if (all.some((b) => b.port === a.port && b.family === 'ipv4' && !connected(b))) continue;
    if (!okPorts.has(a.port) || a.family === 'ipv4') okPorts.set(a.port, a);
  }
  return [...okPorts.values()]
    .sort((a, b) => Number(works(b, true)) - Number(works(a, true)) || a.port - b.port)
    .map((a) => advice.usePort(a.port, spokenMode(a), ctx.d, ctx.where, a.auth?.result === 'ok' ? 'this_run' : ctx.login ? null : 'evidence'))
    .filter((f) => f.verified !== null || !ctx.login);
}

/** When nothing proven gets out: what else can (provider's other ports, its HTTPS API, a plan). */
function otherWays(ctx: Ctx, policyPorts: number[]): Fix[] {
  const fixes: Fix[] = [];
  if (ctx.provider && ctx.provider.ports.some((p) => p.port >= 1024)) fixes.push(advice.alternativePort(ctx.provider));
  if (!ctx.provider) fixes.push(advice.alternativePort(null));
  if (ctx.provider && !ctx.provider.httpsApi && !ctx.provider.ports.some((p) => p.port >= 1024)) fixes.push(advice.switchProvider(ctx.provider, ctx.where));
  else fixes.push(advice.httpsApi(ctx.provider));
  fixes.push(...liftFix(ctx, policyPorts));
  return fixes;
}

/** The fixes for blocked ports: the proven ways out, then an HTTPS API and the plan; or, with none proven, what else may work. */
function blockedFixes(ways: Fix[], ctx: Ctx, policyPorts: number[]): Fix[] {
  if (ways.length === 0) return otherWays(ctx, policyPorts);
  return [...ways, advice.httpsApi(ctx.provider), ...liftFix(ctx, policyPorts)];
}

/** The platform's own way out (a paid plan, a support request), when its policy covers these ports and says how. */
function liftFix(ctx: Ctx, policyPorts: number[]): Fix[] {
  return ctx.policy && policyPorts.length > 0 && ctx.policy.lift ? [advice.paidPlan(ctx.policy)] : [];
}

function configuredFindings(app: AppPath, cfg: Attempt[], all: readonly Attempt[], p: ClientPrediction, ctx: Ctx, add: Add): void {
  const path = `port ${app.port} with ${app.mode === 'implicit-tls' ? 'implicit TLS' : app.mode === 'plain' ? 'no TLS' : 'STARTTLS'}`;
  const end = cfg.find((a) => a.family === p.steps[p.steps.length - 1]?.family) ?? cfg[0];
  if (!end) return;
  if (p.sends) {
    add('configured_ok', 'info', `Mail gets out as configured: ${path} from ${ctx.where}${app.login ? ', login accepted' : ''}. ${p.summary}`, [], [], [app.port]);
    const lost = p.steps.filter(clientMovesOn);
    if (lost.length > 0) {
      const ms = lost.reduce((s, x) => s + x.waitMs, 0);
      add(
        'ipv6_fallback_cost',
        ms >= 1000 ? 'warning' : 'info',
        `Each send first tries ${lost.map((s) => family(s.family)).join(', ')} (${lost.map((s) => words(s.outcome)).join(', ')}) and loses ${Math.round(ms / 100) / 10} s before it falls back: the mail still gets out.`,
        [`${ctx.where} cannot reach ${ctx.host} over ${family(lost[0]?.family ?? 'ipv6')} on port ${app.port}.`],
        [advice.preferIpv4KeepName(ctx.d)],
        [app.port],
      );
    }
    return;
  }
  // The path fails: the root cause is what the client meets, but for connect failures the block
  // that matters may be on an earlier address (the IPv4 drop behind Python's Errno 101).
  const failing = cfg.filter((a) => !connected(a));
  const blockedHere = failing.filter((a) => SILENT_OR_UNREACHABLE.includes(a.outcome));
  const root = connected(end) ? end : (blockedHere.find((a) => a.family === 'ipv4') ?? end);
  const head = `Mail does not get out as configured (${path}, from ${ctx.where}).`;
  const prediction = p.summary;
  const policyPorts = ctx.policy?.blockedPorts.includes(app.port) ? [app.port] : [];
  const ways = waysOut(all, app.port, ctx);

  if (isConnectFailure(root)) {
    const otherConnects = sameAddressConnects(all, root);
    const anyConnects = all.some(answered);
    if (root.outcome === 'connection_refused' && !otherConnects) {
      add('port_refused', 'error', `${head} Port ${app.port} refuses connections and no other port was reached either: wrong host, or nothing listens. ${prediction}`, ['A refusal means the SYN got out and something answered "no": the server does not serve this port, or a firewall rejects it.'], [advice.spelling(ctx.host), ...ways, ...otherWays(ctx, [])], [app.port]);
      return;
    }
    if (root.outcome === 'connection_refused') {
      const notServed = served(ctx, app.port) === false;
      add(
        'port_refused',
        'error',
        `${head} Port ${app.port} refuses connections while port ${otherConnects?.port} of the same address answers: ${notServed ? `${ctx.provider?.name} does not serve port ${app.port}` : 'nothing listens there'}. ${prediction}`,
        ['A refusal proves the SYN got out: this is the server (or a firewall in front of it), not the egress.'],
        [...ways, ...(ctx.provider ? [advice.servedPorts(ctx.provider)] : [])],
        [app.port],
      );
      return;
    }
    const decided = describeTimeout(root);
    const evidenceWords = decided
      ? `port ${app.port}: ${decided}`
      : otherConnects
      ? `no answer on port ${app.port} while port ${otherConnects.port} of the same address answered${otherConnects.outcome === 'connection_refused' ? ' (with a refusal)' : ''} in ${otherConnects.phases.connect ?? '?'} ms`
      : `no port of ${ctx.host} could be reached`;
    const causes = [
      otherConnects
        ? `The address is reachable, so the egress of ${ctx.where} drops or rejects port ${app.port}${served(ctx, app.port) === false ? ` (${ctx.provider?.name} does not serve it either)` : ''}.`
        : `Every port failed the same way: an egress firewall blocking outbound SMTP, or the server is down.`,
    ];
    if (policyPorts.length > 0 && ctx.policy) causes.push(`${ctx.policy.note} (${ctx.policy.documented ? 'documented' : 'reported by users'}: ${ctx.policy.source}).`);
    const fixes = blockedFixes(ways, ctx, policyPorts);
    if (app.timeoutS === null && root.outcome === 'connect_timeout') fixes.push(advice.setTimeout(ctx.d));
    add(anyConnects ? 'egress_blocked' : 'egress_blocked_all', 'error', `${head} ${capital(evidenceWords)}. ${prediction}`, causes, fixes, [app.port]);
    if (app.timeoutS === null && root.outcome === 'connect_timeout') {
      add('timeout_unset', 'warning', `EMAIL_TIMEOUT is not set: each blocked address holds the send (and a web worker) for about ${Math.round(p.hangMs / 1000 / Math.max(1, p.steps.length))} s.`, ['Without a timeout, the kernel retries the SYN for about two minutes per address.'], [advice.setTimeout(ctx.d)], [app.port]);
    }
    return;
  }
  // The dialogue worked but the login the app will try is not offered: that is the failure.
  serverFinding(p.outcome === 'auth_unavailable' && root.outcome === 'ok' ? { ...root, outcome: 'auth_unavailable' } : root, ctx, add, `${head} `, prediction, ways, 'error');
}

/** A connected attempt that then failed: the server's side of the dialogue. */
function serverFinding(a: Attempt, ctx: Ctx, add: Add, head: string, tail: string, ways: Fix[], level: FindingLevel): void {
  const ports = [a.port];
  const t = tail ? ` ${tail}` : '';
  switch (a.outcome) {
    case 'tls_mode_mismatch': {
      const spoken = a.detectedMode ?? 'plain';
      add('tls_misconfigured', level, `${head}TLS mode mismatch on port ${a.port}: the client speaks ${modeName(a)}, the server ${spoken === 'implicit-tls' ? 'implicit TLS' : spoken === 'plain' ? 'plain SMTP' : 'STARTTLS'}.${t}`, ['465 wants TLS from the first byte (EMAIL_USE_SSL); 587 wants plain text, then STARTTLS (EMAIL_USE_TLS).'], [advice.setTlsMode(a.port, spoken, ctx.d)], ports);
      return;
    }
    case 'tls_failed': {
      const reason = a.tls?.error ?? 'handshake';
      add(
        'tls_certificate',
        level,
        `${head}TLS fails on port ${a.port}: ${a.message}${t}`,
        [reason === 'hostname_mismatch' ? `The certificate does not name ${ctx.host}.` : reason === 'cert_expired' ? 'The server certificate has expired.' : reason === 'self_signed' || reason === 'untrusted' ? 'The certificate is not signed by an authority this client trusts.' : 'The TLS handshake itself failed.'],
        [reason === 'hostname_mismatch' ? advice.certName(ctx.host, a.tls?.cert?.altNames ?? []) : advice.fixCertificate(), ...ways],
        ports,
      );
      return;
    }
    case 'starttls_unavailable':
      add('starttls_unavailable', level, `${head}Port ${a.port} does not offer a working STARTTLS.${t}`, ['The server does not advertise STARTTLS, refuses it, or something on the path strips it.'], [advice.starttlsPort(), ...ways], ports);
      return;
    case 'auth_failed':
      add('auth_failed', level, `${head}The server rejected the login on port ${a.port}: ${a.auth?.response ?? a.message}${t}`, ['The user name or password is wrong, the account needs an app password, or the provider turned password logins off.'], [advice.credentials(ctx.provider, a.auth?.response ?? null)], ports);
      return;
    case 'auth_unavailable':
      add('auth_unavailable', level, `${head}Port ${a.port} offers no login this client can use.${t}`, ['The server offers AUTH only on another port, only after TLS, or only with mechanisms other than PLAIN and LOGIN.'], [advice.submissionPort(), ...ways], ports);
      return;
    case 'smtp_rejected':
      add('server_rejected', level, `${head}The server refuses the SMTP dialogue on port ${a.port}: ${a.message}${t}`, [/\b55\d\b/.test(a.message) ? `The server rejects ${ctx.where}'s IP address: shared cloud IPs are often on blocklists.` : 'The server refused or did not speak SMTP.'], [advice.blocklist(ctx.where), ...ways], ports);
      return;
    case 'local_error':
      add('local_error', level, `${head}This machine could not open the connection: ${a.message}${t}`, ['Nothing left this machine.'], [advice.localFirewall()], ports);
      return;
    case 'dns_failed':
      add('dns_failed', level, `${head}${ctx.host} does not resolve: ${a.message}${t}`, ['A typo in EMAIL_HOST or no working resolver.'], [advice.spelling(ctx.host)], ports);
      return;
    default:
      add('server_unresponsive', level, `${head}Port ${a.port} connected but the dialogue stalled or broke: ${a.message}${t}`, ['The server is overloaded, tarpits this client, or a middlebox interferes after the connection opens.'], [advice.retryElsewhere(), ...ways], ports);
  }
}

/** "port 2525 gets through", or "port 2525 answers (with a refusal)" when only refusals came back. */
function throughWords(all: readonly Attempt[]): string {
  const through = portsOf(all.filter(connected));
  if (through.length > 0) return `port ${listPorts(through)} ${through.length > 1 ? 'get' : 'gets'} through`;
  const refused = portsOf(all.filter(answered));
  return `port ${listPorts(refused)} ${refused.length > 1 ? 'answer' : 'answers'} (with a refusal: the host is reachable)`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The ports other than the configured one (or every port, when no path is configured). */
function portFindings(attempts: Attempt[], all: readonly Attempt[], alternative: boolean, ctx: Ctx, add: Add): void {
  if (attempts.length === 0) return;
  // The ways out the evidence proves, once: every finding below offers the same ones.
  const ways = alternative ? [] : waysOut(all, null, ctx);
  const v4Connects = (port: number) => all.some((b) => b.port === port && b.family === 'ipv4' && connected(b));
  // IPv6 fails where IPv4 connects on the same port: every modelled client falls back.
  const v6Only = attempts.filter((a) => a.family === 'ipv6' && isConnectFailure(a) && v4Connects(a.port));
  const rest = attempts.filter((a) => !v6Only.includes(a));
  if (v6Only.length > 0) {
    const dropped = v6Only.some((a) => a.outcome === 'connect_timeout');
    add(
      'ipv6_only_failure',
      alternative ? 'info' : dropped ? 'warning' : 'info',
      `IPv6 fails from ${ctx.where} (${[...new Set(v6Only.map((a) => words(a.outcome)))].join(', ')}) while IPv4 connects on port ${listPorts(portsOf(v6Only))}: Python's smtplib and Django try IPv4 first when there is no IPv6 route and fall back to the next address anyway, Node falls back too, and nodemailer uses IPv4 first: mail still gets out.${dropped ? ' The cost: a client that tries IPv6 first waits its timeout on it.' : ''} (On its own this IPv6 failure is what Python reports as "[Errno 101] Network is unreachable" when the IPv4 attempt before it failed too: see the IPv4 rows for the block that matters.)`,
      [`${ctx.host} has an AAAA record, but ${ctx.where} has no working IPv6 path to it.${ctx.policy?.outboundIpv6 === false ? ` ${ctx.policy.label} has no outbound IPv6.` : ''}`],
      dropped ? [advice.preferIpv4KeepName(ctx.d)] : [],
      portsOf(v6Only),
    );
  }
  const refused = rest.filter((a) => a.outcome === 'connection_refused');
  const silent = rest.filter((a) => SILENT_OR_UNREACHABLE.includes(a.outcome));
  const notServed = (a: Attempt) => served(ctx, a.port) === false;
  // Refusals: the SYN got out. A port the provider does not serve is a note, nothing more.
  const unserved = [...refused, ...silent].filter(notServed);
  if (unserved.length > 0) {
    add('port_not_served', 'info', `Port ${listPorts(portsOf(unserved))}: ${ctx.provider?.name} does not serve ${new Set(unserved.map((a) => a.port)).size > 1 ? 'these ports' : 'this port'} (${[...new Set(unserved.map((a) => words(a.outcome)))].join(', ')}), so this says nothing about the egress.`, [], ctx.provider ? [advice.servedPorts(ctx.provider)] : [], portsOf(unserved));
  }
  const refusedServed = refused.filter((a) => !notServed(a));
  if (refusedServed.length > 0) {
    const others = all.filter(connected);
    add(
      'port_refused',
      alternative ? 'info' : others.length > 0 ? 'warning' : 'error',
      `Port ${listPorts(portsOf(refusedServed))} refused the connection${others.length > 0 ? ` while port ${listPorts(portsOf(others))} connected` : ''}: the SYN got out, and nothing listens there (or a firewall rejects it). That alone is not an egress block.`,
      ['A refusal (RST) proves the packet reached something that answered: the server does not serve this port, or a firewall on the way rejects it.'],
      alternative ? [] : [...ways, ...(ctx.provider ? [advice.servedPorts(ctx.provider)] : [])],
      portsOf(refusedServed),
    );
  }
  const silentServed = silent.filter((a) => !notServed(a));
  if (silentServed.length > 0) {
    const anyConnects = all.some(answered);
    const policyPorts = ctx.policy ? silentServed.filter((a) => ctx.policy?.blockedPorts.includes(a.port)).map((a) => a.port) : [];
    const withRef = silentServed.map((a) => ({ a, ref: sameAddressConnects(all, a) }));
    const causes = [
      anyConnects
        ? `Port ${listPorts(portsOf(silentServed))} could not be reached from ${ctx.where} (${[...new Set(silentServed.map((a) => words(a.outcome)))].join(', ')}) while ${withRef.find((x) => x.ref)?.ref ? `port ${withRef.find((x) => x.ref)?.ref?.port} of the same address answered` : 'other ports connected'}: the egress drops or rejects ${new Set(silentServed.map((a) => a.port)).size > 1 ? 'them' : 'it'}.`
        : `No port of ${ctx.host} could be reached: an egress firewall blocking outbound SMTP, or the server is down.`,
    ];
    for (const a of silentServed) {
      const how = describeTimeout(a);
      if (how) causes.push(`Port ${a.port} over ${a.family === 'ipv6' ? 'IPv6' : 'IPv4'}: ${how}.`);
    }
    if (ctx.policy && policyPorts.length > 0) causes.push(`${ctx.policy.note} (${ctx.policy.documented ? 'documented' : 'reported by users'}: ${ctx.policy.source}).`);
    if (alternative) {
      add('alternative_blocked', 'info', `Other ports blocked from ${ctx.where}: ${listPorts(portsOf(silentServed))} (${[...new Set(silentServed.map((a) => words(a.outcome)))].join(', ')}).`, causes, [], portsOf(silentServed));
    } else {
      const fixes = [...blockedFixes(ways, ctx, policyPorts), advice.setTimeout(ctx.d)];
      add(
        anyConnects ? 'egress_blocked' : 'egress_blocked_all',
        'error',
        anyConnects
          ? `Port ${listPorts(portsOf(silentServed))} ${new Set(silentServed.map((a) => a.port)).size > 1 ? 'are' : 'is'} blocked from ${ctx.where} (${[...new Set(silentServed.map((a) => words(a.outcome)))].join(', ')}) while ${throughWords(all)}.`
          : `No SMTP port gets out of ${ctx.where}: ${listPorts(portsOf(silentServed))} ${silentServed.length === 1 ? 'fails' : 'fail'} with ${[...new Set(silentServed.map((a) => words(a.outcome)))].join(', ')}.`,
        causes,
        fixes,
        portsOf(silentServed),
      );
    }
  }
  // Connected, then failed: the server's side, one finding per kind (with every port's fix).
  const serverSide = rest.filter((a) => connected(a) && a.outcome !== 'ok');
  const seen = new Set<string>();
  for (const a of serverSide) {
    if (seen.has(a.outcome)) continue;
    seen.add(a.outcome);
    const same = serverSide.filter((b) => b.outcome === a.outcome);
    const parts: Parameters<Add>[] = [];
    for (const b of same) serverFinding(b, ctx, (...args) => parts.push(args), '', '', ways, alternative ? 'info' : 'error');
    const [first] = parts;
    if (!first) continue;
    const [code, level, summary, causes] = first;
    add(code, level, same.length > 1 ? `${summary} (also on port ${listPorts(portsOf(same.slice(1)))})` : summary, causes, parts.flatMap((p) => p[4]), portsOf(same));
  }
  const local = rest.filter((a) => a.outcome === 'local_error');
  if (local.length > 0 && !seen.has('local_error')) add('local_error', alternative ? 'info' : 'error', `This machine could not open a connection on port ${listPorts(portsOf(local))}: ${local[0]?.message ?? ''}`, ['Nothing left this machine.'], [advice.localFirewall()], portsOf(local));
}
