// The probe form: POST /api/probe on this deployment -> the report view. The host, ports and
// family fields are shared with "Compare with another deployment", which probes both sites with
// the same body.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { byId, clearFieldErrors, fieldError, setStatus, ticker } from './dom.ts';
import { probeBody, type ProbeFormInput } from './commands.ts';
import { reportView, type ReportActions } from './report-view.ts';
import { isUnauthorized, postProbe, type ApiResult } from './api.ts';
import { THIS_SITE, tokenField, type TokenField } from './tokens.ts';

export const form = byId<HTMLFormElement>('probe-form');
const fields = {
  host: byId<HTMLInputElement>('host'),
  ports: byId<HTMLInputElement>('ports'),
  family: byId<HTMLSelectElement>('family'),
  appPort: byId<HTMLInputElement>('app-port'),
  client: byId<HTMLSelectElement>('client'),
  connectTimeoutMs: byId<HTMLInputElement>('connect-timeout'),
  timeoutMs: byId<HTMLInputElement>('timeout'),
};
export const thisToken: TokenField = tokenField('token', 'forget-token', () => THIS_SITE);

/** Which input an API error's `field` points at. */
const FIELD_INPUT: Record<string, HTMLInputElement | HTMLSelectElement> = {
  host: fields.host,
  EMAIL_HOST: fields.host,
  ports: fields.ports,
  family: fields.family,
  appPort: fields.appPort,
  client: fields.client,
  connectTimeoutMs: fields.connectTimeoutMs,
  timeoutMs: fields.timeoutMs,
  authorization: thisToken.input,
};

export function formInput(): ProbeFormInput {
  return {
    host: fields.host.value,
    ports: fields.ports.value,
    family: fields.family.value as ProbeFormInput['family'],
    appPort: fields.appPort.value,
    client: fields.client.value as ProbeFormInput['client'],
    connectTimeoutMs: fields.connectTimeoutMs.value,
    timeoutMs: fields.timeoutMs.value,
  };
}

/** "smtp.example.com on 25, 587" for status lines. */
export function probeWhat(body: Record<string, string | number>): string {
  return `${body.host || 'the deployment’s EMAIL_HOST'}${body.ports ? ` on ${String(body.ports).split(',').join(', ')}` : ''}`;
}

/**
 * A refused probe on this site: the message goes to the field it names (a wrong token is
 * forgotten) and a short line is returned for the status. Also used by the compare panel.
 */
export function showThisSiteRefusal(r: Exclude<ApiResult<unknown>, { ok: true }>, focus = true): string {
  if (r.kind === 'cancelled') return 'Cancelled.';
  if (r.kind === 'unreachable') return `Could not reach this site’s /api/probe (${r.message}). Is this page served by the deployment?`;
  if (r.kind === 'not_api') return `This site’s /api/probe did not answer with a report (${r.message}).`;
  const input = r.field ? FIELD_INPUT[r.field] : r.status === 401 || r.status === 503 ? thisToken.input : undefined;
  const refused = `The probe was refused (${r.status}${r.code ? ` ${r.code}` : ''})`;
  if (isUnauthorized(r)) {
    thisToken.forget();
    fieldError(thisToken.input, 'Wrong token: this is not the SMTP_EGRESS_TOKEN of this deployment. It was forgotten: enter the right one.', focus);
    return `${refused}: see the access token field.`;
  }
  if (input) {
    fieldError(input, r.message, focus);
    return `${refused}: see the ${input.labels?.[0]?.textContent?.toLowerCase() ?? 'marked'} field.`;
  }
  return `${refused}: ${r.message}`;
}

export function initProbePanel(actions: ReportActions): void {
  const status = byId('probe-status');
  const runButton = byId<HTMLButtonElement>('run');
  const cancelButton = byId<HTMLButtonElement>('cancel');
  const result = byId('result');
  let running: AbortController | null = null;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (running) return;
    clearFieldErrors(form);
    const body = probeBody(formInput());
    const token = thisToken.value();
    if (!token) {
      fieldError(thisToken.input, 'Enter the access token (the deployment’s SMTP_EGRESS_TOKEN).');
      setStatus(status, 'Not sent: the access token is missing.', 'error');
      return;
    }
    running = new AbortController();
    runButton.disabled = true;
    cancelButton.hidden = false;
    const what = probeWhat(body);
    setStatus(status, `Probing ${what}…`, 'busy');
    const tick = ticker((s) => setStatus(status, `Probing ${what}… ${s} s`, 'busy'));
    try {
      const r = await postProbe('', body, token, running.signal);
      if (!r.ok) {
        setStatus(status, showThisSiteRefusal(r), 'error');
        return;
      }
      const report: ProbeReport = r.value;
      result.replaceChildren(reportView(report, actions));
      result.hidden = false;
      const n = report.attempts.length;
      setStatus(status, `Probe finished: ${n} attempt${n === 1 ? '' : 's'} in ${(report.durationMs / 1000).toFixed(1)} s. The verdict is below.`, 'done');
      byId('result-h').focus();
    } finally {
      tick.stop();
      running = null;
      runButton.disabled = false;
      cancelButton.hidden = true;
    }
  });
  cancelButton.addEventListener('click', () => running?.abort());
}
