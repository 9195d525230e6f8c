/** @jest-environment jsdom */
import './helpers';
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { closeDb } from '../../../client/src/offline/db';
import { counts, enqueue, listOutbox } from '../../../client/src/offline/outbox';
import { createSyncLoop, type SyncLoop } from '../../../client/src/offline/sync';
import { FakeServer, FakeTimers, errorResponse, freshIndexedDb, makeItem } from './helpers';

afterAll(closeDb);

type Mode =
  | { kind: 'ok' }
  | { kind: 'lose-reply' }
  | { kind: 'http'; status: 500 | 503 | 429 }
  | { kind: 'network' }
  | { kind: 'too-large'; max: number }
  | { kind: 'kill-before-store' }
  | { kind: 'kill-after-store' };

type Action = { kind: 'enqueue'; n: number } | { kind: 'sync'; mode: Mode };

const modeArb: fc.Arbitrary<Mode> = fc.oneof(
  fc.constant<Mode>({ kind: 'ok' }),
  fc.constant<Mode>({ kind: 'lose-reply' }),
  fc.constantFrom<Mode>({ kind: 'http', status: 500 }, { kind: 'http', status: 503 }, { kind: 'http', status: 429 }),
  fc.constant<Mode>({ kind: 'network' }),
  fc.integer({ min: 1, max: 4 }).map<Mode>((max) => ({ kind: 'too-large', max })),
  fc.constant<Mode>({ kind: 'kill-before-store' }),
  fc.constant<Mode>({ kind: 'kill-after-store' }),
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map<Action>((n) => ({ kind: 'enqueue', n })),
  modeArb.map<Action>((mode) => ({ kind: 'sync', mode })),
);

/**
 * Whatever happens between the tablet and the server — replies lost, server errors, batches too
 * large, the tab killed before or after the server stored a batch — every answer is always either
 * still in the outbox or on the server, the server never stores an id twice, and once the network
 * behaves, the outbox drains to empty with every answer on the server exactly once.
 */
test('no answer is ever lost or duplicated, whatever fails', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 10 }), async (actions) => {
      await freshIndexedDb();
      const server = new FakeServer();
      let mode: Mode = { kind: 'ok' };
      let killed: Promise<void> | null = null;
      let markKilled: () => void = () => undefined;
      server.before = (req) => {
        const m = mode;
        if (m.kind === 'http') return errorResponse(m.status, 'X');
        if (m.kind === 'network') throw new TypeError('Failed to fetch');
        if (m.kind === 'too-large' && req.items.length > m.max) return errorResponse(413, 'BATCH_TOO_LARGE', { max: m.max });
        if (m.kind === 'kill-before-store') {
          markKilled();
          return new Promise(() => undefined);
        }
        return undefined;
      };
      server.afterStore = () => {
        const m = mode;
        if (m.kind === 'lose-reply') throw new TypeError('connection reset');
        if (m.kind === 'kill-after-store') {
          markKilled();
          return new Promise<void>(() => undefined);
        }
      };
      const newLoop = (): SyncLoop => {
        const timers = new FakeTimers();
        return createSyncLoop({
          fetch: server.fetch,
          baseUrl: '',
          batchSize: 3,
          requestTimeoutMs: 0,
          random: () => 0.5,
          setTimer: timers.setTimer,
          clearTimer: timers.clearTimer,
          events: null,
          isOnline: () => true,
        });
      };
      let loop = newLoop();
      const enqueued = new Set<string>();

      const checkInvariant = async (): Promise<void> => {
        const local = new Set((await listOutbox()).map((r) => r.id));
        for (const id of enqueued) {
          if (!local.has(id) && !server.stored.has(id)) throw new Error(`lost ${id}`);
        }
        for (const id of local) expect(enqueued.has(id)).toBe(true);
        for (const n of server.writes.values()) expect(n).toBe(1);
      };

      for (const action of actions) {
        if (action.kind === 'enqueue') {
          for (let i = 0; i < action.n; i += 1) {
            const item = makeItem();
            await enqueue(item);
            enqueued.add(item.id);
          }
        } else {
          mode = action.mode;
          if (mode.kind === 'kill-before-store' || mode.kind === 'kill-after-store') {
            killed = new Promise<void>((resolve) => {
              markKilled = resolve;
            });
            const run = loop.syncNow();
            // either the sync reaches the kill point, or the queue was empty and it just finishes
            await Promise.race([killed, run]);
            await closeDb(); // the tab is gone
            loop = newLoop(); // the tablet restarts
          } else {
            await loop.syncNow();
          }
        }
        await checkInvariant();
      }

      mode = { kind: 'ok' };
      const final = await loop.syncNow();
      expect(final).toMatchObject({ outcome: 'done', remaining: 0 });
      expect(await counts()).toEqual({ queued: 0, rejected: 0, conflict: 0, sentTotal: enqueued.size });
      expect(new Set(server.stored.keys())).toEqual(enqueued);
      expect([...server.writes.values()].every((n) => n === 1)).toBe(true);
    }),
    { numRuns: 60 },
  );
});
