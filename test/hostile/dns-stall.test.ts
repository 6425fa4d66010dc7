// Issue 15, point 7: a name whose DNS server never answers held libuv's resolver threads (4 by
// default), so every other request's lookup waited behind it and came back as a false
// dns_failed. Now one name holds at most one thread (concurrent lookups of it share one), and a
// caller stops waiting after LOOKUP_TIMEOUT_MS. Real system resolver (getaddrinfo) in a network
// namespace whose nameserver is a UDP socket here that reads every query and answers none.
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientNamespace, requireNetns, type ClientNamespace } from '../helpers/netns.ts';
import { counter, recordStats } from './support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const canRun = requireNetns('test/hostile/dns-stall.test.ts');
const stats = counter();

describe.skipIf(!canRun)('a stalled name does not delay another lookup', () => {
  let ns: ClientNamespace;
  let blackHole: dgram.Socket;
  let queries = 0;
  beforeAll(async () => {
    ns = await createClientNamespace();
    blackHole = dgram.createSocket('udp4');
    blackHole.on('message', () => (queries += 1));
    await new Promise<void>((r) => blackHole.bind(53, ns.serverV4, r));
    // glibc asks once and waits 4 s for each family: long enough to pin a thread.
    writeFileSync(`/etc/netns/${ns.name}/resolv.conf`, `nameserver ${ns.serverV4}\noptions timeout:4 attempts:1\n`);
  });
  afterAll(async () => {
    blackHole?.close();
    await ns?.cleanup();
    recordStats('dns-stall', { ...stats.n, queriesSwallowed: queries });
  });

  it('8 lookups of a hanging name, then one from the hosts file: answered at once, on a pool of 4 threads', async () => {
    const run = await ns.exec(process.execPath, ['--import', 'tsx', 'test/hostile/fixtures/dns-stall.ts', 'stalled.egress-dns.test', ns.hostName, '8'], {
      cwd: ROOT,
      env: { ...process.env, UV_THREADPOOL_SIZE: '4' },
      timeoutMs: 30_000,
    });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { goodMs: number; good: { ok: boolean }; stalled: { ok: boolean; errno: string }[] };
    stats.add('stalledLookups', out.stalled.length);
    expect(queries).toBeGreaterThan(0); // the resolver really asked the black hole
    expect(out.good.ok).toBe(true);
    // Behind four pinned threads it would wait the resolver's whole 4 s timeout.
    expect(out.goodMs).toBeLessThan(1_000);
    for (const s of out.stalled) {
      expect(s.ok).toBe(false);
      expect(s.errno).toMatch(/^(EAI_AGAIN|ETIMEDOUT)$/);
    }
  });
});
