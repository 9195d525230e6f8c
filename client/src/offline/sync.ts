/**
 * The sync loop: sends the outbox to `POST /api/v1/submissions` in batches.
 *
 * Triggers: `start()`, the window's `online` event, a timer (every `intervalMs`, or the backoff
 * delay after a failure) and `syncNow()`. Only one sync runs at a time; a trigger that arrives
 * while one runs joins it (gets the same promise) and makes it take one more pass over the queue
 * before it resolves, so an item enqueued just before `syncNow()` is included.
 *
 * ── Why a kill at any point loses nothing and duplicates nothing ───────────────────────────────
 * 1. An answer is in the outbox before the kiosk lets go of it: `enqueue` resolves only after its
 *    read-write transaction committed with strict durability.
 * 2. Sending does not write to the outbox at all: there is no "sending" state that a crash could
 *    strand. The batch is read, posted, and the outbox is changed only afterwards.
 * 3. An item is deleted only by `markResults`, only for an id the server answered `stored` or
 *    `duplicate` in a 200 reply to the batch that contained it, in ONE transaction (all results of
 *    the reply applied, or none).
 * 4. So at every await point the state is one of:
 *      before/while posting          → items queued; the server has them or not;
 *      server stored, reply lost     → items queued; the server has them;
 *      reply read, markResults not   → same;
 *      markResults committed         → confirmed items gone, the rest kept with their state.
 *    After a restart every still-queued item is sent again with the SAME client-made id; the
 *    server de-duplicates by id (identical → `duplicate`, counted as sent and deleted; different
 *    content → `conflict`, kept). A re-send is therefore harmless, and nothing leaves the device
 *    that the server does not hold.
 * 5. Two tabs syncing at once is the same case as a re-send: harmless.
 * 6. Failures never delete: network errors, timeouts, 5xx, 429, unreadable replies and other 4xx
 *    leave the items queued and back off; 401 (device revoked) stops the loop and keeps
 *    everything; 413 makes the batch smaller. A single item too large for the server (413 on a
 *    batch of one) is marked 'rejected' locally — kept, shown to staff, exportable.
 * 7. Each pass walks the queue by seq (a cursor), so a reply that omits an id cannot make the loop
 *    spin: that id stays queued for the next sync.
 */
import { z } from 'zod';
import { SubmitBatchResponse, type SubmissionOutcome } from '../../../common/api/submissions';
import { counts, listQueued, markResults, recordFailure, rejectLocally, type OutboxError } from './outbox';
import { pruneFormVersions } from './form-versions';

export const SUBMISSIONS_PATH = '/api/v1/submissions';

export interface FetchResponseLike {
  status: number;
  headers?: { get(name: string): string | null };
  json(): Promise<unknown>;
}

