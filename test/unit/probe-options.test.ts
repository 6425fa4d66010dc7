// One validated form of a probe request, from flags, query strings, JSON bodies or Django env.
import { describe, expect, it } from 'vitest';
import { buildProbeOptions } from '../../lib/smtp/options.ts';
import { isSmtpEgressError } from '../../lib/model/errors.ts';

const ctx = (env: Record<string, string> = {}) => ({ env, platform: { name: 'local', region: null, runtime: 'node', deployContext: null }, policy: { allowPrivate: false, allowedHosts: [] } });

function fails(raw: unknown, env: Record<string, string> = {}) {
  try {
    buildProbeOptions(raw, ctx(env));
  } catch (e) {
    if (isSmtpEgressError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('buildProbeOptions', () => {
  it('defaults: the standard matrix, both families, named timeouts', () => {
    const o = buildProbeOptions({ host: 'smtp.example.com' }, ctx());
    expect(o.ports.map((p) => `${p.port}:${p.mode}`)).toEqual(['25:starttls-optional', '465:implicit-tls', '587:starttls', '2525:starttls-optional']);
    expect(o.family).toBeNull();
    expect(o.timeouts).toEqual({ connectMs: 5000, greetingMs: 5000, commandMs: 5000, tlsMs: 5000, totalMs: 20000 });
    expect(o.source).toBe('argument');
  });

  it('accepts strings for numbers (query strings) and brackets around IPv6', () => {
    const o = buildProbeOptions({ host: '[2001:db8::25]', ports: '587', connectTimeoutMs: '800', timeoutMs: '3000', family: 'ipv6' }, ctx());
    expect(o.host).toBe('2001:db8::25');
    expect(o.timeouts.connectMs).toBe(800);
    expect(o.family).toBe('ipv6');
  });

  it('with no host, reads the Django settings: configured port first, in its mode, with the login', () => {
    const o = buildProbeOptions({}, ctx({ EMAIL_HOST: 'mail55.lwspanel.com', EMAIL_PORT: '465', EMAIL_USE_SSL: 'True', EMAIL_USE_TLS: 'False', EMAIL_HOST_USER: 'u@x.test', EMAIL_HOST_PASSWORD: 'pw' }));
    expect(o.source).toBe('django-env');
    expect(o.ports[0]).toEqual({ port: 465, mode: 'implicit-tls' });
    expect(o.ports.map((p) => p.port)).toEqual([465, 25, 587, 2525]);
    expect(o.credentials).toEqual({ user: 'u@x.test', password: 'pw' });
    expect(o.loginPort).toBe(465);
  });

  it('Django: 587 with USE_TLS is STARTTLS; no TLS flags on 587 is plain text, as Django speaks it (the verdict then says so)', () => {
    expect(buildProbeOptions({}, ctx({ EMAIL_HOST: 'h.test', EMAIL_PORT: '587', EMAIL_USE_TLS: 'true' })).ports[0]).toEqual({ port: 587, mode: 'starttls' });
    expect(buildProbeOptions({}, ctx({ EMAIL_HOST: 'h.test', EMAIL_PORT: '587' })).ports[0]).toEqual({ port: 587, mode: 'plain' });
    expect(buildProbeOptions({}, ctx({ EMAIL_HOST: 'h.test', EMAIL_PORT: '25', EMAIL_USE_TLS: 'False', EMAIL_USE_SSL: 'False' })).ports[0]).toEqual({ port: 25, mode: 'plain' });
  });

  it.each([
    [{}, {}, 'host', /EMAIL_HOST is not set/],
    [{}, { EMAIL_HOST: 'h.test', EMAIL_PORT: 'five-eight-seven' }, 'EMAIL_PORT', /not a port number/],
    [{ host: 'a\r\nRCPT TO:<x>' }, {}, 'host', /control character/],
    [{ host: 'h.test', ehloName: 'me\r\nMAIL FROM:<x>' }, {}, 'ehloName', /control character/],
    [{ host: 'h.test', user: 'u\nx', password: 'p' }, {}, 'user', /control character/],
    [{ host: 'h.test', user: 'u' }, {}, 'password', /both user and password/],
    [{ host: 'h.test', connectTimeoutMs: 9000, timeoutMs: 5000 }, {}, 'connectTimeoutMs', /longer than/],
    [{ host: 'h.test', timeoutMs: 60000 }, {}, 'timeoutMs', /at most 55000/],
    [{ host: 'h.test', family: 'ipv5' }, {}, 'family', /ipv4, ipv6 or all/],
    [{ host: 'h.test', colour: 'red' }, {}, 'colour', /unknown field/],
    [{ host: 'under score.test' }, {}, 'host', /not a valid host name/],
  ])('refuses %j naming the field', (raw, env, field, message) => {
    const e = fails(raw, env as Record<string, string>);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });

  it('one settings reader: with only EMAIL_URL set, the probe reads host, port, TLS mode and login from it (as check does)', () => {
    const o = buildProbeOptions({}, ctx({ EMAIL_URL: 'smtp+tls://user%40example.com:s3cr%3Ft@smtp.example.com:2525', EMAIL_TIMEOUT: '5' }));
    expect(o.host).toBe('smtp.example.com');
    expect(o.ports[0]).toEqual({ port: 2525, mode: 'starttls' });
    expect(o.credentials).toEqual({ user: 'user@example.com', password: 's3cr?t' });
    expect(o.app).toMatchObject({ port: 2525, mode: 'starttls', login: true, timeoutS: 5, source: 'django-env', client: 'django' });
  });
});
