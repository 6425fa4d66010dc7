// The bench's mail servers, run inside the server namespace (`ip netns exec seb-server node
// --import tsx scripts/bench/servers.ts CERT KEY`): real smtp-server instances on [::] (IPv4
// and IPv6, every address of the namespace) — 25, 587 and 2525 with STARTTLS, 465 with
// implicit TLS, and 64 more STARTTLS ports for the scale test. Prints "ready" when listening.
import { readFileSync } from 'node:fs';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { startSmtpServer, type RunningServer } from '../../test/helpers/smtp-servers.ts';

// smtp-server holds every greeting for a fixed 100 ms to catch "early talkers" (init() in
// smtp-connection.js). That is server policy, not network: left in, it would add 100 ms to every
// dialogue and make the physical floor (round trips x RTT) unreachable for any client. The bench
// greets at once, like most MTAs without a postscreen-style greet wait.
const connection = SMTPConnection.prototype as unknown as { init(): void; _setListeners(ready: () => void): void; connectionReady(): void };
connection.init = function (this: typeof connection) {
  this._setListeners(() => this.connectionReady());
};

export const SCALE_PORT_BASE = 20000;
export const SCALE_PORT_COUNT = 64;

const [certFile, keyFile] = process.argv.slice(2);
if (!certFile || !keyFile) {
  console.error('usage: servers.ts CERT.pem KEY.pem');
  process.exit(2);
}
const tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
// No reverse DNS before the greeting: the bench measures the client, not the server's resolver.
const extra = { disableReverseLookup: true, maxClients: 2000 };

const specs: { port: number; secure: boolean }[] = [
  { port: 25, secure: false },
  { port: 465, secure: true },
  { port: 587, secure: false },
  { port: 2525, secure: false },
];
for (let i = 0; i < SCALE_PORT_COUNT; i++) specs.push({ port: SCALE_PORT_BASE + i, secure: false });

const running: RunningServer[] = await Promise.all(specs.map((s) => startSmtpServer({ host: '::', port: s.port, secure: s.secure, tls, extra })));
console.log('ready');

const stop = () => {
  void Promise.all(running.map((r) => r.close())).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