export interface FetchInitLike {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/** The subset of `fetch` the loop uses (the real `fetch` fits). */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

export type TimerHandle = unknown;

export interface EventSourceLike {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

export interface SyncLoopOptions {
  fetch: FetchLike;
  /** e.g. 'https://cunwen.example.cn' or '' for the same origin */
  baseUrl: string;
  /** the device credential, sent as `Authorization: Bearer <token>` when present */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  batchSize?: number;
  /** time between syncs when nothing failed (default 5 min) */
  intervalMs?: number;
  /** first backoff ceiling (default 2 s); doubles per consecutive failure */
  backoffBaseMs?: number;
  /** backoff ceiling cap (default 5 min) */
  backoffMaxMs?: number;
  /** a request that takes longer counts as a network error (default 60 s; 0 = no limit) */
  requestTimeoutMs?: number;
  random?: () => number;
  now?: () => Date;
  setTimer?: (fn: () => void, ms: number) => TimerHandle;
  clearTimer?: (handle: TimerHandle) => void;
  /** where `online` events come from (default `window`); null = none */
  events?: EventSourceLike | null;
  /** default `navigator.onLine !== false`; when false no request is made */
  isOnline?: () => boolean;
  onChange?: (status: SyncStatus) => void;
}

export type SyncBlock = 'revoked' | 'unauthorized';

export interface SyncReport {
  /**
   * done: the queue was walked to its end (rejected/conflict items may remain, see counts);
   * retry: a failure, next attempt after `retryInMs`; blocked: the device credential was refused;
   * offline: the browser reports no network, nothing was sent; stopped: stop() during the run.
   */
  outcome: 'done' | 'retry' | 'blocked' | 'offline' | 'stopped';
  stored: number;
  duplicate: number;
  rejected: number;
  conflict: number;
  /** requests answered with per-item results */
  batches: number;
  /** items still queued when the run ended */
  remaining: number;
  blocked: SyncBlock | null;
  error: { code: string; message: string; status?: number } | null;
  retryInMs: number | null;
  finishedAt: string;
}

export interface SyncStatus {
  started: boolean;
  running: boolean;
  blocked: SyncBlock | null;
  /** consecutive failures (0 after any answered batch) */
  failures: number;
  batchSize: number;
  nextRunAt: string | null;
  lastReport: SyncReport | null;
}

export interface SyncLoop {
  start(): void;
  stop(): void;
  syncNow(): Promise<SyncReport>;
  status(): SyncStatus;
}

const REVOKED_CODES = new Set(['DEVICE_REVOKED', 'DEVICE_UNAUTHORIZED']);

/** Only the per-item results matter here; `counts` is informative and not required. */
const BatchReply = z.object({ results: SubmitBatchResponse.shape.results });

interface ErrorBody {
  code?: string;
  message?: string;
  details?: unknown;
}

function readErrorBody(body: unknown): ErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.message === 'string' ? { message: e.message } : {}),
    details: e.details,
  };
}

function detailsMax(details: unknown): number | null {
  if (typeof details !== 'object' || details === null) return null;
  const max = (details as { max?: unknown }).max;
  return typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : null;
}

function defaultEvents(): EventSourceLike | null {
  const w = (globalThis as { window?: Partial<EventSourceLike> }).window;
  return w && typeof w.addEventListener === 'function' && typeof w.removeEventListener === 'function'
    ? (w as EventSourceLike)
    : null;
}

function defaultIsOnline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false;
}

class RequestTimeout extends Error {
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeout';
  }
}

