// Resolve like the app itself does: the system resolver (getaddrinfo via dns.lookup), which
// reads the hosts file and returns both families. dns.lookup cannot be cancelled, so it races
// the probe's signal: a hung resolver cannot hold the probe past its deadline.
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

const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, order: 'verbatim' });

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
            ? 'the lookup outlived the overall deadline'
            : (e as Error).message;
    return { ok: false, errno: code, message: `could not resolve ${host}: ${why} (${code})`, ms: ms() };
  }
}
