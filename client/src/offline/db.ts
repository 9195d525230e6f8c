/**
 * The tablet's offline database: IndexedDB `cunwen`, raw API wrapped in a few promise helpers.
 *
 * No React, no library: this file and its siblings are the part of the client that must never
 * lose a villager's answers, so they are small, plain and tested on their own (fake-indexeddb).
 *
 * ── Schema history ─────────────────────────────────────────────────────────────────────────────
 * A version, once shipped, is never edited. A new version adds a step to `upgrade()` below; the
 * steps run in order from the version found on the device, so a tablet that skipped releases
 * still walks every step and keeps its data. Never delete a store that may hold queued answers:
 * move its records first, in the same upgrade transaction.
 *
 *  v1  outbox        keyPath 'id'   { id, item, state, attempts, createdAt, updatedAt }
 *      meta          out-of-line keys (key → value)
 *
 *  v2  outbox        + fields seq (FIFO order), lastError, lastAttemptAt; v1 records are backfilled
 *                      (seq in createdAt order; missing state → 'queued', attempts → 0)
 *                    + index 'byStateSeq' on [state, seq]   (listQueued, counts)
 *      drafts        keyPath 'id'   census drafts { id, formId, formVersion, orgUnit, data,
 *                                   startedAt, updatedAt, label }
 *                    + index 'byUpdatedAt'
 *      formVersions  keyPath 'key'  `${formId}@${version}` → { key, formId, version, definition,
 *                                   cachedAt, current }; kept while `current` (the version the
 *                                   kiosk is enrolled to) or while a draft / outbox item needs it
 *      meta          keys: 'device', 'lastSyncAt', 'sentTotal', 'outboxSeq'
 *                    (+ kiosk keys, no schema change: 'deviceToken', 'deviceConfig', 'staffPin',
 *                     'kioskSettings')
 *
 * ── Durability ─────────────────────────────────────────────────────────────────────────────────
 * Every read-write transaction is opened with `durability: 'strict'` (Chromium's default is
 * 'relaxed', which may report `complete` before the data reaches the disk), and a write resolves
 * only on the transaction's `complete` event. An `abort`/`error` rejects. Inside a transaction body
 * only IndexedDB requests may be awaited (awaiting anything else lets the transaction auto-commit).
 */
import type { SubmissionItem, AnswerProblem } from '../../../common/api/submissions';
import type { SurveyDefinition } from '../../../common/api/forms';
import type { DeviceConfigDto } from '../../../common/api/devices';

export const DB_NAME = 'cunwen';
export const DB_VERSION = 2;

export const STORES = {
  outbox: 'outbox',
  drafts: 'drafts',
  formVersions: 'formVersions',
  meta: 'meta',
} as const;
export type StoreName = (typeof STORES)[keyof typeof STORES];

export const OUTBOX_BY_STATE_SEQ = 'byStateSeq';
export const DRAFTS_BY_UPDATED_AT = 'byUpdatedAt';

// ── Record shapes ─────────────────────────────────────────────────────────────────────────────

