// Splits the bytes an SMTP server sends into replies (RFC 5321 4.2): lines `DDD-text` continue a
// reply, `DDD text` ends it. Hostile servers are expected: bytes kept per line and lines kept per
// reply are capped, and a reply that grows without end becomes an error instead of memory.

/** Characters kept of one line; the rest of a longer line is read and dropped. */
export const MAX_LINE_CHARS = 1_000;
/** Lines kept of one reply (a megabyte of EHLO capabilities keeps only these). */
export const MAX_REPLY_LINES = 200;
/** Bytes one reply may take in all before the server is judged hostile. */
export const MAX_REPLY_BYTES = 2 * 1024 * 1024;

export interface Reply {
  code: number;
  /** The text of each kept line, without the code and separator. */
  lines: string[];
  /** True when the server mixed codes within one multi-line reply. */
  inconsistent: boolean;
}

export type ParseEvent = { type: 'reply'; reply: Reply } | { type: 'garbage'; line: string } | { type: 'too_large' };

const LINE = /^(\d{3})([ -])(.*)$/s;

export class ReplyParser {
  private partial = '';
  private partialDropped = false;
  private lines: { code: number; text: string }[] = [];
  private replyBytes = 0;

  /** Feeds bytes; returns every complete event they finish. */
  push(chunk: Buffer | string): ParseEvent[] {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const events: ParseEvent[] = [];
    this.replyBytes += text.length;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        this.appendPartial(text.slice(start));
        break;
      }
      this.appendPartial(text.slice(start, nl));
      start = nl + 1;
      const line = this.partial.replace(/\r$/, '');
      this.partial = '';
      this.partialDropped = false;
      const event = this.takeLine(line);
      if (event) events.push(event);
    }
    if (this.replyBytes > MAX_REPLY_BYTES) {
      this.reset();
      events.push({ type: 'too_large' });
    }
    return events;
  }

  /** The bytes of an unfinished line, for a message when the server stops mid-reply. */
  pending(): string {
    return this.partial;
  }

  reset(): void {
    this.partial = '';
    this.partialDropped = false;
    this.lines = [];
    this.replyBytes = 0;
  }

  private appendPartial(piece: string): void {
    if (this.partialDropped) return;
    const room = MAX_LINE_CHARS - this.partial.length;
    if (piece.length > room) {
      this.partial += piece.slice(0, room);
      this.partialDropped = true;
    } else {
      this.partial += piece;
    }
  }

  private takeLine(line: string): ParseEvent | undefined {
    const m = LINE.exec(line) ?? (/^\d{3}$/.test(line) ? [line, line, ' ', ''] : null);
    if (!m) {
      this.reset();
      return { type: 'garbage', line };
    }
    const code = Number(m[1]);
    if (this.lines.length < MAX_REPLY_LINES) this.lines.push({ code, text: m[3] ?? '' });
    if (m[2] === '-') return undefined;
    const first = this.lines[0]?.code ?? code;
    const reply: Reply = {
      code,
      lines: this.lines.map((l) => l.text),
      inconsistent: this.lines.some((l) => l.code !== first) || first !== code,
    };
    this.lines = [];
    this.replyBytes = 0;
    return { type: 'reply', reply };
  }
}

export function replyText(reply: Reply): string {
  return reply.lines.map((l, i) => `${reply.code}${i === reply.lines.length - 1 ? ' ' : '-'}${l}`).join('\n');
}

/**
 * The RFC 3463 enhanced status code at the start of a reply's text (`5.7.8`, `5.7.139`), or
 * null. Providers put the precise reason there: 5.7.8 bad credentials, 5.7.9 an app password
 * is required (Gmail), 5.7.30 / 5.7.139 basic authentication is off (Microsoft 365).
 */
export function enhancedStatus(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = /(?:^|[\s(,'"b])([245])\.(\d{1,3})\.(\d{1,3})(?=[\s),.'"]|$)/.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}
