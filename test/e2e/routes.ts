// Where the routes are declared: each Netlify function's `config.path` and the README's route
// table (rows that start with | `/api/...`). Read from the files, as a reviewer would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './netlify-cli.ts';

export interface FunctionRoute {
  file: string;
  paths: string[];
}

/** Every function in functions/ with the path(s) its exported `config` declares. */
export function functionRoutes(): FunctionRoute[] {
  const dir = join(ROOT, 'functions');
  return readdirSync(dir)
    .filter((f) => /\.(mts|ts|mjs|js)$/.test(f))
    .sort()
    .map((file) => {
      const src = readFileSync(join(dir, file), 'utf8');
      const config = /export\s+const\s+config\b[^=]*=\s*\{([\s\S]*?)\}\s*(?:satisfies\s+\w+\s*)?;/.exec(src)?.[1] ?? '';
      const single = /\bpath\s*:\s*['"`]([^'"`]+)['"`]/.exec(config);
      const list = /\bpath\s*:\s*\[([^\]]*)\]/.exec(config);
      const paths = single ? [single[1]!] : list ? [...list[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((m) => m[1]!) : [];
      return { file, paths };
    });
}

/** Paths in the README's route table, or null when the README has no such table. */
export function readmeRoutes(): string[] | null {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const paths = [...readme.matchAll(/^\|\s*`(?:[A-Z, /]+\s+)?(\/api\/[^`\s]*)`/gm)].map((m) => m[1]!);
  return paths.length === 0 ? null : [...new Set(paths)];
}