export function createSyncLoop(options: SyncLoopOptions): SyncLoop {
  const fetchFn = options.fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}${SUBMISSIONS_PATH}`;
  const intervalMs = options.intervalMs ?? 5 * 60_000;
  const backoffBaseMs = options.backoffBaseMs ?? 2_000;
  const backoffMaxMs = options.backoffMaxMs ?? 5 * 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number): TimerHandle => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: TimerHandle) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const events = options.events === undefined ? defaultEvents() : options.events;
  const isOnline = options.isOnline ?? defaultIsOnline;

  let batchSize = Math.max(1, Math.floor(options.batchSize ?? 50));
  let started = false;
  let blocked: SyncBlock | null = null;
  let failures = 0;
  let timer: TimerHandle | null = null;
  let nextRunAt: Date | null = null;
  let inFlight: Promise<SyncReport> | null = null;
  let rerun = false;
  let stopRequested = false;
  let lastReport: SyncReport | null = null;

  function status(): SyncStatus {
    return {
      started,
      running: inFlight !== null,
      blocked,
      failures,
      batchSize,
      nextRunAt: nextRunAt ? nextRunAt.toISOString() : null,
      lastReport,
    };
  }

  function notify(): void {
    try {
      options.onChange?.(status());
    } catch {
      /* a UI listener must never break syncing */
    }
  }

  function cancelTimer(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
    nextRunAt = null;
  }

  function schedule(ms: number): void {
    cancelTimer();
    if (!started || blocked) return;
    nextRunAt = new Date(now().getTime() + ms);
    timer = setTimer(() => {
      timer = null;
      nextRunAt = null;
      void trigger();
    }, ms);
  }

  /** Full jitter: uniform in [0, min(cap, base · 2^(n−1))) for the n-th consecutive failure. */
  function backoffDelay(retryAfterMs: number | null): number {
    failures += 1;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(failures - 1, 30));
    const jittered = Math.floor(random() * ceiling);
    return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, backoffMaxMs));
  }

  function retryAfter(response: FetchResponseLike): number | null {
    const raw = response.headers?.get('retry-after');
    if (!raw) return null;
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(raw);
    return Number.isNaN(date) ? null : Math.max(0, date - now().getTime());
  }

  interface Answer {
    response: FetchResponseLike;
    /** the parsed body, or null when it was not JSON */
    json: unknown;
  }

  /** Posts one batch and reads the whole reply; the time limit covers both (a stalled body too). */
  async function post(body: string): Promise<Answer> {
    const token = await options.getToken?.();
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const controller = requestTimeoutMs > 0 && typeof AbortController === 'function' ? new AbortController() : null;
    const exchange = async (): Promise<Answer> => {
      const response = await fetchFn(url, { method: 'POST', headers, body, ...(controller ? { signal: controller.signal } : {}) });
      let json: unknown = null;
      try {
        json = await response.json();
      } catch {
        json = null;
      }
      return { response, json };
    };
    if (requestTimeoutMs <= 0) return exchange();
    let handle: TimerHandle | null = null;
    const timeout = new Promise<never>((_, reject) => {
      handle = setTimer(() => {
        controller?.abort();
        reject(new RequestTimeout());
      }, requestTimeoutMs);
    });
    try {
      return await Promise.race([exchange(), timeout]);
    } finally {
      if (handle !== null) clearTimer(handle);
    }
  }

  interface Pass {
    report: SyncReport;
    /** seq of the last item answered or given up on in this run */
    cursor: number;
  }

  function fail(pass: Pass, error: NonNullable<SyncReport['error']>, retryAfterMs: number | null = null): void {
    pass.report.outcome = 'retry';
    pass.report.error = error;
    pass.report.retryInMs = backoffDelay(retryAfterMs);
  }

  /** One walk over the queue from the cursor. Returns when the queue end is reached or on a stop. */
  async function walk(pass: Pass): Promise<void> {
    const report = pass.report;
    for (;;) {
      if (stopRequested) {
        report.outcome = 'stopped';
        return;
      }
      const batch = await listQueued(batchSize, pass.cursor);
      const last = batch[batch.length - 1];
      if (!last) {
        report.outcome = 'done';
        return;
      }
      const ids = batch.map((r) => r.id);
      const body = JSON.stringify({ submissions: batch.map((r) => r.item) });

      let answer: Answer;
      try {
        answer = await post(body);
      } catch (error) {
        const timedOut = error instanceof RequestTimeout;
        const e: OutboxError = {
          code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
          message: timedOut ? '服务器无响应 / The server did not answer in time' : `网络错误 / Network error: ${String((error as Error)?.message ?? error)}`,
        };
        await recordFailure(ids, e, now());
        fail(pass, e);
        return;
      }

      const { response, json } = answer;

      if (response.status >= 200 && response.status < 300) {
        const parsed = BatchReply.safeParse(json);
        if (!parsed.success) {
          const e = { code: 'BAD_RESPONSE', message: '服务器回复无法识别 / The server reply could not be read', status: response.status };
          await recordFailure(ids, e, now());
          fail(pass, e);
          return;
        }
        await markResults(parsed.data.results, ids, now());
        // Counted only once the outbox reflects them (same rules as markResults: sent ids, first result wins).
        const sent = new Set(ids);
        const seen = new Set<string>();
        for (const result of parsed.data.results) {
          const id = result.id ?? ids[result.index];
          if (id === undefined || !sent.has(id) || seen.has(id)) continue;
          seen.add(id);
          report[result.status satisfies SubmissionOutcome] += 1;
        }
        failures = 0;
        report.batches += 1;
        pass.cursor = last.seq;
        notify();
        continue;
      }

      const err = readErrorBody(json);
      const code = err.code ?? `HTTP_${response.status}`;
      const message = err.message ?? `HTTP ${response.status}`;

      if (response.status === 413) {
        if (batch.length > 1) {
          let next = Math.max(1, Math.floor(batch.length / 2));
          const max = detailsMax(err.details);
          if (max !== null && max < next) next = max;
          batchSize = next;
          notify();
          continue; // same cursor: the same items, in smaller batches
        }
        const only = batch[0];
        if (only && code !== 'BATCH_TOO_LARGE') {
          // One item is bigger than the server accepts: keep it, as rejected, and go on.
          await rejectLocally(only.id, { code, message }, now());
          report.rejected += 1;
          pass.cursor = only.seq;
          continue;
        }
        fail(pass, { code, message, status: 413 });
        return;
      }

      if (response.status === 401 || response.status === 403) {
        blocked = REVOKED_CODES.has(code) ? 'revoked' : 'unauthorized';
        report.outcome = 'blocked';
        report.blocked = blocked;
        report.error = { code, message, status: response.status };
        return;
      }

      // 429, 5xx and any other answer: the batch is not accepted now; keep it and back off.
      const e = { code, message, status: response.status };
      await recordFailure(ids, { code, message }, now());
      fail(pass, e, response.status === 429 || response.status === 503 ? retryAfter(response) : null);
      return;
    }
  }

  async function run(explicit: boolean): Promise<SyncReport> {
    stopRequested = false;
    if (explicit) blocked = null;
    const pass: Pass = {
      report: {
        outcome: 'done',
        stored: 0,
        duplicate: 0,
        rejected: 0,
        conflict: 0,
        batches: 0,
        remaining: 0,
        blocked: null,
        error: null,
        retryInMs: null,
        finishedAt: '',
      },
      cursor: -Infinity,
    };
    const report = pass.report;
    notify();
    try {
      if (!isOnline()) {
        report.outcome = 'offline';
      } else {
        do {
          rerun = false;
          await walk(pass);
        } while (rerun && report.outcome === 'done');
      }
    } catch (error) {
      // IndexedDB failed (quota, storage cleared under us…). Nothing was deleted; try again later.
      fail(pass, { code: 'LOCAL_STORAGE_ERROR', message: `本机存储出错 / Local storage error: ${String((error as Error)?.message ?? error)}` });
    }
    try {
      report.remaining = (await counts()).queued;
      if (report.stored + report.duplicate > 0) await pruneFormVersions();
    } catch {
      /* only bookkeeping */
    }
    report.finishedAt = now().toISOString();
    lastReport = report;
    if (report.outcome === 'blocked') cancelTimer();
    else schedule(report.outcome === 'retry' && report.retryInMs !== null ? report.retryInMs : intervalMs);
    return report;
  }

  function trigger(explicit = false): Promise<SyncReport> {
    if (inFlight) {
      rerun = true;
      return inFlight;
    }
    if (blocked && !explicit) return Promise.resolve(lastReport ?? blockedReport());
    cancelTimer();
    const current = run(explicit).finally(() => {
      inFlight = null;
      notify();
    });
    inFlight = current;
    return current;
  }

  function blockedReport(): SyncReport {
    return {
      outcome: 'blocked',
      stored: 0,
      duplicate: 0,
      rejected: 0,
      conflict: 0,
      batches: 0,
      remaining: 0,
      blocked,
      error: null,
      retryInMs: null,
      finishedAt: now().toISOString(),
    };
  }

  const onOnline = (): void => {
    void trigger();
  };

  return {
    start(): void {
      if (started) return;
      started = true;
      stopRequested = false;
      events?.addEventListener('online', onOnline);
      void trigger(true);
    },
    stop(): void {
      started = false;
      stopRequested = true;
      events?.removeEventListener('online', onOnline);
      cancelTimer();
      notify();
    },
    syncNow(): Promise<SyncReport> {
      return trigger(true);
    },
    status,
  };
}

/**
 * What the tablet says when syncing is blocked (zh-CN first). Both messages tell staff that the
 * answers are still on the tablet: nothing is dropped when the credential is refused.
 */
export function describeBlock(block: SyncBlock): { zh: string; en: string } {
  switch (block) {
    case 'revoked':
      return {
        zh: '该平板已被停用,无法上传。请联系乡镇工作人员重新登记。未上传的答卷仍安全保存在本机。',
        en: 'This tablet has been revoked and cannot upload. Ask township staff to enrol it again. Answers not yet uploaded are kept safely on this tablet.',
      };
    case 'unauthorized':
      return {
        zh: '平板未登记或凭证无效,无法上传。请联系乡镇工作人员。未上传的答卷仍安全保存在本机。',
        en: 'This tablet is not enrolled or its credential is invalid, so it cannot upload. Contact township staff. Answers not yet uploaded are kept safely on this tablet.',
      };
  }
}
