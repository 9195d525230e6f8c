/** @jest-environment jsdom */
import './helpers';
import 'fake-indexeddb/auto';
import { DB_NAME, DB_VERSION, closeDb, getMeta, openDb } from '../../../client/src/offline/db';
import { counts, enqueue, listOutbox, listQueued } from '../../../client/src/offline/outbox';
import { listDrafts } from '../../../client/src/offline/drafts';
import { freshIndexedDb, makeItem } from './helpers';

beforeEach(freshIndexedDb);
afterAll(closeDb);

/** Builds the v1 database exactly as the first schema defined it, with the raw API. */
function createV1(records: unknown[], meta: Record<string, unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      const outbox = db.createObjectStore('outbox', { keyPath: 'id' });
      const metaStore = db.createObjectStore('meta');
      for (const r of records) outbox.put(r);
      for (const [k, v] of Object.entries(meta)) metaStore.put(v, k);
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
  });
}

describe('schema', () => {
  test('a new database has every store at the current version', async () => {
    const db = await openDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'formVersions', 'meta', 'outbox']);
  });

  test('upgrading a v1 database keeps every item, backfills the new fields and orders by createdAt', async () => {
    const [a, b, c] = [makeItem(), makeItem(), makeItem()];
    await createV1(
      [
        { id: b!.id, item: b, state: 'queued', attempts: 2, createdAt: '2026-03-02T00:00:00.000Z', updatedAt: '2026-03-02T00:00:00.000Z' },
        { id: a!.id, item: a, state: 'queued', attempts: 0, createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z' },
        { id: c!.id, item: c, state: 'rejected', attempts: 1, createdAt: '2026-03-03T00:00:00.000Z', updatedAt: '2026-03-03T00:00:00.000Z' },
      ],
      { sentTotal: 7, lastSyncAt: '2026-03-01T12:00:00.000Z' },
    );

    const db = await openDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['drafts', 'formVersions', 'meta', 'outbox']);

    const all = await listOutbox();
    expect(all.map((r) => [r.id, r.seq, r.state])).toEqual([
      [a!.id, 1, 'queued'],
      [b!.id, 2, 'queued'],
      [c!.id, 3, 'rejected'],
    ]);
    expect(all[1]).toMatchObject({ item: b, attempts: 2, lastError: null, lastAttemptAt: null });
    expect((await listQueued(10)).map((r) => r.id)).toEqual([a!.id, b!.id]);
    expect(await counts()).toEqual({ queued: 2, rejected: 1, conflict: 0, sentTotal: 7 });
    expect(await getMeta('lastSyncAt')).toBe('2026-03-01T12:00:00.000Z');
    expect(await listDrafts()).toEqual([]);

    // new items go after the migrated ones
    const d = makeItem();
    expect(await enqueue(d)).toEqual({ status: 'queued', seq: 4 });

    // and the upgrade is not repeated on the next open
    await closeDb();
    expect((await listOutbox()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });

  test('v1 records missing fields are repaired rather than dropped', async () => {
    const item = makeItem();
    await createV1([{ id: item.id, item }], {});
    const [record] = await listOutbox();
    expect(record).toMatchObject({ id: item.id, item, state: 'queued', attempts: 0, seq: 1, lastError: null });
    expect((await counts()).queued).toBe(1);
  });

  test('another tab upgrading closes this connection instead of blocking it; an older build is then refused, not allowed to downgrade', async () => {
    const item = makeItem();
    await enqueue(item);
    const first = await openDb();
    // simulate a newer build in another tab asking for a higher version
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION + 1);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked: the old connection did not close'));
    });
    // this (older) build now finds a newer database: it reopens, and is refused rather than downgrading it
    await expect(openDb()).rejects.toMatchObject({ name: 'VersionError' });
    expect(first.version).toBe(DB_VERSION);
  });
});
