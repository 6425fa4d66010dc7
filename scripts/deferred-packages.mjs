// esbuild plugins shared by the runner (scripts/build.mjs) and the functions
// (scripts/build-functions.mjs).
import { build } from 'esbuild';

// zod re-exports every one of its ~40 message locales (`z.locales`); this tool speaks English
// only. Resolving the locale index to English alone takes about 250 KiB out of the runner,
// which Node must compile at every start (see bench/results.md, cold start).
export const englishOnlyZod = {
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
const PATTERN = { nodemailer: 'nodemailer', '@aws-sdk/client-sesv2': '@aws-sdk\\/client-sesv2' };
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
/**
 * Carries `packages` as data: URLs, each imported only when the code reaches its import() (a
 * static import of one is a build error: it would load at every start).
 */
export async function deferredPackagesPlugin(packages) {
  const urls = Object.fromEntries(await Promise.all(packages.map(async (p) => [p, await deferredUrl(p)])));
  const filter = new RegExp(`^(${packages.map((p) => PATTERN[p]).join('|')})$`);
  return {
    name: 'deferred-packages',
    setup(b) {
      b.onResolve({ filter }, (args) => {
        if (args.kind !== 'dynamic-import') throw new Error(`${args.path} must be imported with import() (see scripts/deferred-packages.mjs), found in ${args.importer}`);
        return { path: urls[args.path], external: true };
      });
    },
  };
}
