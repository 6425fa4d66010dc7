// The connect phase: one TCP connection to one vetted address, or — when the early decision
// applies (early-decision.ts) — the attempt's own connection plus extra ones from other source
// ports. The first connection to be answered carries the attempt; every other one is closed at
// once, answered or not, so an answer that comes late is never reported as a timeout.
// Rejects with the outcome the network gave (a `connect_timeout` carries how it was decided).
import net from 'node:net';
import { StepFailure, describeSocketError, outcomeForSocketError } from './step-failure.ts';
import { answerWindowMs, earlyPlan, synsSentWithin, type DecideMode, type ReferenceTracker } from './early-decision.ts';
import { EARLY_EXTRA_CONNECTIONS, SYN_RETRANSMIT_MS } from './timeouts.ts';
import type { ConnectDecision, Family } from '../model/probe-report.ts';

export interface EarlyContext {
  /** Shared by the attempts of one probe: the fastest connect per address. */
  tracker: ReferenceTracker;
  decide: DecideMode;
}

export interface ConnectRequest {
  address: string;
  port: number;
  family: Family;
  timeoutMs: number;
  signal: AbortSignal;
  /** What to call the overall deadline in messages, e.g. "20000 ms". */
  deadlineLabel: string;
  /** Transcript lines about the extra connections. */
  record: (line: string) => void;
  /** Null: a plain connect that neither reports to nor reads from a tracker (follow-up looks). */
  early: EarlyContext | null;
}

interface Connection {
  index: number;
  socket: net.Socket;
  startedMs: number;
}

const round = (ms: number) => Math.round(ms);

