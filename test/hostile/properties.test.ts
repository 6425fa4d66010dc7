// Property-based tests (fast-check) of every parser that reads outside input: they return
// normally or throw the project's own SmtpEgressError, never anything else, and what they
// return keeps its invariants (caps, ranges, no control characters).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { counter, recordStats } from './support.ts';
import { isSmtpEgressError } from '../../lib/errors.ts';
import { MAX_LINE_CHARS, MAX_REPLY_LINES, ReplyParser, type ParseEvent } from '../../lib/smtp/reply-parser.ts';
import { MAX_PORTS, parsePorts } from '../../lib/smtp/ports.ts';
import { MODES } from '../../lib/report/schema.ts';
import { assertNoControlChars, validateHost } from '../../lib/security/input.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../../lib/smtp/timeouts.ts';
import { readJsonBody, queryInput, MAX_BODY_BYTES } from '../../lib/http/read-input.ts';
import { blockedReason, embeddedIpv4, hostAllowed, policyFromEnv } from '../../lib/security/address-policy.ts';
import { readDjangoMailSettings } from '../../lib/config/django-env.ts';
import { createRedactor } from '../../lib/security/redact.ts';

const stats = counter();
afterAll(() => recordStats('properties', stats.n));

const RUNS = 400;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const platform = { name: 'local', region: null, runtime: 'test', deployContext: null };

/** Runs `fn`; an SmtpEgressError is an accepted answer, anything else thrown fails the property. */
function ownErrorsOnly<T>(name: string, fn: () => T): T | undefined {
  stats.add(name);
  stats.add('total');
  try {
    return fn();
  } catch (e) {
    if (isSmtpEgressError(e)) return undefined;
    throw e;
  }
}
async function ownErrorsOnlyAsync<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  stats.add(name);
  stats.add('total');
  try {
    return await fn();
  } catch (e) {
    if (isSmtpEgressError(e)) return undefined;
    throw e;
  }
}

/** Any text: full Unicode, lone surrogates and control characters included. */
const anyText = fc.string({ unit: 'binary', maxLength: 300 });
const nastyText = fc.oneof(
  anyText,
  fc.constantFrom('', ' ', '\r\n', '\u0000', '..', '[]', '[::1]', '127.1', '0x7f000001', '%0d%0a', '\u2028', 'a'.repeat(300), '-', 'constructor', '__proto__'),
  fc.string({ unit: fc.constantFrom('a', '.', '-', ':', '[', ']', '\r', '\n', '0', '9', 'f', '%', ' '), maxLength: 80 }),
);

// ---- SMTP reply parser -----------------------------------------------------------------------
const smtpLine = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(' ', '-', ''), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('\r\n', '\n', '\r', ''))
  .map(([code, sep, text, eol]) => `${String(code).padStart(3, '0')}${sep}${text}${eol}`);
const serverBytes = fc.array(fc.oneof(smtpLine, anyText, fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u).toString('latin1'))), { maxLength: 40 }).map((parts) => parts.join(''));

