// Loading the inputs of a compare: a value from a file, a request body or a remote probe -> a
// validated probe report (smtp-egress/probe@2, or a probe@1 report brought to that shape), or an
// error that names the input and the field.
import { PROBE_SCHEMA_ID, PROBE_SCHEMA_IDS_READ, ReadableProbeReport, type ProbeReport } from '../model/probe-report.ts';
import { FINDING_CODES, type FindingCode } from '../model/diagnosis.ts';
import { MAX_COMPARE_COLUMNS } from '../model/compare-report.ts';
import { SmtpEgressError } from '../model/errors.ts';
import { TOOL_VERSION } from '../model/version.ts';

const describe = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v).slice(0, 60));
const schemaOf = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>).schema : undefined);

/** Validates one report. `name` is how errors call it: a file path, a URL, or `reports[1]` over HTTP. */
export function loadProbeReport(value: unknown, name: string): ProbeReport {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SmtpEgressError('invalid_input', `${name} is not a probe report: expected a JSON object (the output of smtp-egress probe --json, or of /api/probe)`, { field: name });
  }
  const schema = schemaOf(value);
  if (!(PROBE_SCHEMA_IDS_READ as readonly unknown[]).includes(schema)) {
    if (typeof schema === 'string' && schema.startsWith('smtp-egress/probe@')) {
      throw new SmtpEgressError(
        'incompatible_reports',
        `${name} is a ${schema} report, but smtp-egress ${TOOL_VERSION} compares ${PROBE_SCHEMA_IDS_READ.join(' and ')} reports: produce every report with the same smtp-egress version`,
        { field: `${name}.schema` },
      );
    }
    if (typeof schema === 'string' && schema.startsWith('smtp-egress/compare@')) {
      throw new SmtpEgressError('invalid_input', `${name} is already a comparison (${schema}): give the probe reports instead`, { field: `${name}.schema` });
    }
    throw new SmtpEgressError('invalid_input', `${name} is not an smtp-egress probe report: its "schema" is ${describe(schema)}, expected "${PROBE_SCHEMA_ID}"`, { field: `${name}.schema` });
  }
  const parsed = ReadableProbeReport.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const msg = (issue?.message ?? 'invalid').slice(0, 300);
    throw new SmtpEgressError('invalid_input', `${name} is not a valid ${String(schema)} report: ${path || '(top level)'}: ${msg}`, { field: path ? `${name}.${path}` : name });
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

/** Two to MAX_COMPARE_COLUMNS reports, all of one target. */
export function assertComparable(reports: readonly ProbeReport[], names: readonly string[]): void {
  assertCount(reports.length);
  const first = reports[0] as ProbeReport;
  reports.forEach((r, i) => {
    if (normHost(r.target.host) !== normHost(first.target.host)) {
      throw new SmtpEgressError(
        'incompatible_reports',
        `the reports are of different targets: ${names[0] ?? 'the first'} probed ${first.target.host}, ${names[i] ?? `report ${i + 1}`} probed ${r.target.host}; compare probes of the same host`,
        { field: 'target.host' },
      );
    }
  });
}

export function assertCount(n: number): void {
  if (n < 2) throw new SmtpEgressError('invalid_input', `a comparison needs two or more reports (got ${n})`, { field: 'reports' });
  if (n > MAX_COMPARE_COLUMNS) throw new SmtpEgressError('invalid_input', `at most ${MAX_COMPARE_COLUMNS} reports can be compared at once (got ${n})`, { field: 'reports' });
}

/** Validates raw values (parsed files, a request's reports) in order. */
export function loadProbeReports(values: readonly unknown[], names: readonly string[]): ProbeReport[] {
  assertCount(values.length);
  // Versions this one reads (probe@1 and probe@2) mix freely; any other version is refused by name.
  const reports = values.map((v, i) => loadProbeReport(v, names[i] ?? `report ${i + 1}`));
  assertComparable(reports, names);
  return reports;
}
