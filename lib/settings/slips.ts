// Two slips people make in the app's environment that Django reads in silence: a variable under
// a name Django does not read (EMAIL_USER for EMAIL_HOST_USER: no login is attempted, and no word
// is said), and a value stored with literal quotes ("smtp.example.com", as some dashboards keep
// what was pasted), which the app receives quotes and all.
import type { Env } from '../platform/detect.ts';

/** Names seen in apps and tutorials, and the Django setting each was meant to be. */
export const MISNAMED_DJANGO_VARIABLES: readonly (readonly [found: string, reads: string])[] = [
  ['EMAIL_USER', 'EMAIL_HOST_USER'],
  ['EMAIL_USERNAME', 'EMAIL_HOST_USER'],
  ['EMAIL_PASSWORD', 'EMAIL_HOST_PASSWORD'],
  ['EMAIL_PASS', 'EMAIL_HOST_PASSWORD'],
  ['EMAIL_HOST_PASS', 'EMAIL_HOST_PASSWORD'],
  ['EMAIL_SERVER', 'EMAIL_HOST'],
  ['EMAIL_USE_STARTTLS', 'EMAIL_USE_TLS'],
];

export interface MisnamedVariable {
  found: string;
  reads: string;
}

/** The misnamed variables that are set while the name Django reads is not. */
export function misnamedVariables(env: Env): MisnamedVariable[] {
  const set = (k: string) => env[k] !== undefined && env[k]?.trim() !== '';
  return MISNAMED_DJANGO_VARIABLES.filter(([found, reads]) => set(found) && !set(reads)).map(([found, reads]) => ({ found, reads }));
}

/** "found EMAIL_USER: Django reads EMAIL_HOST_USER", the sentence every surface uses. */
export const misnamedSentence = (m: MisnamedVariable) => `found ${m.found}: Django reads ${m.reads}`;

/** The value without the literal quotes around it, or null when it has none. */
export function withoutLiteralQuotes(value: string): string | null {
  const m = /^\s*(["'`])(.*)\1\s*$/s.exec(value);
  return m ? (m[2] as string) : null;
}
