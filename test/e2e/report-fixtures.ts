// Small valid probe reports (smtp-egress/probe@2) for the compare paths of the e2e and browser
// tests: the same target seen from two platforms, with the outcomes a test chooses.
import { randomUUID } from 'node:crypto';
import { ProbeReport, type Attempt, type Family, type Outcome } from '../../lib/model/probe-report.ts';
import { defaultModeFor } from '../../lib/smtp/ports.ts';
import { computeVerdict, connected } from '../../lib/diagnosis/verdict.ts';

export interface FixtureAttempt {
  port: number;
  family: Family;
  outcome: Outcome;
}

const ERRNO: Partial<Record<Outcome, string>> = { connect_timeout: 'ETIMEDOUT', network_unreachable: 'ENETUNREACH', connection_refused: 'ECONNREFUSED' };

function attempt(a: FixtureAttempt): Attempt {
  const address = a.family === 'ipv4' ? '192.0.2.25' : '2001:db8::25';
  const base: Attempt = {
    port: a.port,
    mode: defaultModeFor(a.port),
    detectedMode: null,
    address,
    family: a.family,
    outcome: a.outcome,
    errno: ERRNO[a.outcome] ?? null,
    message: a.outcome === 'ok' ? 'reached the SMTP dialogue' : `${a.outcome.replace(/_/g, ' ')} connecting to ${address} port ${a.port}`,
    phases: { dns: 3 },
    banner: null,
    capabilities: [],
    tls: null,
    auth: null,
    transcript: [],
  };
  if (!connected(base)) return base;
  return {
    ...base,
    detectedMode: base.mode,
    phases: { dns: 3, connect: 21, greeting: 40, ehlo: 12, tls: 30 },
    banner: '220 mail.example.com ESMTP ready',
    capabilities: ['PIPELINING', 'AUTH PLAIN LOGIN'],
    transcript: [
      { dir: 'server', line: '220 mail.example.com ESMTP ready', t: 61 },
      { dir: 'client', line: 'EHLO probe', t: 62 },
      { dir: 'server', line: '250 AUTH PLAIN LOGIN', t: 74 },
      { dir: 'client', line: 'QUIT', t: 75 },
    ],
  };
}

export function probeReport(platform: 'netlify' | 'render' | 'local', attempts: FixtureAttempt[], host = 'mail.example.com'): ProbeReport {
  const all = attempts.map(attempt);
  return ProbeReport.parse({
    schema: 'smtp-egress/probe@2',
    id: randomUUID(),
    tool: { name: 'smtp-egress', version: '0.1.0' },
    platform: { name: platform, region: platform === 'netlify' ? 'us-east-2' : platform === 'render' ? 'oregon' : null, runtime: 'node v22.0.0', deployContext: null },
    startedAt: '2026-11-25T12:00:00.000Z',
    durationMs: 250,
    target: { host, addresses: [...new Map(all.map((a) => [a.address, { address: a.address!, family: a.family! }])).values()], source: 'argument' },
    attempts: all,
    verdict: computeVerdict(all, { name: platform, region: null, runtime: 'node v22.0.0', deployContext: null }, host),
  });
}

/** Netlify gets out on every port; Render's free plan blocks 465 and 587 (timeouts), 2525 works. */
export function netlifyAndRender(host = 'mail.example.com'): { netlify: ProbeReport; render: ProbeReport } {
  const ports = [465, 587, 2525];
  return {
    netlify: probeReport('netlify', ports.map((port) => ({ port, family: 'ipv4', outcome: 'ok' })), host),
    render: probeReport('render', ports.map((port) => ({ port, family: 'ipv4', outcome: port === 2525 ? 'ok' : 'connect_timeout' })), host),
  };
}
