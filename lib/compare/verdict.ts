// The verdict of a compare: which networks block what, why, and what to do. It names each
// network (column) by its platform, says where a failure is that network's own published limit
// (lib/compare/limits.ts) instead of blaming the server or another network, and keeps the wording
// of a two-network compare ("gets out of Netlify but times out from Render"). Pure: no I/O.
import type { Family, Outcome, ProbeReport } from '../model/probe-report.ts';
import type { CompareBlock, CompareCell, CompareColumn, CompareReport, CompareRow, CompareVerdictCode, NetworkLimit } from '../model/compare-report.ts';
import { CONNECT_FAILURES } from '../diagnosis/evidence.ts';
import { platformLabel } from '../platform/detect.ts';
import { egressPolicyFor } from '../platform/egress-policies.ts';

/** "587", "465 and 587", "25, 465 and 587". */
export function listPorts(items: readonly (number | string)[]): string {
  const u = [...new Set(items.map(String))];
  return u.length <= 1 ? (u[0] ?? '') : `${u.slice(0, -1).join(', ')} and ${u[u.length - 1]}`;
}
const portWord = (n: number) => (n === 1 ? 'Port' : 'Ports');
const famName = (f: Family | null) => (f === 'ipv6' ? 'IPv6' : f === 'ipv4' ? 'IPv4' : 'any family');
const rowName = (r: CompareRow) => `${r.port}${r.family ? ` ${famName(r.family)}` : ''}`;

const HOW: Partial<Record<Outcome, [string, string]>> = {
  connect_timeout: ['times out', 'time out'],
  network_unreachable: ['is unreachable ("Network is unreachable", Errno 101)', 'are unreachable ("Network is unreachable", Errno 101)'],
  host_unreachable: ['is unreachable ("No route to host", Errno 113)', 'are unreachable ("No route to host", Errno 113)'],
  connection_refused: ['is refused ("Connection refused", Errno 111)', 'are refused ("Connection refused", Errno 111)'],
};

/**
 * The ports of these rows as a phrase: "Port 587", "Ports 465 and 587 over IPv4", "Port 25 and
 * ports 465 and 587 over IPv6" (a port is named bare when all its rows are in the list), and
 * whether it is plural.
 */
function portsPhrase(rows: readonly CompareRow[], all: readonly CompareRow[]): { text: string; plural: boolean } {
  const ports = [...new Set(rows.map((r) => r.port))];
  const whole = ports.filter((p) => all.filter((r) => r.port === p).every((r) => rows.includes(r)));
  const groups: string[] = [];
  if (whole.length > 0) groups.push(`${portWord(whole.length)} ${listPorts(whole)}`);
  for (const f of ['ipv4', 'ipv6', null] as const) {
    const ps = [...new Set(rows.filter((r) => r.family === f && !whole.includes(r.port)).map((r) => r.port))];
    if (ps.length > 0) groups.push(`${portWord(ps.length)} ${listPorts(ps)} over ${famName(f)}`);
  }
  const text = groups.map((g, i) => (i === 0 ? g : g.charAt(0).toLowerCase() + g.slice(1))).join(' and ');
  return { text, plural: ports.length > 1 };
}

function modeSetting(s: CompareCell): string {
  if (s.mode === 'implicit-tls') return 'EMAIL_USE_SSL=True, EMAIL_USE_TLS empty';
  if (s.tls) return 'EMAIL_USE_TLS=True, EMAIL_USE_SSL empty';
  return 'no TLS offered there, so prefer a TLS port';
}

interface Part {
  summary: string;
  causes: string[];
  fixes: string[];
}

interface Ctx {
  rows: readonly CompareRow[];
  columns: readonly CompareColumn[];
  reports: readonly ProbeReport[];
  /** The label without the region ("Render"), for "Render's egress"; labels with (A)/(B) stay whole. */
  short: readonly string[];
}

/** "Netlify", "Netlify and Render", "Netlify, Render and this machine". */
export const listLabels = (labels: readonly string[]) => listPorts(labels);
const limitOfColumn = (c: CompareColumn, kind: NetworkLimit['kind']) => c.limits.find((l) => l.kind === kind);
const quoteLimit = (l: NetworkLimit) => `${l.summary} (${l.basis}: ${l.source})`;

