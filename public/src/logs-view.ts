// A logs report (POST /api/classify-logs, smtp-egress/logs@2) on the page: the most likely cause
// and its fixes as a verdict, then every mail error as a card (its client, the line that says it,
// cause and fixes). The classifier wrote every word of advice; this file lays it out.
import type { LogError, LogsReport } from '../../lib/model/logs-report.ts';
import { capitalize, h, prose } from './dom.ts';
import { outcomeLabel, outcomeTone, TONE_SYMBOL } from './outcomes.ts';
import { verdictView } from './verdict-view.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "The one mail error in these logs says this", "2 of the 3 mail errors in these logs say this". */
function agreement(these: number, all: number): string {
  if (these === all) return all === 1 ? 'The one mail error in these logs says this' : `All ${all} mail errors in these logs say this`;
  return `${these} of the ${all} mail errors in these logs ${these === 1 ? 'says' : 'say'} this`;
}

function errorCard(e: LogError): HTMLElement {
  const tone = e.outcome ? outcomeTone(e.outcome) : 'neutral';
  const where = e.firstLine === e.lastLine ? `line ${e.firstLine}` : `lines ${e.firstLine}-${e.lastLine}`;
  return h(
    'li',
    { class: `log-match tone-${tone}`, 'data-line': e.definingLine ?? e.firstLine, 'data-outcome': e.outcome ?? 'undetermined', 'data-client': e.client ?? 'unknown' },
    h(
      'p',
      { class: 'log-head' },
      h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
      ' ',
      h('strong', {}, e.outcome ? outcomeLabel(e.outcome) : 'A mail error (which one, the lines do not say)'),
      ` · ${where} · ${e.confidence} confidence`,
      e.port !== null && ` · port ${e.port}`,
      e.errno && ` · ${e.errno}`,
    ),
    h('p', {}, ...prose(e.headline)),
    h('pre', { class: 'log-line' }, h('code', {}, e.quote)),
    h('p', {}, h('span', { class: 'muted' }, 'Cause: '), ...prose(e.cause)),
    e.fixes.length > 0 && h('p', {}, h('span', { class: 'muted' }, e.fixes.length === 1 ? 'Fix: ' : 'Fixes: '), ...prose(e.fixes.join(' '))),
  );
}

export function logsView(r: LogsReport): HTMLElement {
  const s = r.summary;
  const counted = `${r.lines.recognised} of ${plural(r.lines.total, 'line')} recognised; ${r.lines.unrecognised} not recognised (counted, never guessed at).`;
  const ml = s.mostLikely;
  return h(
    'div',
    { class: 'logs-report' },
    ml
      ? verdictView(
          {
            code: ml.outcome,
            summary: `${agreement(ml.events, s.events)} (${ml.confidence} confidence). ${counted}`,
            causes: [ml.cause],
            fixes: ml.fixes,
          },
          { level: 3, tone: outcomeTone(ml.outcome), title: capitalize(ml.summary), kicker: 'From your logs, most likely', headingId: 'logs-h' },
        )
      : h('div', { class: 'verdict tone-neutral' }, h('h3', { id: 'logs-h', tabindex: -1 }, 'No cause found in these lines'), h('p', {}, s.text)),
    r.platform && h('p', { class: 'muted' }, `These logs come from ${r.platform.name}${r.platform.from === 'logs' ? ' (their log format says so)' : ''}, so its egress rules are taken into account.`),
    s.byOutcome.length > 1 &&
      h('p', {}, `Errors by outcome: ${s.byOutcome.map((o) => `${outcomeLabel(o.outcome)} ${o.events}`).join(', ')}.`),
    r.errors.length > 0 && [
      h('h3', {}, `Mail errors found (${r.errors.length})`),
      h('ol', { class: 'log-matches' }, r.errors.map(errorCard)),
      r.matchesTruncated && h('p', { class: 'muted' }, 'More lines matched than are listed; the counts above cover all of them.'),
    ],
    s.otherClientErrors > 0 && h('p', { class: 'muted' }, `${plural(s.otherClientErrors, 'error')} of other clients (a database, an HTTP call) left alone.`),
  );
}
