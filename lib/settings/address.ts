// Sender addresses as Django (Python's email.headerregistry) and providers read them:
// `addr@domain`, `Name <addr@domain>`, `"Quoted, Name" <addr@domain>`. Returns null when a mail
// library would refuse the value or a provider would reject it; `why` says what is wrong.

export interface ParsedAddress {
  name: string | null;
  address: string;
  local: string;
  domain: string;
}

export type AddressResult = { ok: true; value: ParsedAddress } | { ok: false; why: string; suggestion?: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

export function parseAddress(text: string): AddressResult {
  if (CONTROL.test(text)) return { ok: false, why: 'it contains a control character (CR, LF...), which would inject mail headers' };
  const t = text.trim();
  if (t === '') return { ok: false, why: 'it is empty' };
  let name: string | null = null;
  let addr = t;
  const lt = t.lastIndexOf('<');
  if (lt >= 0 || t.includes('>')) {
    if (lt < 0 || !t.endsWith('>')) return { ok: false, why: 'its angle brackets do not match: write Name <user@example.com>' };
    addr = t.slice(lt + 1, -1).trim();
    const rawName = t.slice(0, lt).trim();
    if (rawName !== '') {
      if (rawName.startsWith('"')) {
        if (!/^"([^"\\]|\\.)*"$/.test(rawName)) return { ok: false, why: 'its quoted display name is not closed' };
        name = rawName.slice(1, -1);
      } else {
        const special = /[,;:@<>[\]\\"]/.exec(rawName);
        if (special) {
          const suggestion = `"${rawName.replace(/["\\]/g, '')}" <${addr}>`;
          if (parseAddress(suggestion).ok) return { ok: false, why: `its display name contains "${special[0]}" outside quotes`, suggestion };
          return { ok: false, why: `its display name contains "${special[0]}" outside quotes` };
        }
        name = rawName;
      }
    }
  } else if (/[\s,;]/.test(t)) {
    return { ok: false, why: 'it has spaces, commas or semicolons but no <...>: give one address, or Name <user@example.com>' };
  }
  const at = addr.lastIndexOf('@');
  if (at <= 0 || at === addr.length - 1) return { ok: false, why: `"${addr}" is not user@domain` };
  const local = addr.slice(0, at);
  const domain = addr.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (!LOCAL.test(local)) return { ok: false, why: `the part before @ ("${local}") has characters an address cannot have unquoted` };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return { ok: false, why: `"${domain}" is not a public domain name (providers reject such senders)` };
  return { ok: true, value: { name, address: `${local}@${domain}`, local, domain } };
}

/** Two-label suffixes under which organisations register (a small list, enough for alignment). */
const SECOND_LEVEL = new Set(['co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'co.jp', 'ne.jp', 'or.jp', 'com.br', 'com.mx', 'co.za', 'co.in', 'com.cn', 'com.tr', 'gouv.fr', 'co.kr', 'com.sg']);

/** The organisational domain (relaxed DMARC alignment, approximately): example.com for mail.example.com. */
export function organisationalDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const lastTwo = labels.slice(-2).join('.');
  return SECOND_LEVEL.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}
