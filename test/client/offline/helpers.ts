/**
 * Shared helpers for the offline tests (jsdom + fake-indexeddb). Not a test file itself.
 * Import this FIRST in each test file: jsdom under Jest has no structuredClone, which
 * fake-indexeddb needs.
 */
import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { IDBFactory } from 'fake-indexeddb';
import type { SubmissionItem, SubmissionOutcome } from '../../../common/api/submissions';
import { closeDb } from '../../../client/src/offline/db';
import type { FetchInitLike, FetchLike, FetchResponseLike } from '../../../client/src/offline/sync';

if (typeof globalThis.structuredClone !== 'function') {
  // Values stored here are plain data, which v8's serializer clones exactly like structuredClone.
  globalThis.structuredClone = (<T>(value: T): T => deserialize(serialize(value)) as T) as typeof structuredClone;
}

/** A brand-new, empty IndexedDB for this test (the module's cached connection is dropped). */
export async function freshIndexedDb(): Promise<void> {
  await closeDb();
  (globalThis as { indexedDB: IDBFactory }).indexedDB = new IDBFactory();
}

export function makeItem(overrides: Partial<SubmissionItem> = {}): SubmissionItem {
  return {
    id: randomUUID(),
    formId: 'f-aware',
    formVersion: 1,
    orgUnit: 'v-01',
    answers: { q1: 'yes', age: 42 },
    startedAt: '2026-03-12T08:00:00.000Z',
    completedAt: '2026-03-12T08:05:00.000Z',
    ...overrides,
  };
}

export function newUuid(): string {
  return randomUUID();
}

// ── Fake timers (injected into the sync loop; never real time) ────────────────────────────────

export interface FakeTimer {
  id: number;
  ms: number;
  fn: () => void;
}

export class FakeTimers {
  private nextId = 1;
  readonly pending = new Map<number, FakeTimer>();
  readonly scheduled: number[] = [];

  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { id, ms, fn });
    this.scheduled.push(ms);
    return id;
  };

  readonly clearTimer = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** The only pending timer (the loop keeps at most one between runs). */
  only(): FakeTimer {
    const all = [...this.pending.values()];
    if (all.length !== 1) throw new Error(`expected exactly one pending timer, found ${all.length}`);
    return all[0] as FakeTimer;
  }

  /** Runs the only pending timer and returns the delay it had. */
  fireOnly(): number {
    const t = this.only();
    this.pending.delete(t.id);
    t.fn();
    return t.ms;
  }
}

// ── Fake server ───────────────────────────────────────────────────────────────────────────────

export function response(status: number, body: unknown, headers: Record<string, string> = {}): FetchResponseLike {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
    json: async () => body,
  };
}

export function errorResponse(status: number, code: string, details: unknown = {}, headers: Record<string, string> = {}): FetchResponseLike {
  return response(status, { error: { code, message: code, details } }, headers);
}

export interface SentRequest {
  url: string;
  init: FetchInitLike;
  items: SubmissionItem[];
}

/**
 * An in-memory submissions endpoint that de-duplicates by id like the real one: identical
 * re-send → duplicate, same id with different content → conflict. `reject` lets a test mark ids
 * the server rejects. `before` can short-circuit a request (return a response, or throw).
 */
export class FakeServer {
  readonly stored = new Map<string, string>();
  /** how many times each id was written (must never exceed 1) */
  readonly writes = new Map<string, number>();
  readonly requests: SentRequest[] = [];
  readonly rejectIds = new Set<string>();
  before: ((req: SentRequest) => FetchResponseLike | undefined | Promise<FetchResponseLike | undefined>) | null = null;
  /** called after the batch was stored, before replying: may throw (a lost reply) */
  afterStore: ((req: SentRequest) => void | Promise<void>) | null = null;

  readonly fetch: FetchLike = async (url, init) => {
    const parsed = JSON.parse(init.body) as { submissions: SubmissionItem[] };
    const req: SentRequest = { url, init, items: parsed.submissions };
    this.requests.push(req);
    const early = await this.before?.(req);
    if (early) return early;
    const results: Array<{ id: string; index: number; status: SubmissionOutcome; code?: string; message?: string }> = [];
    parsed.submissions.forEach((item, index) => {
      const canonical = JSON.stringify(item);
      const existing = this.stored.get(item.id);
      if (this.rejectIds.has(item.id)) {
        results.push({ id: item.id, index, status: 'rejected', code: 'ANSWERS_INVALID', message: 'bad answers' });
      } else if (existing === undefined) {
        this.stored.set(item.id, canonical);
        this.writes.set(item.id, (this.writes.get(item.id) ?? 0) + 1);
        results.push({ id: item.id, index, status: 'stored' });
      } else if (existing === canonical) {
        results.push({ id: item.id, index, status: 'duplicate' });
      } else {
        results.push({ id: item.id, index, status: 'conflict', code: 'SUBMISSION_CONFLICT', message: 'different content' });
      }
    });
    await this.afterStore?.(req);
    const counts = { stored: 0, duplicate: 0, conflict: 0, rejected: 0 };
    for (const r of results) counts[r.status] += 1;
    return response(200, { results, counts });
  };
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
