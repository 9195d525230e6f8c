/** @jest-environment jsdom */
import './helpers';
import 'fake-indexeddb/auto';
import { closeDb } from '../../../client/src/offline/db';
import { counts, enqueue, getOutboxRecord, listOutbox } from '../../../client/src/offline/outbox';
import { createSyncLoop, describeBlock, type SyncLoopOptions, type SyncStatus } from '../../../client/src/offline/sync';
import {
  FakeServer,
  FakeTimers,
  deferred,
  errorResponse,
  freshIndexedDb,
  makeItem,
  response,
  type SentRequest,
} from './helpers';
import type { FetchResponseLike } from '../../../client/src/offline/sync';
import type { SubmissionItem } from '../../../common/api/submissions';

beforeEach(freshIndexedDb);
afterAll(closeDb);

const NOW = new Date('2026-03-12T12:00:00.000Z');

function setup(overrides: Partial<SyncLoopOptions> = {}) {
  const server = new FakeServer();
  const timers = new FakeTimers();
  const events = new EventTarget();
  const changes: SyncStatus[] = [];
  const loop = createSyncLoop({
    fetch: server.fetch,
    baseUrl: 'https://cunwen.test/',
    getToken: () => 'tok-123',
    batchSize: 50,
    intervalMs: 60_000,
    backoffBaseMs: 1_000,
    backoffMaxMs: 8_000,
    requestTimeoutMs: 0,
    random: () => 0.5,
    now: () => NOW,
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
    events,
    isOnline: () => true,
    onChange: (s) => changes.push(s),
    ...overrides,
  });
  return { server, timers, events, loop, changes };
}

async function enqueueMany(n: number, overrides: Partial<SubmissionItem> = {}): Promise<SubmissionItem[]> {
  const items = Array.from({ length: n }, () => makeItem(overrides));
  for (const item of items) await enqueue(item);
  return items;
}

describe('sending', () => {
  test('posts batches in FIFO order with the bearer token until the queue is empty', async () => {
    const { server, loop, changes } = setup({ batchSize: 2 });
    const items = await enqueueMany(5);
    const report = await loop.syncNow();
    expect(changes.some((c) => c.running)).toBe(true);
    expect(changes.at(-1)).toMatchObject({ running: false, lastReport: report });
    expect(report).toMatchObject({ outcome: 'done', stored: 5, duplicate: 0, batches: 3, remaining: 0, blocked: null, error: null });
    expect(server.requests.map((r) => r.items.length)).toEqual([2, 2, 1]);
    expect(server.requests.flatMap((r) => r.items.map((i) => i.id))).toEqual(items.map((i) => i.id));
    const first = server.requests[0] as SentRequest;
    expect(first.url).toBe('https://cunwen.test/api/v1/submissions');
    expect(first.init.method).toBe('POST');
    expect(first.init.headers.Authorization).toBe('Bearer tok-123');
    expect(first.init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(first.init.body)).toEqual({ submissions: items.slice(0, 2) });
    expect(await counts()).toEqual({ queued: 0, rejected: 0, conflict: 0, sentTotal: 5 });
  });

  test('no Authorization header when there is no token', async () => {
    const { server, loop } = setup({ getToken: () => null });
    await enqueueMany(1);
    await loop.syncNow();
    expect(server.requests[0]?.init.headers.Authorization).toBeUndefined();
  });

  test('rejected and conflict items stay, with their reason, and are not sent again', async () => {
    const { server, loop } = setup();
    const [good, bad, clash] = await enqueueMany(3);
    server.rejectIds.add(bad!.id);
    server.stored.set(clash!.id, JSON.stringify({ ...clash, answers: { q1: 'someone else' } }));
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'done', stored: 1, rejected: 1, conflict: 1, remaining: 0 });
    expect(await getOutboxRecord(good!.id)).toBeUndefined();
    expect(await getOutboxRecord(bad!.id)).toMatchObject({ state: 'rejected', lastError: { code: 'ANSWERS_INVALID' } });
    const kept = await getOutboxRecord(clash!.id);
    expect(kept).toMatchObject({ state: 'conflict', lastError: { code: 'SUBMISSION_CONFLICT' } });
    expect(kept?.item).toEqual(clash);
    const again = await loop.syncNow();
    expect(again.batches).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  test('a reply that omits an id leaves it queued and does not spin', async () => {
    const { server, loop } = setup();
    const [a, b] = await enqueueMany(2);
    server.before = (req) =>
      response(200, { results: [{ id: req.items[0]!.id, index: 0, status: 'stored' }], counts: { stored: 1 } });
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'done', stored: 1, batches: 1, remaining: 1 });
    expect(server.requests).toHaveLength(1);
    expect(await getOutboxRecord(a!.id)).toBeUndefined();
    expect(await getOutboxRecord(b!.id)).toMatchObject({ state: 'queued' });
  });

  test('an unreadable 200 reply deletes nothing and backs off', async () => {
    const { server, loop } = setup();
    await enqueueMany(2);
    server.before = () => response(200, { ok: true });
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'retry', error: { code: 'BAD_RESPONSE' } });
    expect((await counts()).queued).toBe(2);
  });

  test('offline: no request, nothing changes, the next try is at the normal interval', async () => {
    const { server, loop, timers } = setup({ isOnline: () => false });
    await enqueueMany(1);
    loop.start();
    const report = await loop.syncNow();
    expect(report.outcome).toBe('offline');
    expect(server.requests).toHaveLength(0);
    expect(timers.only().ms).toBe(60_000);
    loop.stop();
  });
});

