import { describe, expect, it } from 'vitest';
import { MAX_PORTS, parsePorts } from '../../lib/smtp/ports.ts';
import { isSmtpEgressError } from '../../lib/model/errors.ts';

describe('parsePorts', () => {
  it('gives each standard port its mode', () => {
    expect(parsePorts('25,465,587,2525,2465,2587')).toEqual([
      { port: 25, mode: 'starttls-optional' },
      { port: 465, mode: 'implicit-tls' },
      { port: 587, mode: 'starttls' },
      { port: 2525, mode: 'starttls-optional' },
      { port: 2465, mode: 'implicit-tls' },
      { port: 2587, mode: 'starttls' },
    ]);
  });

  it('takes an explicit mode per port, and arrays', () => {
    expect(parsePorts(['2465:implicit-tls', 2587, '26:plain'])).toEqual([
      { port: 2465, mode: 'implicit-tls' },
      { port: 2587, mode: 'starttls' },
      { port: 26, mode: 'plain' },
    ]);
  });

  it.each([
    ['', /empty/],
    ['0', /outside 1-65535/],
    ['65536', /outside 1-65535/],
    ['abc', /not a port number/],
    ['587:ssl', /mode "ssl"/],
    ['587:starttls:x', /more than one/],
    [Array.from({ length: MAX_PORTS + 1 }, (_, i) => i + 1000).join(','), /limit of 64/],
  ])('refuses %j naming the field', (input, message) => {
    try {
      parsePorts(input, '--ports');
      expect.unreachable();
    } catch (e) {
      expect(isSmtpEgressError(e) && e.field).toBe('--ports');
      expect((e as Error).message).toMatch(message);
    }
  });
});
