// A raw TCP server that follows a script, for servers that misbehave on purpose: silence,
// garbage, 554, a drop in the middle of TLS. Bound to port 0 on loopback unless told otherwise.
// Each connection runs `script(conn)`; the helpers below make scripts short.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Pem } from './certs.ts';

export interface ScriptedConnection {
  socket: net.Socket;
  /** Writes raw text (add \r\n yourself). */
  write: (text: string | Buffer) => void;
  /** Resolves with the next line the client sends (without CRLF), or null when it closes. */
  readLine: (timeoutMs?: number) => Promise<string | null>;
  /** Upgrades this connection to TLS as a server (after a 220 to STARTTLS, or for implicit TLS). */
  startTls: (pem: Pem) => Promise<void>;
  close: () => void;
  /** Resets the connection (RST). */
  reset: () => void;
}

export interface ScriptedServer {
  port: number;
  host: string;
  /** Commands received from clients across all connections, in order. */
  received: string[];
  connections: () => number;
  close: () => Promise<void>;
}

export async function startScriptedServer(script: (c: ScriptedConnection) => Promise<void> | void, host = '127.0.0.1'): Promise<ScriptedServer> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((raw) => {
    count += 1;
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
    let socket: net.Socket = raw;
    let buffer = '';
    const waiting: ((l: string | null) => void)[] = [];
    const lines: (string | null)[] = [];
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let nl;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        received.push(line);
        const w = waiting.shift();
        if (w) w(line);
        else lines.push(line);
      }
    };
    const onEnd = () => {
      for (const w of waiting.splice(0)) w(null);
      lines.push(null);
    };
    raw.on('data', onData);
    raw.on('close', onEnd);
    const conn: ScriptedConnection = {
      get socket() {
        return socket;
      },
      write: (t) => {
        if (!socket.destroyed) socket.write(t);
      },
      readLine: (timeoutMs = 5_000) =>
        new Promise((resolve) => {
          if (lines.length) return resolve(lines.shift() ?? null);
          const timer = setTimeout(() => resolve(null), timeoutMs);
          waiting.push((l) => {
            clearTimeout(timer);
            resolve(l);
          });
        }),
      startTls: (pem) =>
        new Promise<void>((resolve, reject) => {
          raw.off('data', onData);
          buffer = '';
          const secure = new tls.TLSSocket(raw, { isServer: true, key: pem.key, cert: pem.cert });
          secure.on('error', () => undefined);
          secure.once('secure', () => resolve());
          secure.once('error', reject);
          secure.on('data', onData);
          secure.on('close', onEnd);
          socket = secure;
        }),
      close: () => socket.end(),
      reset: () => raw.resetAndDestroy(),
    };
    Promise.resolve(script(conn)).catch(() => raw.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    host,
    received,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Greets, answers EHLO with STARTTLS, and reads the client's STARTTLS: the script then replies to it. */
export async function greetAndOfferStarttls(c: ScriptedConnection): Promise<void> {
  c.write('220 scripted ESMTP\r\n');
  await c.readLine();
  c.write('250-scripted\r\n250 STARTTLS\r\n');
  await c.readLine();
}

/** A well-behaved minimal SMTP dialogue after the greeting: EHLO -> caps, QUIT -> 221. */
export async function answerCommands(c: ScriptedConnection, caps: string[] = ['PIPELINING']): Promise<void> {
  for (;;) {
    const line = await c.readLine();
    if (line === null) return;
    const verb = line.split(' ')[0]?.toUpperCase();
    if (verb === 'EHLO') {
      const all = ['scripted', ...caps];
      c.write(all.map((x, i) => `250${i === all.length - 1 ? ' ' : '-'}${x}\r\n`).join(''));
    }
    else if (verb === 'QUIT') {
      c.write('221 bye\r\n');
      c.close();
      return;
    } else c.write('502 not implemented\r\n');
  }
}
