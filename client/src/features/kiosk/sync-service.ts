/**
 * The kiosk's one sync loop (offline/sync.ts) plus a tiny observable of outbox counts for screens.
 */
import { createSyncLoop, type SyncLoop, type SyncStatus } from '../../offline/sync';
import { counts, type OutboxCounts } from '../../offline/outbox';
import { getMeta } from '../../offline/db';

export interface SyncSnapshot {
  status: SyncStatus | null;
  counts: OutboxCounts;
  lastSyncAt: string | null;
}

type Listener = (s: SyncSnapshot) => void;

let loop: SyncLoop | null = null;
let snapshot: SyncSnapshot = { status: null, counts: { queued: 0, rejected: 0, conflict: 0, sentTotal: 0 }, lastSyncAt: null };
const listeners = new Set<Listener>();

export async function refreshCounts(): Promise<SyncSnapshot> {
  const [c, lastSyncAt] = await Promise.all([counts(), getMeta('lastSyncAt')]);
  snapshot = { ...snapshot, counts: c, lastSyncAt: lastSyncAt ?? null };
  for (const l of listeners) l(snapshot);
  return snapshot;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  listener(snapshot);
  return () => listeners.delete(listener);
}

export function getSnapshot(): SyncSnapshot {
  return snapshot;
}

export function startSync(getToken: () => string | null): SyncLoop {
  if (loop) return loop;
  loop = createSyncLoop({
    fetch: (url, init) => fetch(url, { ...init, cache: 'no-store' }),
    baseUrl: '',
    getToken,
    intervalMs: 60_000,
    backoffBaseMs: 2_000,
    // navigator.onLine lies on village networks (and after a reload while offline it reports
    // true with no network): failures then back off, so keep the ceiling at a minute.
    backoffMaxMs: 60_000,
    requestTimeoutMs: 30_000,
    onChange: (status) => {
      snapshot = { ...snapshot, status };
      void refreshCounts().catch(() => undefined);
    },
  });
  loop.start();
  document.addEventListener('visibilitychange', onVisible);
  return loop;
}

function onVisible(): void {
  if (document.visibilityState === 'visible') nudgeSync();
}

export function stopSync(): void {
  document.removeEventListener('visibilitychange', onVisible);
  loop?.stop();
  loop = null;
}

export function syncNow() {
  if (!loop) throw new Error('sync not started');
  return loop.syncNow();
}

/** A gentle nudge after a new item was queued (no-op when offline or a sync is running). */
export function nudgeSync(): void {
  if (loop && navigator.onLine !== false) void loop.syncNow().catch(() => undefined);
}
