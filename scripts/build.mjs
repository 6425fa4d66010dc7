// Bundles the CLI into dist/smtp-egress.mjs: one file, no node_modules needed, Node >= 20.
// A copy goes to public/ so the Netlify site serves the runner at /smtp-egress.mjs.
import { build } from 'esbuild';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { buildPage } from './build-page.mjs';
import { buildFunctions } from './build-functions.mjs';
import { deferredPackagesPlugin, englishOnlyZod } from './deferred-packages.mjs';

const outfile = 'dist/smtp-egress.mjs';

const deferred = await deferredPackagesPlugin(['nodemailer', '@aws-sdk/client-sesv2']);

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
