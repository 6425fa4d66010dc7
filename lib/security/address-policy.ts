// The SSRF guard. A public probe function must not become a way into the network it runs in:
// every address a name resolves to is checked (after resolution, so odd spellings such as
// 2130706433, 0x7f000001, 0177.0.0.1 or 127.1 arrive here as 127.0.0.1), and the probe then
// connects to that checked address only, never re-resolving the name.
import net from 'node:net';

export interface AddressPolicy {
  /** SMTP_EGRESS_ALLOW_PRIVATE=1: loopback and private targets allowed (tests, the demo). */
  allowPrivate: boolean;
  /** SMTP_EGRESS_ALLOWED_HOSTS: when non-empty, only these names (or `*.domain`) may be probed. */
  allowedHosts: readonly string[];
}

export const OPEN_POLICY: AddressPolicy = { allowPrivate: true, allowedHosts: [] };

const RANGES_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this-network (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64/10)'],
  ['127.0.0.0', 8, 'loopback (127/8)'],
  ['169.254.0.0', 16, 'link-local, incl. the cloud metadata address 169.254.169.254'],
  ['172.16.0.0', 12, 'private (172.16/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0/24)'],
  ['192.168.0.0', 16, 'private (192.168/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18/15)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (240/4)'],
];
const RANGES_V6: [string, number, string][] = [
  ['::', 128, 'unspecified (::)'],
  ['::1', 128, 'loopback (::1)'],
  ['fc00::', 7, 'unique local (fc00::/7), incl. the metadata address fd00:ec2::254'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['ff00::', 8, 'multicast'],
  ['64:ff9b::', 96, 'NAT64 (64:ff9b::/96)'],
  ['64:ff9b:1::', 48, 'local-use NAT64 (64:ff9b:1::/48)'],
  ['2001::', 32, 'Teredo (2001::/32), which tunnels to an IPv4 address it embeds'],
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
  ['fec0::', 10, 'site-local (fec0::/10, deprecated but still routed inside some networks)'],
];
// One BlockList per range, built once: the reason is the first range that holds the address.
const rangeLists = (ranges: [string, number, string][], family: 'ipv4' | 'ipv6') =>
  ranges.map(([a, p, why]) => {
    const list = new net.BlockList();
    list.addSubnet(a, p, family);
    return { list, why };
  });
const LISTS_V4 = rangeLists(RANGES_V4, 'ipv4');
const LISTS_V6 = rangeLists(RANGES_V6, 'ipv6');

/** A zone index (fe80::1%eth0) names an interface, not an address: the address is judged. */
const withoutZone = (address: string) => (address.includes('%') ? address.slice(0, address.indexOf('%')) : address);

/** The eight 16-bit groups of an IPv6 address, whatever its spelling (null when it is not one). */
export function hextets(address: string): number[] | null {
  if (net.isIP(address) !== 6) return null;
  // The URL parser writes every IPv6 spelling in one canonical form: ::ffff:127.0.0.1 -> ::ffff:7f00:1
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 address carries where a translator or tunnel would deliver it:
 * IPv4-mapped (::ffff:a.b.c.d), -compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d,
 * RFC 2765) and 6to4 (2002:AABB:CCDD::/48). NAT64 (64:ff9b::/96) and Teredo are refused whole.
 */
export function embeddedIpv4(address: string): string | null {
  const h = hextets(withoutZone(address));
  if (!h) return null;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0] = h;
  if (a === 0x2002) return v4Of(b, c);
  if (a !== 0 || b !== 0 || c !== 0 || d !== 0) return null;
  const mapped = e === 0 && f === 0xffff;
  const translated = e === 0xffff && f === 0;
  const compatible = e === 0 && f === 0 && (g !== 0 || k > 1); // not :: or ::1
  return mapped || translated || compatible ? v4Of(g, k) : null;
}

const sixToFour = (address: string) => hextets(address)?.[0] === 0x2002;

/** Why an address may not be probed, or null when it may. */
export function blockedReason(address: string): string | null {
  address = withoutZone(address);
  const family = net.isIP(address);
  if (family === 0) return 'not an IP address';
  const v4 = family === 4 ? address : embeddedIpv4(address);
  if (v4) {
    const hit = LISTS_V4.find((r) => r.list.check(v4, 'ipv4'));
    if (!hit) return null;
    if (family === 4) return hit.why;
    return sixToFour(address) ? `${hit.why}, reached through 6to4 (2002::/16)` : `${hit.why}, written as IPv4-mapped IPv6`;
  }
  return LISTS_V6.find((r) => r.list.check(address, 'ipv6'))?.why ?? null;
}

export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase().trim().replace(/\.$/, '');
    if (p.startsWith('*.')) return h.endsWith(p.slice(1));
    if (p.startsWith('.')) return h.endsWith(p);
    return h === p;
  });
}

export function policyFromEnv(env: Record<string, string | undefined>): AddressPolicy {
  return {
    allowPrivate: /^(1|true|yes)$/i.test(env.SMTP_EGRESS_ALLOW_PRIVATE ?? ''),
    allowedHosts: (env.SMTP_EGRESS_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
