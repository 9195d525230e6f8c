/**
 * The outbox: completed submissions waiting for the server, keyed by the client-made submission id.
 *
 * Rules (each one is a test in test/client/offline/outbox.test.ts):
 *  - `enqueue` commits durably before it resolves; the same id twice is a no-op (never overwrites).
 *  - Only a server answer for that id removes an item: `stored` or `duplicate` → deleted.
 *    `rejected` → kept as 'rejected' with the reason; `conflict` → kept as 'conflict', content
 *    untouched. Neither is sent again until staff act (`retryRejected`, `discard`, export).
 *  - Nothing here expires. Export/import is the last resort (USB stick to the township office),
 *    and import is idempotent by id.
 */
import { z } from 'zod';
import {
  AnswerProblemSchema,
  SubmissionItemSchema,
  type SubmissionItem,
  type SubmissionResult,
} from '../../../common/api/submissions';
import {
  OUTBOX_BY_STATE_SEQ,
  OUTBOX_STATES,
  STORES,
  getMeta,
  metaGet,
  metaPut,
  requestToPromise,
  runTx,
  type OutboxError,
  type OutboxRecord,
  type OutboxState,
} from './db';
import { pruneFormVersions } from './form-versions';

export type { OutboxRecord, OutboxState, OutboxError } from './db';

function iso(now: Date | undefined): string {
  return (now ?? new Date()).toISOString();
}

function stateRange(state: OutboxState, afterSeq = -Infinity): IDBKeyRange {
  return IDBKeyRange.bound([state, afterSeq], [state, Infinity], true, false);
}

// ── Enqueue ───────────────────────────────────────────────────────────────────────────────────

export type EnqueueResult = { status: 'queued'; seq: number } | { status: 'exists'; state: OutboxState };

/**
 * Adds a record inside an open read-write transaction over outbox + meta (also used by
 * `submitDraft` and `importOutbox`). An existing id is left exactly as it is.
 */
export async function putNewInTx(
  tx: IDBTransaction,
  fields: Omit<OutboxRecord, 'seq'>,
): Promise<EnqueueResult> {
  const store = tx.objectStore(STORES.outbox);
  const existing = (await requestToPromise(store.get(fields.id))) as OutboxRecord | undefined;
  if (existing) return { status: 'exists', state: existing.state };
  const seq = ((await metaGet(tx, 'outboxSeq')) ?? 0) + 1;
  await metaPut(tx, 'outboxSeq', seq);
  await requestToPromise(store.add({ ...fields, seq }));
  return { status: 'queued', seq };
}

export function newRecordFields(item: SubmissionItem, now: Date | undefined): Omit<OutboxRecord, 'seq'> {
  const at = iso(now);
  return { id: item.id, item, state: 'queued', attempts: 0, lastError: null, createdAt: at, updatedAt: at, lastAttemptAt: null };
}

/**
 * Queues a completed submission. Resolves only after the transaction committed (strict
 * durability), so the kiosk may clear the screen once this resolves — and must NOT before:
 * on rejection (e.g. QuotaExceededError) the answers are still only on screen.
 * The item is checked against the server's schema first (a ZodError is thrown for a bad item).
 */
export async function enqueue(item: SubmissionItem, now?: Date): Promise<EnqueueResult> {
  const parsed = SubmissionItemSchema.parse(item);
  return runTx([STORES.outbox, STORES.meta], 'readwrite', (tx) => putNewInTx(tx, newRecordFields(parsed, now)));
}

// ── Read ──────────────────────────────────────────────────────────────────────────────────────

/** Up to `limit` queued items in FIFO order, those with seq > afterSeq. */
export function listQueued(limit: number, afterSeq?: number): Promise<OutboxRecord[]> {
  const count = Math.max(1, Math.floor(limit));
  return runTx(STORES.outbox, 'readonly', (tx) => {
    const index = tx.objectStore(STORES.outbox).index(OUTBOX_BY_STATE_SEQ);
    // Only OutboxRecords are ever written to the outbox store.
    return requestToPromise(index.getAll(stateRange('queued', afterSeq), count)) as Promise<OutboxRecord[]>;
  });
}

/** Every record (optionally of one state), FIFO order: for the staff screen and export. */
export function listOutbox(state?: OutboxState): Promise<OutboxRecord[]> {
  return runTx(STORES.outbox, 'readonly', async (tx) => {
    const index = tx.objectStore(STORES.outbox).index(OUTBOX_BY_STATE_SEQ);
    const states = state ? [state] : OUTBOX_STATES;
    const out: OutboxRecord[] = [];
    for (const s of states) {
      out.push(...((await requestToPromise(index.getAll(stateRange(s)))) as OutboxRecord[]));
    }
    return out.sort((a, b) => a.seq - b.seq);
  });
}

