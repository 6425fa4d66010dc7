// "Paste your logs": the app's own log lines (Render's dashboard, a traceback) POSTed to this
// site's /api/classify-logs, which needs no token: it makes no connection and keeps nothing.
import type { LogsReport } from '../../lib/model/logs-report.ts';
import { byId, clearFieldErrors, fieldError, setStatus } from './dom.ts';
import { postJson } from './api.ts';
import { logsView } from './logs-view.ts';

/** The route's own limit is 1 MiB of JSON; this leaves room for the escaping. */
const MAX_LOG_CHARS = 900_000;

export function initLogsPanel(): void {
  const logsForm = byId<HTMLFormElement>('logs-form');
  const input = byId<HTMLTextAreaElement>('logs');
  const status = byId('logs-status');
  const out = byId('logs-result');
  const button = byId<HTMLButtonElement>('logs-run');

  logsForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFieldErrors(logsForm);
    const logs = input.value;
    if (!logs.trim()) {
      fieldError(input, 'Paste the log lines around the failure (the whole traceback or error object).');
      setStatus(status, 'Nothing to read yet.', 'error');
      return;
    }
    if (logs.length > MAX_LOG_CHARS) {
      fieldError(input, `That is ${Math.round(logs.length / 1000)} k characters: paste the lines around the failure (at most about 900 k).`);
      setStatus(status, 'Not sent: too long.', 'error');
      return;
    }
    button.disabled = true;
    setStatus(status, 'Reading the lines…', 'busy');
    try {
      const r = await postJson<LogsReport>('', '/api/classify-logs', { logs }, null, AbortSignal.timeout(30_000));
      if (!r.ok) {
        const why = r.kind === 'refused' || r.kind === 'not_api' || r.kind === 'unreachable' ? r.message : 'cancelled';
        setStatus(status, `Could not classify the logs: ${why}.`, 'error');
        return;
      }
      out.replaceChildren(logsView(r.value));
      out.hidden = false;
      const n = r.value.matches.length;
      setStatus(status, `Read ${r.value.lines.total} lines: ${n === 0 ? 'none recognised' : `${n} classified`}. The result is below.`, 'done');
      byId('logs-h').focus();
    } finally {
      button.disabled = false;
    }
  });
  byId('logs-clear').addEventListener('click', () => {
    input.value = '';
    out.replaceChildren();
    out.hidden = true;
    setStatus(status, '');
    input.focus();
  });
}
