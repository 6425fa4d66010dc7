// Env files as the app's tooling reads them. Parsing is Node's own util.parseEnv (dotenv rules:
// quotes, comments, `export` prefix, multi-line quoted values); this module only adds findings for
// lines that parser drops silently and for unquoted values it cuts at a `#`.
import { parseEnv } from 'node:util';
import type { Finding } from '../model/config-report.ts';
import { finding } from './mail-settings.ts';

export const MAX_ENV_FILE_BYTES = 256 * 1024;

export interface EnvFileResult {
  env: Record<string, string>;
  findings: Finding[];
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

export function parseEnvFile(text: string, name = '.env'): EnvFileResult {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const parsed = parseEnv(clean);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (v !== undefined) env[k] = v;
  const findings: Finding[] = [];
  const lines = clean.split('\n');
  let openQuote: string | null = null;
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    if (openQuote) {
      if (line.includes(openQuote)) openQuote = null;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      // Never echo the line: it may hold a secret.
      findings.push(finding('warning', 'env_file_line_ignored', where, `line ${i + 1} of ${name} is not KEY=value, so it is ignored`, 'write it as KEY=value (quote values with spaces or #)'));
      return;
    }
    const key = m[1] as string;
    const raw = (m[2] ?? '').trim();
    const q = raw[0];
    if (q === '"' || q === "'" || q === '`') {
      if (raw.indexOf(q, 1) === -1) openQuote = q;
      return;
    }
    // `VALUE # note` is a comment to every dotenv reader; only a `#` inside the value
    // (pa#ss) is read differently (Node cuts it, python-dotenv keeps it), so quoting helps there.
    const hash = raw.indexOf('#');
    const comment = hash > 0 && /\s/.test(raw[hash - 1] as string);
    if (hash >= 0 && !comment && env[key] !== undefined && env[key] !== raw) {
      findings.push(
        finding('warning', 'env_value_truncated', key, `the value of ${key} in ${name} contains "#" and is not quoted: Node's dotenv parser cuts it at the "#", python-dotenv keeps it`, `quote it: ${key}="..."`),
      );
    }
  });
  return { env, findings };
}
