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

/** A DNS name or an IP literal (IPv6 with or without brackets). Returns it without brackets. */
export function validateHost(field: string, value: string): string {
  assertNoControlChars(field, value);
  const v = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (v === '') throw inputError(field, `${field} is empty: give the mail server's host name, e.g. smtp.example.com`);
  if (v.includes(':')) {
    if (!/^[0-9a-f:.]+$/i.test(v)) throw inputError(field, `${field} "${value}" is not a valid IPv6 address`);
    return v;
  }
  if (!HOSTNAME.test(v)) throw inputError(field, `${field} "${value}" is not a valid host name: letters, digits, hyphens and dots only, e.g. smtp.example.com`);
  return v;
}
