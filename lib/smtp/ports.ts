// Which ports to probe and in which mode. The standard matrix is what mail providers serve:
// 25 and 2525 (STARTTLS if offered), 465 and 2465 (implicit TLS), 587 and 2587 (STARTTLS).
import type { Mode } from '../model/probe-report.ts';
import { MODES } from '../model/probe-report.ts';
import { inputError } from '../model/errors.ts';

export interface PortSpec {
  port: number;
  mode: Mode;
}

export const STANDARD_PORTS: readonly number[] = [25, 465, 587, 2525];
/** The matrix is capped so one request cannot make thousands of connections. */
export const MAX_PORTS = 64;

export function defaultModeFor(port: number): Mode {
  if (port === 465 || port === 2465) return 'implicit-tls';
  if (port === 587 || port === 2587) return 'starttls';
  return 'starttls-optional';
}

/**
 * Parses `25,465,2587:starttls` (a list, or an array of such items) into port specs.
 * `field` names the option in errors (`--ports` on the CLI, `ports` over HTTP).
 */
export function parsePorts(input: string | readonly (string | number)[], field = 'ports'): PortSpec[] {
  const items = (typeof input === 'string' ? input.split(',') : input.map(String))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw inputError(field, `${field} is empty: give ports like 587 or 2465:implicit-tls`);
  const specs = new Map<number, PortSpec>();
  for (const item of items) {
    const [portText = '', modeText, ...rest] = item.split(':');
    if (rest.length > 0) throw inputError(field, `${field}: "${item}" has more than one ':'; write PORT or PORT:MODE`);
    if (!/^\d{1,5}$/.test(portText)) throw inputError(field, `${field}: "${portText}" is not a port number; ports are whole numbers from 1 to 65535`);
    const port = Number(portText);
    if (port < 1 || port > 65535) throw inputError(field, `${field}: ${port} is outside 1-65535`);
    let mode: Mode = defaultModeFor(port);
    if (modeText !== undefined) {
      if (!(MODES as readonly string[]).includes(modeText)) {
        throw inputError(field, `${field}: mode "${modeText}" for port ${port} is unknown; use one of ${MODES.join(', ')}`);
      }
      mode = modeText as Mode;
    }
    specs.set(port, { port, mode });
  }
  if (specs.size > MAX_PORTS) throw inputError(field, `${field}: ${specs.size} ports is more than the limit of ${MAX_PORTS}`);
  return [...specs.values()];
}