/** The columns that connected on every one of these rows (else on any of them). */
function throughOf(rows: readonly CompareRow[], i: number, ctx: Ctx): string {
  const on = (r: CompareRow) => r.cells.flatMap((c, j) => (j !== i && c?.connected ? [j] : []));
  const every = ctx.columns.map((_, j) => j).filter((j) => rows.every((r) => on(r).includes(j)));
  const cols = every.length > 0 ? every : [...new Set(rows.flatMap(on))].sort((p, q) => p - q);
  return listLabels(cols.map((j) => (ctx.columns[j] as CompareColumn).label));
}

/** IPv6 failures of column i: the Errno 101 trap where IPv4 gets out, else the network's lack of IPv6. */
function ipv6Part(i: number, v6: readonly CompareRow[], ctx: Ctx): Part {
  const col = ctx.columns[i] as CompareColumn;
  const X = col.label;
  const cell = (r: CompareRow) => r.cells[i] ?? null;
  const ports = [...new Set(v6.map((r) => r.port))];
  const own = v6.every((r) => cell(r)?.limit === 'no_ipv6') ? limitOfColumn(col, 'no_ipv6') : undefined;
  const outcomes = [...new Set(v6.map((r) => cell(r)?.outcome).filter((o): o is Outcome => Boolean(o)))];
  const how = outcomes.length === 1 && outcomes[0] && HOW[outcomes[0]] ? (HOW[outcomes[0]] as [string, string])[0] : 'fails';
  const v4works = v6.every((r) => ctx.rows.some((q) => q.port === r.port && q.family === 'ipv4' && cell(q)?.connected));
  const ownText = own ? `, its own limit: ${quoteLimit(own)}` : '';
  if (!v4works) {
    return { summary: `IPv6 to port ${listPorts(ports)} ${how} from ${X} as well (it gets out of ${throughOf(v6, i, ctx)}): ${X} has no working outbound IPv6${own ? ' (its own limit)' : ''}.`, causes: [`${X} has no working outbound IPv6 route${ownText}.`], fixes: [] };
  }
  return {
    summary: `IPv6 to port ${listPorts(ports)} ${how} from ${X} but gets out of ${throughOf(v6, i, ctx)}, while IPv4 gets out of ${ctx.columns.length === 2 ? 'both' : 'every network compared'}: an app on ${X} that tries the IPv6 address first fails with "[Errno 101] Network is unreachable". Force IPv4 for the mail connection.`,
    causes: [`${X} has no working outbound IPv6 route${ownText}, and the mail host has an AAAA record.`],
    fixes: [
      `On ${X}, force IPv4 for the mail connection: in Python, connect to an IPv4 address of the host (socket.getaddrinfo(host, port, socket.AF_INET)) or use a backend that lets you pick the family; in Node, pass family: 4 to nodemailer.`,
      'Or make the system prefer IPv4 (gai.conf "precedence ::ffff:0:0/96 100").',
    ],
  };
}

