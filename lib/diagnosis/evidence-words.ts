// The evidence behind a verdict, in words a user can check against the report.
import type { Attempt } from '../model/probe-report.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms < 10 ? ms.toFixed(1).replace(/\.0$/, '') : Math.round(ms)} ms`;

/**
 * How a `connect_timeout` was decided, e.g. "no answer to 6 SYNs in 1.1 s while 2525 on the same
 * address answered in 21 ms". Null when the attempt carries no decision (not a connect timeout,
 * or a report from before decisions were recorded).
 */
export function describeTimeout(a: Attempt): string | null {
  const d = a.decision;
  if (a.outcome !== 'connect_timeout' || !d) return null;
  const syns = d.unansweredSyns === null ? '' : ` to ${d.unansweredSyns} SYN${d.unansweredSyns === 1 ? '' : 's'}`;
  const ref = d.reference ? ` while ${d.reference.port} on the same address answered in ${millis(d.reference.ms)}` : '';
  return `no answer${syns} in ${seconds(d.ms)}${ref}`;
}
