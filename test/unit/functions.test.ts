// Every file in functions/ imports on its own (Netlify bundles each one separately), has a
// default export handler and a config.path under /api/, and its path is in the route table
// that `smtp-egress serve` uses, and in the README's route table.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lib/http/routes.ts';

const files = readdirSync('functions').filter((f) => f.endsWith('.mts'));

describe('functions/', () => {
  it('has the functions the design names', () => {
    expect(files).toEqual(expect.arrayContaining(['probe.mts', 'health.mts']));
  });

  it.each(files)('%s imports once and wires a route', async (file) => {
    const mod = (await import(`../../functions/${file}`)) as { default: unknown; config?: { path?: string } };
    expect(typeof mod.default).toBe('function');
    const path = mod.config?.path;
    expect(path).toMatch(/^\/api\/[a-z-]+$/);
    expect(Object.keys(ROUTES)).toContain(path);
    expect(readFileSync('README.md', 'utf8')).toContain(`\`${path}\``);
    // Wiring only: the handler lives in lib/http.
    expect(readFileSync(`functions/${file}`, 'utf8')).toMatch(/from '\.\.\/lib\/http\//);
  });

  it('no file in lib/ imports Netlify or an HTTP framework', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    for (const f of walk('lib').filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from '@netlify\//);
      if (!f.endsWith('node-server.ts')) expect(text, f).not.toMatch(/from '(hono|express|@hono\/[a-z-]+)'/);
    }
  });
});
