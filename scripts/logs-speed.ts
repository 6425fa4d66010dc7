// How long the log classifier holds the event loop per MiB of pasted logs, on three 1 MiB
// inputs: quiet logs (access and INFO lines), an error-dense paste (the corpus excerpts repeated)
// and one long traceback-shaped block. The baseline in the same rounds is a plain scan of the
// same text (split into lines, one regex test per line), so the ratio says how much the
// classifier costs over merely reading the paste. Medians of ROUNDS runs, rotating order.
// Run: npx tsx scripts/logs-speed.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { classifyLogs } from '../lib/logs/classify.ts';

const MIB = 1024 * 1024;
const ROUNDS = 15;

const fill = (unit: string) => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB);
const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/logs-corpus.json', import.meta.url), 'utf8')) as { items: { excerpt: string }[] };
const inputs: Record<string, string> = {
  quiet: fill('2026-11-20T10:00:31.000Z 127.0.0.1 - - [20/Nov/2026:10:00:31 +0000] "GET /health HTTP/1.1" 200 2 "-" "Render/1.0"\n[2026-11-20 10:00:00 +0000] [58] [INFO] Booting worker with pid: 58\n'),
  errors: fill(`${corpus.items.map((i) => i.excerpt).join('\n\n')}\n\n`),
  traceback: fill('  File "/opt/render/project/src/.venv/lib/python3.12/site-packages/django/core/mail/backends/smtp.py", line 86, in open\n    self.connection = self.connection_class(\n'),
};

const baseline = (text: string) => {
  let n = 0;
  for (const line of text.split(/\r\n|\n|\r/)) if (/error|errno|refused|timed out/i.test(line)) n += 1;
  return n;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
/** CPU milliseconds of this process (user + system): what the work costs, less skewed than the
 * wall clock on a machine other jobs share. The wall clock is printed beside it. */
const time = (f: () => unknown, wall?: number[]) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  wall?.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

console.log('input       classifier CPU ms/MiB (wall)   baseline CPU ms/MiB   ratio   errors found');
for (const [name, text] of Object.entries(inputs)) {
  const c: number[] = [];
  const w: number[] = [];
  const b: number[] = [];
  time(() => classifyLogs(text)); // warm-up: regex compilation and JIT
  for (let r = 0; r < ROUNDS; r += 1) {
    if (r % 2 === 0) {
      c.push(time(() => classifyLogs(text), w));
      b.push(time(() => baseline(text)));
    } else {
      b.push(time(() => baseline(text)));
      c.push(time(() => classifyLogs(text), w));
    }
  }
  const mb = text.length / MIB;
  const cm = median(c) / mb;
  const bm = median(b) / mb;
  const wall = `(${(median(w) / mb).toFixed(0)})`;
  console.log(`${name.padEnd(11)} ${cm.toFixed(1).padStart(19)} ${wall.padStart(7)} ${bm.toFixed(1).padStart(21)} ${(cm / bm).toFixed(1).padStart(7)}   ${classifyLogs(text).summary.events}`);
}