describe('backoff', () => {
  test('full jitter, doubling to the cap on network errors, reset after a success', async () => {
    const randoms = [0.5, 0.25, 0.5, 0.999, 0.5, 0.5];
    const seen: number[] = [];
    const { server, loop, timers } = setup({
      random: () => {
        const r = randoms.shift() ?? 0.5;
        seen.push(r);
        return r;
      },
    });
    await enqueueMany(2);
    let failing = true;
    server.before = () => {
      if (failing) throw new TypeError('Failed to fetch');
      return undefined;
    };
    loop.start();
    let report = await loop.syncNow(); // joins the run start() began
    expect(report).toMatchObject({ outcome: 'retry', error: { code: 'NETWORK_ERROR' }, retryInMs: 500 });
    const delays: number[] = [timers.only().ms];
    for (let i = 0; i < 4; i += 1) {
      timers.fireOnly();
      expect(loop.status().running).toBe(true);
      report = await loop.syncNow(); // joins the timer's run
      delays.push(timers.only().ms);
    }
    // ceilings 1000, 2000, 4000, 8000, 8000 (cap) × random 0.5, 0.25, 0.5, 0.999, 0.5
    expect(delays).toEqual([500, 500, 2000, 7992, 4000]);
    expect(seen).toEqual([0.5, 0.25, 0.5, 0.999, 0.5]);
    expect(loop.status().failures).toBe(5);
    const records = await listOutbox();
    expect(records.every((r) => r.state === 'queued' && r.attempts === 5 && r.lastError?.code === 'NETWORK_ERROR')).toBe(true);

    failing = false;
    timers.fireOnly();
    report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'done', stored: 2 });
    expect(loop.status().failures).toBe(0);
    expect(timers.only().ms).toBe(60_000);

    // the next failure starts again from the smallest ceiling
    await enqueueMany(1);
    failing = true;
    report = await loop.syncNow();
    expect(report.retryInMs).toBe(500);
    loop.stop();
    expect(timers.pending.size).toBe(0);
  });

  test.each([500, 502, 503, 429])('HTTP %i keeps the batch and backs off', async (status) => {
    const { server, loop } = setup();
    await enqueueMany(3);
    server.before = () => errorResponse(status, status === 429 ? 'RATE_LIMITED' : 'INTERNAL');
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'retry', retryInMs: 500, error: { status } });
    expect(await counts()).toMatchObject({ queued: 3, sentTotal: 0 });
  });

  test('Retry-After on 429 is honoured (up to the cap)', async () => {
    const { server, loop } = setup({ backoffMaxMs: 300_000 });
    await enqueueMany(1);
    server.before = () => errorResponse(429, 'RATE_LIMITED', {}, { 'Retry-After': '30' });
    expect((await loop.syncNow()).retryInMs).toBe(30_000);
  });

  test('a request that never answers times out and counts as a network failure', async () => {
    const { server, loop, timers } = setup({ requestTimeoutMs: 10_000 });
    await enqueueMany(1);
    const arrived = deferred<void>();
    server.before = () => {
      arrived.resolve();
      return new Promise<FetchResponseLike>(() => undefined);
    };
    const pending = loop.syncNow();
    await arrived.promise;
    expect(timers.fireOnly()).toBe(10_000);
    const report = await pending;
    expect(report).toMatchObject({ outcome: 'retry', error: { code: 'TIMEOUT' } });
    expect((await counts()).queued).toBe(1);
  });
});

