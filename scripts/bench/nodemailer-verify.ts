// Baseline for the blocked-egress bench (bundled by build.ts): what an app developer does by hand,
// nodemailer's transport.verify() on each port, one after another, connectionTimeout 3 s.
// Prints one JSON line: per port, ok or the error code, and the time it took.
// usage: nodemailer-verify.mjs --host IP --servername NAME --ca CA.pem --ports 25,465 --timeout MS
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';

const { values } = parseArgs({
  options: { host: { type: 'string' }, servername: { type: 'string' }, ca: { type: 'string' }, ports: { type: 'string' }, timeout: { type: 'string', default: '3000' } },
});
if (!values.host || !values.ports || !values.ca) throw new Error('usage: --host IP --servername NAME --ca CA.pem --ports 25,465 --timeout MS');
const ca = readFileSync(values.ca, 'utf8');
const timeout = Number(values.timeout);
const results: { port: number; ok: boolean; code: string | null; ms: number }[] = [];
for (const port of values.ports.split(',').map(Number)) {
  const t = performance.now();
  const transport = nodemailer.createTransport({
    host: values.host,
    port,
    secure: port === 465,
    requireTLS: port !== 465,
    connectionTimeout: timeout,
    name: 'bench.test',
    tls: { servername: values.servername, ca },
  });
  try {
    await transport.verify();
    results.push({ port, ok: true, code: null, ms: performance.now() - t });
  } catch (e) {
    results.push({ port, ok: false, code: (e as { code?: string }).code ?? 'ERROR', ms: performance.now() - t });
  }
  transport.close();
}
console.log(JSON.stringify(results));
