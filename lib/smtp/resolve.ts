// Resolve like the app itself does: the system resolver (getaddrinfo via dns.lookup), which
// reads the hosts file and returns both families. dns.lookup cannot be cancelled, so it races
// the probe's signal: a hung resolver cannot hold the probe past its deadline.
//
// getaddrinfo runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), and a name whose
// DNS server never answers holds its thread for the resolver's whole retry cycle. So system
// lookups are bounded: one at a time per name (later requests for the same name share it, so a
// stalled name holds one thread however often it is asked for), at most pool size - 1 at once
// (a thread stays free for files and crypto), and each caller stops waiting after
// LOOKUP_TIMEOUT_MS. A lookup that timed out waiting for a thread says so, instead of blaming
// its own name.
import dns from 'node:dns';
import net from 'node:net';
import type { Family } from '../model/probe-report.ts';

export interface ResolvedAddress {
  address: string;
  family: Family;
}

export type ResolveResult =
  | { ok: true; addresses: ResolvedAddress[]; ms: number }
  | { ok: false; errno: string; message: string; ms: number };

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

/** How long one caller waits for the system resolver (glibc's default: 5 s per try). */
export const LOOKUP_TIMEOUT_MS = 5_000;

const poolSize = () => {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
};
/** System lookups running at once, across every name. */
export const MAX_CONCURRENT_LOOKUPS = Math.max(1, poolSize() - 1);

type Found = { address: string; family: number }[];
interface Shared {
  promise: Promise<Found>;
  /** false while the lookup still waits for a thread. */
  started: boolean;
}
const shared = new Map<string, Shared>();
let running = 0;
const waiting: (() => void)[] = [];

/** Names being resolved and lookups waiting for a thread (the load script reports them). */
export const lookupStats = () => ({ names: shared.size, running, waiting: waiting.length });

function systemLookup(host: string): Promise<Found> {
  const key = host.toLowerCase().replace(/\.$/, '');
  let entry = shared.get(key);
  if (!entry) {
    const e: Shared = { started: false, promise: Promise.resolve([]) };
    e.promise = (async () => {
      if (running >= MAX_CONCURRENT_LOOKUPS) await new Promise<void>((r) => waiting.push(r));
      running += 1;
      e.started = true;
      try {
        return await dns.promises.lookup(host, { all: true, order: 'verbatim' });
      } finally {
        running -= 1;
        waiting.shift()?.();
        shared.delete(key);
      }
    })();
    shared.set(key, e);
    entry = e;
  }
  const mine = entry;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const message = mine.started
        ? `the system resolver did not answer within ${LOOKUP_TIMEOUT_MS} ms`
        : `every resolver thread (${MAX_CONCURRENT_LOOKUPS}) was busy with other, stalled lookups for ${LOOKUP_TIMEOUT_MS} ms, so this name was not even asked (UV_THREADPOOL_SIZE sets the threads)`;
      reject(Object.assign(new Error(message), { code: 'ETIMEDOUT', ownMessage: true }));
    }, LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([mine.promise, late]).finally(() => clearTimeout(timer));
}

export async function resolveTarget(host: string, signal: AbortSignal, lookup: Lookup = systemLookup): Promise<ResolveResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const literal = net.isIP(host);
  if (literal) return { ok: true, addresses: [{ address: host, family: literal === 6 ? 'ipv6' : 'ipv4' }], ms: 0 };
  try {
    const found = await new Promise<{ address: string; family: number }[]>((resolve, reject) => {
      const onAbort = () => reject(Object.assign(new Error('the overall deadline was reached while resolving'), { code: 'ETIMEDOUT' }));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      lookup(host).then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
    const seen = new Set<string>();
    const addresses: ResolvedAddress[] = [];
    for (const r of found) {
      if (seen.has(r.address)) continue;
      seen.add(r.address);
      addresses.push({ address: r.address, family: r.family === 6 ? 'ipv6' : 'ipv4' });
    }
    if (addresses.length === 0) return { ok: false, errno: 'ENODATA', message: `${host} has no A or AAAA record`, ms: ms() };
    return { ok: true, addresses, ms: ms() };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EDNS';
    const why =
      code === 'ENOTFOUND'
        ? 'the name does not exist (NXDOMAIN) or this host has no resolver'
        : code === 'EAI_AGAIN'
          ? 'the resolver did not answer (temporary failure)'
          : code === 'ETIMEDOUT'
            ? (e as { ownMessage?: boolean }).ownMessage
              ? (e as Error).message
              : 'the lookup outlived the overall deadline'
            : (e as Error).message;
    return { ok: false, errno: code, message: `could not resolve ${host}: ${why} (${code})`, ms: ms() };
  }
}
