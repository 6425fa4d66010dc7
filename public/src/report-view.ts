// One probe report on the page: the verdict first, then the port x family matrix (colour plus
// a symbol plus words; phase timings on hover or focus), then every attempt with its phases,
// TLS details and the (already redacted) transcript.
import type { Attempt, Family, ProbeReport } from '../../lib/model/probe-report.ts';
import { platformLabel } from '../../lib/platform/labels.ts';
import { h } from './dom.ts';
import { findingTone, probeTitle, verdictView } from './verdict-view.ts';
import { FAMILY_LABEL, attemptMs, modeLabel, ms, outcomeLabel, outcomeTone, phaseList, phaseText, TONE_LEGEND, TONE_SYMBOL, type Tone } from './outcomes.ts';

const FAMILIES: Family[] = ['ipv4', 'ipv6'];

/** The attempt with the app's own settings (port and mode), once the diagnosis marks it. */
type AppPath = ProbeReport['verdict']['app'];
/** The app's own port (the diagnosis's configured path), or an attempt the report marks as such. */
const isConfigured = (a: Attempt, app: AppPath) => (a as Attempt & { configured?: boolean }).configured === true || (app !== null && a.port === app.port);
const configuredMark = () => h('span', { class: 'configured' }, 'your settings');

// The one platform label table (lib/platform), for the page's other views too.
export { platformLabel };

export const attemptId = (a: Attempt, i: number) => `attempt-${a.port}-${a.family ?? 'none'}-${i}`;


export function verdictTone(attempts: readonly Attempt[]): Tone {
  if (attempts.length > 0 && attempts.every((a) => a.outcome === 'ok')) return 'ok';
  return attempts.some((a) => a.outcome === 'ok') ? 'config' : 'blocked';
}

export function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Colour legend' },
    TONE_LEGEND.map((l) => h('li', {}, h('span', { class: `swatch tone-${l.tone}`, 'aria-hidden': 'true' }, TONE_SYMBOL[l.tone]), ' ', l.text)),
  );
}

function cellLink(a: Attempt, index: number): HTMLElement {
  const tone = outcomeTone(a.outcome);
  const tipId = `tip-${attemptId(a, index)}`;
  const total = attemptMs(a);
  return h(
    'span',
    { class: 'cell-item' },
    h(
      'a',
      { href: `#${attemptId(a, index)}`, class: 'cell-link', 'aria-describedby': tipId, 'data-attempt': attemptId(a, index) },
      h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
      ' ',
      h('span', { class: 'label' }, outcomeLabel(a.outcome)),
      total > 0 && h('span', { class: 'ms' }, ms(total)),
    ),
    h('span', { class: 'tip', role: 'tooltip', id: tipId }, a.address ? `${a.address}: ` : '', phaseText(a)),
  );
}

export function matrix(report: ProbeReport): HTMLTableElement {
  const ports = [...new Set(report.attempts.map((a) => a.port))].sort((x, y) => x - y);
  const addr = (f: Family) => report.target.addresses.filter((x) => x.family === f).map((x) => x.address);
  const indexed = report.attempts.map((a, i) => ({ a, i }));
  return h(
    'table',
    { class: 'matrix' },
    h(
      'caption',
      {},
      'Each port from ',
      platformLabel(report.platform),
      ', by address family. ',
      // Touch screens have no hover: the CSS shows the hint that fits the pointer (hover: none).
      h('span', { class: 'hint-hover' }, 'Hover or focus a cell for the time of each phase; open it for the details.'),
      h('span', { class: 'hint-touch' }, 'Tap a cell for the time of each phase and the details.'),
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Port'),
        FAMILIES.map((f) => h('th', { scope: 'col' }, FAMILY_LABEL[f], h('span', { class: 'addr' }, addr(f).join(', ') || `no ${f === 'ipv6' ? 'AAAA' : 'A'} record`))),
      ),
    ),
    h(
      'tbody',
      {},
      ports.map((port) => {
        const here = indexed.filter((x) => x.a.port === port);
        const mode = here[0]?.a.mode ?? 'plain';
        const head = h('th', { scope: 'row' }, String(port), h('span', { class: 'mode' }, modeLabel(mode)), here.some((x) => isConfigured(x.a, report.verdict.app)) && configuredMark());
        const anyFamily = here.filter((x) => x.a.family === null);
        if (anyFamily.length > 0 && here.every((x) => x.a.family === null)) {
          const first = anyFamily[0]!;
          return h('tr', {}, head, h('td', { colspan: FAMILIES.length, class: `cell tone-${outcomeTone(first.a.outcome)}`, 'data-port': port, 'data-family': 'any', 'data-outcome': first.a.outcome }, cellLink(first.a, first.i)));
        }
        return h(
          'tr',
          {},
          head,
          FAMILIES.map((f) => {
            const xs = here.filter((x) => x.a.family === f);
            if (xs.length === 0) {
              return h('td', { class: 'cell cell-none', 'data-port': port, 'data-family': f, 'data-outcome': 'none' }, h('span', { class: 'label' }, 'not probed'), h('span', { class: 'visually-hidden' }, addr(f).length ? '' : ` (no ${FAMILY_LABEL[f]} address)`));
            }
            const worst = xs.find((x) => x.a.outcome !== 'ok') ?? xs[0]!;
            return h('td', { class: `cell tone-${outcomeTone(worst.a.outcome)}`, 'data-port': port, 'data-family': f, 'data-outcome': worst.a.outcome }, xs.map((x) => cellLink(x.a, x.i)));
          }),
        );
      }),
    ),
  );
}

