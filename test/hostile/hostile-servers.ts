// The catalogue of misbehaving SMTP servers: each a script for the raw scripted server, the mode
// the probe uses against it, and the outcome(s) it must end in. Used by servers.test.ts (one by
// one, with timing and socket checks) and by soak.ts (200 probes, handles and memory).
import type { ScriptedConnection } from '../helpers/scripted-server.ts';
import type { Pem } from '../helpers/certs.ts';
import type { Mode, Outcome } from '../../lib/model/probe-report.ts';

export interface HostileCase {
  name: string;
  /** What the issue calls it. */
  what: string;
  mode: Mode;
  /** Needs the test PKI (STARTTLS or implicit TLS with a certificate). */
  tls?: boolean;
  /** Runs a login test (credentials given, CA trusted). */
  login?: boolean;
  expect: Outcome[];
  script: (c: ScriptedConnection, pem: Pem | null) => Promise<void> | void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (c: ScriptedConnection) => !c.socket.destroyed && c.socket.writable;

/** Writes with backpressure until `bytes` are out or the client went away. */
async function pump(c: ScriptedConnection, chunk: string, bytes: number): Promise<void> {
  let sent = 0;
  while (sent < bytes && alive(c)) {
    const ok = c.socket.write(chunk);
    sent += chunk.length;
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          c.socket.off('drain', done);
          c.socket.off('close', done);
          resolve();
        };
        c.socket.once('drain', done);
        c.socket.once('close', done);
      });
    }
  }
}