function blockedPart(i: number, ctx: Ctx): { parts: Part[]; v6only: boolean } {
  const col = ctx.columns[i] as CompareColumn;
  const X = col.label;
  const Xs = ctx.short[i] as string;
  const { rows } = ctx;
  const cell = (r: CompareRow) => r.cells[i] ?? null;
  const all = rows.filter((r) => r.finding === 'egress_blocked' && r.blocked.includes(col.id));
  // IPv6 rows that are about IPv6 itself (no IPv6 there, or IPv4 of the port gets out) get their own sentence.
  const isV6 = (r: CompareRow) => r.family === 'ipv6' && (cell(r)?.limit === 'no_ipv6' || rows.some((q) => q.port === r.port && q.family === 'ipv4' && cell(q)?.connected));
  const v6 = all.filter(isV6);
  const blocked = all.filter((r) => !isV6(r));
  const v6parts = v6.length > 0 ? [ipv6Part(i, v6, ctx)] : [];
  if (blocked.length === 0) return { parts: v6parts, v6only: true };
  const Y = throughOf(blocked, i, ctx);
  const outcomes = [...new Set(blocked.map((r) => cell(r)?.outcome).filter((o): o is Outcome => Boolean(o)))];
  const policy = egressPolicyFor((ctx.reports[i] as ProbeReport).platform.name);

  // "times out from X", or "fail from X (465: network unreachable, 587: connection refused)".
  const how = (plural: boolean) =>
    outcomes.length === 1 && outcomes[0] && HOW[outcomes[0]]
      ? `${(HOW[outcomes[0]] as [string, string])[plural ? 1 : 0]} from ${X}`
      : `fail${plural ? '' : 's'} from ${X} (${blocked.map((r) => `${r.port}${r.family === 'ipv6' ? ' IPv6' : ''}: ${(cell(r)?.outcome ?? '').replace(/_/g, ' ')}`).join(', ')})`;
  const timeoutFix = 'Set a timeout on the mail connection (Django: EMAIL_TIMEOUT=10; nodemailer: connectionTimeout) so a blocked port fails fast instead of hanging a worker.';

  const { text: items, plural } = portsPhrase(blocked, rows);
  const blockedPorts = [...new Set(blocked.map((r) => r.port))];
  // Ports that do get out of the blocked network (IPv4 or any family), best first: completed dialogue.
  const working = rows
    .filter((r) => !blockedPorts.includes(r.port) && cell(r)?.connected && r.family !== 'ipv6')
    .sort((p, q) => Number(cell(q)?.outcome === 'ok') - Number(cell(p)?.outcome === 'ok') || p.port - q.port);
  const workingPorts = [...new Set(working.map((r) => r.port))];
  const policyPorts = policy ? blockedPorts.filter((p) => policy.blockedPorts.includes(p)) : [];
  const paid = policy?.lift ? `a paid ${platformLabel({ ...(ctx.reports[i] as ProbeReport).platform, region: null })} plan` : null;

  const short: string[] = [];
  const fixes: string[] = [];
  if (workingPorts.length > 0) {
    const best = working[0] as CompareRow;
    short.push(`${workingPorts.length === 1 ? 'port' : 'ports'} ${listPorts(workingPorts)} (${workingPorts.length === 1 ? 'it gets' : 'they get'} out of ${X} and your provider serves ${workingPorts.length === 1 ? 'it' : 'them'})`);
    fixes.push(`Use ${workingPorts.length === 1 ? 'port' : 'ports'} ${listPorts(workingPorts)} from ${X}: the server answers there and the connection gets out (EMAIL_PORT=${best.port}, ${modeSetting(cell(best) as CompareCell)}).`);
  } else {
    short.push('an alternative port if your provider serves one (2525, 2587 or 2465)');
    fixes.push(`None of the ports compared gets out of ${X}: ask your provider for an alternative port (2525, 2587 or 2465) and probe it from ${X}.`);
  }
  short.push('an HTTPS mail API');
  fixes.push('Send through an HTTPS mail API on port 443 instead of SMTP (Amazon SES v2 SendEmail, SendGrid, Mailgun, Postmark, Resend...).');
  if (policy && policyPorts.length > 0 && policy.lift) {
    // A plan change where that is the way out (Render); else the platform's own way (AWS: a request).
    if (paid && /paid|plan|Pro\b/i.test(policy.lift)) {
      short.push(paid);
      fixes.push(`Or move to ${paid}: the block applies to ${policy.plans}.`);
    } else fixes.push(`Or ${policy.lift}: the block applies to ${policy.plans}.`);
  }
  if (outcomes.includes('connect_timeout')) fixes.push(timeoutFix);

  const them = blockedPorts.length === 1 ? 'it' : 'them';
  const causes = [
    `The server accepts ${blockedPorts.length === 1 ? 'port' : 'ports'} ${listPorts(blockedPorts)} from ${Y}, so it is up and listening; the connection from ${X} never got through, so ${Xs}'s egress blocks ${them}${outcomes.every((o) => o === 'connection_refused') ? ' (a firewall rejecting with a reset)' : ''}.`,
  ];
  const own = limitOfColumn(col, 'port_blocked');
  if (own && policyPorts.length > 0) causes.push(`That is ${Xs}'s own limit: ${quoteLimit(own)}.`);

  const orList = short.length === 1 ? short[0] : `${short.slice(0, -1).join(', ')}, or ${short[short.length - 1]}`;
  const part = {
    summary: `${items} ${plural ? 'get' : 'gets'} out of ${Y} but ${how(plural)}: ${Xs}'s egress blocks ${plural ? 'them' : 'it'}. Use ${orList}.`,
    causes,
    fixes,
  };
  return { parts: [part, ...v6parts], v6only: false };
}

