// A few lines instead of a framework: create elements with attributes and children.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

/** Copies text and says so on the button for a moment. */
export function copyButton(label: string, text: () => string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'copy' }, label);
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      b.textContent = 'Copied';
    } catch {
      b.textContent = 'Select and copy';
    }
    setTimeout(() => (b.textContent = label), 1500);
  });
  return b;
}

/**
 * A sentence of the diagnosis as nodes: web addresses (the sources of platform policies) become
 * links, `backquoted` commands become code; the rest stays text.
 */
export function prose(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"')`]+|`([^`\n]+)`/g)) {
    const at = m.index ?? 0;
    let end = at + m[0].length;
    let node: Node;
    if (m[1] !== undefined) {
      node = h('code', {}, m[1]);
    } else {
      // A sentence's closing punctuation is not part of the address.
      const url = m[0].replace(/[.,;:!?]+$/, '');
      end = at + url.length;
      node = h('a', { href: url, rel: 'noopener noreferrer' }, url);
    }
    if (at > last) out.push(text.slice(last, at));
    out.push(node);
    last = end;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type StatusKind = 'busy' | 'error' | 'done' | '';

/** A panel's status line. `done` is neutral on purpose: the verdict below says whether it went well. */
export function setStatus(el: HTMLElement, text: string, kind: StatusKind = ''): void {
  el.textContent = text;
  el.className = kind ? `status status-${kind}` : 'status';
}

/** Shows `message` under an input (its `<id>-error` paragraph), marks it invalid and focuses it. */
export function fieldError(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, message: string, focus = true): void {
  const out = byId(`${input.id}-error`);
  out.textContent = message;
  out.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  const details = input.closest('details');
  if (details) details.open = true;
  if (focus) input.focus();
}

export function clearFieldErrors(scope: HTMLElement): void {
  for (const el of scope.querySelectorAll<HTMLElement>('p.error[id$="-error"]')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of scope.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** "12 s" while something waits, updated every second until stop() is called. */
export function ticker(onTick: (seconds: number) => void): { stop: () => void } {
  const started = Date.now();
  const t = setInterval(() => onTick(Math.round((Date.now() - started) / 1000)), 1000);
  return { stop: () => clearInterval(t) };
}
