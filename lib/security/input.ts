// Field checks shared by every entry point. CR, LF, NUL and other control characters are
// refused in anything that could reach an SMTP command line (command injection), and the
// error names the field.
import { inputError } from '../model/errors.ts';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function assertNoControlChars(field: string, value: string): void {
  if (CONTROL.test(value)) {
    throw inputError(field, `${field} contains a control character (CR, LF, NUL or similar): remove it`);
  }
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*\.?$/i;

/** A host field holding more than a host, as people type it: what they meant, split out. */
export type HostMistake =
  | { kind: 'quoted'; host: string }
  | { kind: 'with_port'; host: string; port: string }
  | { kind: 'url'; host: string; port: string | null };

/**
 * Recognises the common slips in a host field: literal quotes ("smtp.example.com", as some
 * dashboards store it), a port glued on (smtp.gmail.com:587, [2001:db8::1]:587) and a URL
 * (smtp://smtp.gmail.com:587). Null when the value is none of these.
 */
export function hostMistake(value: string): HostMistake | null {
  const v = value.trim();
  const quoted = /^(["'`])(.*)\1$/.exec(v);
  if (quoted) return { kind: 'quoted', host: (quoted[2] as string).trim() };
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d{1,5}))?/i.exec(v);
  if (url) return { kind: 'url', host: (url[1] as string).replace(/^\[(.*)\]$/, '$1'), port: url[2] ?? null };
  const bracketed = /^\[([0-9a-f:.]+)\]:(\d{1,5})$/i.exec(v);
  if (bracketed) return { kind: 'with_port', host: bracketed[1] as string, port: bracketed[2] as string };
  const named = /^([^:\s]+):(\d{1,5})$/.exec(v);
  if (named && HOSTNAME.test(named[1] as string)) return { kind: 'with_port', host: named[1] as string, port: named[2] as string };
  return null;
}

/**
 * The message for a host mistake: what is wrong and what to write instead. `portField` is where
 * the port goes for this caller (ports, EMAIL_PORT, --ports), `example` the corrected input.
 */
export function hostMistakeMessage(field: string, value: string, m: HostMistake, portField: string, example: (host: string, port: string | null) => string): string {
  const shown = value.trim().slice(0, 80);
  if (m.kind === 'quoted') return `${field} is ${shown}, with literal quotes around it, which become part of the host name: remove the quotes (${example(m.host, null)})`;
  if (m.kind === 'url') return `${field} is a URL (${shown}), but takes a host name only${m.port ? `; the port goes in ${portField}` : ''}: ${example(m.host, m.port)}`;
  return `${field} "${shown}" includes the port: the port goes in ${portField}: ${example(m.host, m.port)}`;
}

/** How each caller's host field is corrected: the port's field, and the corrected input. */
function defaultExample(field: string, portField: string): { portField: string; example: (host: string, port: string | null) => string } {
  if (field === 'EMAIL_HOST') return { portField: 'EMAIL_PORT', example: (h, p) => `EMAIL_HOST=${h}${p ? ` EMAIL_PORT=${p}` : ''}` };
  return { portField, example: (h, p) => `"${field}": "${h}"${p ? `, "${portField}": "${p}"` : ''}` };
}

/**
 * A DNS name or an IP literal (IPv6 with or without brackets). Returns it without brackets.
 * `portField` names where a port glued to the host belongs (the probe's `ports`, send-test's `port`).
 */
export function validateHost(field: string, value: string, portField = 'ports'): string {
  assertNoControlChars(field, value);
  const mistake = hostMistake(value);
  if (mistake) {
    const { portField: where, example } = defaultExample(field, portField);
    throw inputError(field, hostMistakeMessage(field, value, mistake, where, example));
  }
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (v === '') throw inputError(field, `${field} is empty: give the mail server's host name, e.g. smtp.example.com`);
  if (v.includes(':')) {
    if (!/^[0-9a-f:.]+$/i.test(v)) throw inputError(field, `${field} "${value}" is neither a host name nor an IPv6 address: give a host name such as smtp.example.com`);
    return v;
  }
  if (!HOSTNAME.test(v)) throw inputError(field, `${field} "${value}" is not a valid host name: letters, digits, hyphens and dots only, e.g. smtp.example.com`);
  return v;
}