const multi = (code: number, lines: string[]) => lines.map((l, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('');

/** Greets, then answers EHLO with `caps` and hands each other command to `on`. */
async function dialogue(c: ScriptedConnection, caps: string[], on: (verb: string, line: string) => Promise<'stop' | void> | 'stop' | void): Promise<void> {
  for (;;) {
    const line = await c.readLine(10_000);
    if (line === null) return;
    const verb = (line.split(' ')[0] ?? '').toUpperCase();
    if (verb === 'EHLO') c.write(multi(250, ['hostile.test', ...caps]));
    else if (verb === 'QUIT') {
      c.write('221 bye\r\n');
      c.close();
      return;
    } else if ((await on(verb, line)) === 'stop') return;
  }
}

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'slowloris-greeting',
    what: 'greeting sent byte by byte, past the greeting timeout',
    mode: 'starttls-optional',
    expect: ['greeting_timeout'],
    script: async (c) => {
      for (const ch of '220 hostile.test ESMTP slowly, very slowly, one byte at a time\r\n'.repeat(20)) {
        if (!alive(c)) return;
        c.write(ch);
        await sleep(40);
      }
    },
  },
  {
    name: 'endless-line',
    what: 'an endless line with no CRLF (8 MiB offered)',
    mode: 'starttls-optional',
    // Cut at 2 MiB (smtp_rejected), or by the greeting timeout when that comes first.
    expect: ['smtp_rejected', 'greeting_timeout'],
    script: (c) => pump(c, 'A'.repeat(64 * 1024), 8 * 1024 * 1024),
  },
  {
    name: 'long-line-then-silence',
    what: 'a 1.5 MB line with no CRLF, then silence',
    mode: 'starttls-optional',
    expect: ['greeting_timeout'],
    script: (c) => pump(c, '220'.padEnd(64 * 1024, 'B'), 1_500_000),
  },
  {
    name: 'megabyte-ehlo',
    what: 'a megabyte of EHLO capabilities',
    mode: 'plain',
    expect: ['ok'],
    script: async (c) => {
      c.write('220 hostile.test ESMTP\r\n');
      await dialogue(c, [], () => undefined).catch(() => undefined);
    },
  },
  {
    name: 'inconsistent-greeting',
    what: 'multi-line greeting with inconsistent codes (220 then 554)',
    mode: 'starttls-optional',
    expect: ['smtp_rejected'],
    script: async (c) => {
      c.write('220-hostile.test welcome\r\n554-actually\r\n554 go away\r\n');
      await dialogue(c, ['STARTTLS'], () => undefined);
    },
  },
  {
    name: 'inconsistent-ehlo',
    what: 'multi-line EHLO reply with inconsistent codes, final code 421',
    mode: 'plain',
    expect: ['smtp_rejected'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      const line = await c.readLine();
      if (line === null) return;
      c.write('250-hostile.test\r\n550-PIPELINING\r\n421 closing\r\n');
      await c.readLine(2_000);
      c.close();
    },
  },
  {
    name: 'close-mid-reply',
    what: 'connection closed in the middle of a multi-line reply',
    mode: 'starttls-optional',
    expect: ['connection_reset'],
    script: (c) => {
      c.write('220-hostile.test\r\n220-still greeting, and then');
      setTimeout(() => c.close(), 20);
    },
  },
  {
    name: 'close-before-starttls-reply',
    what: 'connection closed after STARTTLS, before its reply',
    mode: 'starttls',
    expect: ['connection_reset'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      await dialogue(c, ['STARTTLS'], (verb) => {
        if (verb === 'STARTTLS') {
          c.close();
          return 'stop';
        }
        c.write('502 no\r\n');
      });
    },
  },
  {
    name: 'close-mid-starttls',
    what: 'connection closed after 220 to STARTTLS, before the TLS handshake',
    mode: 'starttls',
    expect: ['tls_failed'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      await dialogue(c, ['STARTTLS'], (verb) => {
        if (verb === 'STARTTLS') {
          c.write('220 go ahead\r\n');
          setTimeout(() => c.close(), 10);
          return 'stop';
        }
        c.write('502 no\r\n');
      });
    },
  },
  {
    name: 'close-mid-tls-handshake',
    what: 'connection closed in the middle of the TLS handshake (half a ServerHello)',
    mode: 'implicit-tls',
    expect: ['tls_failed'],
    script: (c) => {
      c.socket.once('data', () => {
        // A TLS handshake record header announcing 80 bytes, and 6 of them.
        c.write(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x50, 0x02, 0x00, 0x00, 0x4c, 0x03, 0x03]));
        setTimeout(() => c.socket.destroy(), 20);
      });
    },
  },
  {
    name: 'tls-never-completes',
    what: 'implicit TLS: the server accepts and never answers the ClientHello',
    mode: 'implicit-tls',
    expect: ['tls_failed'],
    script: () => undefined,
  },
  {
    name: 'starttls-never-completes',
    what: 'STARTTLS answered 220, then the TLS handshake never completes',
    mode: 'starttls',
    expect: ['tls_failed'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      await dialogue(c, ['STARTTLS'], (verb) => {
        if (verb === 'STARTTLS') {
          c.write('220 go ahead\r\n');
          return 'stop';
        }
        c.write('502 no\r\n');
      });
    },
  },
  {
    name: 'starttls-454',
    what: 'STARTTLS offered, then answered 454',
    mode: 'starttls',
    expect: ['starttls_unavailable'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      await dialogue(c, ['STARTTLS'], (verb) => void c.write(verb === 'STARTTLS' ? '454 4.7.0 TLS not available due to temporary reason\r\n' : '502 no\r\n'));
    },
  },
  {
    name: 'auth-not-base64',
    what: 'AUTH LOGIN challenges that are not base64, then a refusal',
    mode: 'starttls',
    tls: true,
    login: true,
    expect: ['auth_failed'],
    script: async (c, pem) => {
      c.write('220 hostile.test\r\n');
      let secure = false;
      await dialogue(c, ['STARTTLS', 'AUTH LOGIN'], async (verb) => {
        if (verb === 'STARTTLS' && !secure && pem) {
          c.write('220 go ahead\r\n');
          await c.startTls(pem);
          secure = true;
        } else if (verb === 'AUTH') c.write('334 %%% this is not base64 !!!\r\n');
        else if (verb === '*') c.write('501 5.7.0 authentication cancelled\r\n');
        else c.write('334 ~~~ still not base64 \u00ff\u00fe ~~~\r\n');
      });
    },
  },
  {
    name: 'rst-after-banner',
    what: 'TCP reset right after the banner',
    mode: 'starttls-optional',
    expect: ['connection_reset'],
    script: (c) => {
      c.write('220 hostile.test\r\n');
      setTimeout(() => c.reset(), 5);
    },
  },
  {
    name: 'garbage-greeting',
    what: 'a greeting that is not SMTP (an HTTP server on the port)',
    mode: 'starttls-optional',
    expect: ['smtp_rejected'],
    script: (c) => {
      c.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      setTimeout(() => c.close(), 20);
    },
  },
  {
    name: 'reply-flood',
    what: 'a greeting, then an endless stream of complete 250 replies',
    mode: 'plain',
    expect: ['ok', 'smtp_rejected', 'connection_reset'],
    script: async (c) => {
      c.write('220 hostile.test\r\n');
      await c.readLine();
      await pump(c, '250 ok\r\n'.repeat(4096), 8 * 1024 * 1024);
    },
  },
];

/** The megabyte-ehlo server needs its capabilities; built once (about 1 MiB). */
export const MEGA_CAPS: string[] = Array.from({ length: 14_000 }, (_, i) => `X-CAP-${String(i).padStart(6, '0')} ${'p'.repeat(60)}`);

export function caseByName(name: string): HostileCase {
  const c = HOSTILE_CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no hostile case ${name}`);
  return c;
}

// megabyte-ehlo answers with MEGA_CAPS: patch its script here so the list above stays readable.
caseByName('megabyte-ehlo').script = async (c) => {
  c.write('220 hostile.test ESMTP\r\n');
  await dialogue(c, MEGA_CAPS, () => undefined).catch(() => undefined);
};
