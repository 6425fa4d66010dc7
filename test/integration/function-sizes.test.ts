// The function size budget, measured as Netlify's own bundler packs each function for deploy:
// zip-it-and-ship-it (from the Netlify CLI in .tools/) run on dist/functions with netlify.toml's
// bundler setting, counting every file it ships for a function except Netlify's own bootstrap
// (___netlify-*), which every site gets. A size, not a time. send-test is the exception the
// budget names: nodemailer rides inside it as a data: URL, imported only when a send runs, and
// the AWS SDK comes with the Lambda runtime.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_BUDGET_KIB } from '../../scripts/build-functions.mjs';
import { ensureTools, ROOT, TOOLS_BIN } from '../e2e/netlify-cli.ts';

const ZISI = join(ROOT, '.tools/node_modules/@netlify/zip-it-and-ship-it/dist/bin.js');
const out = mkdtempSync(join(tmpdir(), 'se-zisi-'));

function shippedKiB(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('___netlify-')) total += statSync(p).size;
    }
  };
  walk(dir);
  return total / 1024;
}

let manifest: { functions: { name: string; routes?: { pattern: string }[] }[] };

beforeAll(() => {
  const tools = ensureTools();
  if (!tools.ok) throw new Error(`Netlify's bundler is needed for the size budget: ${tools.detail}`);
  expect(existsSync(join(ROOT, 'dist/functions/probe/probe.mjs')), 'dist/functions is built by npm run build').toBe(true);
  const bundler = /node_bundler\s*=\s*"([a-z_]+)"/.exec(readFileSync(join(ROOT, 'netlify.toml'), 'utf8'))?.[1];
  expect(bundler, 'netlify.toml names the bundler').toBe('none');
  const r = spawnSync(join(TOOLS_BIN, 'node'), [ZISI, join(ROOT, 'dist/functions'), out, '--archive-format', 'none', '--config', JSON.stringify({ '*': { nodeBundler: bundler } })], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}, 150_000);

describe('Netlify function bundles (zip-it-and-ship-it on dist/functions)', () => {
  const names = readdirSync(join(ROOT, 'functions')).filter((f) => f.endsWith('.mts')).map((f) => f.replace(/\.mts$/, ''));

  it('packs every function in functions/, each with its route', () => {
    expect(manifest.functions.map((f) => f.name).sort()).toEqual([...names].sort());
    for (const f of manifest.functions) expect(f.routes?.[0]?.pattern, f.name).toBe(`/api/${f.name}`);
  });

  it.each(names.filter((n) => n !== 'send-test'))(`%s ships at most ${FUNCTION_BUDGET_KIB} KiB`, (name) => {
    expect(Math.round(shippedKiB(join(out, name)))).toBeLessThanOrEqual(FUNCTION_BUDGET_KIB);
  });

  it('send-test carries nodemailer only as a data: URL imported when a send runs, and its own code within the budget', () => {
    const own = readFileSync(join(out, 'send-test/send-test.mjs'), 'utf8');
    expect(own).not.toMatch(/from\s*["']nodemailer["']/);
    const lazy = /import\(\s*["'](data:text\/javascript;base64,[A-Za-z0-9+/=]+)["']\s*\)/.exec(own);
    expect(lazy, 'nodemailer as a lazily imported data: module').not.toBeNull();
    expect((own.length - (lazy?.[1]?.length ?? 0)) / 1024).toBeLessThanOrEqual(FUNCTION_BUDGET_KIB);
  });
});
