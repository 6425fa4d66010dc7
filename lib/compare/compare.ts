// compare: two probe reports of the same target (say Netlify and Render) -> one row per port and
// address family with both outcomes and a finding, then a verdict that names the platforms and
// says what to do. Pure: no I/O, so the CLI, POST /api/compare and `probe --compare` share it.
import { PROBE_SCHEMA_ID, PROBE_SCHEMA_IDS_READ, ReadableProbeReport, type ProbeReport, type Attempt, type Family, type Outcome } from '../model/probe-report.ts';
import { FINDING_CODES, type FindingCode } from '../model/diagnosis.ts';
import { CONNECT_FAILURES, connected } from '../diagnosis/verdict.ts';
import {
  COMPARE_SCHEMA_ID,
  type CompareParty,
  type CompareReport,
  type CompareRow,
  type CompareSide,
  type CompareVerdictCode,
  type Difference,
  type Finding,
} from '../model/compare-report.ts';
import { platformLabel } from '../platform/detect.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';
import { SmtpEgressError } from '../model/errors.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';

export { COMPARE_SCHEMA_ID, CompareReport, FINDINGS } from '../model/compare-report.ts';
export type { CompareRow, CompareSide, Finding } from '../model/compare-report.ts';

// ---------------------------------------------------------------------------------------------
// Loading: a value from a file or a request body -> a validated probe report, or an error that
// names the input and the field.

const describe = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v).slice(0, 60));

/** Validates one report. `name` is how errors call it: a file path, or `a` / `b` over HTTP. */
export function loadProbeReport(value: unknown, name: string): ProbeReport {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SmtpEgressError('invalid_input', `${name} is not a probe report: expected a JSON object (the output of smtp-egress probe --json, or of /api/probe)`, { field: name });
  }
  const schema = (value as Record<string, unknown>).schema;
  if (!(PROBE_SCHEMA_IDS_READ as readonly unknown[]).includes(schema)) {
    if (typeof schema === 'string' && schema.startsWith('smtp-egress/probe@')) {
      throw new SmtpEgressError(
        'incompatible_reports',
        `${name} is a ${schema} report, but smtp-egress ${TOOL_VERSION} compares ${PROBE_SCHEMA_IDS_READ.join(' and ')} reports: produce both reports with the same smtp-egress version`,
        { field: `${name}.schema` },
      );
    }
    if (schema === COMPARE_SCHEMA_ID) {
      throw new SmtpEgressError('invalid_input', `${name} is already a comparison (${COMPARE_SCHEMA_ID}): give the two probe reports instead`, { field: `${name}.schema` });
    }
    throw new SmtpEgressError('invalid_input', `${name} is not an smtp-egress probe report: its "schema" is ${describe(schema)}, expected "${PROBE_SCHEMA_ID}"`, { field: `${name}.schema` });
  }
  const parsed = ReadableProbeReport.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const msg = (issue?.message ?? 'invalid').slice(0, 300);
    throw new SmtpEgressError('invalid_input', `${name} is not a valid ${PROBE_SCHEMA_ID} report: ${path || '(top level)'}: ${msg}`, { field: path ? `${name}.${path}` : name });
  }
  return upgradeProbeReport(parsed.data);
}

/**
 * One shape after loading: a probe@1 report's verdict gains empty findings, app and prediction,
 * and its free-text code is kept when it is still a code of this version ('mixed' otherwise).
 * The comparison reads attempts; the verdict is only quoted.
 */
function upgradeProbeReport(r: ReadableProbeReport): ProbeReport {
  const v = r.verdict;
  if ('findings' in v) return { ...r, schema: PROBE_SCHEMA_ID, verdict: v };
  const code = (FINDING_CODES as readonly string[]).includes(v.code) ? (v.code as FindingCode) : 'mixed';
  return { ...r, schema: PROBE_SCHEMA_ID, verdict: { ...v, code, findings: [], app: null, prediction: null } };
}

const normHost = (h: string) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');

