// Accuracy of the log classifier on the corpus of real excerpts (test/fixtures/logs-corpus.json):
// per stack and per expected code, the share of mail excerpts whose most likely outcome is the
// expected one, and the noise excerpts that stayed unclassified. `--misses` lists every miss.
// Run: npx tsx scripts/logs-accuracy.ts [--misses]
import { readFileSync } from 'node:fs';
import { classifyLogs } from '../lib/logs/classify.ts';

interface Item { id: string; stack: string; client: string; source: string; excerpt: string; expected: string | null; why: string; port: number | null }

const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/logs-corpus.json', import.meta.url), 'utf8')) as { items: Item[] };
const showMisses = process.argv.includes('--misses');

/** What the classifier says of one excerpt: its most likely outcome, null when it found no mail error. */
export function verdictOf(excerpt: string): string | null {
  const r = classifyLogs(excerpt);
  return r.summary.mostLikely?.outcome ?? (r.summary.events > 0 ? 'undetermined' : null);
}

const tally = (m: Map<string, [number, number]>, k: string, ok: boolean) => {
  const t = m.get(k) ?? [0, 0];
  t[0] += ok ? 1 : 0;
  t[1] += 1;
  m.set(k, t);
};
const byStack = new Map<string, [number, number]>();
const byCode = new Map<string, [number, number]>();
const misses: string[] = [];
let mailOk = 0;
let mail = 0;
let noiseOk = 0;
let noise = 0;
for (const item of corpus.items) {
  const got = verdictOf(item.excerpt);
  const ok = got === item.expected;
  if (item.expected === null) {
    noise += 1;
    noiseOk += ok ? 1 : 0;
    tally(byStack, `${item.stack} (noise)`, ok);
  } else {
    mail += 1;
    mailOk += ok ? 1 : 0;
    tally(byStack, item.stack, ok);
    tally(byCode, item.expected, ok);
  }
  if (!ok) misses.push(`${item.id}: expected ${item.expected ?? 'nothing'}, got ${got ?? 'nothing'}`);
}
const pct = ([a, b]: [number, number]) => `${a}/${b} ${((100 * a) / b).toFixed(1)}%`;
const table = (title: string, m: Map<string, [number, number]>) => {
  console.log(title);
  for (const [k, v] of [...m.entries()].sort()) console.log(`  ${k.padEnd(24)} ${pct(v)}`);
};
table('per stack', byStack);
table('per expected code', byCode);
console.log(`mail errors with the expected code: ${pct([mailOk, mail])}`);
console.log(`noise left unclassified:            ${pct([noiseOk, noise])}`);
if (showMisses) for (const m of misses) console.log(`  miss ${m}`);
