/** Submissions on MongoDB: idempotent batch insert keyed by the client's UUID, keyset listing. */
import mongoose from 'mongoose';
import type { InsertOutcome, Submission, SubmissionCursor, SubmissionFilter, SubmissionRepository } from '../port';
import { fromSubmission, prefixRegex, toSubmission } from './mappers';
import type { Models, SubmissionDoc } from './models';
import type { RollupDelta } from '../reports-port';
import { RollupAccumulator } from '../../reports/facts';

type Filter = mongoose.QueryFilter<SubmissionDoc>;

function toFilter(f: SubmissionFilter): Filter {
  const q: Record<string, unknown> = {};
  if (f.formId !== undefined) q.formId = f.formId;
  if (f.formVersion !== undefined) q.formVersion = f.formVersion;
  if (f.orgUnitPath !== undefined) q.orgUnitPath = prefixRegex(f.orgUnitPath);
  if (f.completedFrom !== undefined || f.completedTo !== undefined) {
    const range: Record<string, string> = {};
    if (f.completedFrom !== undefined) range.$gte = f.completedFrom;
    if (f.completedTo !== undefined) range.$lt = f.completedTo;
    // Built here from typed strings, so the operators are ours, not the caller's.
    q.completedAt = mongoose.trusted(range);
  }
  // typed states from the port (never the caller's object); $in over an empty list matches nothing
  if (f.reviewStates !== undefined) q.reviewState = mongoose.trusted({ $in: [...f.reviewStates] });
  return q as Filter;
}

function after(cursor: SubmissionCursor): Filter {
  return {
    $or: [
      { receivedAt: mongoose.trusted({ $gt: cursor.receivedAt }) },
      { receivedAt: cursor.receivedAt, _id: mongoose.trusted({ $gt: cursor.id }) },
    ],
  } as Filter;
}

interface WriteErrorLike {
  index: number;
  code: number;
}

/** The per-item write errors of an unordered bulk insert, or null if `err` is something else. */
function writeErrorsOf(err: unknown): WriteErrorLike[] | null {
  const raw = (err as { writeErrors?: unknown } | null)?.writeErrors;
  if (!Array.isArray(raw)) return null;
  return raw.map((w: { index?: unknown; code?: unknown; err?: { index?: unknown; code?: unknown } }) => ({
    index: Number(w.index ?? w.err?.index),
    code: Number(w.code ?? w.err?.code),
  }));
}

/**
 * `applyRollups`: the `$inc` writer (reports.ts). With it, each new submission is inserted with
 * `rolledUp: false`, the merged delta of the stored items is applied after the insert, then the
 * items are marked `rolledUp: true` (see reports.ts for the crash windows and the repair pass).
 */
export function makeSubmissionRepository(m: Models, applyRollups?: (delta: RollupDelta) => Promise<void>): SubmissionRepository {
  const subs = m.submissions;

  /** `pending[i]`: store item i with `rolledUp: false` (its rollup delta is still to be applied). */
  async function insertOnly(items: Submission[], pending: (i: number) => boolean): Promise<InsertOutcome[]> {
    const outcomes: InsertOutcome[] = items.map(() => 'stored');
    if (items.length === 0) return outcomes;
    try {
      const docs = items.map((s, i) => (pending(i) ? { ...fromSubmission(s), rolledUp: false } : fromSubmission(s)));
      await subs.insertMany(docs, { ordered: false, throwOnValidationError: true });
    } catch (err) {
      const errors = writeErrorsOf(err);
      if (!errors || errors.some((e) => e.code !== 11000 || !(e.index >= 0 && e.index < items.length))) throw err;
      const ids = errors.map((e) => items[e.index]!.id);
      const stored = await subs
        .find({ _id: mongoose.trusted({ $in: ids }) }, { contentHash: 1 })
        .lean<Pick<SubmissionDoc, '_id' | 'contentHash'>[]>();
      const hashOf = new Map(stored.map((s) => [s._id, s.contentHash]));
      for (const e of errors) {
        const item = items[e.index]!;
        outcomes[e.index] = hashOf.get(item.id) === item.contentHash ? 'duplicate' : 'conflict';
      }
    }
    return outcomes;
  }

  return {
    /**
     * One unordered insert of the whole batch; the unique `_id` (the client's UUID) turns every
     * re-sent item into a duplicate-key error, which is then classified by comparing contentHash.
     * Without a transaction a crash may store part of a batch — harmless, because the client
     * re-sends until confirmed and stored items then come back as `duplicate`.
     */
    async insertMany(items: Submission[], rollups?: readonly (RollupDelta | null | undefined)[]) {
      const outcomes = await insertOnly(items, (i) => !!(applyRollups && rollups?.[i]));
      if (rollups && applyRollups) {
        const acc = new RollupAccumulator();
        const stored: string[] = [];
        outcomes.forEach((o, i) => {
          if (o !== 'stored') return;
          const d = rollups[i];
          if (d) { acc.add(d); stored.push(items[i]!.id); }
        });
        if (stored.length) {
          await applyRollups(acc.toDelta());
          await subs.updateMany({ _id: mongoose.trusted({ $in: stored }) }, { $set: { rolledUp: true } });
        }
      }
      return outcomes;
    },
    async getHashes(ids) {
      if (ids.length === 0) return new Map<string, string>();
      const docs = await subs
        .find({ _id: mongoose.trusted({ $in: [...new Set(ids)] }) }, { contentHash: 1 })
        .lean<Pick<SubmissionDoc, '_id' | 'contentHash'>[]>();
      return new Map(docs.map((d) => [d._id, d.contentHash]));
    },
    async get(id) {
      const d = await subs.findById(id).lean<SubmissionDoc>();
      return d ? toSubmission(d) : null;
    },
    async list(filter, cursor, limit) {
      const base = toFilter(filter);
      const q = cursor ? ({ $and: [base, after(cursor)] } as Filter) : base;
      const docs = await subs.find(q).sort({ receivedAt: 1, _id: 1 }).limit(limit + 1).lean<SubmissionDoc[]>();
      const items = docs.slice(0, limit).map(toSubmission);
      const last = items[items.length - 1];
      return { items, next: docs.length > limit && last ? { receivedAt: last.receivedAt, id: last.id } : null };
    },
    async count(filter) {
      return subs.countDocuments(toFilter(filter));
    },
  };
}
