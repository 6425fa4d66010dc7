// `npm run demo`: the main job on a local default. Starts two real SMTP servers on loopback
// (STARTTLS with login, implicit TLS) with a CA made for the occasion, finds a closed port, and
// runs `smtp-egress probe` against all three exactly as a user would, printing the report.
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPki } from '../test/helpers/certs.ts';
import { startSmtpServer, TEST_PASSWORD, TEST_USER } from '../test/helpers/smtp-servers.ts';
import { main } from '../cli/main.ts';

process.stderr.write('demo: generating a local CA and starting two SMTP servers on 127.0.0.1...\n');
const pki = testPki();
const starttls = await startSmtpServer({ tls: pki.valid, auth: true });
const implicit = await startSmtpServer({ tls: pki.valid, secure: true, auth: true });
const closed = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'smtp-egress-demo-'));
const caFile = join(dir, 'demo-ca.pem');
writeFileSync(caFile, pki.ca.cert);

const argv = [
  'probe',
  'localhost',
  '--ports',
  `${starttls.port}:starttls,${implicit.port}:implicit-tls,${closed}:starttls`,
  '--ipv4',
  '--allow-private',
  '--ca-file',
  caFile,
  '--user',
  TEST_USER,
  '--password-env',
  'DEMO_SMTP_PASSWORD',
  '--login-port',
  String(starttls.port),
  ...process.argv.slice(2),
];
process.stderr.write(`demo: STARTTLS on ${starttls.port}, implicit TLS on ${implicit.port}, nothing on ${closed}\n`);
process.stderr.write(`demo: smtp-egress ${argv.join(' ')}\n\n`);
const code = await main(argv, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: { ...process.env, DEMO_SMTP_PASSWORD: TEST_PASSWORD },
  isTty: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
  stderrIsTty: Boolean(process.stderr.isTTY),
  stderrColumns: process.stderr.columns,
  readStdin: async () => '',
});
await Promise.all([starttls.close(), implicit.close()]);
process.stderr.write(`\ndemo: the probe exited ${code} (${code === 0 ? 'the mail gets out: a port is verified with the login, and the closed port is reported beside it' : 'the mail does not get out'})\n`);
process.stderr.write('demo: dist/smtp-egress.mjs is built: try node dist/smtp-egress.mjs probe smtp.gmail.com\n');
process.exitCode = 0;