function phaseBar(a: Attempt): HTMLElement | null {
  const list = phaseList(a.phases);
  const total = list.reduce((s, [, v]) => s + v, 0);
  if (list.length === 0) return null;
  return h(
    'div',
    { class: 'phases' },
    h(
      'div',
      { class: 'bar', 'aria-hidden': 'true' },
      list.map(([k, v]) => h('span', { class: `seg seg-${k}`, style: `flex-grow:${Math.max(v, total / 12)}`, title: `${k} ${ms(v)}` }, k)),
    ),
    h('dl', { class: 'phase-list' }, list.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, ms(v))))),
  );
}

/** TLS rows for the attempt's key-value list. */
function tlsRows(a: Attempt): HTMLElement[] {
  const t = a.tls;
  if (!t) return [];
  const rows = [
    h('div', {}, h('dt', {}, 'TLS'), h('dd', {}, [t.protocol, t.cipher].filter(Boolean).join(', ') || 'no session', t.authorized ? ' (certificate trusted)' : ` (certificate not trusted${t.error ? `: ${t.error.replace(/_/g, ' ')}` : ''})`)),
  ];
  if (t.errorDetail) rows.push(h('div', {}, h('dt', {}, 'TLS error'), h('dd', {}, t.errorDetail)));
  if (t.cert) rows.push(h('div', {}, h('dt', {}, 'Certificate'), h('dd', {}, `${t.cert.subject ?? '?'}; issuer ${t.cert.issuer ?? '?'}; valid to ${t.cert.validTo ?? '?'}`)));
  return rows;
}

function transcript(a: Attempt): HTMLElement {
  if (a.transcript.length === 0) return h('p', { class: 'muted' }, 'No SMTP dialogue (no connection was made, or nothing was said).');
  const tag = { client: 'C:', server: 'S:', info: '* ' } as const;
  return h(
    'pre',
    { class: 'transcript', tabindex: 0, 'aria-label': `SMTP transcript, port ${a.port}` },
    a.transcript.map((l) => h('span', { class: `line line-${l.dir}` }, h('span', { class: 't' }, `${String(Math.round(l.t)).padStart(5)} ms `), `${tag[l.dir]} ${l.line}\n`)),
  );
}

