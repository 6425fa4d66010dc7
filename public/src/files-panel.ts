// "Compare two reports": two slots, each filled by a file (chosen or dropped) or pasted JSON;
// compared in the browser as soon as both hold a report. Nothing is sent anywhere.
import type { ProbeReport } from '../../lib/model/probe-report.ts';
import { byId, h } from './dom.ts';
import { compareNetworks, compareView, readSlot, slotSummary, type Side } from './compare-view.ts';

/** A probe report is a few KB: anything this big is the wrong file. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

interface Slot {
  text: HTMLTextAreaElement;
  file: HTMLInputElement;
  zone: HTMLElement;
  status: HTMLElement;
  report: ProbeReport | null;
}

export function initFilesPanel(): { useAs: (side: Side, report: ProbeReport) => void } {
  const slots: Record<Side, Slot> = {
    a: { text: byId('report-a'), file: byId('file-a'), zone: byId('drop-a'), status: byId('status-a'), report: null },
    b: { text: byId('report-b'), file: byId('file-b'), zone: byId('drop-b'), status: byId('status-b'), report: null },
  };
  const out = byId('compare-result');

  function render() {
    const { a, b } = { a: slots.a.report, b: slots.b.report };
    if (!a || !b) {
      out.replaceChildren(h('p', { class: 'muted' }, 'The comparison appears here when both reports are loaded.'));
      return;
    }
    const got = compareNetworks([a, b], ['Report A', 'Report B']);
    out.replaceChildren('error' in got ? h('p', { class: 'status status-error', role: 'alert' }, got.error) : compareView(got.matrix, 3));
  }

  function refresh(side: Side) {
    const s = slots[side];
    const got = readSlot(s.text.value, side === 'a' ? 'Report A' : 'Report B');
    s.report = got && 'report' in got ? got.report : null;
    s.zone.classList.toggle('loaded', s.report !== null);
    s.zone.classList.toggle('invalid', got !== null && 'error' in got);
    s.text.toggleAttribute('aria-invalid', got !== null && 'error' in got);
    s.status.className = `slot-status ${got === null ? '' : 'error' in got ? 'error' : 'done'}`;
    s.status.textContent = got === null ? 'Empty: drop a file here, choose one, or paste.' : 'error' in got ? got.error : `✓ ${slotSummary(got.report)}`;
    render();
  }

  async function loadFile(side: Side, file: File) {
    if (file.size > MAX_FILE_BYTES) {
      slots[side].status.textContent = `${file.name} is ${Math.round(file.size / 1024 / 1024)} MB: a probe report is a few KB. Choose the JSON report.`;
      slots[side].status.className = 'slot-status error';
      return;
    }
    slots[side].text.value = await file.text();
    refresh(side);
  }

  for (const side of ['a', 'b'] as const) {
    const s = slots[side];
    s.text.addEventListener('input', () => refresh(side));
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
          refresh(side);
        }
      }
    });
    byId(`clear-${side}`).addEventListener('click', () => {
      s.text.value = '';
      s.file.value = '';
      refresh(side);
      s.text.focus();
    });
    refresh(side);
  }
  byId('swap').addEventListener('click', () => {
    [slots.a.text.value, slots.b.text.value] = [slots.b.text.value, slots.a.text.value];
    refresh('a');
    refresh('b');
  });

  // Files dropped anywhere else would make the browser navigate away from the page.
  window.addEventListener('dragover', (ev) => ev.preventDefault());
  window.addEventListener('drop', (ev) => ev.preventDefault());

  return {
    useAs(side, report) {
      slots[side].text.value = `${JSON.stringify(report, null, 2)}\n`;
      refresh(side);
      byId('compare').scrollIntoView({ block: 'start' });
      slots[side].text.focus({ preventScroll: true });
    },
  };
}
