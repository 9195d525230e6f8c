/**
 * The reports repository on MongoDB (issue 5). Rollups are `$inc` upserts keyed by their unique
 * (indicator, org unit, period) index — commutative, so concurrent batches never lose counts
 * (the server retries an upsert that lost a unique-key race). There is no transaction tying a
 * batch's rows to its rollup increments: see `unrolled` and submissions.insertMany.
 */
import mongoose from 'mongoose';
import { IndicatorDefinitionSchema } from '../../../common/scoring';
import type { PeriodType } from '../../../common/periods';
import type { TargetOp } from '../../../common/stats';
import { EXCLUDED_KEYS, ITEM_COUNT_KEYS, type ExcludedKey, type ItemCountKey, type ReportRepository, type RollupDelta, type StoredIndicator, type StoredTarget, type TargetScope, type WorkPlanEntry } from '../reports-port';
import { prefixRegex, text, toSubmission } from './mappers';
import type { SubmissionDoc } from './models';
import { defineReportModels, type IndicatorDoc, type ItemRollupDoc, type ReportModels, type RollupDoc, type TargetDoc, type WorkPlanDoc } from './reports-models';

/** The report models of a connection, defined once. */
function reportModels(conn: mongoose.Connection): ReportModels {
  const existing = conn.models['Rollup'];
  if (!existing) return defineReportModels(conn);
  return {
    rollups: conn.model('Rollup'), itemRollups: conn.model('ItemRollup'), indicators: conn.model('Indicator'),
    targets: conn.model('IndicatorTarget'), workPlan: conn.model('WorkPlanEntry'),
  } as unknown as ReportModels; // the same models defineReportModels registered, looked up by name
}

/** The `$inc` writer that submissions.insertMany uses for the deltas of stored items. */
export function makeMongoRollupWriter(conn: mongoose.Connection): (delta: RollupDelta) => Promise<void> {
  const r = reportModels(conn);
  return (delta) => applyRollupDelta(r, delta);
}

/** Creates the report collections and indexes (like the others at open) and returns the repository. */
export async function makeMongoReports(conn: mongoose.Connection): Promise<ReportRepository> {
  const r = reportModels(conn);
  for (const model of Object.values(r) as mongoose.Model<never>[]) {
    await model.createCollection().catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 48) throw err; // NamespaceExists
    });
    await model.syncIndexes();
  }
  return makeReportRepository(r, conn.model<SubmissionDoc>('Submission'));
}

const inList = (values: readonly string[]) => mongoose.trusted({ $in: [...values] });

/** Adds a delta to the rollups: one unordered bulk of `$inc` upserts. */
export async function applyRollupDelta(r: ReportModels, delta: RollupDelta): Promise<void> {
  if (delta.rows.length > 0) {
    await r.rollups.bulkWrite(delta.rows.map((row) => {
      const $inc: Record<string, number> = {
        numerator: row.numerator ?? 0, numeratorSq: row.numeratorSq ?? 0, denominator: row.denominator ?? 0, responses: row.responses ?? 0,
      };
      for (const k of EXCLUDED_KEYS) $inc[`excluded.${k}`] = row.excluded?.[k] ?? 0;
      return { updateOne: { filter: { indicatorId: row.indicatorId, orgUnitId: row.orgUnitId, period: row.period }, update: { $inc }, upsert: true } };
    }), { ordered: false });
  }
  if (delta.items.length > 0) {
    await r.itemRollups.bulkWrite(delta.items.map((i) => {
      const $inc: Record<string, number> = {};
      for (const k of ITEM_COUNT_KEYS) $inc[`counts.${k}`] = i.counts[k] ?? 0;
      return { updateOne: { filter: { formId: i.formId, item: i.item, orgUnitId: i.orgUnitId, period: i.period }, update: { $inc }, upsert: true } };
    }), { ordered: false });
  }
}

