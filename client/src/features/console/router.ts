/**
 * The console's tiny URL router: `history.pushState` + `popstate`, no package. Only the console
 * uses it; the kiosk never touches the URL.
 */
import { useSyncExternalStore } from 'react';

const CHANGE = 'cunwen:navigate';

export interface Location {
  pathname: string;
  search: string;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => `${window.location.pathname}${window.location.search}`;

/** Navigate within the console (adds a history entry unless `replace`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocation(): Location & { query: URLSearchParams } {
  const s = useSyncExternalStore(subscribe, snapshot, snapshot);
  const i = s.indexOf('?');
  const pathname = i < 0 ? s : s.slice(0, i);
  const search = i < 0 ? '' : s.slice(i);
  return { pathname, search, query: new URLSearchParams(search) };
}

/** Replace some query parameters of the current URL (filters that survive reload/back). */
export function setQuery(changes: Record<string, string | null | undefined>, options: { replace?: boolean } = { replace: true }): void {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const q = params.toString();
  navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, options);
}
