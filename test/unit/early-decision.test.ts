// The early decision's arithmetic (plan, SYN counts, false-block bound), the reference tracker,
// the `decide` option, and the verdict's words for a decision.
import { describe, expect, it } from 'vitest';
import { ReferenceTracker, answerWindowMs, earlyPlan, falseBlockProbability, synSchedule, synsSentWithin } from '../../lib/smtp/early-decision.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { describeTimeout } from '../../lib/diagnosis/evidence-words.ts';
import { blankAttempt } from '../../lib/smtp/attempt.ts';
import { isSmtpEgressError } from '../../lib/model/errors.ts';
import type { Attempt } from '../../lib/model/probe-report.ts';

const ctx = { env: {}, platform: { name: 'local', region: null, runtime: 'node', deployContext: null }, policy: { allowPrivate: false, allowedHosts: [] } };

describe('early decision rule', () => {
  it('answer window: twice the reference, at least 100 ms', () => {
    expect(answerWindowMs(0.2)).toBe(100);
    expect(answerWindowMs(21)).toBe(100);
    expect(answerWindowMs(80)).toBe(160);
  });

  it('plan: extras once silent for the window, the decision one window past the kernel re-send (or past the extras)', () => {
    expect(earlyPlan(81, 80)).toEqual({ launchMs: 160, decideAtMs: 1160 });
    expect(earlyPlan(21, 21)).toEqual({ launchMs: 100, decideAtMs: 1100 });
    // A reference that only comes at 1.5 s: the extras go then, and get their own window.
    expect(earlyPlan(1500, 30)).toEqual({ launchMs: 1500, decideAtMs: 1600 });
  });

  it('false-block probability: each SYN unanswered with 1-(1-p)^2, all of them independently', () => {
    expect(falseBlockProbability(0.01, 6)).toBeCloseTo(0.0199 ** 6, 15);
    expect(falseBlockProbability(0.05, 6)).toBeCloseTo(8.59e-7, 9);
    expect(falseBlockProbability(0, 6)).toBe(0);
    expect(falseBlockProbability(1, 1)).toBe(1);
  });

  it.runIf(process.platform === 'linux')('SYN schedule on Linux: 0 and 1 s first, then linear or exponential re-sends', () => {
    const s = synSchedule();
    expect(s?.slice(0, 2)).toEqual([0, 1000]);
    expect(synsSentWithin(-1)).toBe(0);
    expect(synsSentWithin(0)).toBe(1);
    expect(synsSentWithin(999)).toBe(1);
    expect(synsSentWithin(1000)).toBe(2);
    expect([3, 4]).toContain(synsSentWithin(3000)); // 0,1,2,3 (linear) or 0,1,3 (exponential)
  });

  it('tracker: the fastest connect per address, subscribers told of each faster one, not of other addresses', () => {
    const t = new ReferenceTracker();
    const heard: string[] = [];
    const stop = t.onReference('10.0.0.1', () => heard.push(JSON.stringify(t.reference('10.0.0.1'))));
    t.answered('10.0.0.2', 25, 5);
    t.answered('10.0.0.1', 2525, 40.04);
    t.answered('10.0.0.1', 587, 60); // slower: not a new reference
    t.answered('10.0.0.1', 465, 30);
    stop();
    t.answered('10.0.0.1', 25, 10);
    expect(heard).toEqual(['{"port":2525,"ms":40}', '{"port":465,"ms":30}']);
    expect(t.reference('10.0.0.1')).toEqual({ port: 25, ms: 10 });
    expect(t.reference('10.0.0.3')).toBeNull();
  });
});

describe('decide option', () => {
  it('defaults to fast; full and fast accepted', () => {
    expect(buildProbeOptions({ host: 'smtp.example.com' }, ctx).decide).toBe('fast');
    expect(buildProbeOptions({ host: 'smtp.example.com', decide: 'full' }, ctx).decide).toBe('full');
  });
  it('anything else is an input error naming the field and the two values', () => {
    let err: unknown;
    try {
      buildProbeOptions({ host: 'smtp.example.com', decide: 'quick' }, ctx);
    } catch (e) {
      err = e;
    }
    expect(isSmtpEgressError(err) && err.field).toBe('decide');
    expect((err as Error).message).toMatch(/decide must be fast .* or full/);
  });
});

describe('describeTimeout', () => {
  const timeout = (decision: Attempt['decision']) => blankAttempt({ port: 587, mode: 'starttls' }, { outcome: 'connect_timeout', decision });
  it('early, with the reference', () => {
    expect(describeTimeout(timeout({ decidedBy: 'early', ms: 1112, connections: 5, unansweredSyns: 6, reference: { port: 2525, ms: 21.3 } }))).toBe(
      'no answer to 6 SYNs in 1.1 s while 2525 on the same address answered in 21 ms',
    );
  });
  it('timeout without a reference, a sub-10 ms reference, an unknown SYN count', () => {
    expect(describeTimeout(timeout({ decidedBy: 'timeout', ms: 5003, connections: 1, unansweredSyns: 5, reference: null }))).toBe('no answer to 5 SYNs in 5.0 s');
    expect(describeTimeout(timeout({ decidedBy: 'timeout', ms: 5003, connections: 1, unansweredSyns: null, reference: { port: 25, ms: 0.4 } }))).toBe(
      'no answer in 5.0 s while 25 on the same address answered in 0.4 ms',
    );
  });
  it('nothing to say without a decision or for another outcome', () => {
    expect(describeTimeout(blankAttempt({ port: 587, mode: 'starttls' }, { outcome: 'connect_timeout' }))).toBeNull();
    expect(describeTimeout(blankAttempt({ port: 587, mode: 'starttls' }, { outcome: 'ok', decision: { decidedBy: 'early', ms: 1, connections: 1, unansweredSyns: 1, reference: null } }))).toBeNull();
  });
});
