import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, MAX_REPLY_LINES, ReplyParser } from '../../lib/smtp/reply-parser.ts';

describe('ReplyParser', () => {
  it('joins multi-line replies and splits across chunk boundaries', () => {
    const p = new ReplyParser();
    expect(p.push('250-mail.example\r\n250-PIPE')).toEqual([]);
    const events = p.push('LINING\r\n250 STARTTLS\r\n220 next\r\n');
    expect(events).toEqual([
      { type: 'reply', reply: { code: 250, lines: ['mail.example', 'PIPELINING', 'STARTTLS'], inconsistent: false } },
      { type: 'reply', reply: { code: 220, lines: ['next'], inconsistent: false } },
    ]);
  });

  it('accepts bare LF and a code with no text', () => {
    expect(new ReplyParser().push('221\n')).toEqual([{ type: 'reply', reply: { code: 221, lines: [''], inconsistent: false } }]);
  });

  it('flags replies whose lines carry different codes', () => {
    const [e] = new ReplyParser().push('250-a\r\n550-b\r\n250 c\r\n');
    expect(e).toMatchObject({ type: 'reply', reply: { code: 250, inconsistent: true } });
  });

  it('reports garbage lines', () => {
    expect(new ReplyParser().push('HTTP/1.1 400 Bad\r\n')).toEqual([{ type: 'garbage', line: 'HTTP/1.1 400 Bad' }]);
  });

  it('caps the characters kept of one endless line', () => {
    const p = new ReplyParser();
    for (let i = 0; i < 100; i++) p.push('x'.repeat(10_000));
    expect(p.pending().length).toBe(MAX_LINE_CHARS);
  });

  it('caps the lines kept of one reply, and gives up on a reply over 2 MiB', () => {
    const p = new ReplyParser();
    const many = Array.from({ length: 5000 }, (_, i) => `250-CAP${i}\r\n`).join('') + '250 END\r\n';
    const [e] = p.push(many);
    expect(e?.type === 'reply' && e.reply.lines.length).toBe(MAX_REPLY_LINES);
    const huge = new ReplyParser();
    const events = huge.push(`250-${'y'.repeat(3 * 1024 * 1024)}`);
    expect(events).toEqual([{ type: 'too_large' }]);
  });
});
