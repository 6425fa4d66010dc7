// How each attempt outcome looks: a short label, a symbol (so colour is never the only signal)
// and a tone that picks the colour. The codes are the report's public contract.
import type { Attempt, Outcome, Phases } from '../../lib/model/probe-report.ts';

export type Tone = 'ok' | 'blocked' | 'server' | 'config' | 'neutral';

export const OUTCOME_INFO: Record<Outcome, { label: string; tone: Tone }> = {
  ok: { label: 'OK', tone: 'ok' },
  dns_failed: { label: 'DNS failed', tone: 'neutral' },
  network_unreachable: { label: 'Network unreachable', tone: 'blocked' },
  host_unreachable: { label: 'Host unreachable', tone: 'blocked' },
  connect_timeout: { label: 'Connect timeout', tone: 'blocked' },
  connection_refused: { label: 'Refused', tone: 'blocked' },
  connection_reset: { label: 'Reset', tone: 'server' },
  greeting_timeout: { label: 'No greeting', tone: 'server' },
  smtp_rejected: { label: 'Rejected by server', tone: 'server' },
  tls_mode_mismatch: { label: 'TLS mode mismatch', tone: 'config' },
  starttls_unavailable: { label: 'No STARTTLS', tone: 'config' },
  tls_failed: { label: 'TLS failed', tone: 'config' },
  auth_failed: { label: 'Login failed', tone: 'config' },
  auth_unavailable: { label: 'No login offered', tone: 'config' },
  timeout: { label: 'Timeout', tone: 'server' },
  blocked_by_policy: { label: 'Not probed (policy)', tone: 'neutral' },
  local_error: { label: 'Local socket error', tone: 'neutral' },
};

export const TONE_SYMBOL: Record<Tone, string> = { ok: '✓', blocked: '✕', server: '⚠', config: '!', neutral: '–' };

export const TONE_LEGEND: { tone: Tone; text: string }[] = [
  { tone: 'ok', text: 'gets out, SMTP works' },
  { tone: 'blocked', text: 'no connection: egress blocked or nothing listening' },
  { tone: 'server', text: 'connected, the server misbehaves' },
  { tone: 'config', text: 'connected, TLS or login problem' },
  { tone: 'neutral', text: 'not tried' },
];

/** Attempt outcomes, and the logs' own codes (settings_conflict) which fall back to their words. */
export const outcomeLabel = (o: Outcome | string) => OUTCOME_INFO[o as Outcome]?.label ?? (o === 'settings_conflict' ? 'Settings conflict' : o.replace(/_/g, ' '));
export const outcomeTone = (o: Outcome | string): Tone => OUTCOME_INFO[o as Outcome]?.tone ?? (o === 'settings_conflict' ? 'config' : 'neutral');

const MODE_LABEL: Record<string, string> = { 'implicit-tls': 'implicit TLS', starttls: 'STARTTLS', 'starttls-optional': 'STARTTLS if offered', plain: 'plain' };
export const modeLabel = (m: string) => MODE_LABEL[m] ?? m;

export const FAMILY_LABEL: Record<string, string> = { ipv4: 'IPv4', ipv6: 'IPv6', none: 'No address' };

/** Phases in the order they ran (the report keeps insertion order). */
export function phaseList(p: Phases): [string, number][] {
  return Object.entries(p).filter((e): e is [string, number] => typeof e[1] === 'number');
}

/** "dns 12 ms, connect 3 ms, tls 9 ms" */
export function phaseText(a: Attempt): string {
  const list = phaseList(a.phases);
  return list.length === 0 ? 'no phase ran' : list.map(([k, v]) => `${k} ${ms(v)}`).join(', ');
}

export const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/** Time on the wire after resolution: what the user waits for on this port. */
export const attemptMs = (a: Attempt) => phaseList(a.phases).filter(([k]) => k !== 'dns').reduce((s, [, v]) => s + v, 0);
