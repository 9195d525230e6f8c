/** @jest-environment jsdom */
import './helpers';
import 'fake-indexeddb/auto';
import { closeDb, getMeta, openDb, requestPersistence } from '../../../client/src/offline/db';
import {
  counts,
  discard,
  enqueue,
  exportOutbox,
  getOutboxRecord,
  importOutbox,
  listOutbox,
  listQueued,
  markResults,
  OutboxFileError,
  retryRejected,
} from '../../../client/src/offline/outbox';
import { freshIndexedDb, makeItem } from './helpers';

beforeEach(freshIndexedDb);
afterAll(closeDb);

describe('enqueue', () => {
  test('queues an item and resolves only after its transaction committed with strict durability', async () => {
    const db = await openDb();
    const proto = Object.getPrototypeOf(db) as IDBDatabase;
    const spy = jest.spyOn(proto, 'transaction');
    const item = makeItem();
    const result = await enqueue(item);
    expect(result).toEqual({ status: 'queued', seq: 1 });
    const writes = spy.mock.calls.filter((c) => c[1] === 'readwrite');
    expect(writes.length).toBeGreaterThan(0);
    for (const call of writes) expect(call[2]).toEqual({ durability: 'strict' });
    spy.mockRestore();
    expect((await listQueued(10)).map((r) => r.id)).toEqual([item.id]);
  });

  test('the same id twice is a no-op and never overwrites the first copy', async () => {
    const item = makeItem();
    await enqueue(item);
    const again = await enqueue({ ...item, answers: { q1: 'changed' } });
    expect(again).toEqual({ status: 'exists', state: 'queued' });
    const all = await listOutbox();
    expect(all).toHaveLength(1);
    expect(all[0]?.item.answers).toEqual({ q1: 'yes', age: 42 });
    expect((await counts()).queued).toBe(1);
  });

  test('concurrent enqueues of the same id store one copy', async () => {
    const item = makeItem();
    const results = await Promise.all([enqueue(item), enqueue(item), enqueue(item)]);
    expect(results.filter((r) => r.status === 'queued')).toHaveLength(1);
    expect(await listOutbox()).toHaveLength(1);
  });

  test('an invalid item is refused before anything is written', async () => {
    await expect(enqueue(makeItem({ id: 'not-a-uuid' }))).rejects.toThrow();
    await expect(enqueue({ ...makeItem(), extra: 1 } as unknown as ReturnType<typeof makeItem>)).rejects.toThrow();
    expect((await counts()).queued).toBe(0);
  });

  test('durable: a new connection sees the queued items, in FIFO order', async () => {
    const items = [makeItem(), makeItem(), makeItem()];
    for (const item of items) await enqueue(item);
    await closeDb();
    const queued = await listQueued(10);
    expect(queued.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(queued.map((r) => r.seq)).toEqual([1, 2, 3]);
  });
});

describe('listQueued', () => {
  test('honours limit and cursor, and skips rejected/conflict items', async () => {
    const items = Array.from({ length: 5 }, () => makeItem());
    for (const item of items) await enqueue(item);
    await markResults([{ id: items[1]!.id, index: 0, status: 'rejected', code: 'ANSWERS_INVALID' }]);
    expect((await listQueued(2)).map((r) => r.id)).toEqual([items[0]!.id, items[2]!.id]);
    expect((await listQueued(10, 3)).map((r) => r.id)).toEqual([items[3]!.id, items[4]!.id]);
  });
});

describe('markResults', () => {
  test('stored and duplicate delete; rejected and conflict keep the item with the reason', async () => {
    const [a, b, c, d] = [makeItem(), makeItem(), makeItem(), makeItem()];
    for (const item of [a!, b!, c!, d!]) await enqueue(item);
    const at = new Date('2026-03-12T09:00:00.000Z');
    const summary = await markResults(
      [
        { id: a!.id, index: 0, status: 'stored' },
        { id: b!.id, index: 1, status: 'duplicate' },
        { id: c!.id, index: 2, status: 'rejected', code: 'ANSWERS_INVALID', message: '答卷内容有错误', problems: [{ question: 'q1', code: 'REQUIRED', message: '必答' }] },
        { id: d!.id, index: 3, status: 'conflict', code: 'SUBMISSION_CONFLICT', message: 'different' },
      ],
      [a!.id, b!.id, c!.id, d!.id],
      at,
    );
    expect(summary).toEqual({ deleted: 2, rejected: 1, conflict: 1, ignored: 0 });
    expect(await getOutboxRecord(a!.id)).toBeUndefined();
    expect(await getOutboxRecord(b!.id)).toBeUndefined();
    const rc = await getOutboxRecord(c!.id);
    expect(rc).toMatchObject({
      state: 'rejected',
      attempts: 1,
      lastAttemptAt: at.toISOString(),
      lastError: { code: 'ANSWERS_INVALID', message: '答卷内容有错误', problems: [{ question: 'q1', code: 'REQUIRED', message: '必答' }] },
    });
    expect(rc?.item).toEqual(c);
    const rd = await getOutboxRecord(d!.id);
    expect(rd).toMatchObject({ state: 'conflict', lastError: { code: 'SUBMISSION_CONFLICT' } });
    expect(rd?.item).toEqual(d);
    expect(await counts()).toEqual({ queued: 0, rejected: 1, conflict: 1, sentTotal: 2 });
    expect(await getMeta('lastSyncAt')).toBe(at.toISOString());
  });

  test('a conflict item is never overwritten by a later enqueue of the same id', async () => {
    const item = makeItem();
    await enqueue(item);
    await markResults([{ id: item.id, index: 0, status: 'conflict' }]);
    expect(await enqueue({ ...item, answers: { other: true } })).toEqual({ status: 'exists', state: 'conflict' });
    expect((await getOutboxRecord(item.id))?.item).toEqual(item);
  });

  test('a null id is resolved by index in the sent batch; ids not sent and unknown ids are ignored', async () => {
    const [a, b] = [makeItem(), makeItem()];
    await enqueue(a!);
    await enqueue(b!);
    const summary = await markResults(
      [
        { id: null, index: 1, status: 'rejected', code: 'VALIDATION_FAILED' },
        { id: a!.id, index: 0, status: 'stored' },
        { id: makeItem().id, index: 2, status: 'stored' },
      ],
      [a!.id, b!.id],
    );
    expect(summary).toEqual({ deleted: 1, rejected: 1, conflict: 0, ignored: 1 });
    expect((await getOutboxRecord(b!.id))?.state).toBe('rejected');
    // a result for an id that is queued but was not in the sent batch must not delete it
    const c = makeItem();
    await enqueue(c);
    const s2 = await markResults([{ id: c.id, index: 0, status: 'stored' }], [a!.id]);
    expect(s2.ignored).toBe(1);
    expect(await getOutboxRecord(c.id)).toBeDefined();
  });

  test('sentTotal counts each deletion once, even if the same reply is applied twice', async () => {
    const item = makeItem();
    await enqueue(item);
    const results = [{ id: item.id, index: 0, status: 'stored' as const }];
    await markResults(results, [item.id]);
    await markResults(results, [item.id]);
    expect((await counts()).sentTotal).toBe(1);
  });
});

describe('staff actions', () => {
  test('retryRejected puts a rejected item back in the queue; other states are left alone', async () => {
    const [a, b] = [makeItem(), makeItem()];
    await enqueue(a!);
    await enqueue(b!);
    await markResults([
      { id: a!.id, index: 0, status: 'rejected', code: 'FORM_ARCHIVED' },
      { id: b!.id, index: 1, status: 'conflict' },
    ]);
    expect(await retryRejected(a!.id)).toBe(true);
    expect(await retryRejected(b!.id)).toBe(false);
    expect(await retryRejected(makeItem().id)).toBe(false);
    const ra = await getOutboxRecord(a!.id);
    expect(ra).toMatchObject({ state: 'queued', lastError: { code: 'FORM_ARCHIVED' } });
    expect((await listQueued(10)).map((r) => r.id)).toEqual([a!.id]);
  });

  test('discard removes rejected/conflict items, and queued ones only with force', async () => {
    const [a, b] = [makeItem(), makeItem()];
    await enqueue(a!);
    await enqueue(b!);
    await markResults([{ id: a!.id, index: 0, status: 'rejected' }]);
    expect(await discard(b!.id)).toBe(false);
    expect(await getOutboxRecord(b!.id)).toBeDefined();
    expect(await discard(a!.id)).toBe(true);
    expect(await discard(b!.id, { force: true })).toBe(true);
    expect(await counts()).toEqual({ queued: 0, rejected: 0, conflict: 0, sentTotal: 0 });
  });
});

describe('export / import', () => {
  test('round trip keeps every item in every state; a second import is a no-op', async () => {
    const [a, b, c] = [makeItem(), makeItem({ formVersion: 2 }), makeItem({ device: 'tab-07' })];
    for (const item of [a!, b!, c!]) await enqueue(item, new Date('2026-03-12T10:00:00.000Z'));
    await markResults([
      { id: b!.id, index: 1, status: 'rejected', code: 'ANSWERS_INVALID', message: 'x', problems: [{ code: 'REQUIRED', message: 'y' }] },
      { id: c!.id, index: 2, status: 'conflict', code: 'SUBMISSION_CONFLICT', message: 'z' },
    ]);
    const file = await exportOutbox(new Date('2026-03-13T00:00:00.000Z'));
    expect(file).toMatchObject({ format: 'cunwen-outbox', version: 1, exportedAt: '2026-03-13T00:00:00.000Z' });
    expect(file.items.map((r) => r.id)).toEqual([a!.id, b!.id, c!.id]);
    const before = await listOutbox();

    const onDisk = JSON.parse(JSON.stringify(file)) as unknown;
    await freshIndexedDb();
    expect(await importOutbox(onDisk)).toEqual({ imported: 3, skipped: 0, invalid: [] });
    const after = await listOutbox();
    const strip = (rs: typeof before) => rs.map(({ seq: _seq, ...rest }) => rest);
    expect(strip(after)).toEqual(strip(before));
    expect(await counts()).toEqual({ queued: 1, rejected: 1, conflict: 1, sentTotal: 0 });

    expect(await importOutbox(onDisk)).toEqual({ imported: 0, skipped: 3, invalid: [] });
    expect(await listOutbox()).toHaveLength(3);
  });

  test('import never overwrites an existing id and reports damaged items without blocking the rest', async () => {
    const existing = makeItem();
    await enqueue(existing);
    const fresh = makeItem();
    const file = {
      format: 'cunwen-outbox',
      version: 1,
      exportedAt: '2026-03-13T00:00:00.000Z',
      items: [
        { id: existing.id, item: { ...existing, answers: { q1: 'other' } }, state: 'queued', attempts: 0, lastError: null, createdAt: '2026-03-12T00:00:00.000Z', updatedAt: '2026-03-12T00:00:00.000Z', lastAttemptAt: null },
        { id: fresh.id, item: fresh, state: 'queued', createdAt: '2026-03-12T00:00:00.000Z' },
        { id: 'broken', item: { id: 'broken' }, state: 'queued', createdAt: 'yesterday' },
        { id: makeItem().id, item: makeItem(), state: 'queued', createdAt: '2026-03-12T00:00:00.000Z' },
      ],
    };
    const report = await importOutbox(file);
    expect(report.imported).toBe(1);
    expect(report.skipped).toBe(1);
    expect(report.invalid.map((i) => [i.index, i.id])).toEqual([
      [2, 'broken'],
      [3, file.items[3]!.id],
    ]);
    expect((await getOutboxRecord(existing.id))?.item.answers).toEqual(existing.answers);
    expect((await getOutboxRecord(fresh.id))?.attempts).toBe(0);
  });

  test('a file that is not an outbox export is refused as a whole', async () => {
    await expect(importOutbox({ format: 'something-else', version: 1, exportedAt: '', items: [] })).rejects.toBeInstanceOf(OutboxFileError);
    await expect(importOutbox({ format: 'cunwen-outbox', version: 2, exportedAt: '', items: [] })).rejects.toBeInstanceOf(OutboxFileError);
    await expect(importOutbox('[]')).rejects.toBeInstanceOf(OutboxFileError);
    expect((await counts()).queued).toBe(0);
  });
});

describe('requestPersistence', () => {
  const nav = navigator as unknown as { storage?: unknown };
  afterEach(() => {
    delete nav.storage;
  });

  test('reports unsupported when the Storage API is missing', async () => {
    expect(await requestPersistence()).toEqual({ supported: false, persisted: false });
  });

  test('asks for persistence only when not yet persisted, and reports the answer', async () => {
    const persist = jest.fn(async () => true);
    Object.defineProperty(navigator, 'storage', { value: { persisted: async () => false, persist }, configurable: true });
    expect(await requestPersistence()).toEqual({ supported: true, persisted: true });
    expect(persist).toHaveBeenCalledTimes(1);

    const persist2 = jest.fn(async () => false);
    Object.defineProperty(navigator, 'storage', { value: { persisted: async () => true, persist: persist2 }, configurable: true });
    expect(await requestPersistence()).toEqual({ supported: true, persisted: true });
    expect(persist2).not.toHaveBeenCalled();

    Object.defineProperty(navigator, 'storage', { value: { persisted: async () => false, persist: async () => false }, configurable: true });
    expect(await requestPersistence()).toEqual({ supported: true, persisted: false });
  });
});
