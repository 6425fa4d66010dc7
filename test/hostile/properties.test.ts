// Property-based tests (fast-check) of every parser that reads outside input: they return
// normally or throw the project's own SmtpEgressError, never anything else, and what they
// return keeps its invariants (caps, ranges, no control characters).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { counter, recordStats } from './support.ts';
import { isSmtpEgressError } from '../../lib/model/errors.ts';
import { MAX_LINE_CHARS, MAX_REPLY_LINES, ReplyParser, type ParseEvent } from '../../lib/smtp/reply-parser.ts';
import { MAX_PORTS, parsePorts } from '../../lib/smtp/ports.ts';
import { MODES } from '../../lib/model/probe-report.ts';
import { assertNoControlChars, validateHost } from '../../lib/security/input.ts';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../../lib/smtp/timeouts.ts';
import { readJsonBody, queryInput, MAX_BODY_BYTES } from '../../lib/http/read-input.ts';
import { blockedReason, embeddedIpv4, hostAllowed, policyFromEnv } from '../../lib/security/address-policy.ts';
import { readDjangoMailSettings } from '../../lib/settings/django-env.ts';
import { createRedactor } from '../../lib/security/redact.ts';
import { parseEnvFile } from '../../lib/settings/env-file.ts';
import { readDjangoEnv, readNodemailer, readSmtpUrl } from '../../lib/settings/readers.ts';
import { checkConfig, KNOWN_PLATFORMS, type ConfigInput } from '../../lib/diagnosis/config-check.ts';
import { parseAddress as parseConfigAddress } from '../../lib/settings/address.ts';
import { classifyLogs, DEFAULT_MAX_MATCHES } from '../../lib/logs/classify.ts';
import { compareInputs, loadProbeReport } from '../../lib/compare/compare.ts';
import { buildSendOptions, parseAddress as parseSendAddress } from '../../lib/send/options.ts';
import { PROBE_SCHEMA_ID, type ProbeReport } from '../../lib/model/probe-report.ts';

const stats = counter();
afterAll(() => recordStats('properties', stats.n));

const RUNS = 300;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const HEADER_BREAK = /[\r\n\u0000]/;
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

// ---- config-check readers (env file, SMTP URL, nodemailer options, Django env) ------------------
const envLine = fc.oneof(
  fc.tuple(fc.constantFrom('EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_URL', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'AWS_SECRET_ACCESS_KEY', 'export EMAIL_HOST'), fc.constantFrom('=', ' = ', '="', "='"), nastyText).map(([k, eq, v]) => `${k}${eq}${v}`),
  anyText,
  fc.constantFrom('# comment', '', '   ', '=', 'A', '"', "EMAIL_HOST='unterminated", 'EMAIL_HOST="a\\nb"', '\uFEFFEMAIL_PORT=587'),
);
const envFileText = fc.tuple(fc.array(envLine, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol));
const smtpUrl = fc.oneof(
  anyText,
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(fc.constantFrom('smtp', 'smtps', 'submission', 'smtp+tls', 'smtp+ssl', 'http', ''), nastyText, nastyText, fc.oneof(fc.domain(), nastyText), fc.oneof(fc.integer({ min: -1, max: 70_000 }).map(String), nastyText), nastyText)
    .map(([scheme, user, pass, host, port, query]) => `${scheme}://${user}:${pass}@${host}:${port}/?${query}`),
);