/** A server hook that signals when a request arrives and holds it until `release()`. */
function gated() {
  const arrived = deferred<void>();
  const gate = deferred<void>();
  return {
    arrived: arrived.promise,
    release: () => gate.resolve(),
    before: async () => {
      arrived.resolve();
      await gate.promise;
      return undefined;
    },
  };
}

describe('time limit', () => {
  test('a reply whose body stalls also times out', async () => {
    const { server, loop, timers } = setup({ requestTimeoutMs: 10_000 });
    await enqueueMany(1);
    const arrived = deferred<void>();
    server.before = () => {
      arrived.resolve();
      return { status: 200, json: () => new Promise<unknown>(() => undefined) };
    };
    const pending = loop.syncNow();
    await arrived.promise;
    expect(timers.fireOnly()).toBe(10_000);
    expect(await pending).toMatchObject({ outcome: 'retry', error: { code: 'TIMEOUT' } });
    expect((await counts()).queued).toBe(1);
  });
});

describe('413 BATCH_TOO_LARGE', () => {
  test('halves the batch until the server accepts it, honouring details.max', async () => {
    const { server, loop } = setup({ batchSize: 50 });
    await enqueueMany(25);
    server.before = (req) => (req.items.length > 10 ? errorResponse(413, 'BATCH_TOO_LARGE', { max: 10 }) : undefined);
    const report = await loop.syncNow();
    expect(server.requests.map((r) => r.items.length)).toEqual([25, 10, 10, 5]);
    expect(report).toMatchObject({ outcome: 'done', stored: 25, remaining: 0 });
    expect(loop.status().batchSize).toBe(10);
    expect(server.writes.size).toBe(25);
  });

  test('halves repeatedly when the server gives no max', async () => {
    const { server, loop } = setup({ batchSize: 50 });
    await enqueueMany(25);
    server.before = (req) => (req.items.length > 7 ? errorResponse(413, 'BATCH_TOO_LARGE') : undefined);
    const report = await loop.syncNow();
    expect(server.requests.map((r) => r.items.length)).toEqual([25, 12, 6, 6, 6, 6, 1]);
    expect(report).toMatchObject({ outcome: 'done', stored: 25 });
    expect(loop.status().failures).toBe(0);
  });

  test('a single item too large for the server is kept as rejected and the rest still go', async () => {
    const { server, loop } = setup({ batchSize: 4 });
    const items = await enqueueMany(3);
    const huge = items[1]!;
    server.before = (req) => (req.items.some((i) => i.id === huge.id) ? errorResponse(413, 'PAYLOAD_TOO_LARGE') : undefined);
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'done', stored: 2, rejected: 1 });
    expect(await getOutboxRecord(huge.id)).toMatchObject({ state: 'rejected', lastError: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await counts()).toMatchObject({ queued: 0, rejected: 1, sentTotal: 2 });
  });
});

