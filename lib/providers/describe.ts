// What the tool knows about a mail provider, in words: the lines `smtp-egress explain PROVIDER`
// prints and the sentences a verdict can quote (a provider-specific reply explained). One place,
// so the explanation and the diagnosis say the same thing.
import { attribution, listPorts, sourceLines } from '../platform/describe.ts';
import type { Provider, ProviderMode } from './presets.ts';
import type { ProviderErrorMatch } from './provider-errors.ts';
import { detailedProvider } from './provider-details.ts';

const MODE_LABEL: Record<ProviderMode, string> = { starttls: 'STARTTLS', 'implicit-tls': 'implicit TLS (SMTPS)' };
const STANDARD_PORTS = new Set([25, 465, 587]);

/** "STARTTLS on 587, 2525 and 25; implicit TLS (SMTPS) on 465". */
export function portsByMode(p: Provider): string {
  return (['starttls', 'implicit-tls'] as const)
    .map((mode) => [mode, p.ports.filter((x) => x.mode === mode).map((x) => x.port)] as const)
    .filter(([, ports]) => ports.length > 0)
    .map(([mode, ports]) => `${MODE_LABEL[mode]} on ${ports.join(', ')}`)
    .join('; ');
}

/** The ports beyond 25/465/587: the ones that get out where a platform blocks the usual three. */
export const alternativePorts = (p: Provider): number[] => p.ports.map((x) => x.port).filter((port) => !STANDARD_PORTS.has(port));

/** A provider-specific reply as a cause and a fix. */
export function providerErrorText(m: ProviderErrorMatch): { cause: string; fix: string } {
  const who = m.error.documented ? m.provider.name : `${m.provider.name} (as reported by users)`;
  return { cause: `${who}: this reply means ${m.error.means}.`, fix: `${m.error.fix[0]?.toUpperCase() ?? ''}${m.error.fix.slice(1)}.` };
}

/** Everything known about a provider, as the lines `explain` prints. */
export function describeProvider(provider: Provider): string[] {
  const p = detailedProvider(provider);
  const alt = alternativePorts(p);
  const lines = [
    `${p.name} (${p.id}): ${p.hostNames.join(', ')}`,
    `Knowledge: ${attribution(p.documented, p.name)}; checked ${p.checked}.`,
    '',
    `Ports: ${portsByMode(p)}${alt.length > 0 ? ` (alternatives to the usual ports: ${listPorts(alt)})` : ''}`,
    `Username: ${p.username}`,
    `HTTPS API: ${p.httpsApi ?? 'none known: where SMTP ports are blocked, relay through a provider that has one'}`,
  ];
  if (p.note) lines.push(`Note: ${p.note}`);
  if (p.pitfalls.length > 0) lines.push('Learned the hard way:', ...p.pitfalls.map((x) => `  - ${x}`));
  if (p.errors.length > 0) {
    lines.push('Replies peculiar to it:');
    for (const e of p.errors) lines.push(`  ${e.example}`, `    means ${e.means}${e.documented ? '' : ' (as reported)'}; fix: ${e.fix}`);
  }
  if (p.nodemailerService) lines.push(`nodemailer service: ${p.nodemailerService}`);
  lines.push('', 'Sources:', ...sourceLines(p.sources));
  return lines;
}
