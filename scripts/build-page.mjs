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

// lib/ code the page shares (lib/compare) may sit in a module beside code for Node (the
// diagnosis imports the provider presets, which derive SES passwords with node:crypto). The
// page never calls that code, so each Node built-in becomes a stub whose exports throw if ever
// called; the tree-shaker drops them where unused, and a call would fail loudly, not silently.
const nodeBuiltinStubs = {
  name: 'node-builtin-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
      const fail = `() => { throw new Error(${JSON.stringify(`${args.path} is not available in the browser`)}); }`;
      return { contents: `${names.map((n) => `export const ${n} = /* @__PURE__ */ (${fail});`).join('\n')}\nexport default {};\n`, loader: 'js' };
    });
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
    plugins: [zodEnglishOnly, nodeBuiltinStubs],
    logLevel: 'warning',
  });
}