export function openConnection(req: ConnectRequest): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const { address, port, early } = req;
    const t0 = performance.now();
    const since = () => performance.now() - t0;
    const connections: Connection[] = [];
    let settled = false;
    let extrasLaunched = false;
    /** Set when an extra connection fails: the port is not plainly silent, so only the timeout decides. */
    let earlyOff = false;
    let launchTimer: NodeJS.Timeout | undefined;
    let decisionTimer: NodeJS.Timeout | undefined;
    let stopListening = () => {};

    const settle = (winner: Connection | null) => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(launchTimer);
      clearTimeout(decisionTimer);
      stopListening();
      req.signal.removeEventListener('abort', onAbort);
      for (const c of connections) {
        c.socket.removeAllListeners('connect');
        c.socket.removeAllListeners('error');
        if (c === winner) continue;
        c.socket.on('error', () => {}); // a late error of a connection being torn down tells nothing
        c.socket.destroy();
      }
    };

    /** SYNs count as unanswered once they have gone the answer window W without an answer. */
    const decision = (decidedBy: ConnectDecision['decidedBy'], ms: number): ConnectDecision => {
      const ref = early?.tracker.reference(address) ?? null;
      const w = answerWindowMs(ref?.ms ?? 0);
      let syns: number | null = 0;
      for (const c of connections) {
        const n = synsSentWithin(ms - w - c.startedMs);
        syns = n === null || syns === null ? null : syns + n;
      }
      return { decidedBy, ms: round(ms), connections: connections.length, unansweredSyns: syns, reference: ref && { port: ref.port, ms: ref.ms } };
    };
    const timedOut = (message: string, d: ConnectDecision) => {
      settle(null);
      reject(new StepFailure('connect_timeout', message, 'ETIMEDOUT', { decision: d }));
    };

    const onConnect = (c: Connection) => {
      if (settled) return;
      const ms = since() - c.startedMs;
      early?.tracker.answered(address, port, ms);
      if (c.index > 0) {
        req.record(`extra connection ${c.index} (source port ${c.socket.localPort ?? '?'}) was answered after ${round(ms)} ms: port ${port} is not blocked; it carries the attempt, the others are closed`);
      } else if (extrasLaunched) {
        req.record(`the attempt's own connection was answered after ${round(ms)} ms: port ${port} is not blocked; the extra connections are closed`);
      }
      settle(c);
      c.socket.setNoDelay(true);
      resolve(c.socket);
    };
    const onError = (c: Connection, e: NodeJS.ErrnoException) => {
      if (settled) return;
      const text = describeSocketError(e.code, `connecting to ${address} port ${port}`);
      if (c.index === 0) {
        settle(null);
        reject(new StepFailure(outcomeForSocketError(e.code), text, e.code ?? null));
        return;
      }
      // An extra connection that fails is not silence: no early decision; the attempt's own
      // connection goes on to its own outcome.
      req.record(`extra connection ${c.index}: ${text}; no early decision`);
      earlyOff = true;
      clearTimeout(decisionTimer);
      c.socket.on('error', () => {});
      c.socket.destroy();
    };
    const open = (index: number) => {
      const socket = net.connect({ host: address, port, family: req.family === 'ipv6' ? 6 : 4, autoSelectFamily: false });
      const c: Connection = { index, socket, startedMs: since() };
      connections.push(c);
      socket.once('connect', () => onConnect(c));
      socket.once('error', (e: NodeJS.ErrnoException) => onError(c, e));
    };

    const onAbort = () =>
      timedOut(`no answer to the connection request (SYN) before the overall deadline of ${req.deadlineLabel}`, decision('timeout', since()));
    const timer = setTimeout(
      () => timedOut(`no answer to the connection request within ${req.timeoutMs} ms: packets are being dropped, typically by an egress firewall`, decision('timeout', since())),
      req.timeoutMs,
    );

    /**
     * Runs when the address gets a (faster) reference: if the port is still silent, plans the
     * extra connections once silent for the answer window W, and the decision once the port's
     * own SYN re-sent at 1 s and the SYN of every extra connection have each gone W unanswered.
     */
    const arm = () => {
      const ref = early?.tracker.reference(address);
      if (!ref || settled || launchTimer !== undefined) return;
      const plan = earlyPlan(since(), ref.ms);
      if (plan.decideAtMs >= req.timeoutMs) return; // the connect timeout comes first: today's behaviour
      launchTimer = setTimeout(launch, Math.max(0, plan.launchMs - since()));
    };
    const launch = () => {
      const ref = early?.tracker.reference(address);
      if (settled || !ref) return;
      const w = answerWindowMs(ref.ms);
      if (Math.max(SYN_RETRANSMIT_MS, since()) + w >= req.timeoutMs) return;
      stopListening();
      req.record(`port ${ref.port} on the same address answered in ${ref.ms} ms and port ${port} has not after ${round(since())} ms: ${EARLY_EXTRA_CONNECTIONS} more connections from other source ports`);
      extrasLaunched = true;
      for (let i = 1; i <= EARLY_EXTRA_CONNECTIONS; i += 1) open(i);
      // From the attempt's own re-sent SYN and the last extra's SYN, as sent: every SYN counted
      // has had its full window.
      const launchedMs = since();
      const decideAtMs = Math.max((connections[0]?.startedMs ?? 0) + SYN_RETRANSMIT_MS, launchedMs) + w;
      const decide = () => {
        if (settled || earlyOff) return;
        // A timer counts from the event loop's cached clock and may fire a few ms before
        // decideAtMs by performance.now(): the rule's wait is never cut short.
        if (since() < decideAtMs) {
          decisionTimer = setTimeout(() => setImmediate(decide), Math.ceil(decideAtMs - since()));
          return;
        }
        const d = decision('early', since());
        timedOut(
          `no answer to ${d.unansweredSyns} SYNs over ${d.connections} connections in ${d.ms} ms while port ${d.reference?.port} on the same address answered in ${d.reference?.ms} ms: packets are being dropped, typically by an egress firewall`,
          d,
        );
      };
      // setImmediate: an answer the event loop has already received (poll phase) is handled
      // before the decision (check phase), even when a busy loop runs this timer late.
      decisionTimer = setTimeout(() => setImmediate(decide), decideAtMs - launchedMs);
    };

    if (req.signal.aborted) {
      reject(new StepFailure('connect_timeout', `the overall deadline of ${req.deadlineLabel} was reached before connecting`, 'ETIMEDOUT', { decision: decision('timeout', 0) }));
      return;
    }
    req.signal.addEventListener('abort', onAbort, { once: true });
    open(0);
    if (early && early.decide === 'fast' && synsSentWithin(0) !== null) {
      stopListening = early.tracker.onReference(address, arm);
      arm();
    }
  });
}
