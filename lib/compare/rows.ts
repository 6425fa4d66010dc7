// The rows of a compare: one per port and address family, one cell per network (column), the
// fields that differ across the columns, and a finding (same, egress_blocked, differs,
// not_compared). Pure: no I/O.
import type { Attempt, Family, ProbeReport } from '../model/probe-report.ts';
import type { CompareCell, CompareRow, Difference, Finding, NetworkLimit } from '../model/compare-report.ts';
import { COLUMN_IDS } from '../model/compare-report.ts';
// From evidence.ts, which lib/diagnosis/verdict.ts re-exports them from: the whole diagnosis would
// pull node:crypto (providers) into the page's bundle, which runs this module in the browser.
import { CONNECT_FAILURES, connected } from '../diagnosis/evidence.ts';
import { limitOf } from './limits.ts';

function cellOf(a: Attempt, limits: readonly NetworkLimit[]): CompareCell {
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
    limit: limitOf(limits, a.port, a.family, a.outcome),
  };
}

/**
 * What identifies the server in a greeting: the reply code and the name it gives, digits masked
 * (smtp-1 and smtp-7 of one pool are the same server; a proxy that answers instead is not).
 * The rest of a banner (ids, dates) changes on every connection and is not compared.
 */
export function bannerKey(banner: string): string {
  const first = banner.split('\n')[0] ?? '';
  const m = /^(\d{3})[ -]?(\S*)/.exec(first.trim());
  return m ? `${m[1]} ${(m[2] ?? '').toLowerCase().replace(/\d+/g, '#')}` : first.trim().toLowerCase();
}

const certOf = (c: CompareCell) => (c.tls && (c.tls.certSubject || c.tls.certIssuer) ? `${c.tls.certSubject ?? '?'} (issuer ${c.tls.certIssuer ?? '?'})` : null);
/** A login tried from one network only is not a difference between the networks. */
const authOf = (c: CompareCell) => (c.auth !== null && c.auth !== 'skipped' ? c.auth : null);

/**
 * Each field is compared among the cells it applies to (`has`: a TLS field among the cells that
 * did TLS, a banner among the cells that got one...); it differs when those values are not all alike.
 */
const hasTls = (c: CompareCell) => c.tls !== null;
const FIELDS: { field: string; value: (c: CompareCell) => string | null; has: (c: CompareCell) => boolean; key?: (v: string) => string }[] = [
  { field: 'outcome', value: (c) => c.outcome, has: () => true },
  { field: 'mode', value: (c) => c.mode, has: () => true },
  { field: 'detectedMode', value: (c) => c.detectedMode, has: (c) => c.detectedMode !== null },
  { field: 'tls.protocol', value: (c) => c.tls?.protocol ?? null, has: hasTls },
  { field: 'tls.authorized', value: (c) => (c.tls ? String(c.tls.authorized) : null), has: hasTls },
  { field: 'tls.error', value: (c) => c.tls?.error ?? null, has: hasTls },
  { field: 'tls.cert', value: certOf, has: (c) => certOf(c) !== null },
  { field: 'banner', value: (c) => c.banner, has: (c) => c.banner !== null, key: bannerKey },
  { field: 'auth', value: authOf, has: (c) => authOf(c) !== null },
];

function differencesOf(cells: readonly (CompareCell | null)[]): Difference[] {
  const out: Difference[] = [];
  for (const f of FIELDS) {
    const applies = cells.filter((c): c is CompareCell => c !== null && f.has(c));
    const keys = new Set(applies.map((c) => {
      const v = f.value(c);
      return v !== null && f.key ? f.key(v) : v;
    }));
    if (applies.length >= 2 && keys.size > 1) out.push({ field: f.field, values: cells.map((c) => (c && f.has(c) ? f.value(c) : null)) });
  }
  return out;
}

function findingOf(cells: readonly (CompareCell | null)[], diffs: Difference[]): { finding: Finding; blocked: string[] } {
  const present = cells.filter((c): c is CompareCell => c !== null);
  if (present.length < 2) return { finding: 'not_compared', blocked: [] };
  if (present.some((c) => c.connected)) {
    const blocked = cells.flatMap((c, i) => (c && CONNECT_FAILURES.includes(c.outcome) ? [COLUMN_IDS[i] as string] : []));
    if (blocked.length > 0) return { finding: 'egress_blocked', blocked };
  }
  return { finding: diffs.length === 0 ? 'same' : 'differs', blocked: [] };
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

/** Rows for reports of one target, in port order, IPv4 before IPv6; `limits[i]` belong to reports[i]. */
export function compareRows(reports: readonly ProbeReport[], limits: readonly (readonly NetworkLimit[])[] = []): CompareRow[] {
  const maps = reports.map((r) => byPort(r.attempts));
  const ports = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort((x, y) => x - y);
  const rows: CompareRow[] = [];
  for (const port of ports) {
    const entries = maps.map((m) => m.get(port));
    const families = (['ipv4', 'ipv6'] as const).filter((f) => entries.some((e) => e?.byFamily.has(f)));
    const keys: (Family | null)[] = families.length > 0 ? families : [null];
    for (const family of keys) {
      const cells = entries.map((e, i) => {
        const at = family ? (e?.byFamily.get(family) ?? e?.any) : e?.any;
        return at ? cellOf(at, limits[i] ?? []) : null;
      });
      const differences = differencesOf(cells);
      rows.push({ port, family, cells, ...findingOf(cells, differences), differences });
    }
  }
  return rows;
}
