// `npm run knowledge:stale`: the platform and provider entries last checked more than six months
// ago, so the knowledge can be kept true. Exit 1 when any is stale (CI can run it on a schedule),
// 0 when none, 2 on bad usage. `--today YYYY-MM-DD` judges as of another day.
import { STALE_AFTER_MONTHS, staleKnowledge } from '../lib/providers/knowledge.ts';

const USAGE = 'usage: npm run knowledge:stale [-- --today YYYY-MM-DD]';

function today(argv: string[]): Date | null {
  if (argv.length === 0) return new Date();
  if (argv.length !== 2 || argv[0] !== '--today' || !/^\d{4}-\d{2}-\d{2}$/.test(argv[1] ?? '')) return null;
  const d = new Date(`${argv[1]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const day = today(process.argv.slice(2));
if (!day) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const stale = staleKnowledge(day);
if (stale.length === 0) {
  process.stdout.write(`knowledge:stale: every entry was checked in the last ${STALE_AFTER_MONTHS} months (as of ${day.toISOString().slice(0, 10)})\n`);
  process.exit(0);
}
process.stdout.write(`knowledge:stale: ${stale.length} entr${stale.length === 1 ? 'y' : 'ies'} checked more than ${STALE_AFTER_MONTHS} months before ${day.toISOString().slice(0, 10)}: re-read the source, update the entry and its checked date\n`);
for (const e of stale) process.stdout.write(`  ${e.kind.padEnd(8)} ${e.id.padEnd(26)} checked ${e.checked}  ${e.source}\n`);
process.exit(1);
