// The page: probe form -> POST /api/probe -> report view; two report slots -> compare view;
// the same request as curl and CLI commands. The token lives in this tab's sessionStorage only.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { byId, copyButton, h } from './dom.ts';
import { compareCommand, curlCommand, probeBody, runnerCommands, type ProbeFormInput } from './commands.ts';
import { platformLabel } from '../../lib/platform/labels.ts';
import { reportView } from './report-view.ts';
import { compareBoth, compareView, readSlot, slotSummary, type Side } from './compare-view.ts';

const TOKEN_KEY = 'smtp-egress:token';

const form = byId<HTMLFormElement>('probe-form');
const fields = {
  host: byId<HTMLInputElement>('host'),
  ports: byId<HTMLInputElement>('ports'),
  family: byId<HTMLSelectElement>('family'),
  connectTimeoutMs: byId<HTMLInputElement>('connect-timeout'),
  timeoutMs: byId<HTMLInputElement>('timeout'),
  token: byId<HTMLInputElement>('token'),
};
/** Which input an API error's `field` points at. */
const FIELD_INPUT: Record<string, HTMLInputElement | HTMLSelectElement> = {
  host: fields.host,
  EMAIL_HOST: fields.host,
  ports: fields.ports,
  family: fields.family,
  connectTimeoutMs: fields.connectTimeoutMs,
  timeoutMs: fields.timeoutMs,
  authorization: fields.token,
};

const origin = () => (location.protocol.startsWith('http') ? location.origin : 'https://YOUR-SITE.netlify.app');

function formInput(): ProbeFormInput {
  return {
    host: fields.host.value,
    ports: fields.ports.value,
    family: fields.family.value as ProbeFormInput['family'],
    connectTimeoutMs: fields.connectTimeoutMs.value,
    timeoutMs: fields.timeoutMs.value,
  };
}

// ---------------------------------------------------------------------------------------------
// Token: sessionStorage only (gone when the tab closes), never in the URL or a command.

try {
  fields.token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
} catch {
  /* storage disabled: the field still works for this page view */
}
fields.token.addEventListener('input', () => {
  try {
    if (fields.token.value) sessionStorage.setItem(TOKEN_KEY, fields.token.value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled */
  }
});
byId('forget-token').addEventListener('click', () => {
  fields.token.value = '';
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled */
  }
  fields.token.focus();
});

// ---------------------------------------------------------------------------------------------
// Commands: the same request for a terminal, kept in step with the form.

const commandBlocks: { id: string; text: () => string }[] = [
  { id: 'cmd-curl', text: () => curlCommand(origin(), formInput()) },
  { id: 'cmd-runner', text: () => runnerCommands(origin(), formInput()) },
  { id: 'cmd-compare', text: () => compareCommand(origin(), formInput()) },
];
for (const c of commandBlocks) {
  const pre = byId(c.id);
  pre.insertAdjacentElement('beforebegin', copyButton('Copy', c.text));
}
function updateCommands() {
  for (const c of commandBlocks) byId(c.id).textContent = c.text();
}
form.addEventListener('input', updateCommands);
form.addEventListener('change', updateCommands);
updateCommands();

// ---------------------------------------------------------------------------------------------
// Who serves this page (GET /api/health).

async function showHealth() {
  const out = byId('deployment');
  try {
    const res = await fetch('/api/health', { signal: AbortSignal.timeout(8000) });
    const body = (await res.json()) as { tool?: { version?: string }; platform?: ProbeReport['platform']; tokenConfigured?: boolean };
    if (!res.ok || !body.platform) throw new Error(`HTTP ${res.status}`);
    out.replaceChildren(
      `This deployment: ${platformLabel(body.platform)}, smtp-egress ${body.tool?.version ?? '?'}. `,
      body.tokenConfigured
        ? 'Probes need its access token.'
        : h('strong', {}, 'No SMTP_EGRESS_TOKEN is set here, so probes are refused: set it in the deployment’s environment.'),
    );
  } catch {
    out.textContent = 'The API of this deployment is not reachable from here (page opened from a file?). Probing needs it; Compare works offline.';
  }
}
void showHealth();

// ---------------------------------------------------------------------------------------------
// Probe

const status = byId('probe-status');
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');
const result = byId('result');
let running: AbortController | null = null;