export const OUTBOX_STATES = ['queued', 'rejected', 'conflict'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxError {
  code: string;
  message: string;
  problems?: AnswerProblem[];
}

export interface OutboxRecord {
  /** = item.id, the client-made uuid the server de-duplicates by */
  id: string;
  item: SubmissionItem;
  state: OutboxState;
  /** FIFO position, allocated from meta 'outboxSeq' in the enqueue transaction */
  seq: number;
  /** sends that got an answer or a transport failure */
  attempts: number;
  lastError: OutboxError | null;
  createdAt: string;
  updatedAt: string;
  lastAttemptAt: string | null;
}

export interface DraftRecord {
  /** a uuid; becomes the submission id when the draft is submitted, so a draft can be queued once */
  id: string;
  formId: string;
  /** the version the draft was started in; it is finished in that same version */
  formVersion: number;
  orgUnit: string;
  /** SurveyJS data (answers so far) */
  data: Record<string, unknown>;
  startedAt: string;
  updatedAt: string;
  /** what staff see in the draft list, e.g. "3组 王家" */
  label: string;
}

export interface FormVersionRecord {
  /** `${formId}@${version}` */
  key: string;
  formId: string;
  version: number;
  definition: SurveyDefinition;
  cachedAt: string;
  /** true while the tablet is enrolled to this version; otherwise kept only while needed */
  current: boolean;
}

export interface DeviceInfo {
  id: string;
  name?: string;
  orgUnit?: string;
  enrolledAt?: string;
}

/** Kiosk behaviour staff can change on the tablet. */
export interface KioskSettings {
  /** seconds without a touch before "还在吗?" */
  idleSeconds: number;
  /** seconds the prompt waits before wiping the unfinished form */
  promptSeconds: number;
  /** knowledge quizzes: show the correct answers at the end */
  showQuizAnswers: boolean;
  /** seconds the thank-you screen stays before the automatic reset */
  thankYouSeconds: number;
}

/** The staff PIN set at enrolment, salted and hashed (SHA-256). */
export interface StaffPinRecord {
  salt: string;
  hash: string;
}

/** The meta store's keys and the type of each value. */
export interface MetaValues {
  device: DeviceInfo;
  lastSyncAt: string;
  sentTotal: number;
  outboxSeq: number;
  /** the device credential from enrolment (Authorization: Bearer) */
  deviceToken: string;
  /** the last device configuration from the server (village, groups, assigned forms) */
  deviceConfig: DeviceConfigDto;
  staffPin: StaffPinRecord;
  kioskSettings: KioskSettings;
}
export type MetaKey = keyof MetaValues;

export function formVersionKey(formId: string, version: number): string {
  return `${formId}@${version}`;
}

// ── Promise helpers ───────────────────────────────────────────────────────────────────────────

export function requestToPromise<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves on `complete` (the data is committed), rejects on `abort` or `error`. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    tx.onerror = () => {
      /* the abort event follows and carries the error */
    };
  });
}

// ── Connection ────────────────────────────────────────────────────────────────────────────────

let connection: Promise<IDBDatabase> | null = null;

function factory(): IDBFactory {
  // Looked up on every open so tests can swap in a fresh fake factory.
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new Error('IndexedDB is not available in this browser / 此浏览器不支持 IndexedDB');
  return f;
}

/**
 * Opens (once) and upgrades the database. The connection closes itself when another tab needs to
 * upgrade (`versionchange`), and the next call reopens it.
 */
export function openDb(): Promise<IDBDatabase> {
  if (connection) return connection;
  const opening = new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory().open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (!tx) throw new Error('upgrade without a versionchange transaction');
      upgrade(request.result, tx, event.oldVersion);
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        if (connection === opening) connection = null;
      };
      db.onclose = () => {
        if (connection === opening) connection = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    // onblocked: an older connection in another tab has not closed yet; its onversionchange
    // handler closes it, after which the open proceeds. Nothing to do here.
  });
  connection = opening;
  opening.catch(() => {
    if (connection === opening) connection = null;
  });
  return opening;
}

/** Closes this tab's connection (tests use it to prove a fresh connection sees the data). */
export async function closeDb(): Promise<void> {
  const current = connection;
  connection = null;
  if (current) {
    try {
      (await current).close();
    } catch {
      /* it never opened */
    }
  }
}

/** Deletes the whole database. Staff "reset tablet" and tests only: this drops queued answers. */
export async function deleteDb(): Promise<void> {
  await closeDb();
  await new Promise<void>((resolve, reject) => {
    const request = factory().deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB delete failed'));
  });
}

/**
 * Runs `body` in one transaction and resolves with its result after the transaction committed.
 * If `body` throws, the transaction is aborted and nothing it wrote is kept.
 * `body` may await only requests of `tx`.
 */
export async function runTx<T>(
  stores: StoreName | StoreName[],
  mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T> | T,
): Promise<T> {
  const db = await openDb();
  const tx =
    mode === 'readwrite' ? db.transaction(stores, mode, { durability: 'strict' }) : db.transaction(stores, mode);
  const done = transactionDone(tx);
  done.catch(() => {
    /* observed below; this only prevents an unhandled rejection while body runs */
  });
  let result: T;
  try {
    result = await body(tx);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      /* already finished */
    }
    throw error;
  }
  await done;
  return result;
}

// ── Meta ──────────────────────────────────────────────────────────────────────────────────────