describe('config-check readers', () => {
  it('parseEnvFile never throws anything but SmtpEgressError', () => {
    fc.assert(fc.property(envFileText, (text) => void ownErrorsOnly('envFile', () => parseEnvFile(text))), { numRuns: RUNS });
  });

  it('readSmtpUrl (both dialects) never throws anything but SmtpEgressError', () => {
    fc.assert(
      fc.property(smtpUrl, fc.constantFrom('django-environ', 'nodemailer') as fc.Arbitrary<'django-environ' | 'nodemailer'>, (url, dialect) => void ownErrorsOnly('smtpUrl', () => readSmtpUrl(url, { dialect }))),
      { numRuns: RUNS },
    );
  });

  it('readNodemailer and readDjangoEnv never throw anything but SmtpEgressError', () => {
    const nodemailerOpts = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ host: fieldValue, port: fieldValue, secure: fc.oneof(fc.boolean(), fieldValue), auth: fc.oneof(fc.record({ user: fieldValue, pass: fieldValue }), fieldValue), tls: fc.jsonValue({ maxDepth: 2 }), service: fieldValue }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(nodemailerOpts, djangoEnv, (opts, env) => {
        ownErrorsOnly('nodemailerOptions', () => readNodemailer(opts));
        ownErrorsOnly('djangoEnv', () => readDjangoEnv(env));
      }),
      { numRuns: RUNS },
    );
  });

  it('checkConfig: any input of any kind -> a report or an SmtpEgressError, and the password is never in the report', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/]{12,40}$/);
    fc.assert(
      fc.property(fc.constantFrom('env', 'env-file', 'url', 'nodemailer'), djangoEnv, envFileText, smtpUrl, secret, fc.constantFrom(...KNOWN_PLATFORMS, null), (kind, env, text, url, password, platformName) => {
        const input: ConfigInput =
          kind === 'env'
            ? { kind, env: { ...env, EMAIL_HOST_PASSWORD: password } }
            : kind === 'env-file'
              ? { kind, text: `${text}\nEMAIL_HOST_PASSWORD=${password}\n` }
              : kind === 'url'
                ? { kind, url: url.replace(/:([^@/]*)@/, `:${encodeURIComponent(password)}@`) }
                : { kind, options: { host: 'smtp.example.com', port: 587, auth: { user: 'u', pass: password } } };
        const result = ownErrorsOnly('checkConfig', () => checkConfig(input, { platform: platformName, platformHow: platformName ? 'given' : 'none' }));
        if (!result) return;
        const json = JSON.stringify(result.report);
        if (url.includes('@') || kind !== 'url') {
          expect(json).not.toContain(password);
          expect(json).not.toContain(Buffer.from(password).toString('base64'));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('address parsers (config and send-test) never throw anything but SmtpEgressError; accepted addresses hold no CR/LF', () => {
    fc.assert(
      fc.property(fc.oneof(nastyText, fc.emailAddress(), fc.tuple(nastyText, fc.emailAddress()).map(([n, a]) => `${n} <${a}>`)), (text) => {
        ownErrorsOnly('addressParsers', () => parseConfigAddress(text));
        const a = ownErrorsOnly('addressParsers', () => parseSendAddress('to', text, { allowName: true }));
        if (a) expect(HEADER_BREAK.test(`${a.name ?? ''}${a.address}`)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- send-test request validation ------------------------------------------------------------------
describe('buildSendOptions', () => {
  const SEND_KEYS = ['to', 'transport', 'from', 'subject', 'text', 'dryRun', 'host', 'port', 'mode', 'family', 'user', 'password', 'ehloName', 'connectTimeoutMs', 'greetingTimeoutMs', 'commandTimeoutMs', 'timeoutMs', 'region', 'awsAccessKeyId', 'awsSecretAccessKey', 'awsSessionToken'];
  it('any input -> options with no CR/LF in any header or SMTP field, or an SmtpEgressError', () => {
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(fc.constantFrom(...SEND_KEYS), fc.oneof(fieldValue, fc.boolean(), fc.emailAddress()), { maxKeys: 10 }).map((d) => ({ to: 'probe@example.test', ...d })),
    );
    fc.assert(
      fc.property(input, fc.constantFrom(null, ['probe@example.test'], []), (raw, allowed) => {
        const o = ownErrorsOnly('buildSendOptions', () =>
          buildSendOptions(raw, { env: { EMAIL_HOST: 'smtp.example.com', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) }, platform, policy: policyFromEnv({}), allowedRecipients: allowed }),
        );
        if (!o) return;
        for (const v of [o.to, o.from.address, o.from.name ?? '', o.subject ?? '']) expect(HEADER_BREAK.test(v)).toBe(false);
        if (o.transport === 'smtp') {
          expect(validateHost('host', o.host)).toBe(o.host);
          expect(CONTROL.test(o.ehloName)).toBe(false);
        }
        if (allowed !== null) expect(allowed).toContain(o.to.toLowerCase());
      }),
      { numRuns: RUNS },
    );
  });
});

// ---- log classifier ----------------------------------------------------------------------------------
describe('classifyLogs', () => {
  const logLine = fc.oneof(
    anyText,
    fc.constantFrom(
      'Traceback (most recent call last):',
      '  File "/app/x.py", line 3, in send',
      'OSError: [Errno 101] Network is unreachable',
      'smtplib.SMTPAuthenticationError: (535, b"5.7.8 bad")',
      'Error: Greeting never received',
      'Error: connect ETIMEDOUT 1.2.3.4:587',
      '    at TLSSocket.<anonymous>',
      '  code: \'EAUTH\',',
      '}',
      '2026-11-25T10:00:00Z app[web.1]: ',
      'During handling of the above exception, another exception occurred:',
    ),
  );
  it('any text -> a report (never a throw), matches capped', () => {
    fc.assert(
      fc.property(fc.array(logLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const report = ownErrorsOnly('logClassifier', () => classifyLogs(lines.join(eol)));
        expect(report).toBeDefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('a huge paste (50k lines) is classified in bounded time with matches capped', () => {
    stats.add('logClassifier');
    stats.add('total');
    const line = '2026-11-25T10:00:00Z app[web.1]: OSError: [Errno 101] Network is unreachable\n';
    const t0 = performance.now();
    const report = classifyLogs(line.repeat(50_000));
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(JSON.stringify(report).length).toBeLessThan((DEFAULT_MAX_MATCHES + 50) * 2_000);
  });
});

// ---- report loading for compare -----------------------------------------------------------------------
const validReport = (): ProbeReport => ({
  schema: PROBE_SCHEMA_ID,
  id: '00000000-0000-4000-8000-000000000000',
  tool: { name: 'smtp-egress', version: '0.1.0' },
  platform: { name: 'netlify', region: 'us-east-2', runtime: 'node v20', deployContext: null },
  startedAt: '2026-11-25T10:00:00.000Z',
  durationMs: 120,
  target: { host: 'smtp.example.com', addresses: [{ address: '192.0.2.1', family: 'ipv4' }], source: 'argument' },
  attempts: [
    { port: 587, mode: 'starttls', detectedMode: 'starttls', address: '192.0.2.1', family: 'ipv4', outcome: 'ok', errno: null, message: 'ok', phases: { connect: 10 }, banner: '220 hi', capabilities: ['STARTTLS'], tls: null, auth: null, transcript: [] },
  ],
  verdict: { code: 'all_ok', summary: 'ok', causes: [], fixes: [], findings: [], app: null, prediction: null },
});

/** A valid report with one field replaced by anything. */
const mutatedReport = fc.tuple(fc.constantFrom('schema', 'attempts', 'target', 'platform', 'verdict', 'startedAt', 'tool', 'attempts.0.port', 'attempts.0.outcome', 'attempts.0.family', 'target.host', 'attempts.0.transcript'), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => {
  const r = validReport() as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = r;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return r;
});

/** A file's text as compare reads it: JSON first (a parse error is the CLI's to word), then the report. */
const loadText = (text: string, name: string) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return loadProbeReport(value, name);
};

describe('report loading for compare', () => {
  it('loadProbeReport: any value or text -> a report or an SmtpEgressError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), mutatedReport), anyText, (value, text) => {
        ownErrorsOnly('compareLoad', () => loadProbeReport(value, 'a.json'));
        ownErrorsOnly('compareLoad', () => loadText(text, 'b.json'));
        ownErrorsOnly('compareLoad', () => loadText(JSON.stringify(value), 'c.json'));
      }),
      { numRuns: RUNS },
    );
  });

  it('compareInputs: any pair (valid, mutated, anything) -> a compare report or an SmtpEgressError', () => {
    const side = fc.oneof(fc.constant(null).map(() => validReport()), mutatedReport, fc.jsonValue({ maxDepth: 2 }));
    fc.assert(fc.property(side, side, (a, b) => void ownErrorsOnly('compareInputs', () => compareInputs([a, b]))), { numRuns: RUNS });
  });
});

// ---- catastrophic backtracking -----------------------------------------------------------------------
describe('no parser backtracks catastrophically on adversarial repetition', () => {
  const UNITS = ['a', ' ', '\t', '0', '1.', ':', '::', '.', '-', '@', 'a@', 'a.', '[', '(', '"', "'", '\\', '/', '%', '=', 'Error: ', '[Errno 1', 'connect ', '535 ', 'smtp://', 'a:b@', '<', '<a@b>', ' <', 'x-', '250-', '250 '];
  const parsers: [string, (s: string) => unknown][] = [
    ['ReplyParser', (s) => new ReplyParser().push(s)],
    ['validateHost', (s) => validateHost('host', s)],
    ['parsePorts', (s) => parsePorts(s)],
    ['queryInput', (s) => queryInput(new URL(`http://x/?host=${encodeURIComponent(s)}&ports=${encodeURIComponent(s)}`), ['ports'])],
    ['parseEnvFile', (s) => parseEnvFile(`EMAIL_HOST=${s}\nEMAIL_HOST_PASSWORD="${s}`)],
    ['readSmtpUrl', (s) => readSmtpUrl(`smtp://${s}@${s}:${s}/?${s}`, { dialect: 'django-environ' })],
    ['config address', (s) => parseConfigAddress(s)],
    ['send address', (s) => parseSendAddress('from', s, { allowName: true })],
    ['classifyLogs', (s) => classifyLogs(`app[web.1]: Error: ${s}\n${s}`)],
    ['loadProbeReport of text', (s) => loadText(s, 'a.json')],
  ];
  for (const [name, parse] of parsers) {
    it(name, () => {
      let worst = 0;
      for (const unit of UNITS) {
        const text = unit.repeat(Math.ceil(50_000 / unit.length));
        for (const s of [text, `${text}!`, `x${text}\u0000`]) {
          stats.add('redosInputs');
          stats.add('total');
          const t0 = performance.now();
          try {
            parse(s);
          } catch (e) {
            if (!isSmtpEgressError(e)) throw e;
          }
          worst = Math.max(worst, performance.now() - t0);
        }
      }
      expect(worst).toBeLessThan(1_000);
    });
  }
});