function clearFieldErrors() {
  for (const el of form.querySelectorAll<HTMLElement>('p.error[id$="-error"]')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function fieldError(input: HTMLInputElement | HTMLSelectElement, message: string) {
  const out = byId(`${input.id}-error`);
  out.textContent = message;
  out.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  if (input.closest('details')) (input.closest('details') as HTMLDetailsElement).open = true;
  input.focus();
}

function setStatus(text: string, kind: 'busy' | 'error' | 'done' | '' = '') {
  status.textContent = text;
  status.className = kind ? `status status-${kind}` : 'status';
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (running) return;
  clearFieldErrors();
  const input = formInput();
  const body = probeBody(input);
  const token = fields.token.value.trim();
  if (!token) {
    fieldError(fields.token, 'Enter the access token (the deployment’s SMTP_EGRESS_TOKEN).');
    setStatus('Not sent: the access token is missing.', 'error');
    return;
  }
  running = new AbortController();
  runButton.disabled = true;
  cancelButton.hidden = false;
  const what = `${body.host || 'the deployment’s EMAIL_HOST'}${body.ports ? ` on ${String(body.ports).split(',').join(', ')}` : ''}`;
  const started = Date.now();
  setStatus(`Probing ${what}…`, 'busy');
  const tick = setInterval(() => setStatus(`Probing ${what}… ${Math.round((Date.now() - started) / 1000)} s`, 'busy'), 1000);
  try {
    const res = await fetch('/api/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: running.signal,
    });
    const text = await res.text();
    let data: unknown = null;
    try {
      data = JSON.parse(text);
    } catch {
      /* not JSON: reported below */
    }
    const err = (data as { error?: { code: string; field?: string; message: string } } | null)?.error;
    if (!res.ok || err) {
      const message = err?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`;
      const input = err?.field ? FIELD_INPUT[err.field] : res.status === 401 || res.status === 503 ? fields.token : undefined;
      const refused = `The probe was refused (${res.status}${err ? ` ${err.code}` : ''})`;
      if (input) {
        fieldError(input, err?.code === 'unauthorized' ? 'Wrong token: this is not the SMTP_EGRESS_TOKEN of this deployment.' : message);
        setStatus(`${refused}: see the ${input.labels?.[0]?.textContent?.toLowerCase() ?? 'marked'} field.`, 'error');
      } else {
        setStatus(`${refused}: ${message}`, 'error');
      }
      return;
    }
    const report = data as ProbeReport;
    result.replaceChildren(h('h2', { id: 'result-h', tabindex: -1 }, 'Result'), reportView(report, { useAs }));
    result.hidden = false;
    setStatus(`Done: ${report.attempts.length} attempt${report.attempts.length === 1 ? '' : 's'} in ${(report.durationMs / 1000).toFixed(1)} s. ${report.verdict.summary}`, 'done');
    byId('result-h').focus();
  } catch (e) {
    if ((e as Error).name === 'AbortError') setStatus('Cancelled.', 'error');
    else setStatus(`Could not reach /api/probe: ${(e as Error).message}. Is this page served by the deployment?`, 'error');
  } finally {
    clearInterval(tick);
    running = null;
    runButton.disabled = false;
    cancelButton.hidden = true;
  }
});
cancelButton.addEventListener('click', () => running?.abort());

// ---------------------------------------------------------------------------------------------
// Compare: two slots, each filled by a file (chosen or dropped) or pasted JSON.

const slots: Record<Side, { text: HTMLTextAreaElement; file: HTMLInputElement; zone: HTMLElement; status: HTMLElement; report: ProbeReport | null }> = {
  a: { text: byId('report-a'), file: byId('file-a'), zone: byId('drop-a'), status: byId('status-a'), report: null },
  b: { text: byId('report-b'), file: byId('file-b'), zone: byId('drop-b'), status: byId('status-b'), report: null },
};
const compareOut = byId('compare-result');

function refreshSlot(side: Side) {
  const s = slots[side];
  const got = readSlot(s.text.value, side === 'a' ? 'Report A' : 'Report B');
  s.report = got && 'report' in got ? got.report : null;
  s.zone.classList.toggle('loaded', s.report !== null);
  s.zone.classList.toggle('invalid', got !== null && 'error' in got);
  s.text.toggleAttribute('aria-invalid', got !== null && 'error' in got);
  s.status.className = `slot-status ${got === null ? '' : 'error' in got ? 'error' : 'done'}`;
  s.status.textContent = got === null ? 'Empty: drop a file here, choose one, or paste.' : 'error' in got ? got.error : `✓ ${slotSummary(got.report)}`;
  renderComparison();
}

function renderComparison() {
  const { a, b } = { a: slots.a.report, b: slots.b.report };
  if (!a || !b) {
    compareOut.replaceChildren(h('p', { class: 'muted' }, 'The comparison appears here when both reports are loaded.'));
    return;
  }
  const got = compareBoth(a, b);
  compareOut.replaceChildren('error' in got ? h('p', { class: 'status status-error', role: 'alert' }, got.error) : compareView(got.cmp));
}

async function loadFile(side: Side, file: File) {
  if (file.size > 4 * 1024 * 1024) {
    slots[side].status.textContent = `${file.name} is ${Math.round(file.size / 1024 / 1024)} MB: a probe report is a few KB. Choose the JSON report.`;
    slots[side].status.className = 'slot-status error';
    return;
  }
  slots[side].text.value = await file.text();
  refreshSlot(side);
}

for (const side of ['a', 'b'] as const) {
  const s = slots[side];
  s.text.addEventListener('input', () => refreshSlot(side));
  s.file.addEventListener('change', () => {
    const f = s.file.files?.[0];
    if (f) void loadFile(side, f);
  });
  s.zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    s.zone.classList.add('dragging');
  });
  s.zone.addEventListener('dragleave', () => s.zone.classList.remove('dragging'));
  s.zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    s.zone.classList.remove('dragging');
    const f = ev.dataTransfer?.files?.[0];
    if (f) void loadFile(side, f);
    else {
      const text = ev.dataTransfer?.getData('text/plain');
      if (text) {
        s.text.value = text;
        refreshSlot(side);
      }
    }
  });
  byId(`clear-${side}`).addEventListener('click', () => {
    s.text.value = '';
    s.file.value = '';
    refreshSlot(side);
    s.text.focus();
  });
  refreshSlot(side);
}
byId('swap').addEventListener('click', () => {
  [slots.a.text.value, slots.b.text.value] = [slots.b.text.value, slots.a.text.value];
  refreshSlot('a');
  refreshSlot('b');
});

function useAs(side: Side, report: ProbeReport) {
  slots[side].text.value = `${JSON.stringify(report, null, 2)}\n`;
  refreshSlot(side);
  byId('compare').scrollIntoView({ block: 'start' });
  slots[side].text.focus({ preventScroll: true });
}

// Files dropped anywhere else would make the browser navigate away from the page.
window.addEventListener('dragover', (ev) => ev.preventDefault());
window.addEventListener('drop', (ev) => ev.preventDefault());
