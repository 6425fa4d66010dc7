// Real SMTP servers for tests and the demo (smtp-server, the library nodemailer's author keeps),
// bound to port 0 on loopback unless told otherwise. They capture what they receive.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Pem } from './certs.ts';

export const TEST_USER = 'probe-user@example.test';
export const TEST_PASSWORD = 'S3cret-Pass!word-9f8e7d';

export interface RunningServer {
  port: number;
  host: string;
  close: () => Promise<void>;
  /** Messages received (only send-test tests send any). */
  messages: { from: string; to: string[]; data: string }[];
  logins: { user: string; ok: boolean }[];
}

export interface ServerSpec {
  /** Implicit TLS from the first byte (465-style) instead of plain + STARTTLS. */
  secure?: boolean;
  tls?: Pem;
  /** No STARTTLS offered (plain SMTP only). */
  noStarttls?: boolean;
  /** Require login (with TEST_USER / TEST_PASSWORD). */
  auth?: boolean;
  host?: string;
  port?: number;
  extra?: Partial<SMTPServerOptions>;
}

export async function startSmtpServer(spec: ServerSpec = {}): Promise<RunningServer> {
  const messages: RunningServer['messages'] = [];
  const logins: RunningServer['logins'] = [];
  const disabled: string[] = [];
  if (spec.noStarttls) disabled.push('STARTTLS');
  const server = new SMTPServer({
    secure: Boolean(spec.secure),
    key: spec.tls?.key,
    cert: spec.tls?.cert,
    disabledCommands: disabled,
    authOptional: !spec.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    logger: false,
    banner: 'smtp-egress test server',
    // No reverse DNS of the client: tests must not send queries beyond loopback.
    disableReverseLookup: true,
    onAuth(auth, _session, cb) {
      const ok = auth.username === TEST_USER && auth.password === TEST_PASSWORD;
      logins.push({ user: auth.username ?? '', ok });
      if (ok) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
    ...spec.extra,
  });
  server.on('error', () => undefined);
  const host = spec.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    host,
    messages,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
