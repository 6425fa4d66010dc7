// `smtp-egress probe --log-line`: the probe from inside the app's own start command, in the
// background, so its answer lands in the platform's logs (Render's free plan has no Shell):
//   (node smtp-egress.mjs probe --log-line; true) & exec gunicorn app.wsgi
// It prints exactly two lines to stdout: the probe report as one line of JSON (transcripts left
// out; still a valid probe report that `compare` and the page read), then one human
// verdict line. It never delays, blocks or kills the app: it reads no stdin, takes no port, ends
// by a hard deadline, and always exits 0 — gunicorn's arbiter
// reaps every child of its process and halts on exit codes 3 and 4 (WORKER_BOOT_ERROR,
// APP_LOAD_ERROR), so a background job must never exit with those.
import type { CliIo } from '../io.ts';
import { EXIT_OK } from '../io.ts';
import type { ProbeOptions } from '../../lib/smtp/probe.ts';
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { runProbe } from '../../lib/diagnosis/probe.ts';

/** After the probe's own deadline, this much more before the process gives up and says so. */
export const LOG_LINE_GRACE_MS = 1_000;
const PREFIX = 'smtp-egress:';
/** Time for stdout to drain before a stuck process is ended. */
const EXIT_FLUSH_MS = 200;

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** The human line: verdict code and summary, and the first fix when there is one. */
export function logVerdictLine(r: ProbeReport): string {
  const fix = r.verdict.fixes[0] ? ` Fix: ${r.verdict.fixes[0]}` : '';
  return oneLine(`${PREFIX} ${r.target.host} from ${r.platform.name}: ${r.verdict.code}: ${r.verdict.summary}${fix}`);
}

/**
 * Runs the probe `build` describes (building it may fail: no EMAIL_HOST...) and prints the two
 * lines, or one line saying why there is no probe. Never throws; always EXIT_OK.
 */
export async function probeLogLine(build: () => Promise<ProbeOptions>, io: CliIo): Promise<number> {
  let options: ProbeOptions;
  try {
    options = await build();
  } catch (e) {
    // The first line only: a flag error goes on with the whole usage text.
    io.stdout(`${PREFIX} no probe: ${oneLine((e as Error).message.split('\n')[0] ?? '')} (the app is not affected)\n`);
    return EXIT_OK;
  }
  const deadlineMs = options.timeouts.totalMs + LOG_LINE_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deadlineMs);
    // The deadline must not keep the process alive by itself, nor the probe past it.
    timer.unref();
  });
  try {
    const report = await Promise.race([runProbe(options), late]);
    if (!report) {
      io.stdout(`${PREFIX} no verdict: the probe of ${options.host} did not finish within ${deadlineMs} ms (the app is not affected)\n`);
      // Whatever still holds the event loop (a socket past every timeout) must not outlive the line.
      setTimeout(() => process.exit(EXIT_OK), EXIT_FLUSH_MS).unref();
      return EXIT_OK;
    }
    const compact: ProbeReport = { ...report, attempts: report.attempts.map((a) => ({ ...a, transcript: [] })) };
    io.stdout(`${JSON.stringify(compact)}\n${logVerdictLine(report)}\n`);
  } catch (e) {
    io.stdout(`${PREFIX} no verdict: ${oneLine((e as Error).message)} (the app is not affected)\n`);
  } finally {
    clearTimeout(timer);
  }
  return EXIT_OK;
}