function differsPart(rows: readonly CompareRow[], ctx: Ctx): Part {
  const { columns, short } = ctx;
  const causes: string[] = [];
  const fixes: string[] = [];
  const lines = rows.slice(0, 3).map((r) => {
    const d = r.differences.map((x) => `${x.field} ${x.values.flatMap((v, j) => (r.cells[j] ? [`${v ?? '-'} from ${(columns[j] as CompareColumn).label}`] : [])).join(' vs ')}`);
    return `port ${rowName(r)}: ${d.join('; ')}`;
  });
  const more = rows.length > 3 ? `; and ${rows.length - 3} more` : '';
  columns.forEach((col, i) => {
    const X = col.label;
    const Xs = short[i] as string;
    const mine = (r: CompareRow) => r.cells[i] ?? null;
    const othersAll = (r: CompareRow, o: Outcome) => r.cells.every((c, j) => j === i || !c || c.outcome !== o);
    const only = (o: Outcome) => rows.filter((r) => mine(r)?.outcome === o && othersAll(r, o));
    const dns = only('dns_failed');
    if (dns.length) {
      causes.push(`The name does not resolve from ${X} (${mine(dns[0] as CompareRow)?.message ?? ''}) while it does from the other networks.`);
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
      causes.push(`STARTTLS works from the other networks but not from ${X}: something on ${Xs}'s path strips or breaks it.`);
      fixes.push(`From ${X}, use implicit TLS on 465 (EMAIL_USE_SSL=True) or an HTTPS mail API.`);
    }
    const stalls = rows.filter((r) => ['greeting_timeout', 'timeout', 'connection_reset'].includes(mine(r)?.outcome ?? '') && r.cells.some((c, j) => j !== i && c?.outcome === 'ok'));
    if (stalls.length) {
      causes.push(`Port ${listPorts(stalls.map((r) => r.port))} connects from ${X} but the dialogue stalls or breaks, while it completes from another network: a transparent proxy or tarpit on ${Xs}'s path, or the server slows ${Xs}'s address down.`);
      fixes.push(`Send from ${X} through an HTTPS mail API, or try another port from ${X}.`);
    }
  });
  const fields = new Set(rows.flatMap((r) => r.differences.map((d) => d.field)));
  if (fields.has('tls.cert') || fields.has('tls.authorized')) {
    causes.push('The certificate differs between the networks: a TLS-intercepting middlebox on one path, or a different server behind the name.');
    fixes.push('Compare tls.cert in the reports; do not turn certificate verification off to "fix" it.');
  } else if (fields.has('banner')) {
    causes.push('A different server answers each network (DNS load balancing, geo DNS, or a transparent SMTP proxy on one path).');
  }
  if (fields.has('tls.protocol')) causes.push('The TLS version negotiated differs: the networks reach different servers or a middlebox re-terminates TLS.');
  if (fields.has('auth')) {
    causes.push('The login result differs: each network used different credentials, or the server treats the networks differently.');
    fixes.push('Check that EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are the same on every deployment.');
  }
  if (fields.has('mode')) causes.push('The probes used different TLS modes for the same port: probe every network with the same --ports.');
  if (causes.length === 0) causes.push('The networks get different answers; see the rows.');
  return { summary: `Compared from ${listLabels(columns.map((c) => c.label))}, ${lines.join('; ')}${more}.`, causes, fixes };
}

