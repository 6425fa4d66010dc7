// A small scripted SMTP client over net/tls sockets. Not nodemailer: the probe needs every phase
// timed separately, every line recorded (redacted), and a precise outcome for each way a server
// or a network can fail. Every wait is bounded by its phase timeout and by the probe's signal.
import net from 'node:net';
import tls from 'node:tls';
import { ReplyParser, type Reply } from './reply-parser.ts';
import { StepFailure, describeSocketError } from './step-failure.ts';
import { openConnection, type EarlyContext } from './connect.ts';
import type { Family, Outcome, TranscriptLine } from '../model/probe-report.ts';
import type { Redactor } from '../security/redact.ts';

/** Transcript lines kept per attempt; a chatty server cannot grow a report without end. */
export const MAX_TRANSCRIPT_LINES = 400;

type Waiter = { resolve: (r: Reply) => void; reject: (e: StepFailure) => void; phase: string };

export interface SessionOptions {
  signal: AbortSignal;
  redact: Redactor;
  /** What to call the overall deadline in messages, e.g. "20000 ms". */
  deadlineLabel: string;
}

export class SmtpSession {
  socket: net.Socket | null = null;
  readonly transcript: TranscriptLine[] = [];
  private readonly started = performance.now();
  private parser = new ReplyParser();
  private replies: Reply[] = [];
  private failure: StepFailure | null = null;
  private waiter: Waiter | null = null;
  private readonly onAbort = () => this.fail(new StepFailure('timeout', `the overall deadline of ${this.opts.deadlineLabel} was reached`, 'ETIMEDOUT'));