export function getOutboxRecord(id: string): Promise<OutboxRecord | undefined> {
  return runTx(STORES.outbox, 'readonly', (tx) =>
    requestToPromise(tx.objectStore(STORES.outbox).get(id)) as Promise<OutboxRecord | undefined>,
  );
}

export interface OutboxCounts {
  queued: number;
  rejected: number;
  conflict: number;
  /** submissions the server confirmed (stored or duplicate) since this database was created */
  sentTotal: number;
}

export async function counts(): Promise<OutboxCounts> {
  const byState = await runTx(STORES.outbox, 'readonly', async (tx) => {
    const index = tx.objectStore(STORES.outbox).index(OUTBOX_BY_STATE_SEQ);
    const [queued, rejected, conflict] = await Promise.all(
      OUTBOX_STATES.map((s) => requestToPromise(index.count(stateRange(s)))),
    );
    return { queued: queued ?? 0, rejected: rejected ?? 0, conflict: conflict ?? 0 };
  });
  return { ...byState, sentTotal: (await getMeta('sentTotal')) ?? 0 };
}

// ── Server answers ────────────────────────────────────────────────────────────────────────────

export interface MarkSummary {
  deleted: number;
  rejected: number;
  conflict: number;
  /** results for ids that are not (or no longer) in the outbox, or not in the sent batch */
  ignored: number;
}

/**
 * Applies the server's per-item results in ONE transaction. `sentIds` is the batch as sent, in
 * order: it resolves results whose `id` is null (an item the server could not even read) by
 * `index`, and results naming an id that was not sent are ignored.
 */
export async function markResults(
  results: readonly SubmissionResult[],
  sentIds?: readonly string[],
  now?: Date,
): Promise<MarkSummary> {
  const at = iso(now);
  const sent = sentIds ? new Set(sentIds) : null;
  const summary = await runTx([STORES.outbox, STORES.meta], 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.outbox);
    const s: MarkSummary = { deleted: 0, rejected: 0, conflict: 0, ignored: 0 };
    const seen = new Set<string>();
    for (const result of results) {
      const id = result.id ?? (sentIds ? sentIds[result.index] : undefined);
      if (id === undefined || (sent && !sent.has(id)) || seen.has(id)) {
        s.ignored += 1;
        continue;
      }
      seen.add(id);
      const record = (await requestToPromise(store.get(id))) as OutboxRecord | undefined;
      if (!record) {
        s.ignored += 1;
        continue;
      }
      if (result.status === 'stored' || result.status === 'duplicate') {
        await requestToPromise(store.delete(id));
        s.deleted += 1;
        continue;
      }
      const lastError: OutboxError = {
        code: result.code ?? (result.status === 'conflict' ? 'SUBMISSION_CONFLICT' : 'REJECTED'),
        message: result.message ?? '',
        ...(result.problems ? { problems: result.problems } : {}),
      };
      // The item itself is never replaced: only state and bookkeeping change.
      await requestToPromise(
        store.put({ ...record, state: result.status, lastError, attempts: record.attempts + 1, lastAttemptAt: at, updatedAt: at }),
      );
      s[result.status] += 1;
    }
    if (s.deleted > 0) await metaPut(tx, 'sentTotal', ((await metaGet(tx, 'sentTotal')) ?? 0) + s.deleted);
    await metaPut(tx, 'lastSyncAt', at);
    return s;
  });
  return summary;
}

/** A send that got no usable answer: the items stay queued; the attempt and error are noted. */
export async function recordFailure(ids: readonly string[], error: OutboxError, now?: Date): Promise<void> {
  const at = iso(now);
  await runTx(STORES.outbox, 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.outbox);
    for (const id of ids) {
      const record = (await requestToPromise(store.get(id))) as OutboxRecord | undefined;
      if (!record || record.state !== 'queued') continue;
      await requestToPromise(store.put({ ...record, attempts: record.attempts + 1, lastError: error, lastAttemptAt: at }));
    }
  });
}

/**
 * Marks one queued item rejected by the client itself (used when even a batch of one is too
 * large for the server). It is kept, shown to staff and exportable, like a server rejection.
 */
export async function rejectLocally(id: string, error: OutboxError, now?: Date): Promise<boolean> {
  const at = iso(now);
  return runTx(STORES.outbox, 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.outbox);
    const record = (await requestToPromise(store.get(id))) as OutboxRecord | undefined;
    if (!record || record.state !== 'queued') return false;
    await requestToPromise(store.put({ ...record, state: 'rejected', lastError: error, attempts: record.attempts + 1, lastAttemptAt: at, updatedAt: at }));
    return true;
  });
}

// ── Staff actions ─────────────────────────────────────────────────────────────────────────────

