// Admission for probe requests: every request needs one slot per connection attempt it will
// run (ports x families), and the slots across all requests are capped, so a burst of requests
// cannot open more connections than the process has descriptors for. A request that does not
// fit waits in a short first-come queue; when the queue is full, or the wait runs out, it is
// refused with 503 and Retry-After instead of running with connections that would fail here.
import { SmtpEgressError } from '../model/errors.ts';

export interface GateLimits {
  maxSlots: number;
  maxQueued: number;
  maxWaitMs: number;
}

interface Waiter {
  n: number;
  grant: () => void;
}

/** Seconds a refused caller is told to wait: about one probe's length. */
const RETRY_AFTER_S = 10;

export class AttemptGate {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly limits: GateLimits) {}

  /** Slots in use and requests waiting (for the health route and the load script). */
  stats(): { used: number; max: number; queued: number } {
    return { used: this.used, max: this.limits.maxSlots, queued: this.queue.length };
  }

  /** Resolves with the release function once n slots are held; rejects with `busy` otherwise. */
  async acquire(n: number, signal?: AbortSignal): Promise<() => void> {
    const want = Math.min(n, this.limits.maxSlots);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.used -= want;
      this.drain();
    };
    if (this.queue.length === 0 && this.used + want <= this.limits.maxSlots) {
      this.used += want;
      return release;
    }
    if (this.queue.length >= this.limits.maxQueued) throw busy(`${this.queue.length} probe requests are already waiting for connection slots`);
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        n: want,
        grant: () => {
          cleanup();
          resolve(release);
        },
      };
      const leave = (why: string) => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        cleanup();
        this.drain();
        reject(busy(why));
      };
      const timer = setTimeout(() => leave(`no connection slot came free within ${this.limits.maxWaitMs} ms`), this.limits.maxWaitMs);
      const onAbort = () => leave('the request was cancelled while waiting');
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private drain(): void {
    while (this.queue[0] && this.used + this.queue[0].n <= this.limits.maxSlots) {
      const next = this.queue.shift() as Waiter;
      this.used += next.n;
      next.grant();
    }
  }
}

const busy = (why: string) =>
  new SmtpEgressError('busy', `this server is running as many probe connections as it allows (${why}): retry in about ${RETRY_AFTER_S} s; nothing was probed`, {
    retryAfterS: RETRY_AFTER_S,
  });
