// The page's script: public/src/app.ts, with the lib/compare code it shares (compare), bundled for
// the browser into public/app.bundle.js (git-ignored). scripts/build.mjs and the browser test call this.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';

// zod's error messages in ~50 languages would be half of the bundle; the page speaks English.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/** Builds public/app.bundle.js; `root` is the repository (paths are relative to it). */
export async function buildPage(root = process.cwd(), outfile = 'public/app.bundle.js') {
  await build({
    absWorkingDir: root,
    entryPoints: ['public/src/app.ts'],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    banner: { js: '// Built by scripts/build-page.mjs from public/src/app.ts: edit that.' },
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
  });
}
