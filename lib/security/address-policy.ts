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
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
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

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or -compatible (::a.b.c.d) IPv6 address. */
export function embeddedIpv4(address: string): string | null {
  address = withoutZone(address);
  if (net.isIP(address) !== 6) return null;
  // The URL parser writes every IPv6 spelling in one canonical form: ::ffff:127.0.0.1 -> ::ffff:7f00:1
  const canonical = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const m = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!m?.[1] || !m[2]) return null;
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why an address may not be probed, or null when it may. */
export function blockedReason(address: string): string | null {
  address = withoutZone(address);
  const family = net.isIP(address);
  if (family === 0) return 'not an IP address';
  const v4 = family === 4 ? address : embeddedIpv4(address);
  if (v4) {
    const hit = LISTS_V4.find((r) => r.list.check(v4, 'ipv4'));
    if (!hit) return null;
    return family === 6 ? `${hit.why}, written as IPv4-mapped IPv6` : hit.why;
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
