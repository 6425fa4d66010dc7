// The page: the probe form (POST /api/probe) -> report view; "Compare with another deployment"
// (this site and another probed at once) -> compare view; "Paste your logs" (POST
// /api/classify-logs); two report slots -> compare view; the same request as curl and CLI
// commands. Tokens live in this tab's sessionStorage only (tokens.ts).
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { byId, copyButton, h } from './dom.ts';
import { compareCommand, curlCommand, runnerCommands } from './commands.ts';
import { platformLabel } from './report-view.ts';
import { form, formInput, initProbePanel } from './probe-panel.ts';
import { initFilesPanel } from './files-panel.ts';
import { initRemotePanel } from './remote-panel.ts';
import { initLogsPanel } from './logs-panel.ts';

const origin = () => (location.protocol.startsWith('http') ? location.origin : 'https://YOUR-SITE.netlify.app');

// ---------------------------------------------------------------------------------------------
// Commands: the same request for a terminal, kept in step with the form.

const commandBlocks: { id: string; text: () => string }[] = [
  { id: 'cmd-curl', text: () => curlCommand(origin(), formInput()) },
  { id: 'cmd-runner', text: () => runnerCommands(origin(), formInput()) },
  { id: 'cmd-compare', text: () => compareCommand(origin(), formInput()) },
];
for (const c of commandBlocks) byId(c.id).insertAdjacentElement('beforebegin', copyButton('Copy', c.text));
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
    out.textContent = 'The API of this deployment is not reachable from here (page opened from a file?). Probing needs it; Compare two reports works offline.';
  }
}
void showHealth();

const files = initFilesPanel();
initProbePanel({ useAs: files.useAs });
initRemotePanel();
initLogsPanel();
