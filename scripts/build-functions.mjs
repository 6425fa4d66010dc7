// Bundles each Netlify function (functions/<name>.mts) into dist/functions/<name>.mjs, which is
// what netlify.toml deploys. Netlify bundles v2 functions with node-file-trace: it copies every
// file an import reaches, and zod's index alone reaches all 40 of its locales (about 1.7 MB per
// function). esbuild tree-shakes instead, so a function carries only the code it runs. Packages
// Netlify provides (@aws-sdk/*, on Lambda) or that load only when used (nodemailer, through
// import()) stay external; node-file-trace then adds nodemailer to send-test alone.
import { build } from 'esbuild';
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
    const outfile = `${OUT}/${name}.mjs`;
    await build({
      entryPoints: [`functions/${file}`],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Whitespace and syntax only: names stay, so stack traces and Netlify's reading of
      // `export const config` work on the deployed file as on the source.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      external: ['@netlify/functions', '@aws-sdk/*', 'nodemailer', 'nodemailer/*'],
      logLevel: 'warning',
    });
    sizes[name] = Math.round((await stat(outfile)).size / 1024);
  }
  if (!quiet) for (const [name, kib] of Object.entries(sizes)) console.log(`  ${name.padEnd(14)} ${String(kib).padStart(5)} KiB${name !== 'send-test' && kib > FUNCTION_BUDGET_KIB ? `  over the ${FUNCTION_BUDGET_KIB} KiB budget` : ''}`);
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildFunctions();