/** A row no network connected on, with at least one connection failure. */
function noneConnect(r: CompareRow): boolean {
  const present = r.cells.filter((c): c is CompareCell => c !== null);
  return present.length >= 2 && !present.some((c) => c.connected) && present.some((c) => CONNECT_FAILURES.includes(c.outcome));
}
/** Every failure in the row is its network's own published limit. */
const allLimited = (r: CompareRow) => r.cells.every((c) => !c || c.limit !== null);

/**
 * Ports no network gets out on. Where each failure is that network's own limit (Netlify on 25,
 * no IPv6 on Lambda or Render), it is named so and says nothing about the server.
 */
function noneConnectPart(rows: readonly CompareRow[], ctx: Ctx): Part | null {
  if (rows.length === 0) return null;
  const limited = rows.filter(allLimited);
  const unexplained = rows.filter((r) => !allLimited(r));
  const summaries: string[] = [];
  const causes: string[] = [];
  if (limited.length > 0) {
    const items = portsPhrase(limited, ctx.rows);
    const who = ctx.columns.flatMap((col, i) => {
      const kinds = [...new Set(limited.flatMap((r) => (r.cells[i]?.limit ? [r.cells[i]?.limit] : [])))];
      return kinds.length === 0 ? [] : [`${ctx.short[i]} ${kinds.map((k) => (k === 'no_ipv6' ? 'has no outbound IPv6' : `blocks ${listPorts([...new Set(limited.filter((r) => r.cells[i]?.limit === 'port_blocked').map((r) => r.port))])}`)).join(' and ')}`];
    });
    const nowhere = ctx.columns.length === 2 ? 'neither network, as their own limits predict' : "no network compared, as each network's own limits predict";
    summaries.push(`${items.text} ${items.plural ? 'get' : 'gets'} out of ${nowhere} (${who.join('; ')}): that says nothing about the server or about the other networks.`);
    ctx.columns.forEach((col, i) => {
      for (const kind of ['port_blocked', 'no_ipv6'] as const) {
        const l = limitOfColumn(col, kind);
        if (l && limited.some((r) => r.cells[i]?.limit === kind)) causes.push(`${col.label}: ${quoteLimit(l)}.`);
      }
    });
  }
  if (unexplained.length > 0) {
    const items = portsPhrase(unexplained, ctx.rows);
    const how = unexplained.map((r) => [...new Set(r.cells.flatMap((c) => (c ? [c.outcome.replace(/_/g, ' ')] : [])))].join(' / '));
    const oneWay = new Set(how).size === 1 ? ` (${how[0]} from ${ctx.columns.length === 2 ? 'both' : 'every network'})` : '';
    summaries.push(`${items.text} ${items.plural ? 'get' : 'gets'} out of ${ctx.columns.length === 2 ? 'neither' : 'no network compared'}${oneWay}.`);
    causes.push('Where no network gets through, the server may not listen on that port, or every one of these networks blocks it.');
  }
  return { summary: summaries.join(' '), causes, fixes: [] };
}

/** Which network blocks what: the rows' blocked columns, and the own limits of ports no network got out on. */
function blocksOf(rows: readonly CompareRow[], columns: readonly CompareColumn[]): CompareBlock[] {
  const out: CompareBlock[] = [];
  columns.forEach((col, i) => {
    const mine = rows.filter((r) => r.blocked.includes(col.id) || (noneConnect(r) && r.cells[i]?.limit));
    for (const family of ['ipv4', 'ipv6', null] as const) {
      for (const ownLimit of [false, true]) {
        const rs = mine.filter((r) => r.family === family && (r.cells[i]?.limit !== null) === ownLimit);
        if (rs.length > 0) out.push({ column: col.id, label: col.label, family, ports: [...new Set(rs.map((r) => r.port))], ownLimit });
      }
    }
  });
  return out;
}

