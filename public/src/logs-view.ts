// A logs report (POST /api/classify-logs) on the page: the most likely cause and its fixes as a
// verdict, then every classified line as a card with its cause and fix. The classifier wrote
// every word of advice; this file lays it out.
import type { LogMatch, LogsReport } from '../../lib/model/logs-report.ts';
import { capitalize, h, prose } from './dom.ts';
import { outcomeLabel, outcomeTone, TONE_SYMBOL } from './outcomes.ts';
import { verdictView } from './verdict-view.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "The one mail error in these logs says this", "2 of the 3 mail errors in these logs say this". */
function agreement(these: number, all: number): string {
  if (these === all) return all === 1 ? 'The one mail error in these logs says this' : `All ${all} mail errors in these logs say this`;
  return `${these} of the ${all} mail errors in these logs ${these === 1 ? 'says' : 'say'} this`;
}

function lineCard(m: LogMatch): HTMLElement {
  const tone = m.outcome ? outcomeTone(m.outcome) : 'neutral';
  return h(
    'li',
    { class: `log-match tone-${tone}`, 'data-line': m.line, 'data-outcome': m.outcome ?? 'undetermined', 'data-pattern': m.pattern },
    h(
      'p',
      { class: 'log-head' },
      h('span', { class: 'sym', 'aria-hidden': 'true' }, TONE_SYMBOL[tone]),
      ' ',
      h('strong', {}, m.outcome ? outcomeLabel(m.outcome) : 'A mail error (which one, the line does not say)'),
      ` · line ${m.line} · ${m.confidence} confidence`,
      m.port !== null && ` · port ${m.port}`,
      m.errno && ` · ${m.errno}`,
    ),
    h('pre', { class: 'log-line' }, h('code', {}, m.text)),
    h('p', {}, h('span', { class: 'muted' }, 'Cause: '), ...prose(m.cause)),
    h('p', {}, h('span', { class: 'muted' }, 'Fix: '), ...prose(m.fix)),
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
    r.platformHint === 'render' && h('p', { class: 'muted' }, 'These lines carry Render’s log format, so Render’s egress rules are taken into account.'),
    s.byOutcome.length > 1 &&
      h('p', {}, `Errors by outcome: ${s.byOutcome.map((o) => `${outcomeLabel(o.outcome)} ${o.events}`).join(', ')}.`),
    r.matches.length > 0 && [
      h('h3', {}, `Classified lines (${r.matches.length})`),
      h('ol', { class: 'log-matches' }, r.matches.map(lineCard)),
      r.matchesTruncated && h('p', { class: 'muted' }, 'More lines matched than are listed; the counts above cover all of them.'),
    ],
  );
}