function attemptDetails(a: Attempt, i: number, app: AppPath): HTMLDetailsElement {
  const tone = outcomeTone(a.outcome);
  const total = attemptMs(a);
  return h(
    'details',
    { class: `attempt tone-${tone}`, id: attemptId(a, i), 'data-port': a.port, 'data-family': a.family ?? 'none' },
    h(
      'summary',
      {},
      h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
      h('strong', {}, ` ${a.port}`),
      ` ${modeLabel(a.mode)} · ${a.family ? FAMILY_LABEL[a.family] : 'no address'}${a.address ? ` ${a.address}` : ''} · `,
      h('strong', {}, outcomeLabel(a.outcome)),
      total > 0 ? ` · ${ms(total)}` : '',
      isConfigured(a, app) && ' · ',
      isConfigured(a, app) && configuredMark(),
    ),
    h(
      'div',
      { class: 'attempt-body' },
      h('p', {}, a.message),
      phaseBar(a),
      h(
        'dl',
        { class: 'kv' },
        h('div', {}, h('dt', {}, 'Outcome'), h('dd', {}, h('code', {}, a.outcome), a.errno ? ` (${a.errno})` : '')),
        a.detectedMode && a.detectedMode !== a.mode && h('div', {}, h('dt', {}, 'Server speaks'), h('dd', {}, modeLabel(a.detectedMode))),
        a.banner && h('div', {}, h('dt', {}, 'Banner'), h('dd', {}, h('code', {}, a.banner))),
        a.capabilities.length > 0 && h('div', {}, h('dt', {}, 'Capabilities'), h('dd', {}, a.capabilities.join(', '))),
        a.auth && h('div', {}, h('dt', {}, 'Login'), h('dd', {}, `${a.auth.result}${a.auth.mechanisms.length ? ` (offers ${a.auth.mechanisms.join(', ')})` : ''}${a.auth.response ? `: ${a.auth.response}` : ''}`)),
        tlsRows(a),
      ),
      h('h4', {}, 'Transcript ', h('span', { class: 'muted' }, '(secrets redacted by the probe)')),
      transcript(a),
    ),
  );
}

function addressNote(report: ProbeReport): string {
  const list = report.target.addresses.map((x) => x.address);
  if (list.length === 0) return ' (no address)';
  return list.length === 1 && list[0] === report.target.host ? '' : ` (${list.join(', ')})`;
}

/** A link that saves the report as a JSON file (made when clicked, from memory). */
export function downloadLink(report: ProbeReport, label: string): HTMLAnchorElement {
  const fileName = `smtp-egress-${report.target.host.replace(/[^a-z0-9.-]/gi, '_')}-${report.platform.name}.json`;
  const link = h('a', { class: 'button', download: fileName, href: '#' }, label);
  link.addEventListener('click', () => {
    link.setAttribute('href', URL.createObjectURL(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' })));
  });
  return link;
}

export interface ReportActions {
  useAs: (side: 'a' | 'b', report: ProbeReport) => void;
}

export function reportView(report: ProbeReport, actions: ReportActions): HTMLElement {
  const started = new Date(report.startedAt);
  const body = h(
    'div',
    { class: 'report', 'data-report-id': report.id },
    h(
      'p',
      { class: 'meta' },
      h('strong', {}, report.target.host),
      addressNote(report),
      ` probed from ${platformLabel(report.platform)}`,
      ` at ${Number.isNaN(started.getTime()) ? report.startedAt : started.toLocaleTimeString()}`,
      ` in ${ms(report.durationMs)} · ${report.platform.runtime} · smtp-egress ${report.tool.version}`,
    ),
    verdictView(report.verdict, { level: 3, tone: findingTone(report.verdict) ?? verdictTone(report.attempts), title: probeTitle(report.verdict, platformLabel(report.platform)), kicker: 'Verdict', headingId: 'result-h' }),
    h('h3', {}, 'Ports'),
    matrix(report),
    legend(),
    h('h3', {}, 'Attempts'),
    h('div', { class: 'attempts' }, report.attempts.map((a, i) => attemptDetails(a, i, report.verdict.app))),
    h(
      'div',
      { class: 'actions' },
      downloadLink(report, 'Download the report (JSON)'),
      h('button', { type: 'button', onclick: () => actions.useAs('a', report) }, 'Use as report A in Compare'),
      h('button', { type: 'button', onclick: () => actions.useAs('b', report) }, 'Use as report B in Compare'),
    ),
  );
  // A matrix cell opens its attempt and moves focus there.
  body.addEventListener('click', (ev) => {
    const link = (ev.target as Element).closest<HTMLAnchorElement>('a.cell-link');
    if (!link) return;
    ev.preventDefault();
    const d = body.querySelector<HTMLDetailsElement>(`#${link.dataset.attempt}`);
    if (!d) return;
    d.open = true;
    d.querySelector('summary')?.focus();
    d.scrollIntoView({ block: 'nearest' });
  });
  return body;
}
