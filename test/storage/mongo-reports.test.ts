/** The reports repository of the MongoDB adapter (issue 5) on the wire double: $inc rollups and the no-transaction marks. */
import { MongoClient } from 'mongodb';
import { openMongoStorage } from '../../server/storage/mongo';
import type { RollupDelta, Storage } from '../../server/storage/port';
import { AWARENESS_INDICATOR, SATISFACTION_INDICATOR } from '../../common/scoring';
import { startMongoWireDouble, type MongoWireDouble } from '../support/mongo-wire-double';
import { submission } from './contract';

let double: MongoWireDouble;
let s: Storage;

beforeEach(async () => {
  double = await startMongoWireDouble();
  s = await openMongoStorage(double.uri, { dbName: 'reports_test' });
});
afterEach(async () => {
  await s.close();
  await double.stop();
});

const key = { indicatorId: AWARENESS_INDICATOR.id, orgUnitId: 'v1', period: '2026-03' };
const delta = (n: number): RollupDelta => ({
  rows: [{ ...key, numerator: n, numeratorSq: n * n, denominator: 1, responses: 1, excluded: { review: 0 } }],
  items: [{ formId: 'f1', item: 'q:q1', orgUnitId: 'v1', period: '2026-03', counts: { correct: 1 } }],
});

