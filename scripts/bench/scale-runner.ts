// Scale runner (bundled by build.ts, one fresh process per run): probes N targets at once with
// the engine, as a function serving many requests would, and prints one JSON line: wall time,
// peak RSS (getrusage maxRSS) and RSS before probing, attempts and their outcomes.
// usage: scale-runner.mjs --hosts h1,h2,... --ports 25,465 --ca CA.pem [--connect-timeout MS]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { runProbe as probe } from '../../lib/diagnosis/probe.ts';
import { detectPlatform } from '../../lib/platform/detect.ts';

const { values } = parseArgs({
  options: { hosts: { type: 'string' }, ports: { type: 'string' }, ca: { type: 'string' }, 'connect-timeout': { type: 'string', default: '3000' } },
});
if (!values.hosts || !values.ports || !values.ca) throw new Error('usage: --hosts h1,h2 --ports 25,465 --ca CA.pem');
const ca = readFileSync(values.ca, 'utf8');
const hosts = values.hosts.split(',');
const ctx = { env: process.env, platform: detectPlatform(process.env), policy: { allowPrivate: true, allowedHosts: [] }, ca };
const options = hosts.map((host) => buildProbeOptions({ host, ports: values.ports, connectTimeoutMs: values['connect-timeout'], timeoutMs: 30000 }, ctx));

const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
const t0 = performance.now();
const reports = await Promise.all(options.map((o) => probe(o)));
const wallMs = performance.now() - t0;
const outcomes: Record<string, number> = {};
let attempts = 0;
for (const r of reports) {
  for (const a of r.attempts) {
    attempts++;
    outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  }
}
console.log(JSON.stringify({ wallMs, maxRssKb: process.resourceUsage().maxRSS, rssBeforeKb, attempts, outcomes }));