describe('401 device revoked', () => {
  test.each(['DEVICE_REVOKED', 'DEVICE_UNAUTHORIZED'])('%s stops the loop, says why, and keeps every item', async (code) => {
    const { server, loop, timers, events } = setup({ batchSize: 2 });
    const items = await enqueueMany(5);
    let revoked = true;
    server.before = () => (revoked ? errorResponse(401, code) : undefined);
    loop.start();
    const report = await loop.syncNow();
    expect(report).toMatchObject({ outcome: 'blocked', blocked: 'revoked', error: { code, status: 401 } });
    expect(report.remaining).toBe(5);
    expect(loop.status().blocked).toBe('revoked');
    expect(describeBlock('revoked').zh).toContain('停用');
    expect(timers.pending.size).toBe(0);
    const kept = await listOutbox();
    expect(kept.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(kept.every((r) => r.state === 'queued')).toBe(true);

    // automatic triggers do nothing while blocked
    events.dispatchEvent(new Event('online'));
    expect(loop.status().running).toBe(false);
    expect(server.requests).toHaveLength(1);

    // after re-enrolment, an explicit sync sends everything
    revoked = false;
    const after = await loop.syncNow();
    expect(after).toMatchObject({ outcome: 'done', stored: 5, blocked: null });
    expect(loop.status().blocked).toBeNull();
    loop.stop();
  });
});

describe('single flight', () => {
  test('a second trigger joins the running sync: one request, same report', async () => {
    const { server, loop } = setup();
    await enqueueMany(3);
    const g = gated();
    server.before = g.before;
    const first = loop.syncNow();
    const second = loop.syncNow();
    expect(second).toBe(first);
    await g.arrived;
    const third = loop.syncNow();
    expect(third).toBe(first);
    g.release();
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1).toBe(r2);
    expect(r1).toMatchObject({ outcome: 'done', stored: 3 });
    expect(server.requests).toHaveLength(1);
    expect(server.writes.size).toBe(3);
  });

  test('an item enqueued while a sync runs is sent by that sync when a trigger joins it', async () => {
    const { server, loop } = setup();
    await enqueueMany(1);
    const g = gated();
    server.before = g.before;
    const running = loop.syncNow();
    await g.arrived;
    const late = makeItem();
    await enqueue(late);
    const joined = loop.syncNow();
    expect(joined).toBe(running);
    g.release();
    const report = await joined;
    expect(report).toMatchObject({ outcome: 'done', stored: 2, remaining: 0 });
    expect(server.requests.map((r) => r.items.map((i) => i.id))[1]).toEqual([late.id]);
  });

  test('start, online and timer triggers share the same single flight', async () => {
    const { server, loop, events, timers } = setup();
    await enqueueMany(2);
    const g = gated();
    server.before = g.before;
    loop.start();
    expect(loop.status().running).toBe(true);
    events.dispatchEvent(new Event('online'));
    await g.arrived;
    events.dispatchEvent(new Event('online'));
    g.release();
    const report = await loop.syncNow();
    expect(report.stored).toBe(2);
    expect(server.requests).toHaveLength(1);
    // once idle, the interval timer is armed; firing it runs a new (empty) sync
    expect(timers.only().ms).toBe(60_000);
    timers.fireOnly();
    expect(loop.status().running).toBe(true);
    expect((await loop.syncNow()).batches).toBe(0);
    loop.stop();
    expect(timers.pending.size).toBe(0);
  });
});

