// Access tokens live in this tab's sessionStorage only (gone when the tab closes), one per
// deployment, never in a URL, a command or localStorage. A token a deployment refused (401)
// is forgotten at once, so a wrong one does not linger for the next visit.
import { byId } from './dom.ts';

export const THIS_SITE = 'smtp-egress:token';
export const tokenKeyFor = (origin: string) => `smtp-egress:token:${origin}`;

export function loadToken(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? '';
  } catch {
    return ''; // storage disabled: the field still works for this page view
  }
}

export function saveToken(key: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage disabled */
  }
}

/** A token field bound to its key (which may change, e.g. with the deployment's address) and its Forget button. */
export interface TokenField {
  input: HTMLInputElement;
  value: () => string;
  /** Forgets the stored token and empties the field. */
  forget: () => void;
  /** Shows the token stored for the current key, if any. */
  reload: () => void;
}

export function tokenField(inputId: string, forgetId: string, key: () => string | null): TokenField {
  const input = byId<HTMLInputElement>(inputId);
  const reload = () => {
    const k = key();
    input.value = k ? loadToken(k) : '';
  };
  const forget = () => {
    const k = key();
    if (k) saveToken(k, '');
    input.value = '';
  };
  input.addEventListener('input', () => {
    const k = key();
    if (k) saveToken(k, input.value.trim());
  });
  byId(forgetId).addEventListener('click', () => {
    forget();
    input.focus();
  });
  reload();
  return { input, value: () => input.value.trim(), forget, reload };
}