/** Puts a rejected item back in the queue (e.g. after the form was fixed on the server). */
export async function retryRejected(id: string, now?: Date): Promise<boolean> {
  const at = iso(now);
  return runTx(STORES.outbox, 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.outbox);
    const record = (await requestToPromise(store.get(id))) as OutboxRecord | undefined;
    if (!record || record.state !== 'rejected') return false;
    // lastError is kept so staff can still see why it was rejected last time.
    await requestToPromise(store.put({ ...record, state: 'queued', updatedAt: at }));
    return true;
  });
}

/**
 * Deletes an item for good. Rejected and conflict items only, unless `force` (a queued item is
 * unsent data; the staff screen should offer export first).
 */
export async function discard(id: string, options: { force?: boolean } = {}): Promise<boolean> {
  const removed = await runTx(STORES.outbox, 'readwrite', async (tx) => {
    const store = tx.objectStore(STORES.outbox);
    const record = (await requestToPromise(store.get(id))) as OutboxRecord | undefined;
    if (!record || (record.state === 'queued' && !options.force)) return false;
    await requestToPromise(store.delete(id));
    return true;
  });
  if (removed) await pruneFormVersions().catch(() => undefined);
  return removed;
}

// ── Export / import ───────────────────────────────────────────────────────────────────────────

export const OUTBOX_FILE_FORMAT = 'cunwen-outbox';
export const OUTBOX_FILE_VERSION = 1;

export interface OutboxFile {
  format: typeof OUTBOX_FILE_FORMAT;
  version: typeof OUTBOX_FILE_VERSION;
  exportedAt: string;
  items: OutboxRecord[];
}

/** Every item in every state, FIFO order, as a JSON-serialisable file payload. */
export async function exportOutbox(now?: Date): Promise<OutboxFile> {
  return { format: OUTBOX_FILE_FORMAT, version: OUTBOX_FILE_VERSION, exportedAt: iso(now), items: await listOutbox() };
}

/** `cunwen-outbox-20260312T083000Z.json`, for the download link. */
export function outboxFileName(exportedAt: string): string {
  return `cunwen-outbox-${exportedAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}.json`;
}

const OutboxErrorSchema = z.object({
  code: z.string().max(200),
  message: z.string().max(5000),
  problems: z.array(AnswerProblemSchema).optional(),
});

const ImportedRecordSchema = z
  .object({
    id: z.uuid(),
    item: SubmissionItemSchema,
    state: z.enum(OUTBOX_STATES),
    attempts: z.number().int().min(0).default(0),
    lastError: OutboxErrorSchema.nullable().default(null),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }).optional(),
    lastAttemptAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .refine((r) => r.id === r.item.id, { message: 'id must equal item.id', path: ['id'] });

const OutboxFileSchema = z.object({
  format: z.literal(OUTBOX_FILE_FORMAT),
  version: z.literal(OUTBOX_FILE_VERSION),
  exportedAt: z.string(),
  items: z.array(z.unknown()).max(100_000),
});

export interface ImportReport {
  imported: number;
  /** ids already in this outbox: left exactly as they were */
  skipped: number;
  /** items that failed validation: not imported, listed for staff */
  invalid: Array<{ index: number; id: string | null; message: string }>;
}

export class OutboxFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxFileError';
  }
}

/**
 * Imports an exported outbox (from `JSON.parse` of the file). The envelope must be a
 * cunwen-outbox v1 file (else OutboxFileError, nothing imported); each item is then checked on its
 * own, so one damaged item does not block the rest. All valid new items go in one transaction.
 */
export async function importOutbox(payload: unknown, now?: Date): Promise<ImportReport> {
  const envelope = OutboxFileSchema.safeParse(payload);
  if (!envelope.success) {
    throw new OutboxFileError(`不是有效的待上传数据文件 / Not a valid outbox file: ${z.prettifyError(envelope.error)}`);
  }
  const report: ImportReport = { imported: 0, skipped: 0, invalid: [] };
  const valid: Array<Omit<OutboxRecord, 'seq'>> = [];
  envelope.data.items.forEach((raw, index) => {
    const parsed = ImportedRecordSchema.safeParse(raw);
    if (parsed.success) {
      const r = parsed.data;
      valid.push({ ...r, updatedAt: r.updatedAt ?? iso(now), lastError: r.lastError ?? null });
    } else {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
      report.invalid.push({ index, id, message: z.prettifyError(parsed.error) });
    }
  });
  if (valid.length > 0) {
    await runTx([STORES.outbox, STORES.meta], 'readwrite', async (tx) => {
      for (const fields of valid) {
        const result = await putNewInTx(tx, fields);
        if (result.status === 'queued') report.imported += 1;
        else report.skipped += 1;
      }
    });
  }
  return report;
}
