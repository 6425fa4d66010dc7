// "Did you mean": the closest known name to what was typed, by edit distance (leven, the
// Levenshtein distance package yargs and meow use), when it is close enough to be a slip.
import leven from 'leven';

/** A name within this share of its length (at least 1, at most 3 edits) counts as a slip. */
function limit(typed: string): number {
  return Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
}

export function closest(typed: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = leven(typed.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  // A prefix (--port for --ports, --time for --timeout) counts too.
  const prefixed = known.find((n) => n.startsWith(typed) || typed.startsWith(n));
  if (best !== null && bestDistance <= limit(typed)) return best;
  return prefixed && typed.length >= 3 ? prefixed : null;
}

export const didYouMean = (typed: string, known: readonly string[]): string => {
  const c = closest(typed, known);
  return c ? `: did you mean ${c}?` : '';
};
