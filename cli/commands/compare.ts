// smtp-egress compare SOURCE SOURCE [SOURCE...] [--local]: probe reports of one target from two or
// more networks, one column each. A SOURCE is a report file (or - for standard input) or the URL
// of a deployed probe (Netlify's /api/probe, `smtp-egress serve` on Render), asked at once, each
// with its own token from the environment; --local adds a probe from this machine.
import { readFile, stat } from 'node:fs/promises';
import { fileProblem, parseFlags, withFlagNames } from '../flags.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { PROBE_TARGET_FLAGS, PROBE_TARGET_FLAG_OF, probeTargetInput, type TargetFlagValues } from '../probe-flags.ts';
import { EXIT_FAILED, EXIT_OK, type CliIo, type CommandIo } from '../io.ts';
import { compareIsClean, compareReports, loadProbeReport, loadProbeReports } from '../../lib/compare/compare.ts';
import { renderCompareText } from '../../lib/render/compare-text.ts';
import { SmtpEgressError, inputError, isSmtpEgressError } from '../../lib/model/errors.ts';
import { MAX_COMPARE_COLUMNS } from '../../lib/model/compare-report.ts';
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import type { ProbeOptions } from '../../lib/smtp/probe.ts';
import { runProbe } from '../../lib/diagnosis/probe.ts';
import { detectPlatform, type Env } from '../../lib/platform/detect.ts';
import { policyFromEnv } from '../../lib/security/address-policy.ts';
import { fetchRemoteProbe, remoteProbeInput, remoteProbeUrl, remoteTokenVariable, REMOTE_MARGIN_MS } from '../../lib/http/remote-probe.ts';

export const COMPARE_HELP: HelpSpec = {
  usage: ['compare SOURCE SOURCE [SOURCE...] [flags]', 'compare --local https://NAME.onrender.com [flags]'],
  about: [
    'Compares probes of one target from two or more networks, one column per network, port by port and address family by family, with a verdict naming which networks block what.',
    'Each SOURCE is a report file (smtp-egress probe --json, or /api/probe), - for standard input, or the URL of a deployed probe (https://SITE.netlify.app, https://NAME.onrender.com: /api/probe is added to a bare origin), asked for the same probe at the same time as the others.',
    "HOST comes from --host, else the first report file's target, else EMAIL_HOST; the ports from --ports, else the first report file's ports, else the standard set.",
  ],
  flags: [
    { flag: '--local', text: 'add a probe from this machine' },
    { flag: '--host HOST', text: 'the target the URLs and --local probe' },
    { flag: '--ports LIST', text: 'ports to probe, each PORT or PORT:MODE' },
    { flag: '--connect-timeout MS', text: 'and --greeting-timeout, --command-timeout, --tls-timeout, --timeout: as for probe' },
    { flag: '--ipv4, --ipv6', text: 'one address family only', default: 'both' },
    { flag: '--token-env URL=VAR', text: "read that URL's token from the variable VAR (repeatable); tokens are never read from the command line" },
    { flag: '--allow-private', text: 'allow private and loopback addresses for --local' },
    { flag: '--json', text: 'the comparison as JSON (schema smtp-egress/compare@2)' },
    { flag: '--quiet', text: 'no progress on stderr' },
  ],
  env: [
    { flag: 'SMTP_EGRESS_TOKEN_<LABEL>', text: "a URL's token, LABEL being its host's first label, upper-case, - as _ (https://my-probe.onrender.com -> SMTP_EGRESS_TOKEN_MY_PROBE)" },
    { flag: 'SMTP_EGRESS_TOKEN', text: 'the token, when there is a single URL' },
  ],
  examples: [
    'smtp-egress compare netlify.json render.json',
    'smtp-egress compare https://my-probe.onrender.com --local',
    'smtp-egress compare https://x.onrender.com https://y.netlify.app',
  ],
  exit: [
    '0  every network agrees and every attempt succeeded',
    '1  differences, failures, a remote that cannot be asked (the others are still compared when two or more answered) or reports of another smtp-egress version',
    '2  bad usage (a missing token, a bad URL or file, fewer than two sources)',
  ],
};

export const COMPARE_USAGE = renderHelp(COMPARE_HELP);

/** A probe report is a few MB at most: a bigger file, or a device that never ends, is not one. */
export const MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024;

