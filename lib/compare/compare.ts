// compare: probe reports of the same target from two or more networks (say Netlify, a Render
// free service and a laptop) -> one column per network, one row per port and address family,
// and a verdict naming which networks block what. Pure: no I/O, so the CLI (files, probe URLs,
// a local probe, in any mix), POST /api/compare, `probe --compare` and the page share it.
import type { ProbeReport } from '../model/probe-report.ts';
import { COLUMN_IDS, COMPARE_SCHEMA_ID, type CompareColumn, type CompareReport } from '../model/compare-report.ts';
import { platformLabel } from '../platform/detect.ts';
import { TOOL_NAME, TOOL_VERSION } from '../model/version.ts';
import { networkLimits } from './limits.ts';
import { loadProbeReports } from './load.ts';
import { compareRows } from './rows.ts';
import { compareVerdict } from './verdict.ts';

export { COMPARE_SCHEMA_ID, CompareReport, FINDINGS } from '../model/compare-report.ts';
export type { CompareCell, CompareColumn, CompareRow, Finding } from '../model/compare-report.ts';
export { assertComparable, loadProbeReport, loadProbeReports } from './load.ts';
export { compareRows } from './rows.ts';
export { compareVerdict, listLabels, listPorts } from './verdict.ts';

export interface CompareOptions {
  now?: Date;
  /** Where each report came from (a file, a probe URL, "this machine"), shown in its column. */
  sources?: readonly (string | null)[];
}

/** "Netlify (us-east-2)", "Render"; a label two columns share gets the column id: "Render (A)". */
function labelsOf(reports: readonly ProbeReport[]): string[] {
  const base = reports.map((r) => platformLabel(r.platform));
  return base.map((l, i) => (base.filter((x) => x === l).length > 1 ? `${l} (${COLUMN_IDS[i]})` : l));
}

function columnOf(r: ProbeReport, i: number, label: string, source: string | null): CompareColumn {
  return {
    id: COLUMN_IDS[i] as string,
    label,
    source,
    platform: r.platform,
    reportId: r.id,
    startedAt: r.startedAt,
    toolVersion: r.tool.version,
    addresses: r.target.addresses,
    verdict: { code: r.verdict.code, summary: r.verdict.summary },
    limits: networkLimits(r.platform),
  };
}

/** Compares validated reports of one target (see assertComparable), in the order given. */
export function compareReports(reports: readonly ProbeReport[], options: CompareOptions = {}): CompareReport {
  const labels = labelsOf(reports);
  const columns = reports.map((r, i) => columnOf(r, i, labels[i] as string, options.sources?.[i] ?? null));
  const rows = compareRows(
    reports,
    columns.map((c) => c.limits),
  );
  return {
    schema: COMPARE_SCHEMA_ID,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    comparedAt: (options.now ?? new Date()).toISOString(),
    target: { host: (reports[0] as ProbeReport).target.host },
    columns,
    rows,
    verdict: compareVerdict(rows, columns, reports),
  };
}

/** Validates raw values (parsed files, a request's reports) and compares them; `names` name them in errors. */
export function compareInputs(values: readonly unknown[], names: readonly string[] = values.map((_, i) => `reports[${i}]`), options: CompareOptions = {}): CompareReport {
  return compareReports(loadProbeReports(values, names), options);
}

/** Exit status 0 only when every network agrees everywhere and every attempt succeeded. */
export function compareIsClean(c: CompareReport): boolean {
  return c.rows.length > 0 && c.rows.every((r) => r.finding === 'same' && r.cells.every((x) => x?.outcome === 'ok'));
}
