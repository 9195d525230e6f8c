/**
 * Cached form-version definitions, keyed `${formId}@${version}`.
 *
 * A definition stays on the device while any of these holds:
 *  - it is `current` (the tablet is enrolled to it; the kiosk opens new respondents in it),
 *  - a census draft was started in it (the draft is finished in the version it began in),
 *  - an outbox item (any state) was filled in it (staff can still open and read it).
 * `pruneFormVersions()` deletes the rest; it runs after drafts are deleted/submitted and after
 * items leave the outbox. Published versions are immutable, so caching never overwrites a
 * different definition under the same key.
 */
import type { SurveyDefinition } from '../../../common/api/forms';
import { STORES, formVersionKey, requestToPromise, runTx, type DraftRecord, type FormVersionRecord, type OutboxRecord } from './db';

export type { FormVersionRecord } from './db';

/** Puts a definition inside an open transaction over formVersions (no-op if already cached). */
export async function cacheFormVersionInTx(
  tx: IDBTransaction,
  formId: string,
  version: number,
  definition: SurveyDefinition,
  options: { current?: boolean; now?: Date } = {},
): Promise<void> {
  const store = tx.objectStore(STORES.formVersions);
  const key = formVersionKey(formId, version);
  const existing = (await requestToPromise(store.get(key))) as FormVersionRecord | undefined;
  if (existing) {
    if (options.current !== undefined && existing.current !== options.current) {
      await requestToPromise(store.put({ ...existing, current: options.current }));
    }
    return;
  }
  const record: FormVersionRecord = {
    key,
    formId,
    version,
    definition,
    cachedAt: (options.now ?? new Date()).toISOString(),
    current: options.current ?? false,
  };
  await requestToPromise(store.put(record));
}

export async function cacheFormVersion(
  formId: string,
  version: number,
  definition: SurveyDefinition,
  options: { current?: boolean; now?: Date } = {},
): Promise<void> {
  await runTx(STORES.formVersions, 'readwrite', (tx) => cacheFormVersionInTx(tx, formId, version, definition, options));
}

export function getFormVersion(formId: string, version: number): Promise<FormVersionRecord | undefined> {
  return runTx(STORES.formVersions, 'readonly', (tx) =>
    requestToPromise(tx.objectStore(STORES.formVersions).get(formVersionKey(formId, version))) as Promise<FormVersionRecord | undefined>,
  );
}

export function listFormVersions(): Promise<FormVersionRecord[]> {
  return runTx(STORES.formVersions, 'readonly', (tx) =>
    requestToPromise(tx.objectStore(STORES.formVersions).getAll()) as Promise<FormVersionRecord[]>,
  );
}

/**
 * Marks exactly `keys` as current (enrolment changed) and prunes what is no longer needed,
 * in one transaction.
 */
export async function setCurrentFormVersions(keys: readonly string[]): Promise<void> {
  const wanted = new Set(keys);
  await runTx([STORES.formVersions, STORES.drafts, STORES.outbox], 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.formVersions);
    const all = (await requestToPromise(store.getAll())) as FormVersionRecord[];
    for (const record of all) {
      const current = wanted.has(record.key);
      if (record.current !== current) await requestToPromise(store.put({ ...record, current }));
    }
    await pruneInTx(tx);
  });
}

/** Deletes definitions that are not current and not needed by a draft or an outbox item. */
export async function pruneInTx(tx: IDBTransaction): Promise<number> {
  const needed = new Set<string>();
  const drafts = (await requestToPromise(tx.objectStore(STORES.drafts).getAll())) as DraftRecord[];
  for (const d of drafts) needed.add(formVersionKey(d.formId, d.formVersion));
  const items = (await requestToPromise(tx.objectStore(STORES.outbox).getAll())) as OutboxRecord[];
  for (const r of items) needed.add(formVersionKey(r.item.formId, r.item.formVersion));
  const store = tx.objectStore(STORES.formVersions);
  const cached = (await requestToPromise(store.getAll())) as FormVersionRecord[];
  let removed = 0;
  for (const record of cached) {
    if (record.current || needed.has(record.key)) continue;
    await requestToPromise(store.delete(record.key));
    removed += 1;
  }
  return removed;
}

export function pruneFormVersions(): Promise<number> {
  return runTx([STORES.formVersions, STORES.drafts, STORES.outbox], 'readwrite', pruneInTx);
}