/** Both reports must be of one schema version and one target. */
export function assertComparable(a: ProbeReport, b: ProbeReport, names: [string, string] = ['a', 'b']): void {
  if (normHost(a.target.host) !== normHost(b.target.host)) {
    throw new SmtpEgressError(
      'incompatible_reports',
      `the reports are of different targets: ${names[0]} probed ${a.target.host}, ${names[1]} probed ${b.target.host}; compare two probes of the same host`,
      { field: 'target.host' },
    );
  }
}

/** Validates two raw values (file contents parsed, or a request's a/b) and compares them. */
export function compareInputs(a: unknown, b: unknown, names: [string, string] = ['a', 'b'], now = new Date()): CompareReport {
  // Versions this one reads (probe@1 and probe@2) mix freely; any other version is refused by name.
  const ra = loadProbeReport(a, names[0]);
  const rb = loadProbeReport(b, names[1]);
  assertComparable(ra, rb, names);
  return compareReports(ra, rb, now);
}

// ---------------------------------------------------------------------------------------------
// Rows

function sideOf(a: Attempt): CompareSide {
  return {
    outcome: a.outcome,
    mode: a.mode,
    detectedMode: a.detectedMode,
    address: a.address,
    errno: a.errno,
    message: a.message,
    connected: connected(a),
    connectMs: a.phases.connect ?? null,
    banner: a.banner,
    tls: a.tls
      ? { protocol: a.tls.protocol, authorized: a.tls.authorized, error: a.tls.error, certSubject: a.tls.cert?.subject ?? null, certIssuer: a.tls.cert?.issuer ?? null }
      : null,
    auth: a.auth?.result ?? null,
  };
}

/**
 * What identifies the server in a greeting: the reply code and the name it gives, digits masked
 * (smtp-1 and smtp-7 of one pool are the same server; a proxy that answers instead is not).
 * The rest of a banner (ids, dates) changes on every connection and is not compared.
 */
function bannerKey(banner: string): string {
  const first = banner.split('\n')[0] ?? '';
  const m = /^(\d{3})[ -]?(\S*)/.exec(first.trim());
  return m ? `${m[1]} ${(m[2] ?? '').toLowerCase().replace(/\d+/g, '#')}` : first.trim().toLowerCase();
}

function differencesOf(a: CompareSide, b: CompareSide): Difference[] {
  const out: Difference[] = [];
  const add = (field: string, x: string | null, y: string | null) => {
    if (x !== y) out.push({ field, a: x, b: y });
  };
  add('outcome', a.outcome, b.outcome);
  add('mode', a.mode, b.mode);
  if (a.detectedMode && b.detectedMode) add('detectedMode', a.detectedMode, b.detectedMode);
  if (a.tls && b.tls) {
    add('tls.protocol', a.tls.protocol, b.tls.protocol);
    add('tls.authorized', String(a.tls.authorized), String(b.tls.authorized));
    add('tls.error', a.tls.error, b.tls.error);
    const cert = (s: NonNullable<CompareSide['tls']>) => (s.certSubject || s.certIssuer ? `${s.certSubject ?? '?'} (issuer ${s.certIssuer ?? '?'})` : null);
    if (cert(a.tls) && cert(b.tls)) add('tls.cert', cert(a.tls), cert(b.tls));
  }
  if (a.banner && b.banner && bannerKey(a.banner) !== bannerKey(b.banner)) out.push({ field: 'banner', a: a.banner, b: b.banner });
  // A login tried from one side only is not a difference between the networks.
  const tried = (s: CompareSide) => s.auth !== null && s.auth !== 'skipped';
  if (tried(a) && tried(b)) add('auth', a.auth, b.auth);
  return out;
}

function findingOf(a: CompareSide | null, b: CompareSide | null, diffs: Difference[]): Finding {
  if (!a) return 'only_b';
  if (!b) return 'only_a';
  const fails = (s: CompareSide) => CONNECT_FAILURES.includes(s.outcome);
  if (fails(a) && b.connected) return 'egress_blocked_a';
  if (fails(b) && a.connected) return 'egress_blocked_b';
  return diffs.length === 0 ? 'same' : 'differs';
}

interface PortAttempts {
  byFamily: Map<Family, Attempt>;
  /** An attempt that never reached an address (dns_failed, blocked_by_policy): stands for every family. */
  any: Attempt | null;
}