describe('mongo reports', () => {
  it('applies the deltas of stored submissions only, and marks them rolled up', async () => {
    const a = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    const b = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    const c = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    expect(await s.submissions.insertMany([a, b, c], [delta(1), delta(0.5), null])).toEqual(['stored', 'stored', 'stored']);
    expect(await s.submissions.insertMany([a], [delta(1)])).toEqual(['duplicate']);
    const [row] = await s.reports.rollups({ indicatorIds: [key.indicatorId], orgUnitIds: ['v1'], periods: ['2026-03'] });
    expect(row).toMatchObject({ ...key, numerator: 1.5, numeratorSq: 1.25, denominator: 2, responses: 2 });
    expect(row?.excluded).toEqual({ not_eligible: 0, too_few_answered: 0, no_scored_items: 0, too_few_applicable_items: 0, no_valid_rating: 0, review: 0 });
    const [item] = await s.reports.itemRollups({ formIds: ['f1'], orgUnitIds: ['v1'], periods: ['2026-03'] });
    expect(item?.counts.correct).toBe(2);
    expect(await s.reports.unrolled(10)).toEqual([]);
    expect(await s.submissions.get(a.id)).toEqual(a);
  });

  it('lists what a crash left unrolled until it is marked, and a rebuild replaces everything', async () => {
    const a = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    await s.submissions.insertMany([a]);
    // A crash between the insert and the mark leaves `rolledUp: false` behind.
    const client = new MongoClient(double.uri);
    await client.db('reports_test').collection<{ _id: string }>('submissions').updateOne({ _id: a.id }, { $set: { rolledUp: false } });
    await client.close();
    expect(await s.reports.unrolled(10)).toEqual([a.id]);
    await s.reports.markRolledUp([a.id]);
    expect(await s.reports.unrolled(10)).toEqual([]);
    await s.reports.setFacts([{ id: a.id, facts: { v: 1, indicators: [], satisfaction: { ratings: [], suggestion: '多来几次' } } }]);
    expect((await s.submissions.get(a.id))?.facts?.satisfaction?.suggestion).toBe('多来几次');
    await s.reports.applyDelta(delta(1));
    await s.reports.applyDelta({ rows: [{ ...key, numerator: -1, denominator: -1, responses: -1 }], items: [] });
    expect((await s.reports.rollups({ indicatorIds: [key.indicatorId], orgUnitIds: ['v1'], periods: ['2026-03'] }))[0]).toMatchObject({ numerator: 0, denominator: 0 });
    await s.reports.replaceAll([{ ...key, numerator: 7, numeratorSq: 7, denominator: 9, responses: 9, excluded: { not_eligible: 0, too_few_answered: 0, no_scored_items: 0, too_few_applicable_items: 0, no_valid_rating: 0, review: 2 } }], []);
    const rows = await s.reports.rollups({ indicatorIds: [key.indicatorId], orgUnitIds: ['v1', 'v2'], periods: ['2026-03'] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ numerator: 7, denominator: 9, excluded: expect.objectContaining({ review: 2 }) });
    expect(await s.reports.itemRollups({ formIds: ['f1'], orgUnitIds: ['v1'], periods: ['2026-03'] })).toEqual([]);
    expect(await s.reports.rollups({ indicatorIds: [], orgUnitIds: ['v1'], periods: ['2026-03'] })).toEqual([]);
  });

  it('finds satisfaction suggestions in a subtree, newest first, only in counted states', async () => {
    const mk = (completedAt: string, reviewState: 'received' | 'rejected', text: string | null) =>
      submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/', completedAt, reviewState, facts: { v: 1, indicators: [], satisfaction: { ratings: [], ...(text ? { suggestion: text } : {}) } } });
    const old = mk('2026-03-02T00:00:00.000Z', 'received', '旧');
    const recent = mk('2026-03-05T00:00:00.000Z', 'received', '新');
    const rejected = mk('2026-03-06T00:00:00.000Z', 'rejected', '驳回');
    const none = mk('2026-03-07T00:00:00.000Z', 'received', null);
    await s.submissions.insertMany([old, recent, rejected, none]);
    const got = await s.reports.suggestions({ formIds: ['f1'], orgUnitPath: '/c/', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', limit: 10, countedStates: ['received', 'approved'] });
    expect(got).toEqual([
      { id: recent.id, orgUnitId: 'v1', completedAt: recent.completedAt, text: '新' },
      { id: old.id, orgUnitId: 'v1', completedAt: old.completedAt, text: '旧' },
    ]);
  });

  it('stores indicators, targets and work-plan entries with upsert semantics', async () => {
    await s.reports.putIndicator({ definition: SATISFACTION_INDICATOR, builtIn: false, createdAt: 'C1', updatedAt: 'U1' });
    await s.reports.putIndicator({ definition: AWARENESS_INDICATOR, builtIn: true, createdAt: 'C1', updatedAt: 'U1' });
    await s.reports.putIndicator({ definition: AWARENESS_INDICATOR, builtIn: true, createdAt: 'C2', updatedAt: 'U2' });
    expect((await s.reports.listIndicators()).map((i) => [i.definition.id, i.builtIn])).toEqual([[AWARENESS_INDICATOR.id, true], [SATISFACTION_INDICATOR.id, false]]);
    expect(await s.reports.getIndicator(AWARENESS_INDICATOR.id)).toEqual({ definition: AWARENESS_INDICATOR, builtIn: true, createdAt: 'C1', updatedAt: 'U2' });

    const t = { indicatorId: AWARENESS_INDICATOR.id, scope: { kind: 'default' as const }, periodType: null, target: { op: '>=' as const, value: 0.8 }, updatedAt: 'U' };
    await s.reports.putTarget(t);
    await s.reports.putTarget({ ...t, target: { op: '>=', value: 0.85 } });
    await s.reports.putTarget({ ...t, scope: { kind: 'group', id: 'tier1' }, periodType: 'quarter' });
    expect(await s.reports.listTargets(AWARENESS_INDICATOR.id)).toEqual([{ ...t, target: { op: '>=', value: 0.85 } }, { ...t, scope: { kind: 'group', id: 'tier1' }, periodType: 'quarter' }]);
    expect(await s.reports.deleteTarget(AWARENESS_INDICATOR.id, { kind: 'default' }, null)).toBe(true);
    expect(await s.reports.deleteTarget(AWARENESS_INDICATOR.id, { kind: 'default' }, null)).toBe(false);

    const w = { orgUnitId: 'v1', period: '2026-03', key: 'visits', name: { zh: '入户' }, value: 3, denominator: 10, target: { op: '>=' as const, value: 0.5 }, updatedAt: 'U' };
    await s.reports.putWorkPlan(w);
    await s.reports.putWorkPlan({ ...w, value: 4, target: null });
    expect(await s.reports.listWorkPlan(['v1'], ['2026-03'])).toEqual([{ ...w, value: 4, target: null }]);
    expect(await s.reports.listWorkPlan([], ['2026-03'])).toEqual([]);
    expect(await s.reports.deleteWorkPlan('v1', '2026-03', 'visits')).toBe(true);

    await s.reports.applyDelta(delta(1));
    expect(await s.reports.deleteIndicator(AWARENESS_INDICATOR.id)).toBe(true);
    expect(await s.reports.rollups({ indicatorIds: [AWARENESS_INDICATOR.id], orgUnitIds: ['v1'], periods: ['2026-03'] })).toEqual([]);
    expect(await s.reports.listTargets(AWARENESS_INDICATOR.id)).toEqual([]);
    expect(await s.reports.deleteIndicator(AWARENESS_INDICATOR.id)).toBe(false);
  });
});