const FLAG_OF: Record<string, string> = { ...PROBE_TARGET_FLAG_OF, host: '--host' };

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** Reads and parses one report file; errors name the file. */
async function readReport(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    if (path !== '-') {
      const info = await stat(path);
      if (!info.isFile()) throw new SmtpEgressError('invalid_input', `${path} is not a regular file: give a report written by smtp-egress probe --json`, { field: path });
      if (info.size > MAX_REPORT_FILE_BYTES) throw new SmtpEgressError('invalid_input', `${path} is ${info.size} bytes, more than the ${MAX_REPORT_FILE_BYTES} a probe report can be`, { field: path });
    }
    text = path === '-' ? await io.readStdin() : await readFile(path, 'utf8');
  } catch (e) {
    if (isSmtpEgressError(e)) throw e;
    throw new SmtpEgressError('invalid_input', `${path}: ${fileProblem(e)}`, { field: path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // Only the position: V8's message quotes the file's first characters, which may be a secret.
    const at = /position \d+/.exec((e as Error).message)?.[0];
    throw new SmtpEgressError('invalid_input', `${path} is not valid JSON${at ? ` (at ${at})` : ''}: give a report written by smtp-egress probe --json`, { field: path });
  }
}

interface Remote {
  url: URL;
  name: string;
  token: string;
  tokenFrom: string;
}

/** One token per URL: --token-env URL=VAR, else SMTP_EGRESS_TOKEN_<LABEL>, else (one URL only) SMTP_EGRESS_TOKEN. */
function resolveTokens(urls: URL[], tokenEnv: string[], env: Env, labHttp: { allowPrivate: boolean }): Remote[] {
  const explicit = new Map<string, string>();
  for (const item of tokenEnv) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw inputError('--token-env', `--token-env "${item.slice(0, 120)}" must be URL=VAR (the URL as given, and the name of the variable that holds its token)`);
    const url = remoteProbeUrl(item.slice(0, eq), '--token-env', labHttp);
    const key = `${url.origin}${url.pathname}`;
    if (!urls.some((u) => `${u.origin}${u.pathname}` === key)) throw inputError('--token-env', `--token-env names ${key}, which is not one of the URLs to compare`);
    explicit.set(key, item.slice(eq + 1));
  }
  const labels = urls.map(remoteTokenVariable);
  return urls.map((url, i) => {
    const name = `${url.origin}${url.pathname}`;
    const fromFlag = explicit.get(name);
    const candidates = fromFlag !== undefined ? [fromFlag] : [labels[i] as string, ...(urls.length === 1 ? ['SMTP_EGRESS_TOKEN'] : [])];
    if (fromFlag === undefined && labels.filter((l) => l === labels[i]).length > 1) {
      throw inputError('--token-env', `${name} and another URL share the variable ${labels[i]}: give each its own with --token-env URL=VAR`);
    }
    const found = candidates.find((v) => env[v]);
    if (!found) {
      const where = fromFlag !== undefined ? `the variable ${fromFlag} (from --token-env) is not set` : `set ${candidates.join(' or ')}, or name a variable with --token-env ${name}=VAR`;
      throw inputError('--token-env', `${name} needs its deployment's token (its SMTP_EGRESS_TOKEN): ${where}. Tokens are never read from the command line.`);
    }
    return { url, name, token: env[found] as string, tokenFrom: found };
  });
}

/** --host, else the first report's target; --ports, else the first report's ports and modes. */
function probeOptionsFor(f: CompareFlags, files: ProbeReport[], io: CliIo): ProbeOptions {
  const first = files[0];
  const raw: Record<string, unknown> = {
    ...probeTargetInput(f),
    host: f.host ?? first?.target.host,
    ports: f.ports ?? (first ? [...new Set(first.attempts.map((a) => `${a.port}:${a.mode}`))].join(',') : undefined),
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined || raw[k] === '') delete raw[k];
  const policy = policyFromEnv(io.env);
  if (f['allow-private']) policy.allowPrivate = true;
  try {
    return buildProbeOptions(raw, { env: io.env, platform: detectPlatform(io.env), policy });
  } catch (e) {
    throw withFlagNames(e, FLAG_OF);
  }
}

/** The flags compare reads when it runs a probe itself (--local, the remotes' input). */
interface CompareFlags extends TargetFlagValues {
  host?: string;
  'allow-private'?: boolean;
}

type Got = { ok: true; report: ProbeReport } | { ok: false; error: unknown };
const settle = (p: Promise<ProbeReport>): Promise<Got> => p.then((report) => ({ ok: true as const, report }), (error: unknown) => ({ ok: false as const, error }));