const toIndicator = (d: IndicatorDoc): StoredIndicator => ({
  definition: IndicatorDefinitionSchema.parse(d.definition), builtIn: d.builtIn, createdAt: d.createdAt, updatedAt: d.updatedAt,
});
const scopeOf = (s: TargetScope) => (s.kind === 'default' ? { scopeKind: 'default' as const, scopeId: '' } : { scopeKind: s.kind, scopeId: s.id });
const toTarget = (d: TargetDoc): StoredTarget => ({
  indicatorId: d.indicatorId,
  scope: d.scopeKind === 'default' ? { kind: 'default' } : { kind: d.scopeKind, id: d.scopeId },
  periodType: d.periodType === '*' ? null : (d.periodType as PeriodType),
  target: { op: d.op as TargetOp, value: d.value },
  updatedAt: d.updatedAt,
});
const toWork = (d: WorkPlanDoc): WorkPlanEntry => ({
  orgUnitId: d.orgUnitId, period: d.period, key: d.key, name: text(d.name), value: d.value, denominator: d.denominator ?? null,
  target: d.target ? { op: d.target.op as TargetOp, value: d.target.value } : null, updatedAt: d.updatedAt,
});

/**
 * Crash windows without a transaction (submissions.insertMany): a submission is inserted with
 * `rolledUp: false`, the batch's merged delta is applied, then the items get `rolledUp: true`.
 * `unrolled` lists the ones still false for the repair pass, which re-applies their deltas and
 * calls `markRolledUp`. A crash between applying and marking makes the repair count that batch
 * twice; the rebuild command (`replaceAll`) is the exact fix, and it clears every mark.
 */
