// A misbehaving SMTP server for the truth suite, where Postfix cannot misbehave: run inside the
// lab's server namespace (`ip netns exec ... node --import tsx odd-server.ts KIND`), it listens
// on every address of that namespace (IPv4 and IPv6) and prints its port on stdout.
//   554     greets with "554 5.7.1 ..." and closes (a server refusing this client's address)
//   silent  accepts the connection and never says a word
import { startScriptedServer, type ScriptedConnection } from '../helpers/scripted-server.ts';

/** How long the silent server keeps a connection open: longer than any client timeout in the suite. */
const SILENT_HOLD_MS = 120_000;

const scripts: Record<string, (c: ScriptedConnection) => Promise<void> | void> = {
  '554': (c) => {
    c.write('554 5.7.1 mail.truth.test: no SMTP service here for your address\r\n');
    c.close();
  },
  silent: async (c) => {
    await c.readLine(SILENT_HOLD_MS);
    c.close();
  },
};

const kind = process.argv[2] ?? '';
const script = scripts[kind];
if (!script) {
  console.error(`odd-server: unknown kind "${kind}" (one of ${Object.keys(scripts).join(', ')})`);
  process.exit(2);
}
const server = await startScriptedServer(script, '::');
console.log(server.port);