  constructor(private readonly opts: SessionOptions) {
    opts.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  record(dir: TranscriptLine['dir'], line: string): void {
    if (this.transcript.length >= MAX_TRANSCRIPT_LINES) return;
    this.transcript.push({ dir, line: this.opts.redact(line), t: Math.round(performance.now() - this.started) });
  }

  /**
   * TCP connect to one vetted address (with extra connections when the early decision applies:
   * connect.ts). Rejects with the outcome the error means.
   */
  async connect(address: string, port: number, family: Family, timeoutMs: number, early: EarlyContext | null = null): Promise<void> {
    const socket = await openConnection({
      address,
      port,
      family,
      timeoutMs,
      signal: this.opts.signal,
      deadlineLabel: this.opts.deadlineLabel,
      record: (line) => this.record('info', line),
      early,
    });
    this.socket = socket;
    this.attach(socket);
  }

  /**
   * Wraps the connected socket in TLS (implicit TLS, or after STARTTLS's 220). Certificate
   * problems do not reject: the caller inspects `authorized` and decides; handshake failures do.
   */
  upgradeTls(servername: string | undefined, ca: string | undefined, timeoutMs: number, after: 'connect' | 'starttls' = 'connect'): Promise<tls.TLSSocket> {
    const raw = this.socket;
    if (!raw) return Promise.reject(new StepFailure('tls_failed', 'no connection to upgrade', null, { tlsReason: 'handshake' }));
    this.detach(raw);
    return new Promise<tls.TLSSocket>((resolve, reject) => {
      const secure = tls.connect({
        socket: raw,
        servername,
        ca,
        rejectUnauthorized: false, // judged by the caller from `authorized`, so the report can say why
        minVersion: 'TLSv1',
      });
      this.socket = secure;
      const done = (err: StepFailure | null) => {
        clearTimeout(timer);
        this.opts.signal.removeEventListener('abort', onAbort);
        secure.off('secureConnect', onSecure);
        secure.off('error', onError);
        secure.off('close', onClose);
        if (err) {
          secure.destroy();
          raw.destroy();
          reject(err);
        } else {
          this.attach(secure);
          resolve(secure);
        }
      };
      const onSecure = () => done(null);
      const onError = (e: NodeJS.ErrnoException) => done(tlsHandshakeFailure(e, after));
      const onClose = () => done(new StepFailure('tls_failed', 'the server closed the connection during the TLS handshake', 'ECONNRESET', { tlsReason: 'handshake' }));
      const onAbort = () => done(new StepFailure('timeout', `the overall deadline of ${this.opts.deadlineLabel} was reached during the TLS handshake`, 'ETIMEDOUT', { tlsReason: 'handshake' }));
      const timer = setTimeout(
        () => done(new StepFailure('tls_failed', `the TLS handshake did not complete within ${timeoutMs} ms`, 'ETIMEDOUT', { tlsReason: 'handshake' })),
        timeoutMs,
      );
      secure.once('secureConnect', onSecure);
      secure.once('error', onError);
      secure.once('close', onClose);
      this.opts.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Waits for the next complete reply. `phase` names the step for messages. */
  read(timeoutMs: number, phase: string, timeoutOutcome: Outcome = 'timeout'): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        const partial = this.parser.pending();
        reject(
          new StepFailure(
            timeoutOutcome,
            `no complete reply to ${phase} within ${timeoutMs} ms${partial ? ` (${partial.length} bytes of an unfinished line received)` : ''}`,
            'ETIMEDOUT',
          ),
        );
      }, timeoutMs);
      this.waiter = {
        phase,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Sends one command line. `shown` is what the transcript records instead (AUTH payloads). */
  send(line: string, shown: string = line): void {
    this.record('client', shown);
    this.socket?.write(`${line}\r\n`);
  }

  async command(line: string, timeoutMs: number, phase: string, shown?: string): Promise<Reply> {
    this.send(line, shown);
    return this.read(timeoutMs, phase);
  }

  /**
   * Ends politely: QUIT, then a half-close. The 221 is not waited for — it would add a round
   * trip to every attempt and tells nothing the report needs — but the socket is given until
   * `quitTimeoutMs` to close on its own before it is destroyed.
   */
  close(quitTimeoutMs: number): void {
    this.opts.signal.removeEventListener('abort', this.onAbort);
    const socket = this.socket;
    if (!socket || socket.destroyed || this.failure || this.opts.signal.aborted) {
      this.destroy();
      return;
    }
    this.send('QUIT');
    socket.end();
    const timer = setTimeout(() => socket.destroy(), quitTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  destroy(): void {
    this.opts.signal.removeEventListener('abort', this.onAbort);
    this.socket?.destroy();
  }

  private attach(socket: net.Socket): void {
    this.parser.reset();
    this.replies = [];
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
    // Bytes that arrived after the STARTTLS reply are dropped: acting on them would let a
    // man in the middle inject commands into the TLS session (CVE-2011-0411 class).
    this.replies = [];
    this.parser.reset();
  }

  private readonly onData = (chunk: Buffer) => {
    for (const event of this.parser.push(chunk)) {
      if (event.type === 'reply') {
        for (const l of event.reply.lines.slice(0, 50)) this.record('server', `${event.reply.code} ${l}`);
        if (event.reply.lines.length > 50) this.record('info', `(${event.reply.lines.length - 50} more lines of this reply not shown)`);
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = null;
          w.resolve(event.reply);
        } else this.replies.push(event.reply);
      } else if (event.type === 'garbage') {
        this.record('server', event.line);
        this.fail(new StepFailure('smtp_rejected', `the server sent a line that is not SMTP: ${JSON.stringify(event.line.slice(0, 80))}`, 'EPROTO'));
      } else {
        this.fail(new StepFailure('smtp_rejected', 'the server sent a reply larger than 2 MiB; stopped reading', 'EPROTO'));
      }
    }
  };

  private readonly onError = (e: NodeJS.ErrnoException) => {
    this.fail(new StepFailure('connection_reset', describeSocketError(e.code, 'during the SMTP dialogue'), e.code ?? null));
  };

  private readonly onClose = () => {
    const partial = this.parser.pending();
    this.fail(new StepFailure('connection_reset', `the server closed the connection${partial ? ' in the middle of a reply' : ''}`, 'ECONNRESET'));
  };

  private fail(failure: StepFailure): void {
    if (this.failure) return;
    this.failure = failure;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(failure);
    }
    if (failure.outcome === 'timeout' || failure.outcome === 'smtp_rejected') this.socket?.destroy();
  }
}

/**
 * TLS handshake errors. Right after connect, a plain-text server answering the ClientHello
 * looks like a bad record: that is a mode mismatch. After STARTTLS's 220 it is a broken server.
 */
function tlsHandshakeFailure(e: NodeJS.ErrnoException, after: 'connect' | 'starttls'): StepFailure {
  const text = `${e.code ?? ''} ${e.message}`;
  if (after === 'connect' && /WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|packet length too long|UNKNOWN_PROTOCOL|unknown protocol|HTTP_REQUEST|record layer failure|RECORD_LAYER_FAILURE/i.test(text)) {
    return new StepFailure('tls_mode_mismatch', 'the server answered the TLS handshake with plain text: it does not speak implicit TLS on this port', e.code ?? null, {
      detectedMode: 'plain',
      tlsReason: 'handshake',
    });
  }
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    return new StepFailure('tls_failed', 'the server reset the connection during the TLS handshake', e.code, { tlsReason: 'handshake' });
  }
  return new StepFailure('tls_failed', `the TLS handshake failed: ${e.message}`, e.code ?? null, { tlsReason: 'handshake' });
}