export function makeReportRepository(r: ReportModels, subs: mongoose.Model<SubmissionDoc>): ReportRepository {
  return {
    async listIndicators() {
      return (await r.indicators.find({}).sort({ builtIn: -1, _id: 1 }).lean<IndicatorDoc[]>()).map(toIndicator);
    },
    async getIndicator(id) {
      const d = await r.indicators.findById(id).lean<IndicatorDoc>();
      return d ? toIndicator(d) : null;
    },
    async putIndicator(ind) {
      await r.indicators.updateOne(
        { _id: ind.definition.id },
        { $set: { definition: ind.definition, builtIn: ind.builtIn, updatedAt: ind.updatedAt }, $setOnInsert: { createdAt: ind.createdAt } },
        { upsert: true },
      );
    },
    /** Targets and rollups first, the indicator last: a retry after a crash still finds it and finishes. */
    async deleteIndicator(id) {
      await r.targets.deleteMany({ indicatorId: id });
      await r.rollups.deleteMany({ indicatorId: id });
      return (await r.indicators.deleteOne({ _id: id })).deletedCount === 1;
    },
    async listTargets(indicatorId) {
      const q = indicatorId === undefined ? {} : { indicatorId };
      return (await r.targets.find(q).sort({ indicatorId: 1, scopeKind: 1, scopeId: 1, periodType: 1 }).lean<TargetDoc[]>()).map(toTarget);
    },
    async putTarget(t) {
      const key = { indicatorId: t.indicatorId, ...scopeOf(t.scope), periodType: t.periodType ?? '*' };
      await r.targets.updateOne(key, { $set: { op: t.target.op, value: t.target.value, updatedAt: t.updatedAt } }, { upsert: true });
    },
    async deleteTarget(indicatorId, scope, periodType) {
      return (await r.targets.deleteOne({ indicatorId, ...scopeOf(scope), periodType: periodType ?? '*' })).deletedCount === 1;
    },
    async listWorkPlan(orgUnitIds, periods) {
      const docs = await r.workPlan.find({ orgUnitId: inList(orgUnitIds), period: inList(periods) }).sort({ orgUnitId: 1, period: 1, key: 1 }).lean<WorkPlanDoc[]>();
      return docs.map(toWork);
    },
    async putWorkPlan(e) {
      await r.workPlan.updateOne(
        { orgUnitId: e.orgUnitId, period: e.period, key: e.key },
        { $set: { name: text(e.name), value: e.value, denominator: e.denominator, target: e.target ? { op: e.target.op, value: e.target.value } : null, updatedAt: e.updatedAt } },
        { upsert: true },
      );
    },
    async deleteWorkPlan(orgUnitId, period, key) {
      return (await r.workPlan.deleteOne({ orgUnitId, period, key })).deletedCount === 1;
    },
    async rollups(q) {
      const docs = await r.rollups
        .find({ indicatorId: inList(q.indicatorIds), orgUnitId: inList(q.orgUnitIds), period: inList(q.periods) })
        .sort({ indicatorId: 1, orgUnitId: 1, period: 1 }).lean<RollupDoc[]>();
      return docs.map((d) => ({
        indicatorId: d.indicatorId, orgUnitId: d.orgUnitId, period: d.period,
        numerator: d.numerator ?? 0, numeratorSq: d.numeratorSq ?? 0, denominator: d.denominator ?? 0, responses: d.responses ?? 0,
        excluded: Object.fromEntries(EXCLUDED_KEYS.map((k) => [k, d.excluded?.[k] ?? 0])) as Record<ExcludedKey, number>,
      }));
    },
    async itemRollups(q) {
      const docs = await r.itemRollups
        .find({ formId: inList(q.formIds), orgUnitId: inList(q.orgUnitIds), period: inList(q.periods) })
        .sort({ formId: 1, orgUnitId: 1, period: 1, item: 1 }).lean<ItemRollupDoc[]>();
      return docs.map((d) => ({
        formId: d.formId, item: d.item, orgUnitId: d.orgUnitId, period: d.period,
        counts: Object.fromEntries(ITEM_COUNT_KEYS.map((k) => [k, d.counts?.[k] ?? 0])) as Record<ItemCountKey, number>,
      }));
    },
    async applyDelta(delta) {
      await applyRollupDelta(r, delta);
    },
    /**
     * Not atomic without a transaction: readers may briefly see empty or partial rollups while
     * the rebuild command runs. Afterwards no submission is left marked as pending, since the
     * rebuilt totals include every stored submission.
     */
    async replaceAll(rows, items) {
      await r.rollups.deleteMany({});
      await r.itemRollups.deleteMany({});
      await applyRollupDelta(r, { rows, items });
      await subs.updateMany({ rolledUp: false }, { $set: { rolledUp: true } });
    },
    async setFacts(facts) {
      if (facts.length === 0) return;
      await subs.bulkWrite(facts.map((f) => ({
        updateOne: { filter: { _id: f.id }, update: f.facts == null ? { $unset: { facts: '' } } : { $set: { facts: f.facts } } },
      })), { ordered: false });
    },
    async unrolled(limit) {
      const docs = await subs.find({ rolledUp: false }, { _id: 1 }).sort({ receivedAt: 1, _id: 1 }).limit(limit).lean<Pick<SubmissionDoc, '_id'>[]>();
      return docs.map((d) => d._id);
    },
    async markRolledUp(ids) {
      if (ids.length === 0) return;
      await subs.updateMany({ _id: inList(ids) }, { $set: { rolledUp: true } });
    },
    // issue 5 (reports server): one pass in _id order whatever the filter (exports, scans)
    async scan(filter, after, limit) {
      const q: Record<string, unknown> = {};
      if (after !== null) q._id = mongoose.trusted({ $gt: after });
      if (filter.formId !== undefined) q.formId = filter.formId;
      if (filter.formVersion !== undefined) q.formVersion = filter.formVersion;
      if (filter.orgUnitPath !== undefined) q.orgUnitPath = prefixRegex(filter.orgUnitPath);
      if (filter.completedFrom !== undefined || filter.completedTo !== undefined) {
        const range: Record<string, string> = {};
        if (filter.completedFrom !== undefined) range.$gte = filter.completedFrom;
        if (filter.completedTo !== undefined) range.$lt = filter.completedTo;
        q.completedAt = mongoose.trusted(range);
      }
      const docs = await subs.find(q as mongoose.QueryFilter<SubmissionDoc>).sort({ _id: 1 }).limit(limit).lean<SubmissionDoc[]>();
      const last = docs[docs.length - 1];
      return { items: docs.map(toSubmission), next: docs.length === limit && last ? last._id : null };
    },
    async suggestions(q) {
      const docs = await subs
        .find({
          formId: inList(q.formIds),
          orgUnitPath: prefixRegex(q.orgUnitPath),
          completedAt: mongoose.trusted({ $gte: q.from, $lt: q.to }),
          reviewState: inList(q.countedStates),
          'facts.satisfaction.suggestion': mongoose.trusted({ $type: 'string' }),
        } as mongoose.QueryFilter<SubmissionDoc>, { orgUnitId: 1, completedAt: 1, 'facts.satisfaction.suggestion': 1 })
        .sort({ completedAt: -1, _id: -1 })
        .limit(q.limit)
        .lean<(Pick<SubmissionDoc, '_id' | 'orgUnitId' | 'completedAt'> & { facts?: { satisfaction?: { suggestion?: string } } })[]>();
      return docs.map((d) => ({ id: d._id, orgUnitId: d.orgUnitId, completedAt: d.completedAt, text: d.facts?.satisfaction?.suggestion ?? '' }));
    },
  };
}
