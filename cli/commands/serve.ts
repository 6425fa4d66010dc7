// smtp-egress serve [--port N] [--host H]: the runner as a web service (Render): the same API as
// the Netlify functions and the static page, until SIGTERM or SIGINT, then a graceful stop.
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseFlags } from '../flags.ts';
import { EXIT_OK, type CliIo } from '../io.ts';
import { renderHelp, type HelpSpec } from '../help.ts';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SHUTDOWN_GRACE_MS, startNodeServer } from '../../lib/http/node-server.ts';
import { nodeHandlerContext } from '../../lib/http/context.ts';
import { corsOriginsFrom } from '../../lib/http/cors.ts';
import { platformLabel } from '../../lib/platform/detect.ts';
import { inputError, SmtpEgressError } from '../../lib/model/errors.ts';
import { limitsFromEnv } from '../../lib/http/limits.ts';
import { TOKEN_ADVICE, tokenWeakness } from '../../lib/security/token-strength.ts';
import { MAX_CONCURRENT_LOOKUPS } from '../../lib/smtp/resolve.ts';

export const SERVE_HELP: HelpSpec = {
  usage: ['serve [--port N] [--host ADDRESS] [--public DIR] [--shutdown-timeout MS]'],
  about: [
    'Serves the API (/api/health, /api/probe, /api/classify-logs...) and the page, as a web service (Render), until SIGTERM or SIGINT; then it stops accepting, lets requests in flight finish and exits 0.',
    'Set SMTP_EGRESS_TOKEN (at least 32 characters, random: openssl rand -hex 32): without it /api/probe and /api/send-test answer 503; with a shorter or patterned one serve does not start.',
    'Limits: SMTP_EGRESS_MAX_CONNECTIONS, SMTP_EGRESS_MAX_PROBE_ATTEMPTS, SMTP_EGRESS_MAX_ATTEMPTS_PER_REQUEST, SMTP_EGRESS_MAX_QUEUED_PROBES (see README).',
  ],
  flags: [
    { flag: '--port N', text: 'the port to listen on', default: `PORT (Render sets it), else ${DEFAULT_PORT}` },
    { flag: '--host ADDRESS', text: 'the address to listen on', default: `${DEFAULT_HOST}, every interface, as Render requires` },
    { flag: '--public DIR', text: 'the page to serve', default: './public' },
    { flag: '--shutdown-timeout MS', text: 'how long requests in flight may finish after SIGTERM', default: `${DEFAULT_SHUTDOWN_GRACE_MS}` },
  ],
  env: [
    { flag: 'SMTP_EGRESS_TOKEN', text: 'the bearer token /api/probe and /api/send-test require' },
    { flag: 'PORT', text: 'the port, when --port is not given' },
  ],
  examples: ['SMTP_EGRESS_TOKEN=... smtp-egress serve', 'smtp-egress serve --port 8080 --host 127.0.0.1'],
  exit: ['0  stopped by SIGTERM or SIGINT', '1  could not start (the port is taken...)', '2  bad usage'],
};

export const SERVE_USAGE = renderHelp(SERVE_HELP);

/** The value is never quoted back: a token pasted into the wrong flag must not reach the terminal or a log. */
function parsePort(value: string, field: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) throw inputError(field, `${field} must be a port number from 0 to 65535 (the value given is not one; it is not repeated here)`);
  return Number(value);
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** ./public, else public/ next to the running script's folder (dist/../public). */
function findPublicDir(explicit: string | undefined, entry: string | undefined): string | null {
  if (explicit !== undefined) {
    if (!isDir(explicit)) throw inputError('--public', `--public ${explicit} is not a directory`);
    return path.resolve(explicit);
  }
  const candidates = [path.resolve('public')];
  if (entry) candidates.push(path.resolve(path.dirname(entry), '..', 'public'));
  return candidates.find(isDir) ?? null;
}

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values: f, positionals } = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      public: { type: 'string' },
      'shutdown-timeout': { type: 'string' },
    },
    'serve',
  );
  if (positionals.length > 0) throw inputError('argv', `serve takes no arguments (got ${positionals.join(' ')}): give the port with --port N`);
  const port = f.port !== undefined ? parsePort(f.port, '--port') : io.env.PORT ? parsePort(io.env.PORT, 'PORT') : DEFAULT_PORT;
  const host = f.host ?? DEFAULT_HOST;
  let graceMs = DEFAULT_SHUTDOWN_GRACE_MS;
  if (f['shutdown-timeout'] !== undefined) {
    if (!/^\d{1,7}$/.test(f['shutdown-timeout'])) throw inputError('--shutdown-timeout', '--shutdown-timeout must be a number of milliseconds');
    graceMs = Number(f['shutdown-timeout']);
  }
  const entry = process.argv[1];
  const publicDir = findPublicDir(f.public, entry);
  const runnerFile = entry && /smtp-egress\.mjs$/.test(entry) ? path.resolve(entry) : null;

  const token = io.env.SMTP_EGRESS_TOKEN;
  const weak = token ? tokenWeakness(token) : null;
  if (weak) throw new SmtpEgressError('not_configured', `${weak}: serve refuses to start with it; ${TOKEN_ADVICE}`, { field: 'SMTP_EGRESS_TOKEN' });
  const limits = limitsFromEnv(io.env);

  const log = (line: string) => io.stdout(`${line}\n`);
  const running = await startNodeServer({ port, host, env: io.env, publicDir, runnerFile, limits, log: (l) => log(`smtp-egress serve: ${l}`) });
  const platform = nodeHandlerContext(io.env).platform;
  log(`smtp-egress serve: listening on ${running.url}${running.localUrl !== running.url ? ` (${running.localUrl})` : ''}`);
  const cors = corsOriginsFrom(io.env);
  if (cors.allowed.size > 0 || cors.invalid.length > 0) {
    log(`smtp-egress serve: CORS for ${[...cors.allowed].join(', ') || 'no origin'}${cors.invalid.length > 0 ? `; ignored in SMTP_EGRESS_CORS_ORIGINS (not an origin like https://site.netlify.app): ${cors.invalid.join(', ')}` : ''}`);
  }
  log(
    `smtp-egress serve: limits: ${limits.maxConnections} connections, headers ${limits.headersTimeoutMs} ms, body ${limits.bodyTimeoutMs} ms, ${limits.maxProbeAttempts} probe attempts at once (${limits.maxAttemptsPerRequest} per request, ${limits.maxQueuedProbes} requests queued); ${MAX_CONCURRENT_LOOKUPS} DNS lookups at once${io.env.UV_THREADPOOL_SIZE ? '' : ' (set UV_THREADPOOL_SIZE=16 for more)'}`,
  );
  log(`smtp-egress serve: running on ${platformLabel(platform)}; page from ${publicDir ?? 'nowhere (no public/ folder)'}; token ${io.env.SMTP_EGRESS_TOKEN ? 'configured' : 'not set: /api/probe and /api/send-test answer 503 until SMTP_EGRESS_TOKEN is set'}`);

  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        log(`smtp-egress serve: ${signal} again: closing every connection now`);
        running.server.closeAllConnections();
        return;
      }
      signalled = true;
      log(`smtp-egress serve: ${signal}: no new connections; waiting for ${running.inFlight()} request(s) in flight (at most ${graceMs} ms)`);
      void running.shutdown(graceMs).then((inTime) => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        log(`smtp-egress serve: stopped${inTime ? '' : ' (requests still running were cut off)'}`);
        // A handler still winding down (a probe's timers) must not hold the exit back for long.
        setTimeout(() => process.exit(0), 2_000).unref();
        resolve(EXIT_OK);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
