/** The audit log, review events and revisions, and the census identity index on MongoDB. */
import mongoose from 'mongoose';
import type { AuditEvent, AuditFilter, AuditRepository, PersonIndexRepository, ReviewEvent, ReviewRepository, SubmissionRevision } from '../port';
import { duplicateKeyPattern, rethrowUnique } from './errors';
import { prefixRegex } from './mappers';
import type { Models, SubmissionDoc } from './models';
import type { AccessModels, AuditDoc, PersonIndexDoc, ReviewEventDoc, RevisionDoc } from './access-models';

const toAudit = (d: AuditDoc): AuditEvent => ({
  id: d._id, at: d.at, type: d.type, actorKind: d.actorKind, actorId: d.actorId ?? null, actorName: d.actorName ?? null,
  orgUnitId: d.orgUnitId ?? null, orgUnitPath: d.orgUnitPath ?? null, targetType: d.targetType ?? null, targetId: d.targetId ?? null,
  details: d.details ?? {},
});

/** Append-only: this repository never updates or deletes an event (grant the app user no remove on it, see docs). */
export function makeAuditRepository(m: AccessModels): AuditRepository {
  const audit = m.audit;
  return {
    async append(e) {
      const { id, ...rest } = e;
      await audit.create([{ _id: id, ...rest }]);
    },
    async list(f: AuditFilter, after, limit) {
      const q: Record<string, unknown> = {};
      if (f.type !== undefined) q.type = f.type;
      if (f.actorId !== undefined) q.actorId = f.actorId;
      if (f.from !== undefined || f.to !== undefined) {
        const range: Record<string, string> = {};
        if (f.from !== undefined) range.$gte = f.from;
        if (f.to !== undefined) range.$lt = f.to;
        q.at = mongoose.trusted(range);
      }
      if (f.orgUnitPath !== undefined) q.orgUnitPath = prefixRegex(f.orgUnitPath);
      const filter = after
        ? { $and: [q, { $or: [{ at: mongoose.trusted({ $lt: after.at }) }, { at: after.at, _id: mongoose.trusted({ $lt: after.id }) }] }] }
        : q;
      const docs = await audit.find(filter as mongoose.QueryFilter<AuditDoc>).sort({ at: -1, _id: -1 }).limit(limit + 1).lean<AuditDoc[]>();
      const items = docs.slice(0, limit).map(toAudit);
      const last = items[items.length - 1];
      return { items, next: docs.length > limit && last ? { at: last.at, id: last.id } : null };
    },
  };
}

const toReviewEvent = (d: ReviewEventDoc): ReviewEvent => ({
  id: d._id, submissionId: d.submissionId, fromState: d.fromState, toState: d.toState, comment: d.comment ?? null,
  byUserId: d.byUserId, byName: d.byName, at: d.at,
});
const toRevision = (d: RevisionDoc): SubmissionRevision => ({
  submissionId: d.submissionId, revision: d.revision, answers: d.answers, diff: d.diff, comment: d.comment,
  byUserId: d.byUserId, byName: d.byName, at: d.at,
});

export function makeReviewRepository(m: AccessModels, core: Models): ReviewRepository {
  const events = m.reviewEvents;
  const revisions = m.revisions;
  const submissions = core.submissions;
  return {
    /**
     * Compare-and-set on the submission decides (one atomic document update that also records
     * the event id), then the event is upserted by its id. If a crash came between the two, the
     * same call again sees its own event id on the submission and only writes the event.
     */
    async record(e) {
      const cas = await submissions.updateOne(
        { _id: e.submissionId, reviewState: e.fromState },
        { $set: { reviewState: e.toState, lastReviewEventId: e.id } },
      );
      if (cas.matchedCount !== 1) {
        const current = await submissions.findById(e.submissionId, { reviewState: 1, lastReviewEventId: 1 }).lean<Pick<SubmissionDoc, 'reviewState' | 'lastReviewEventId'>>();
        if (!current || current.lastReviewEventId !== e.id || current.reviewState !== e.toState) return false;
      }
      const { id, ...rest } = e;
      await events.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
      return true;
    },
    async history(submissionId) {
      return (await events.find({ submissionId }).sort({ at: 1, _id: 1 }).lean<ReviewEventDoc[]>()).map(toReviewEvent);
    },
    async insertRevision(r) {
      try {
        await revisions.create([{ ...r }]);
      } catch (err) {
        rethrowUnique(err, { revision: 'submission_revision', submissionId: 'submission_revision' });
      }
    },
    async revisions(submissionId) {
      return (await revisions.find({ submissionId }).sort({ revision: 1 }).lean<RevisionDoc[]>()).map(toRevision);
    },
  };
}

export function makePersonIndexRepository(m: AccessModels): PersonIndexRepository {
  const index = m.personIndex;
  return {
    /** Upserts; a duplicate key from a concurrent identical add is the same outcome, so it is ignored. */
    async add(entries) {
      if (entries.length === 0) return;
      try {
        await index.bulkWrite(
          entries.map((e) => ({
            updateOne: {
              filter: { blindIndex: e.blindIndex, submissionId: e.submissionId },
              update: { $setOnInsert: { blindIndex: e.blindIndex, submissionId: e.submissionId } },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      } catch (err) {
        if (!duplicateKeyPattern(err)) throw err;
        const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors ?? [];
        if (writeErrors.some((w) => (w.code ?? w.err?.code) !== 11000)) throw err;
      }
    },
    async find(blindIndex) {
      const docs = await index.find({ blindIndex }).sort({ submissionId: 1 }).lean<PersonIndexDoc[]>();
      return docs.map((d) => d.submissionId);
    },
  };
}