export async function compareCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      ...PROBE_TARGET_FLAGS,
      local: { type: 'boolean' },
      host: { type: 'string' },
      'token-env': { type: 'string', multiple: true },
      'allow-private': { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    'compare',
  );
  const count = positionals.length + (f.local ? 1 : 0);
  if (count < 2) throw inputError('SOURCE', `give two or more sources (report files, probe URLs, or --local; got ${count}), e.g. smtp-egress compare netlify.json render.json`);
  if (count > MAX_COMPARE_COLUMNS) throw inputError('SOURCE', `at most ${MAX_COMPARE_COLUMNS} sources can be compared at once (got ${count})`);
  if (positionals.filter((p) => p === '-').length > 1) throw inputError('SOURCE', 'only one report can come from standard input');
  probeTargetInput(f); // --ipv4 with --ipv6 is a usage error before anything runs

  // Everything that can be wrong with the arguments is found before any probe runs.
  const urlArgs = positionals.filter(isUrl);
  const labHttp = { allowPrivate: Boolean(f['allow-private']) || policyFromEnv(io.env).allowPrivate };
  const urls = urlArgs.map((u) => remoteProbeUrl(u, 'SOURCE', labHttp));
  const remotes = resolveTokens(urls, f['token-env'] ?? [], io.env, labHttp);
  const nameOf = (p: string) => (p === '-' ? 'standard input' : p);
  const fileArgs = positionals.filter((p) => !isUrl(p));
  const fileValues = await Promise.all(fileArgs.map((p) => readReport(p, io)));
  const files = fileValues.map((v, i) => {
    const name = nameOf(fileArgs[i] as string);
    try {
      return loadProbeReport(v, name);
    } catch (e) {
      // The message names the file and the field; the file is what a CLI user can act on.
      throw isSmtpEgressError(e) ? new SmtpEgressError(e.code, e.message, { field: name }) : e;
    }
  });
  const probing = remotes.length > 0 || f.local;
  const options = probing ? probeOptionsFor(f, files, io) : null;

  // Every remote and the local probe at once.
  const progress = !f.quiet && options;
  if (progress) io.stderr(`probing ${options.host} on ${options.ports.map((p: { port: number }) => p.port).join(', ')} from ${[...remotes.map((r) => r.name), ...(f.local ? ['this machine'] : [])].join(', ')} (deadline ${options.timeouts.totalMs} ms)\n`);
  const asked = new Map<string, Promise<Got>>();
  if (options) {
    for (const r of remotes) {
      const input = remoteProbeInput(options);
      asked.set(r.name, settle(fetchRemoteProbe({ url: r.url, token: r.token, tokenFrom: r.tokenFrom, field: r.name, input, timeoutMs: options.timeouts.totalMs + REMOTE_MARGIN_MS })));
    }
    if (f.local) asked.set('this machine', settle(runProbe(options)));
  }

  // Columns in argument order, the local probe last.
  const order: { name: string; got: Promise<Got> }[] = [];
  let fileIndex = 0;
  for (const p of positionals) {
    if (isUrl(p)) {
      const name = `${remoteProbeUrl(p, 'SOURCE', labHttp).origin}${remoteProbeUrl(p, 'SOURCE', labHttp).pathname}`;
      order.push({ name, got: asked.get(name) as Promise<Got> });
    } else {
      order.push({ name: nameOf(p), got: Promise.resolve({ ok: true, report: files[fileIndex++] as ProbeReport }) });
    }
  }
  if (f.local) order.push({ name: 'this machine', got: asked.get('this machine') as Promise<Got> });
  const results = await Promise.all(order.map(async (o) => ({ name: o.name, got: await o.got })));

  const failed = results.filter((r) => !r.got.ok);
  const answered = results.filter((r): r is { name: string; got: { ok: true; report: ProbeReport } } => r.got.ok);
  const errorOf = (r: (typeof results)[number]) => (r.got.ok ? null : r.got.error);
  if (answered.length < 2) {
    const errs = failed.map(errorOf);
    if (errs.length === 1) throw errs[0];
    const code = errs.every((e) => isSmtpEgressError(e) && e.code === 'incompatible_reports') ? 'incompatible_reports' : 'remote_failed';
    throw new SmtpEgressError(code, `${failed.length} of ${results.length} sources could not be compared:\n${errs.map((e) => `  ${(e as Error).message}`).join('\n')}`, { field: 'SOURCE' });
  }
  for (const r of failed) {
    const e = errorOf(r) as Error;
    io.stderr(`smtp-egress compare: ${r.name}: ${e.message.includes(r.name) ? e.message : `${r.name}: ${e.message}`} (compared without it)\n`);
  }

  const reports = loadProbeReports(
    answered.map((r) => r.got.report),
    answered.map((r) => r.name),
  );
  const report = compareReports(reports, { sources: answered.map((r) => r.name) });
  if (f.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(renderCompareText(report, io.style.colors, { width: io.style.width }));
  return failed.length === 0 && compareIsClean(report) ? EXIT_OK : EXIT_FAILED;
}
