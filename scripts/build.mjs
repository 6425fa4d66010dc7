// Bundles the CLI into dist/smtp-egress.mjs: one file, no node_modules needed, Node >= 20.
// A copy goes to public/ so the Netlify site serves the runner at /smtp-egress.mjs.
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { buildPage } from './build-page.mjs';
import { buildFunctions } from './build-functions.mjs';

const outfile = 'dist/smtp-egress.mjs';

// zod re-exports every one of its ~40 message locales (`z.locales`); this tool speaks English
// only. Resolving the locale index to English alone takes about 250 KiB out of the runner,
// which Node must compile at every start (see bench/results.md, cold start).
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

// Packages only one command needs (nodemailer for send-test, the AWS SDK for its SES transport)
// are bundled apart and carried inside the runner as a data: URL that is imported when the
// command runs. The runner stays one file, but Node no longer compiles ~1 MB of code it will
// not run at every start: a string is scanned, not parsed.
const DEFERRED = {
  nodemailer: "export * from 'nodemailer'; export { default } from 'nodemailer';",
  '@aws-sdk/client-sesv2': "export * from '@aws-sdk/client-sesv2';",
};
async function deferredUrl(pkg) {
  const r = await build({
    stdin: { contents: DEFERRED[pkg], resolveDir: process.cwd(), loader: 'js' },
    // The AWS SDK ships ES modules too: take them, so `export *` keeps its named exports.
    mainFields: ['module', 'main'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    write: false,
    logLevel: 'error',
    plugins: [englishOnlyZod],
    // A data: module has no file URL of its own; its require() only ever loads Node built-ins.
    banner: { js: "import { createRequire as __seCreateRequire } from 'node:module';\nconst require = __seCreateRequire('/');" },
  });
  return `data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`;
}
const deferredUrls = Object.fromEntries(await Promise.all(Object.keys(DEFERRED).map(async (p) => [p, await deferredUrl(p)])));
const deferred = {
  name: 'deferred-packages',
  setup(b) {
    b.onResolve({ filter: /^(nodemailer|@aws-sdk\/client-sesv2)$/ }, (args) => {
      if (args.kind !== 'dynamic-import') throw new Error(`${args.path} must be imported with import() (see DEFERRED in scripts/build.mjs), found in ${args.importer}`);
      return { path: deferredUrls[args.path], external: true };
    });
  },
};

await mkdir('dist', { recursive: true });
await build({
  entryPoints: ['cli/bin.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  // CommonJS dependencies (nodemailer) call require() for Node built-ins: give ESM one.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __seCreateRequire } from 'node:module';\nconst require = __seCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [englishOnlyZod, deferred],
});
await copyFile(outfile, 'public/smtp-egress.mjs');

// The page's script, public/src/app.ts -> public/app.bundle.js.
await buildPage();
const { size } = await stat(outfile);
console.log(`built ${outfile} (${Math.round(size / 1024)} KiB), public/smtp-egress.mjs and public/app.bundle.js`);

// The Netlify functions, one tree-shaken file each (what netlify.toml deploys), with their sizes.
console.log('built dist/functions/:');
await buildFunctions();