function byPort(attempts: readonly Attempt[]): Map<number, PortAttempts> {
  const out = new Map<number, PortAttempts>();
  for (const at of attempts) {
    const entry = out.get(at.port) ?? { byFamily: new Map(), any: null };
    if (at.family === null) entry.any ??= at;
    else if (!entry.byFamily.has(at.family)) entry.byFamily.set(at.family, at);
    out.set(at.port, entry);
  }
  return out;
}

export function compareRows(a: ProbeReport, b: ProbeReport): CompareRow[] {
  const pa = byPort(a.attempts);
  const pb = byPort(b.attempts);
  const ports = [...new Set([...pa.keys(), ...pb.keys()])].sort((x, y) => x - y);
  const rows: CompareRow[] = [];
  for (const port of ports) {
    const ea = pa.get(port);
    const eb = pb.get(port);
    const families = (['ipv4', 'ipv6'] as const).filter((f) => ea?.byFamily.has(f) || eb?.byFamily.has(f));
    const keys: (Family | null)[] = families.length > 0 ? families : [null];
    for (const family of keys) {
      const atA = family ? (ea?.byFamily.get(family) ?? ea?.any) : ea?.any;
      const atB = family ? (eb?.byFamily.get(family) ?? eb?.any) : eb?.any;
      const sa = atA ? sideOf(atA) : null;
      const sb = atB ? sideOf(atB) : null;
      const differences = sa && sb ? differencesOf(sa, sb) : [];
      rows.push({ port, family, a: sa, b: sb, finding: findingOf(sa, sb, differences), differences });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Verdict

type Side = 'a' | 'b';
const other = (s: Side): Side => (s === 'a' ? 'b' : 'a');

/** "587", "465 and 587", "25, 465 and 587". */
export function listPorts(items: readonly (number | string)[]): string {
  const u = [...new Set(items.map(String))];
  return u.length <= 1 ? (u[0] ?? '') : `${u.slice(0, -1).join(', ')} and ${u[u.length - 1]}`;
}
const portWord = (n: number) => (n === 1 ? 'Port' : 'Ports');
const famName = (f: Family | null) => (f === 'ipv6' ? 'IPv6' : f === 'ipv4' ? 'IPv4' : 'any family');

const HOW: Partial<Record<Outcome, [string, string]>> = {
  connect_timeout: ['times out', 'time out'],
  network_unreachable: ['is unreachable ("Network is unreachable", Errno 101)', 'are unreachable ("Network is unreachable", Errno 101)'],
  host_unreachable: ['is unreachable ("No route to host", Errno 113)', 'are unreachable ("No route to host", Errno 113)'],
  connection_refused: ['is refused ("Connection refused", Errno 111)', 'are refused ("Connection refused", Errno 111)'],
};

/** "587", or "587 over IPv6" when only that family of the port is in the list. */
function portItems(rows: readonly CompareRow[], all: readonly CompareRow[]): string[] {
  const ports = [...new Set(rows.map((r) => r.port))];
  return ports.map((p) => {
    const fams = rows.filter((r) => r.port === p).map((r) => r.family);
    const allFams = all.filter((r) => r.port === p).map((r) => r.family);
    return fams.length === allFams.length || fams.length !== 1 ? String(p) : `${p} over ${famName(fams[0] ?? null)}`;
  });
}

function modeSetting(s: CompareSide): string {
  if (s.mode === 'implicit-tls') return 'EMAIL_USE_SSL=True, EMAIL_USE_TLS empty';
  if (s.tls) return 'EMAIL_USE_TLS=True, EMAIL_USE_SSL empty';
  return 'no TLS offered there, so prefer a TLS port';
}

interface Part {
  summary: string;
  causes: string[];
  fixes: string[];
}

interface VerdictContext {
  label: Record<Side, string>;
  /** The label without the region ("Render"), for "Render's egress"; labels with (A)/(B) stay whole. */
  short: Record<Side, string>;
  reports: Record<Side, ProbeReport>;
}

function blockedPart(side: Side, rows: readonly CompareRow[], ctx: VerdictContext): { part: Part; v6only: boolean } {
  const X = ctx.label[side];
  const Y = ctx.label[other(side)];
  const finding: Finding = side === 'a' ? 'egress_blocked_a' : 'egress_blocked_b';
  const blocked = rows.filter((r) => r.finding === finding);
  const sideOfRow = (r: CompareRow) => (side === 'a' ? r.a : r.b) as CompareSide | null;
  const outcomes = [...new Set(blocked.map((r) => sideOfRow(r)?.outcome).filter((o): o is Outcome => Boolean(o)))];
  const policy = egressPolicyFor(ctx.reports[side].platform.name);

  // IPv6 only, with IPv4 of the same ports getting out of this side: the Errno 101 trap.
  const v6only =
    blocked.every((r) => r.family === 'ipv6') &&
    blocked.every((r) => rows.some((q) => q.port === r.port && q.family === 'ipv4' && sideOfRow(q)?.connected));
  // "times out from X", or "fail from X (465: network unreachable, 587: connection refused)".
  const how = (plural: boolean) =>
    outcomes.length === 1 && outcomes[0] && HOW[outcomes[0]]
      ? `${(HOW[outcomes[0]] as [string, string])[plural ? 1 : 0]} from ${X}`
      : `fail${plural ? '' : 's'} from ${X} (${blocked.map((r) => `${r.port}${r.family === 'ipv6' ? ' IPv6' : ''}: ${(sideOfRow(r)?.outcome ?? '').replace(/_/g, ' ')}`).join(', ')})`;
  const Xs = ctx.short[side];
  const timeoutFix = 'Set a timeout on the mail connection (Django: EMAIL_TIMEOUT=10; nodemailer: connectionTimeout) so a blocked port fails fast instead of hanging a worker.';

  if (v6only) {
    const ports = [...new Set(blocked.map((r) => r.port))];
    return {
      v6only: true,
      part: {
        summary: `IPv6 to port ${listPorts(ports)} ${how(false)} but gets out of ${Y}, while IPv4 gets out of both: an app on ${X} that tries the IPv6 address first fails with "[Errno 101] Network is unreachable". Force IPv4 for the mail connection.`,
        causes: [`${X} has no working outbound IPv6 route${policy?.outboundIpv6 === false ? ` (${policy.note}; ${policy.source})` : ''}, and the mail host has an AAAA record.`],
        fixes: [
          `On ${X}, force IPv4 for the mail connection: in Python, connect to an IPv4 address of the host (socket.getaddrinfo(host, port, socket.AF_INET)) or use a backend that lets you pick the family; in Node, pass family: 4 to nodemailer.`,
          'Or make the system prefer IPv4 (gai.conf "precedence ::ffff:0:0/96 100").',
        ],
      },
    };
  }

  const items = portItems(blocked, rows);
  const plural = items.length > 1;
  const blockedPorts = [...new Set(blocked.map((r) => r.port))];
  // Ports that do get out of the blocked side (IPv4 or any family), best first: completed dialogue.
  const working = rows
    .filter((r) => !blockedPorts.includes(r.port) && sideOfRow(r)?.connected && r.family !== 'ipv6')
    .sort((p, q) => Number(sideOfRow(q)?.outcome === 'ok') - Number(sideOfRow(p)?.outcome === 'ok') || p.port - q.port);
  const workingPorts = [...new Set(working.map((r) => r.port))];
  const policyPorts = policy ? blockedPorts.filter((p) => policy.blockedPorts.includes(p)) : [];

  const short: string[] = [];
  const fixes: string[] = [];
  if (workingPorts.length > 0) {
    const best = working[0] as CompareRow;
    short.push(`port ${listPorts(workingPorts)} (${workingPorts.length === 1 ? 'it gets' : 'they get'} out of ${X} and your provider serves ${workingPorts.length === 1 ? 'it' : 'them'})`);
    fixes.push(
      `Use port ${listPorts(workingPorts)} from ${X}: the server answers there and the connection gets out (EMAIL_PORT=${best.port}, ${modeSetting(sideOfRow(best) as CompareSide)}).`,
    );
  } else {
    short.push('an alternative port if your provider serves one (2525, 2587 or 2465)');
    fixes.push(`None of the ports compared gets out of ${X}: ask your provider for an alternative port (2525, 2587 or 2465) and probe it from ${X}.`);
  }
  short.push('an HTTPS mail API');
  fixes.push('Send through an HTTPS mail API on port 443 instead of SMTP (Amazon SES v2 SendEmail, SendGrid, Mailgun, Postmark, Resend...).');
  if (policy && policyPorts.length > 0) {
    short.push(`a paid ${platformLabel({ ...ctx.reports[side].platform, region: null })} plan`);
    fixes.push(`Or move to a paid ${platformLabel({ ...ctx.reports[side].platform, region: null })} plan: the block applies to ${policy.plans}.`);
  }
  if (outcomes.includes('connect_timeout')) fixes.push(timeoutFix);

  const causes = [
    `The server accepts ${blockedPorts.length === 1 ? 'port' : 'ports'} ${listPorts(blockedPorts)} from ${Y}, so it is up and listening; the connection from ${X} never got through, so ${Xs}'s egress blocks ${blockedPorts.length === 1 ? 'it' : 'them'}${outcomes.every((o) => o === 'connection_refused') ? ' (a firewall rejecting with a reset)' : ''}.`,
  ];
  if (policy && policyPorts.length > 0) causes.push(`${policy.note} (${policy.documented ? 'documented' : 'reported by users'}: ${policy.source}).`);

  const orList = short.length === 1 ? short[0] : `${short.slice(0, -1).join(', ')}, or ${short[short.length - 1]}`;
  return {
    v6only: false,
    part: {
      summary: `${portWord(items.length)} ${listPorts(items)} ${plural ? 'get' : 'gets'} out of ${Y} but ${how(plural)}: ${Xs}'s egress blocks ${plural ? 'them' : 'it'}. Use ${orList}.`,
      causes,
      fixes,
    },
  };
}

function differsPart(rows: readonly CompareRow[], label: Record<Side, string>, short: Record<Side, string>): Part {
  const causes: string[] = [];
  const fixes: string[] = [];
  const lines: string[] = [];
  for (const r of rows.slice(0, 3)) {
    const d = r.differences.map((x) => `${x.field} ${x.a ?? '-'} from ${label.a} vs ${x.b ?? '-'} from ${label.b}`);
    lines.push(`port ${r.port}${r.family ? ` ${famName(r.family)}` : ''}: ${d.join('; ')}`);
  }
  const more = rows.length > 3 ? `; and ${rows.length - 3} more` : '';
  for (const side of ['a', 'b'] as const) {
    const X = label[side];
    const Xs = short[side];
    const mine = (r: CompareRow) => (side === 'a' ? r.a : r.b) as CompareSide;
    const theirs = (r: CompareRow) => (side === 'a' ? r.b : r.a) as CompareSide;
    const only = (o: Outcome) => rows.filter((r) => mine(r).outcome === o && theirs(r).outcome !== o);
    if (only('dns_failed').length) {
      causes.push(`The name does not resolve from ${X} (${only('dns_failed')[0]?.a?.message ?? only('dns_failed')[0]?.b?.message ?? ''}) while it does from the other side.`);
      fixes.push(`Check ${Xs}'s resolver and that the host name is public, not an internal or split-horizon name.`);
    }
    if (only('blocked_by_policy').length) {
      causes.push(`${X} did not try: its own address guard refused the target (SMTP_EGRESS_ALLOW_PRIVATE / SMTP_EGRESS_ALLOWED_HOSTS).`);
      fixes.push(`Probe a public name, or adjust SMTP_EGRESS_ALLOWED_HOSTS on ${X}.`);
    }
    if (only('smtp_rejected').length) {
      causes.push(`The server refuses the SMTP dialogue from ${X} only: it likely rejects ${Xs}'s IP address (shared cloud IPs are often on blocklists).`);
      fixes.push(`Ask the provider whether it blocks ${Xs}'s IP range, or send from ${X} through an HTTPS mail API.`);
    }
    if (only('starttls_unavailable').length) {
      causes.push(`STARTTLS works from the other side but not from ${X}: something on ${Xs}'s path strips or breaks it.`);
      fixes.push(`From ${X}, use implicit TLS on 465 (EMAIL_USE_SSL=True) or an HTTPS mail API.`);
    }
    const stalls = rows.filter((r) => ['greeting_timeout', 'timeout', 'connection_reset'].includes(mine(r).outcome) && theirs(r).outcome === 'ok');
    if (stalls.length) {
      causes.push(`Port ${listPorts(stalls.map((r) => r.port))} connects from ${X} but the dialogue stalls or breaks, while it completes from the other side: a transparent proxy or tarpit on ${Xs}'s path, or the server slows ${Xs}'s address down.`);
      fixes.push(`Send from ${X} through an HTTPS mail API, or try another port from ${X}.`);
    }
  }
  const fields = new Set(rows.flatMap((r) => r.differences.map((d) => d.field)));
  if (fields.has('tls.cert') || fields.has('tls.authorized')) {
    causes.push('The certificate differs between the two networks: a TLS-intercepting middlebox on one path, or a different server behind the name.');
    fixes.push('Compare tls.cert in both reports; do not turn certificate verification off to "fix" it.');
  } else if (fields.has('banner')) {
    causes.push('A different server answers each side (DNS load balancing, geo DNS, or a transparent SMTP proxy on one path).');
  }
  if (fields.has('tls.protocol')) causes.push('The TLS version negotiated differs: the two networks reach different servers or a middlebox re-terminates TLS.');
  if (fields.has('auth')) {
    causes.push('The login result differs: each side used different credentials, or the server treats the networks differently.');
    fixes.push('Check that EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are the same on both deployments.');
  }
  if (fields.has('mode')) causes.push('The two probes used different TLS modes for the same port: probe both with the same --ports.');
  const bothFail = rows.filter((r) => CONNECT_FAILURES.includes((r.a as CompareSide).outcome) && CONNECT_FAILURES.includes((r.b as CompareSide).outcome));
  if (bothFail.length) causes.push(`Port ${listPorts(bothFail.map((r) => r.port))} gets out of neither side (in different ways): the server may not listen there, or both networks block it.`);
  if (causes.length === 0) causes.push('The two networks get different answers; see the rows.');
  return { summary: `Compared from ${label.a} and ${label.b}, ${lines.join('; ')}${more}.`, causes, fixes };
}

function labelsOf(a: ProbeReport, b: ProbeReport): Record<Side, string> {
  const la = platformLabel(a.platform);
  const lb = platformLabel(b.platform);
  return la === lb ? { a: `${la} (A)`, b: `${lb} (B)` } : { a: la, b: lb };
}

function party(r: ProbeReport, label: string): CompareParty {
  return {
    platform: r.platform,
    label,
    reportId: r.id,
    startedAt: r.startedAt,
    toolVersion: r.tool.version,
    addresses: r.target.addresses,
    verdict: { code: r.verdict.code, summary: r.verdict.summary },
  };
}

export function compareVerdict(rows: readonly CompareRow[], reports: Record<Side, ProbeReport>, label: Record<Side, string>): CompareReport['verdict'] {
  const parts: Part[] = [];
  let code: CompareVerdictCode;
  const blockedA = rows.some((r) => r.finding === 'egress_blocked_a');
  const blockedB = rows.some((r) => r.finding === 'egress_blocked_b');
  const shortOf = (s: Side) => (label.a.endsWith(' (A)') ? label[s] : platformLabel({ ...reports[s].platform, region: null }));
  const ctx: VerdictContext = { label, short: { a: shortOf('a'), b: shortOf('b') }, reports };
  if (blockedA || blockedB) {
    const pa = blockedA ? blockedPart('a', rows, ctx) : null;
    const pb = blockedB ? blockedPart('b', rows, ctx) : null;
    if (pa) parts.push(pa.part);
    if (pb) parts.push(pb.part);
    code = pa && pb ? 'egress_blocked_both' : pa ? (pa.v6only ? 'ipv6_blocked_a' : 'egress_blocked_a') : pb?.v6only ? 'ipv6_blocked_b' : 'egress_blocked_b';
  } else if (rows.some((r) => r.finding === 'differs')) {
    code = 'differs';
  } else if (rows.some((r) => r.finding === 'same')) {
    code = 'same';
  } else {
    code = 'nothing_in_common';
  }

  const differing = rows.filter((r) => r.finding === 'differs');
  if (differing.length > 0) parts.push(differsPart(differing, label, ctx.short));

  const same = rows.filter((r) => r.finding === 'same');
  if (code === 'same') {
    const sides = same.map((r) => r.a as CompareSide);
    if (sides.every((s) => s.outcome === 'ok')) {
      parts.push({
        summary: `${label.a} and ${label.b} see the same on every port compared (${listPorts(same.map((r) => r.port))}): mail gets out of both and the SMTP dialogue completes. Neither platform's egress is the problem.`,
        causes: [],
        fixes: [],
      });
    } else {
      const byOutcome = new Map<string, number[]>();
      for (const r of same) byOutcome.set((r.a as CompareSide).outcome, [...(byOutcome.get((r.a as CompareSide).outcome) ?? []), r.port]);
      const what = [...byOutcome].map(([o, ports]) => `${listPorts(ports)} ${o}`).join(', ');
      parts.push({
        summary: `${label.a} and ${label.b} see the same on every port compared (${what}): what fails, fails from both networks, so the cause is the server or the settings, not one platform's egress.`,
        causes: reports.a.verdict.causes,
        fixes: reports.a.verdict.fixes,
      });
    }
  } else {
    // Both fail to connect in the same way: worth a sentence next to the main finding.
    const neither = same.filter((r) => CONNECT_FAILURES.includes((r.a as CompareSide).outcome));
    if (neither.length > 0) {
      parts.push({
        summary: `${portWord(new Set(neither.map((r) => r.port)).size)} ${listPorts(neither.map((r) => r.port))} ${new Set(neither.map((r) => r.port)).size === 1 ? 'gets' : 'get'} out of neither (${(neither[0]?.a as CompareSide).outcome.replace(/_/g, ' ')} from both).`,
        causes: ['Where both sides fail the same way, the server may not listen on that port, or both networks block it.'],
        fixes: [],
      });
    }
  }

  for (const side of ['a', 'b'] as const) {
    const only = rows.filter((r) => r.finding === (side === 'a' ? 'only_a' : 'only_b'));
    if (only.length === 0) continue;
    const items = only.map((r) => `${r.port}${r.family ? ` ${famName(r.family)}` : ''}`);
    parts.push({
      summary: `${listPorts(items)} ${items.length === 1 ? 'was' : 'were'} probed only from ${label[side]}, so ${items.length === 1 ? 'it is' : 'they are'} not compared.`,
      causes: [],
      fixes: [`Probe the same ports from both sides (the same --ports), so every row can be compared.`],
    });
  }
  if (code === 'nothing_in_common' && parts.length === 0) parts.push({ summary: 'The two reports have no attempts to compare.', causes: [], fixes: [] });

  return {
    code,
    summary: parts.map((p) => p.summary).join(' '),
    causes: [...new Set(parts.flatMap((p) => p.causes))],
    fixes: [...new Set(parts.flatMap((p) => p.fixes))],
  };
}

/** Compares two validated reports of one target (see assertComparable). */
export function compareReports(a: ProbeReport, b: ProbeReport, now = new Date()): CompareReport {
  const rows = compareRows(a, b);
  const label = labelsOf(a, b);
  return {
    schema: COMPARE_SCHEMA_ID,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    comparedAt: now.toISOString(),
    target: { host: a.target.host },
    a: party(a, label.a),
    b: party(b, label.b),
    rows,
    verdict: compareVerdict(rows, { a, b }, label),
  };
}

/** Exit status 0 only when both sides agree everywhere and every attempt succeeded. */
export function compareIsClean(c: CompareReport): boolean {
  return c.rows.length > 0 && c.rows.every((r) => r.finding === 'same' && r.a?.outcome === 'ok' && r.b?.outcome === 'ok');
}

