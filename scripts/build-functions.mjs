// Bundles each Netlify function (functions/<name>.mts) into dist/functions/<name>/, which is what
// netlify.toml deploys (node_bundler = "none": Netlify ships these files as they are). Left to
// itself, Netlify bundles v2 functions with node-file-trace, which copies every file an import
// reaches: zod's index alone reaches all 40 of its locales (about 1.7 MB per function). esbuild
// tree-shakes instead, so a function carries only the code it runs. nodemailer, which only a
// send needs, rides inside send-test as a data: URL imported when a send runs (the runner's
// trick, scripts/deferred-packages.mjs); the AWS SDK is provided by the Lambda runtime.
import { build } from 'esbuild';
import { deferredPackagesPlugin } from './deferred-packages.mjs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';

/** The largest a function (other than send-test) may be, in KiB; test/integration/function-sizes.test.ts holds it. */
export const FUNCTION_BUDGET_KIB = 150;
const OUT = 'dist/functions';

export async function buildFunctions({ quiet = false } = {}) {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const names = (await readdir('functions')).filter((f) => f.endsWith('.mts')).sort();
  const sizes = {};
  for (const file of names) {
    const name = file.replace(/\.mts$/, '');
    const outfile = `${OUT}/${name}/${name}.mjs`;
    await build({
      entryPoints: { [name]: `functions/${file}` },
      outdir: `${OUT}/${name}`,
      outExtension: { '.js': '.mjs' },
      // CommonJS packages (nodemailer) call require() for Node built-ins: give ESM one.
      banner: { js: "import { createRequire as __seCreateRequire } from 'node:module';\nconst require = __seCreateRequire(import.meta.url);" },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Minified: the knowledge data and the diagnosis fit the budget. The exports keep their
      // names (`config`, `default`), which is all Netlify reads from the deployed file.
      minify: true,
      legalComments: 'none',
      external: ['@netlify/functions', '@aws-sdk/*'],
      plugins: name === 'send-test' ? [await deferredPackagesPlugin(['nodemailer'])] : [],
      logLevel: 'warning',
    });
    sizes[name] = Math.round((await stat(outfile)).size / 1024);
  }
  if (!quiet) for (const [name, kib] of Object.entries(sizes)) console.log(`  ${name.padEnd(14)} ${String(kib).padStart(5)} KiB${name !== 'send-test' && kib > FUNCTION_BUDGET_KIB ? `  over the ${FUNCTION_BUDGET_KIB} KiB budget` : ''}`);
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildFunctions();
