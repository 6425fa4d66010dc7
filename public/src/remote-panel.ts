// "Compare with another deployment": the same probe body POSTed at once to this site's
// /api/probe and to the other deployment's (cross origin, with that deployment's own token),
// then both reports through lib/compare into one matrix and verdict. Requests go to these two
// deployments only; each token goes only to its own deployment.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { byId, clearFieldErrors, fieldError, h, setStatus, ticker } from './dom.ts';
import { probeBody } from './commands.ts';
import { cancelOrTimeout, deploymentOrigin, isUnauthorized, postProbe, REMOTE_TIMEOUT_MS, type ApiResult } from './api.ts';
import { saveToken, tokenField, tokenKeyFor } from './tokens.ts';
import { form as probeForm, formInput, probeWhat, showThisSiteRefusal, thisToken } from './probe-panel.ts';
import { compareNetworks, compareView } from './compare-view.ts';
import { downloadLink } from './report-view.ts';

type Failure = Exclude<ApiResult<ProbeReport>, { ok: true }>;

export function initRemotePanel(): void {
  const remoteForm = byId<HTMLFormElement>('remote-form');
  const urlInput = byId<HTMLInputElement>('remote-url');
  const status = byId('remote-status');
  const runButton = byId<HTMLButtonElement>('remote-run');
  const cancelButton = byId<HTMLButtonElement>('remote-cancel');
  const out = byId('remote-result');
  const pageOrigin = location.origin;
  const pageIsHttps = location.protocol === 'https:';
  for (const el of document.querySelectorAll('.this-origin')) el.textContent = location.protocol.startsWith('http') ? pageOrigin : 'https://YOUR-SITE.netlify.app';

  const originNow = () => {
    const got = deploymentOrigin(urlInput.value, pageOrigin, pageIsHttps);
    return 'origin' in got ? got.origin : null;
  };
  // The token is stored per deployment: typing another address shows that one's token, if any.
  const remoteToken = tokenField('remote-token', 'forget-remote-token', () => {
    const o = originNow();
    return o ? tokenKeyFor(o) : null;
  });
  urlInput.addEventListener('change', () => {
    if (!remoteToken.value()) remoteToken.reload();
  });

  let running: AbortController | null = null;

  /** Words for the other deployment's failure, at the field it concerns. */
  function showRemoteFailure(origin: string, r: Failure): string {
    if (r.kind === 'cancelled') return 'Cancelled.';
    if (r.kind === 'unreachable') {
      fieldError(
        urlInput,
        `No answer from ${origin} (${r.message}). If it is asleep (a free Render service wakes in about a minute), try again; if it is up, it does not allow this page yet: set SMTP_EGRESS_CORS_ORIGINS=${pageOrigin} in its environment.`,
        false,
      );
      return `The other deployment did not answer: see its address field.`;
    }
    if (r.kind === 'not_api') {
      fieldError(urlInput, `${origin} answered with ${r.message}, not a probe report: is this the address of an smtp-egress service (smtp-egress serve, or a site with its functions)?`, false);
      return 'The other deployment did not answer with a report: see its address field.';
    }
    if (isUnauthorized(r)) {
      remoteToken.forget();
      fieldError(remoteToken.input, `Wrong token for ${origin}: this is not its SMTP_EGRESS_TOKEN. It was forgotten: enter the right one.`, false);
      return `The other deployment refused the probe (${r.status}): see its token field.`;
    }
    if (r.code === 'token_not_configured') {
      fieldError(remoteToken.input, `${origin}: ${r.message}`, false);
      return `The other deployment refused the probe (${r.status}): see its token field.`;
    }
    return `${origin} refused the probe (${r.status}${r.code ? ` ${r.code}` : ''}): ${r.message}`;
  }

  remoteForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (running) return;
    clearFieldErrors(remoteForm);
    clearFieldErrors(probeForm);
    const target = deploymentOrigin(urlInput.value, pageOrigin, pageIsHttps);
    const missing: string[] = [];
    if ('error' in target) {
      fieldError(urlInput, target.error);
      missing.push('the other deployment’s address');
    }
    if (!remoteToken.value()) {
      fieldError(remoteToken.input, 'Enter the other deployment’s access token (its SMTP_EGRESS_TOKEN).', missing.length === 0);
      missing.push('its access token');
    }
    if (!thisToken.value()) {
      fieldError(thisToken.input, 'Enter this site’s access token: the comparison probes from here too.', missing.length === 0);
      missing.push('this site’s access token (in the probe form above)');
    }
    if (missing.length > 0 || 'error' in target) {
      setStatus(status, `Not sent: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or wrong.`, 'error');
      return;
    }
    const origin = target.origin;
    // Typed before the address was: stored now, under the deployment it is for.
    saveToken(tokenKeyFor(origin), remoteToken.value());
    const body = probeBody(formInput());
    running = new AbortController();
    runButton.disabled = true;
    cancelButton.hidden = false;
    const signal = cancelOrTimeout(running.signal, REMOTE_TIMEOUT_MS);
    const done = { here: false, there: false };
    const line = (s: number) =>
      `Probing ${probeWhat(body)} from this site${done.here ? ' (done)' : ''} and from ${origin}${done.there ? ' (done)' : ''}… ${s} s`;
    setStatus(status, line(0), 'busy');
    const tick = ticker((s) => setStatus(status, line(s), 'busy'));
    try {
      const [here, there] = await Promise.all([
        postProbe('', body, thisToken.value(), signal).finally(() => (done.here = true)),
        postProbe(origin, body, remoteToken.value(), signal).finally(() => (done.there = true)),
      ]);
      if (!here.ok || !there.ok) {
        const lines = [!here.ok ? `This site: ${showThisSiteRefusal(here, false)}` : null, !there.ok ? showRemoteFailure(origin, there) : null].filter(Boolean);
        setStatus(status, lines.join(' '), 'error');
        return;
      }
      const got = compareNetworks([here.value, there.value], ['this site’s report', `the report of ${origin}`]);
      if ('error' in got) {
        out.replaceChildren(h('p', { class: 'status status-error', role: 'alert' }, got.error));
        setStatus(status, 'Both probes finished, but the reports cannot be compared: see below.', 'error');
        return;
      }
      out.replaceChildren(
        compareView(got.matrix, 3),
        h('div', { class: 'actions' }, downloadLink(here.value, 'Download this site’s report (JSON)'), downloadLink(there.value, 'Download the other report (JSON)')),
      );
      setStatus(status, `Both probes finished (this site in ${(here.value.durationMs / 1000).toFixed(1)} s, ${origin} in ${(there.value.durationMs / 1000).toFixed(1)} s). The comparison is below.`, 'done');
      out.querySelector<HTMLElement>('.verdict h3')?.setAttribute('tabindex', '-1');
      out.querySelector<HTMLElement>('.verdict h3')?.focus();
    } finally {
      tick.stop();
      running = null;
      runButton.disabled = false;
      cancelButton.hidden = true;
    }
  });
  cancelButton.addEventListener('click', () => running?.abort());
}