describe('crash safety', () => {
  test('a lost reply (stored, then the connection drops) ends with one stored copy and an empty outbox', async () => {
    const { server, loop } = setup({ batchSize: 3 });
    const items = await enqueueMany(5);
    let drops = 1;
    server.afterStore = () => {
      if (drops > 0) {
        drops -= 1;
        throw new TypeError('connection reset');
      }
    };
    const first = await loop.syncNow();
    expect(first).toMatchObject({ outcome: 'retry', stored: 0 });
    expect(server.stored.size).toBe(3); // the server has them…
    expect((await counts()).queued).toBe(5); // …and the tablet still has them too

    const second = await loop.syncNow();
    expect(second).toMatchObject({ outcome: 'done', stored: 2, duplicate: 3, remaining: 0 });
    expect(await counts()).toEqual({ queued: 0, rejected: 0, conflict: 0, sentTotal: 5 });
    expect([...server.stored.keys()].sort()).toEqual(items.map((i) => i.id).sort());
    expect([...server.writes.values()].every((n) => n === 1)).toBe(true);
  });

  test('killed while waiting for the reply: a fresh start re-sends and the server de-duplicates', async () => {
    const dead = setup();
    const items = await enqueueMany(4);
    const storedAll = deferred<void>();
    dead.server.afterStore = () => {
      storedAll.resolve();
      return new Promise<void>(() => undefined); // the tab dies while the reply is on its way
    };
    void dead.loop.syncNow();
    await storedAll.promise;
    expect(dead.server.stored.size).toBe(4);
    await closeDb(); // the process is gone; its connection with it

    const revived = setup();
    revived.server.stored.clear();
    for (const [id, body] of dead.server.stored) revived.server.stored.set(id, body); // same server data
    const report = await revived.loop.syncNow();
    expect(report).toMatchObject({ outcome: 'done', stored: 0, duplicate: 4, remaining: 0 });
    expect(await counts()).toMatchObject({ queued: 0, sentTotal: 4 });
    expect(revived.server.stored.size).toBe(items.length);
  });

  test('a failure while applying results deletes nothing (one transaction), and the re-send is harmless', async () => {
    const { server, loop } = setup();
    const items = await enqueueMany(3);
    const proto = IDBObjectStore.prototype;
    const realDelete = proto.delete;
    let calls = 0;
    const spy = jest.spyOn(proto, 'delete').mockImplementation(function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
      calls += 1;
      if (calls === 2) throw new DOMException('disk full', 'QuotaExceededError');
      return realDelete.call(this, key);
    });
    const report = await loop.syncNow();
    spy.mockRestore();
    expect(calls).toBe(2);
    expect(report).toMatchObject({ outcome: 'retry', stored: 0, error: { code: 'LOCAL_STORAGE_ERROR' } });
    expect(server.stored.size).toBe(3);
    expect((await listOutbox()).map((r) => r.id)).toEqual(items.map((i) => i.id)); // the first delete was rolled back
    expect((await counts()).sentTotal).toBe(0);

    const again = await loop.syncNow();
    expect(again).toMatchObject({ outcome: 'done', duplicate: 3, remaining: 0 });
    expect(await counts()).toEqual({ queued: 0, rejected: 0, conflict: 0, sentTotal: 3 });
  });

  test('a reply naming an id twice is applied once (first result wins)', async () => {
    const { server, loop } = setup();
    const items = await enqueueMany(3);
    server.before = (req) =>
      response(200, {
        results: [
          { id: req.items[0]!.id, index: 0, status: 'stored' },
          { id: req.items[0]!.id, index: 0, status: 'rejected' },
          { id: req.items[1]!.id, index: 1, status: 'duplicate' },
          { id: req.items[2]!.id, index: 2, status: 'stored' },
        ],
        counts: {},
      });
    const report = await loop.syncNow();
    expect(report).toMatchObject({ stored: 2, duplicate: 1, rejected: 0 });
    expect(await getOutboxRecord(items[0]!.id)).toBeUndefined();
    expect(await counts()).toMatchObject({ queued: 0, rejected: 0 });
  });
});