export function metaGet<K extends MetaKey>(tx: IDBTransaction, key: K): Promise<MetaValues[K] | undefined> {
  // The meta store only ever holds values written through metaPut with the same key.
  return requestToPromise(tx.objectStore(STORES.meta).get(key)) as Promise<MetaValues[K] | undefined>;
}

export function metaPut<K extends MetaKey>(tx: IDBTransaction, key: K, value: MetaValues[K]): Promise<IDBValidKey> {
  return requestToPromise(tx.objectStore(STORES.meta).put(value, key));
}

export function getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
  return runTx(STORES.meta, 'readonly', (tx) => metaGet(tx, key));
}

export async function setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
  await runTx(STORES.meta, 'readwrite', (tx) => metaPut(tx, key, value));
}

// ── Upgrade ───────────────────────────────────────────────────────────────────────────────────

/**
 * One step per version, run in order from `oldVersion`. (An `if (oldVersion < n)` ladder is the
 * `switch (oldVersion)` fall-through idiom written so that the strict `noFallthroughCasesInSwitch`
 * check accepts it.) Runs inside the versionchange transaction: if any step fails, the whole
 * upgrade is rolled back and the device keeps its old database intact.
 */
function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORES.outbox, { keyPath: 'id' });
    db.createObjectStore(STORES.meta);
  }
  if (oldVersion < 2) {
    const outbox = tx.objectStore(STORES.outbox);
    outbox.createIndex(OUTBOX_BY_STATE_SEQ, ['state', 'seq'], { unique: false });
    const drafts = db.createObjectStore(STORES.drafts, { keyPath: 'id' });
    drafts.createIndex(DRAFTS_BY_UPDATED_AT, 'updatedAt', { unique: false });
    db.createObjectStore(STORES.formVersions, { keyPath: 'key' });
    backfillOutboxV2(tx);
  }
  // v3 goes here: `if (oldVersion < 3) { … }` — add stores/indexes, migrate records in place.
}

/** v1 → v2: give every outbox record a FIFO seq (in createdAt order) and the v2 fields. */
function backfillOutboxV2(tx: IDBTransaction): void {
  const outbox = tx.objectStore(STORES.outbox);
  const meta = tx.objectStore(STORES.meta);
  const all = outbox.getAll();
  all.onsuccess = () => {
    // v1 records may lack any of the v2 fields; treat them as loosely typed until rebuilt.
    const records = all.result as Array<Partial<OutboxRecord> & { id: string }>;
    records.sort((a, b) => String(a.createdAt ?? '').localeCompare(String(b.createdAt ?? '')) || a.id.localeCompare(b.id));
    let seq = 0;
    for (const old of records) {
      seq += 1;
      const state: OutboxState = OUTBOX_STATES.includes(old.state as OutboxState) ? (old.state as OutboxState) : 'queued';
      const createdAt = old.createdAt ?? new Date(0).toISOString();
      const record = {
        ...old,
        state,
        seq,
        attempts: typeof old.attempts === 'number' ? old.attempts : 0,
        lastError: old.lastError ?? null,
        createdAt,
        updatedAt: old.updatedAt ?? createdAt,
        lastAttemptAt: old.lastAttemptAt ?? null,
      };
      outbox.put(record);
    }
    meta.put(seq, 'outboxSeq');
  };
}

// ── Persistent storage ────────────────────────────────────────────────────────────────────────

export interface PersistenceResult {
  /** the browser offers the Storage API's persist() */
  supported: boolean;
  /** storage is persistent: the browser will not evict it under storage pressure */
  persisted: boolean;
}

/**
 * Asks the browser not to evict our storage (queued answers live there). Safe to call on every
 * start: it first checks `persisted()`, and a refusal is reported, never thrown.
 */
export async function requestPersistence(): Promise<PersistenceResult> {
  const storage = (globalThis as { navigator?: { storage?: Partial<StorageManager> } }).navigator?.storage;
  if (!storage || typeof storage.persist !== 'function') return { supported: false, persisted: false };
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) {
      return { supported: true, persisted: true };
    }
    return { supported: true, persisted: await storage.persist() };
  } catch {
    return { supported: true, persisted: false };
  }
}