function missingParts(rows: readonly CompareRow[], ctx: Ctx): Part[] {
  return ctx.columns.flatMap((col, i) => {
    const missing = rows.filter((r) => r.cells[i] === null && r.cells.some((c) => c !== null));
    if (missing.length === 0) return [];
    const items = missing.map(rowName);
    return [
      {
        summary: `${listPorts(items)} ${items.length === 1 ? 'was' : 'were'} not probed from ${col.label}, so ${items.length === 1 ? 'that row leaves' : 'those rows leave'} it out.`,
        causes: [],
        fixes: ['Probe the same ports from every network (the same --ports), so every row can be compared.'],
      },
    ];
  });
}

export function compareVerdict(rows: readonly CompareRow[], columns: readonly CompareColumn[], reports: readonly ProbeReport[]): CompareReport['verdict'] {
  const suffixed = columns.some((c) => c.label.endsWith(` (${c.id})`));
  const short = columns.map((c, i) => (suffixed && c.label.endsWith(` (${c.id})`) ? c.label : platformLabel({ ...(reports[i] as ProbeReport).platform, region: null })));
  const ctx: Ctx = { rows, columns, reports, short };
  const parts: Part[] = [];

  const blockedCols = columns.flatMap((c, i) => (rows.some((r) => r.blocked.includes(c.id)) ? [i] : []));
  const blockedParts = blockedCols.map((i) => blockedPart(i, ctx));
  parts.push(...blockedParts.flatMap((p) => p.parts));
  const none = rows.filter((r) => r.finding !== 'egress_blocked' && noneConnect(r));
  const differing = rows.filter((r) => r.finding === 'differs' && !none.includes(r));
  const unexplainedNone = none.filter((r) => !allLimited(r));

  let code: CompareVerdictCode;
  if (blockedParts.length > 0) code = blockedParts.every((p) => p.v6only) ? 'ipv6_blocked' : 'egress_blocked';
  else if (differing.length > 0 || unexplainedNone.some((r) => r.finding === 'differs')) code = 'differs';
  else if (rows.some((r) => r.finding === 'same' || none.includes(r))) code = 'same';
  else code = 'nothing_in_common';

  if (differing.length > 0) parts.push(differsPart(differing, ctx));

  const everyone = listLabels(columns.map((c) => c.label));
  const same = rows.filter((r) => r.finding === 'same' && !none.includes(r));
  if (code === 'same') {
    const ok = same.every((r) => r.cells.every((c) => !c || c.outcome === 'ok'));
    if (ok && same.length > 0) {
      parts.push({
        summary: `${everyone} see the same on every port compared (${listPorts(same.map((r) => r.port))}): mail gets out of ${columns.length === 2 ? 'both' : 'all of them'} and the SMTP dialogue completes. ${columns.length === 2 ? "Neither platform's" : "No platform's"} egress is the problem.`,
        causes: [],
        fixes: [],
      });
    } else if (!ok || unexplainedNone.length > 0) {
      const byOutcome = new Map<string, number[]>();
      for (const r of [...same, ...unexplainedNone]) {
        const o = r.cells.find((c) => c)?.outcome ?? 'ok';
        byOutcome.set(o, [...(byOutcome.get(o) ?? []), r.port]);
      }
      const what = [...byOutcome].map(([o, ports]) => `${listPorts(ports)} ${o}`).join(', ');
      const first = reports[0] as ProbeReport;
      parts.push({
        summary: `${everyone} see the same on every port compared (${what}): what fails, fails from ${columns.length === 2 ? 'both networks' : 'every network'}, so the cause is the server or the settings, not one platform's egress.`,
        causes: first.verdict.causes,
        fixes: first.verdict.fixes,
      });
    }
    const limitedPart = noneConnectPart(none.filter(allLimited), ctx);
    if (limitedPart) parts.push(limitedPart);
  } else {
    const p = noneConnectPart(none, ctx);
    if (p) parts.push(p);
  }

  parts.push(...missingParts(rows, ctx));
  if (code === 'nothing_in_common' && parts.length === 0) parts.push({ summary: 'The reports have no attempts to compare.', causes: [], fixes: [] });

  return {
    code,
    summary: parts.map((p) => p.summary).join(' '),
    causes: [...new Set(parts.flatMap((p) => p.causes))],
    fixes: [...new Set(parts.flatMap((p) => p.fixes))],
    blocks: blocksOf(rows, columns),
  };
}