function checkEvents(events: ParseEvent[]): void {
  for (const e of events) {
    if (e.type === 'reply') {
      expect(e.reply.code).toBeGreaterThanOrEqual(0);
      expect(e.reply.code).toBeLessThanOrEqual(999);
      expect(e.reply.lines.length).toBeLessThanOrEqual(MAX_REPLY_LINES);
      for (const l of e.reply.lines) expect(l.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    } else if (e.type === 'garbage') expect(e.line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  }
}

describe('ReplyParser', () => {
  it('never throws, keeps every cap, for any bytes in any chunking', () => {
    fc.assert(
      fc.property(serverBytes, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const p = new ReplyParser();
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        for (const at of [...points, text.length]) {
          const events = ownErrorsOnly('replyParser', () => p.push(Buffer.from(text.slice(last, at), 'latin1')))!;
          checkEvents(events);
          expect(p.pending().length).toBeLessThanOrEqual(MAX_LINE_CHARS);
          last = at;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same replies however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(smtpLine, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        stats.add('replyParser');
        stats.add('total');
        const text = Buffer.from(lines.join(''), 'utf8').toString('latin1');
        const whole = new ReplyParser().push(text);
        const p = new ReplyParser();
        const split: ParseEvent[] = [];
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        for (const at of [...points, text.length]) {
          split.push(...p.push(text.slice(last, at)));
          last = at;
        }
        expect(split).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it('a reply of many lines keeps MAX_REPLY_LINES; a line of any length keeps MAX_LINE_CHARS', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 20_000 }), (n, len) => {
        stats.add('replyParser');
        stats.add('total');
        const p = new ReplyParser();
        const events = p.push(`${'250-x\r\n'.repeat(n)}250 ${'y'.repeat(len)}\r\n`);
        expect(events).toHaveLength(1);
        checkEvents(events);
        const e = events[0]!;
        expect(e.type === 'reply' && e.reply.lines.length).toBe(Math.min(n + 1, MAX_REPLY_LINES));
      }),
      { numRuns: 60 },
    );
  });
});

// ---- ports, hosts, control characters --------------------------------------------------------
describe('parsePorts', () => {
  it('returns 1..MAX_PORTS unique ports in 1-65535 with a known mode, or an SmtpEgressError', () => {
    const item = fc.oneof(nastyText, fc.integer({ min: -10, max: 70_000 }).map(String), fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(...MODES, 'tls', '')).map(([p, m]) => `${p}:${m}`));
    fc.assert(
      fc.property(fc.oneof(nastyText, fc.array(item, { maxLength: 80 }).map((a) => a.join(',')), fc.array(fc.oneof(item, fc.integer(), fc.double()), { maxLength: 80 })), (input) => {
        const specs = ownErrorsOnly('parsePorts', () => parsePorts(input));
        if (!specs) return;
        expect(specs.length).toBeGreaterThan(0);
        expect(specs.length).toBeLessThanOrEqual(MAX_PORTS);
        expect(new Set(specs.map((s) => s.port)).size).toBe(specs.length);
        for (const s of specs) {
          expect(Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535).toBe(true);
          expect(MODES).toContain(s.mode);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('validateHost and assertNoControlChars', () => {
  it('returns a bare host of [a-z0-9._:-] only, or an SmtpEgressError naming the field', () => {
    fc.assert(
      fc.property(fc.oneof(nastyText, fc.domain(), fc.ipV4(), fc.ipV6(), fc.ipV6().map((a) => `[${a}]`), fc.ipV4Extended()), (value) => {
        stats.add('validateHost');
        stats.add('total');
        try {
          const host = validateHost('host', value);
          expect(host).toMatch(/^[a-z0-9._:-]+$/i);
          expect(CONTROL.test(host)).toBe(false);
        } catch (e) {
          if (!isSmtpEgressError(e)) throw e;
          expect(e.field).toBe('host');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every string with a control character is refused, every string without is accepted', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const threw = ownErrorsOnly('controlChars', () => (assertNoControlChars('user', value), true)) === undefined;
        expect(threw).toBe(CONTROL.test(value));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- SSRF guard --------------------------------------------------------------------------------
describe('SSRF guard', () => {
  it('blockedReason and embeddedIpv4 never throw, for any string (zone indexes included)', () => {
    const scoped = fc.tuple(fc.ipV6(), fc.string({ maxLength: 12 })).map(([a, z]) => `${a}%${z}`);
    fc.assert(
      fc.property(fc.oneof(anyText, fc.ipV4(), fc.ipV6(), scoped, fc.ipV4Extended()), (a) => {
        stats.add('ssrfGuard');
        stats.add('total');
        blockedReason(a);
        embeddedIpv4(a);
        hostAllowed(a, ['smtp.example.com', '*.example.org']);
      }),
      { numRuns: RUNS },
    );
  });

  it('an IPv4 address and every IPv6 spelling of it (mapped, compatible, expanded) get the same verdict', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        stats.add('ssrfGuard');
        stats.add('total');
        const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        const blocked = blockedReason(v4) !== null;
        for (const spelling of [`::ffff:${v4}`, `::ffff:${hex}`, `0:0:0:0:0:ffff:${hex}`, `::FFFF:${v4}`, `::ffff:${v4}%eth0`]) {
          expect(blockedReason(spelling) !== null, spelling).toBe(blocked);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every address in a private, loopback, link-local, CGNAT or metadata range is blocked', () => {
    const inRange = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(inRange, (parts) => {
        stats.add('ssrfGuard');
        stats.add('total');
        expect(blockedReason(parts.join('.'))).not.toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- request validation ------------------------------------------------------------------------
const KNOWN_KEYS = ['host', 'ports', 'family', 'connectTimeoutMs', 'greetingTimeoutMs', 'commandTimeoutMs', 'tlsTimeoutMs', 'timeoutMs', 'user', 'password', 'loginPort', 'ehloName'];
const fieldValue = fc.oneof(nastyText, fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: -100, max: 100_000 }), fc.constantFrom('ipv4', 'ipv6', 'all', '25,465', '587:starttls', 'smtp.example.com'));
const probeInput = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom(...KNOWN_KEYS), fieldValue, { maxKeys: 8 }),
  fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), anyText), fieldValue, { maxKeys: 5 }),
);
const djangoEnv = fc.dictionary(fc.constantFrom('EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL'), nastyText, { maxKeys: 8 });

function checkOptions(o: ReturnType<typeof buildProbeOptions>): void {
  expect(validateHost('host', o.host)).toBe(o.host);
  expect(CONTROL.test(o.ehloName)).toBe(false);
  if (o.credentials) {
    expect(CONTROL.test(o.credentials.user)).toBe(false);
    expect(CONTROL.test(o.credentials.password)).toBe(false);
  }
  expect(o.ports.length).toBeGreaterThan(0);
  expect(o.ports.length).toBeLessThanOrEqual(MAX_PORTS + 1);
  for (const t of Object.values(o.timeouts)) expect(t >= MIN_TIMEOUT_MS && t <= MAX_TIMEOUT_MS).toBe(true);
  expect(o.policy.allowPrivate).toBe(false);
}

describe('buildProbeOptions (every field, the Django env fallback)', () => {
  it('returns options that keep every invariant, or an SmtpEgressError', () => {
    fc.assert(
      fc.property(probeInput, djangoEnv, (raw, env) => {
        const o = ownErrorsOnly('buildProbeOptions', () => buildProbeOptions(raw, { env, platform, policy: policyFromEnv({}) }));
        if (o) checkOptions(o);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('readDjangoMailSettings never throws for any env', () => {
    fc.assert(
      fc.property(djangoEnv, (env) => {
        ownErrorsOnly('djangoEnv', () => readDjangoMailSettings(env));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('readJsonBody and queryInput (HTTP input)', () => {
  it('a body of any bytes and any content type -> a plain object or an SmtpEgressError', async () => {
    const type = fc.oneof(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', '', 'application/jsonx'), anyText.filter((t) => /^[\t\x20-\x7e]*$/.test(t)));
    const body = fc.oneof(anyText, fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.uint8Array({ maxLength: 300 }), fc.constant('{'.repeat(5000)), fc.constant(`"${'x'.repeat(MAX_BODY_BYTES)}"`));
    await fc.assert(
      fc.asyncProperty(type, body, async (contentType, b) => {
        const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
        const value = await ownErrorsOnlyAsync('readJsonBody', () => readJsonBody(new Request('http://localhost/api/probe', { method: 'POST', headers, body: b })));
        if (value !== undefined) {
          expect(typeof value).toBe('object');
          expect(Array.isArray(value)).toBe(false);
          expect(value).not.toBeNull();
          ownErrorsOnly('buildProbeOptions', () => buildProbeOptions(value, { env: {}, platform, policy: policyFromEnv({}) }));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('any query string -> input, then options or an SmtpEgressError; secrets never accepted there', () => {
    const key = fc.oneof(fc.constantFrom(...KNOWN_KEYS, 'password', 'token', 'secret'), anyText);
    const query = fc.array(fc.tuple(key, nastyText), { maxLength: 8 }).map((pairs) => new URLSearchParams(pairs.map(([k, v]) => [k.replace(/[\uD800-\uDFFF]/g, ''), v.replace(/[\uD800-\uDFFF]/g, '')])).toString());
    fc.assert(
      fc.property(fc.oneof(query, anyText), (q) => {
        let url: URL;
        try {
          url = new URL(`http://localhost/api/probe?${q}`);
        } catch {
          return; // not a URL a request could carry
        }
        const input = ownErrorsOnly('queryInput', () => queryInput(url, ['ports']));
        if (!input) return;
        expect(Object.keys(input)).not.toContain('password');
        const o = ownErrorsOnly('buildProbeOptions', () => buildProbeOptions(input, { env: {}, platform, policy: policyFromEnv({}) }));
        if (o) checkOptions(o);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('redaction', () => {
  it('no secret of 3+ characters survives in any text, in any of the forms the redactor knows', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 40 }), fc.string({ maxLength: 20 }), anyText, anyText, (secret, user, before, after) => {
        stats.add('redactor');
        stats.add('total');
        const redact = createRedactor([secret], user);
        const b64 = Buffer.from(secret).toString('base64');
        const plain = Buffer.from(`\u0000${user}\u0000${secret}`).toString('base64');
        for (const form of [secret, b64, encodeURIComponent(secret), plain]) {
          expect(redact(`${before}${form}${after}`)).not.toContain(form);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
