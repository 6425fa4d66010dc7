// Bundles for the bench, into the temp dir given: the CLI as npm run build makes it, each Netlify
// function as its esbuild bundler would (one ESM file per function, dependencies inlined), the
// scale runner and the nodemailer baseline. Writes bundles.json: size, and how much of the SES
// SDK is inside, per bundle.
import { build, type Metafile } from 'esbuild';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const out = process.argv[2];
if (!out) throw new Error('usage: build.ts OUTDIR');
await mkdir(path.join(out, 'fn'), { recursive: true });

// Same CommonJS shim as scripts/build.mjs: bundled CJS dependencies call require() for built-ins.
const banner = { js: "import { createRequire as __seCreateRequire } from 'node:module';\nconst require = __seCreateRequire(import.meta.url);" };
const common = { bundle: true, platform: 'node' as const, format: 'esm' as const, target: 'node20', legalComments: 'none' as const, banner, logLevel: 'warning' as const, metafile: true };

export interface BundleInfo {
  file: string;
  bytes: number;
  inputs: number | null;
  /** Bytes of @aws-sdk / @smithy code (the SES client) in the bundle; null: not known. */
  awsSdkBytes: number | null;
  /** Bytes of deferred data: modules (the CLI's send-test dependencies). */
  deferredBytes?: number;
}

const isAws = (input: string) => input.includes('@aws-sdk/') || input.includes('@smithy/') || input.includes('@aws-crypto/');
const info = (file: string, bytes: number, meta: Metafile | undefined): BundleInfo => {
  const output = Object.values(meta?.outputs ?? {})[0];
  const inputs = Object.entries(output?.inputs ?? {});
  return { file, bytes, inputs: inputs.length, awsSdkBytes: inputs.filter(([i]) => isAws(i)).reduce((n, [, v]) => n + v.bytesInOutput, 0) };
};

const result: Record<string, BundleInfo> = {};

// The CLI: run.sh copies dist/smtp-egress.mjs (made by npm run build) to OUTDIR/smtp-egress.mjs
// right after building it, so a rebuild by another session during the bench changes nothing.
// Code carried as deferred data: modules (imported only when their command runs) is counted apart.
{
  const file = path.join(out, 'smtp-egress.mjs');
  const text = await readFile(file, 'utf8');
  const deferred = [...text.matchAll(/data:text\/javascript;base64,[A-Za-z0-9+/=]+/g)].reduce((n, m) => n + m[0].length, 0);
  result['cli (dist/smtp-egress.mjs)'] = { file: 'dist/smtp-egress.mjs', bytes: text.length, inputs: null, awsSdkBytes: null, deferredBytes: deferred };
  // What the probe command can reach, static and dynamic imports alike (esbuild inlines both),
  // minified like the runner so the size compares.
  const r = await build({ ...common, minify: true, write: false, entryPoints: ['cli/commands/probe.ts'], outfile: path.join(out, 'probe-command.mjs') });
  const probePath = info('cli/commands/probe.ts', r.outputFiles?.[0]?.contents.length ?? 0, r.metafile);
  result['cli probe command (its import graph)'] = probePath;
}

for (const f of (await readdir('functions')).filter((f) => /\.m?[jt]s$/.test(f)).sort()) {
  const name = f.replace(/\.m?[jt]s$/, '');
  const outfile = path.join(out, 'fn', `${name}.mjs`);
  const r = await build({ ...common, entryPoints: [path.join('functions', f)], outfile });
  result[`function ${name}`] = info(`functions/${f}`, (await stat(outfile)).size, r.metafile);
}

for (const helper of ['scale-runner', 'nodemailer-verify']) {
  await build({ ...common, metafile: false, entryPoints: [`scripts/bench/${helper}.ts`], outfile: path.join(out, `${helper}.mjs`) });
}
await writeFile(path.join(out, 'bundles.json'), JSON.stringify(result, null, 2));
