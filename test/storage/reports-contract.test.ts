/**
 * The reports part of the storage contract (issue 5), run against both adapters: SQLite on a real
 * file and MongoDB on the wire double. Same cases, same expectations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { openMongoStorage } from '../../server/storage/mongo';
import type { RollupDelta, RollupRow, Storage, Submission, SubmissionFacts } from '../../server/storage/port';
import { AWARENESS_INDICATOR, SATISFACTION_INDICATOR } from '../../common/scoring';
import { deltaOf } from '../../server/reports/facts';
import { startMongoWireDouble } from '../support/mongo-wire-double';
import { form, submission, unit, version } from './contract';

interface Opened { storage: Storage; cleanup(): Promise<void> }

const adapters: [string, () => Promise<Opened>][] = [
  ['sqlite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-reports-'));
    const storage = openSqliteStorage({ dataDir: dir });
    return { storage, async cleanup() { await storage.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }],
  ['mongo (wire double)', async () => {
    const double = await startMongoWireDouble();
    const storage = await openMongoStorage(double.uri, { dbName: 'reports_contract' });
    return { storage, async cleanup() { await storage.close(); await double.stop(); } };
  }],
];

const T0 = '2026-03-01T00:00:00.000Z';
const COUNTED = ['received', 'has_issues', 'approved'] as const;
const facts = (num: number, suggestion?: string): SubmissionFacts => ({
  v: 1,
  indicators: [{ id: 'awareness', counted: true, num, den: 1 }],
  knowledge: { score: num * 16, max: 16, correct: num * 16, answered: 16, total: 16, items: { q1: num ? 'correct' : 'incorrect' } },
  ...(suggestion ? { satisfaction: { ratings: [], suggestion } } : {}),
});
const pick = (rows: RollupRow[], orgUnitId: string, period: string) => rows.find((r) => r.orgUnitId === orgUnitId && r.period === period);

describe.each(adapters)('reports contract: %s', (_name, open) => {
  let o: Opened;
  let s: Storage;
  beforeEach(async () => {
    o = await open();
    s = o.storage;
    const c = unit('c', null, 'county');
    const v1 = unit('v1', c, 'village');
    for (const u of [c, v1]) await s.orgUnits.insert(u);
    await s.forms.insert(form('f1'));
    await s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: T0 });
  });
  afterEach(async () => { await o.cleanup(); });

  it('insertMany applies the deltas of stored items only, and keeps the facts', async () => {
    const a = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/', facts: facts(1) });
    const b = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/', facts: facts(0) });
    const d = (x: typeof a) => deltaOf(x, COUNTED);
    expect(await s.submissions.insertMany([a, b], [d(a), d(b)])).toEqual(['stored', 'stored']);
    const conflict = { ...a, contentHash: 'other' };
    expect(await s.submissions.insertMany([a, conflict], [d(a), d(conflict)])).toEqual(['duplicate', 'conflict']);
    const rows = await s.reports.rollups({ indicatorIds: ['awareness'], orgUnitIds: ['c', 'v1'], periods: ['2026-03', '2026Q1', '2026S1', '2026'] });
    expect(rows).toHaveLength(8);
    for (const r of rows) expect(r).toMatchObject({ numerator: 1, denominator: 2, responses: 2, numeratorSq: 1 });
    expect((await s.submissions.get(a.id))?.facts).toEqual(facts(1));
    const items = await s.reports.itemRollups({ formIds: ['f1'], orgUnitIds: ['c'], periods: ['2026-03'] });
    expect(items).toEqual([{ formId: 'f1', item: 'q:q1', orgUnitId: 'c', period: '2026-03', counts: expect.objectContaining({ correct: 1, incorrect: 1, r5: 0 }) }]);
    expect(await s.reports.unrolled(10)).toEqual([]);
  });

  it('insertMany: a null delta stores the submission without rolling it up; squares and item counts add up', async () => {
    const key = { indicatorId: 'awareness', orgUnitId: 'v1', period: '2026-03' };
    const delta = (n: number): RollupDelta => ({
      rows: [{ ...key, numerator: n, numeratorSq: n * n, denominator: 1, responses: 1, excluded: { review: 0 } }],
      items: [{ formId: 'f1', item: 'q:q1', orgUnitId: 'v1', period: '2026-03', counts: { correct: 1 } }],
    });
    const [a, b, c] = [0, 1, 2].map(() => submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' })) as [Submission, Submission, Submission];
    expect(await s.submissions.insertMany([a, b, c], [delta(1), delta(0.5), null])).toEqual(['stored', 'stored', 'stored']);
    expect(await s.submissions.insertMany([a], [delta(1)])).toEqual(['duplicate']);
    const [row] = await s.reports.rollups({ indicatorIds: ['awareness'], orgUnitIds: ['v1'], periods: ['2026-03'] });
    expect(row).toMatchObject({ ...key, numerator: 1.5, numeratorSq: 1.25, denominator: 2, responses: 2 });
    const [item] = await s.reports.itemRollups({ formIds: ['f1'], orgUnitIds: ['v1'], periods: ['2026-03'] });
    expect(item?.counts.correct).toBe(2);
    expect(await s.reports.unrolled(10)).toEqual([]);
    expect(await s.submissions.get(a.id)).toEqual(a);
  });

  it('applyDelta adds and subtracts; replaceAll replaces everything; setFacts rewrites facts', async () => {
    const key = { indicatorId: 'awareness', orgUnitId: 'v1', period: '2026' };
    const plus: RollupDelta = {
      rows: [{ ...key, numerator: 2, denominator: 3, responses: 4, excluded: { review: 1 } }],
      items: [{ formId: 'f1', item: 'q:q1', orgUnitId: 'v1', period: '2026', counts: { correct: 1 } }],
    };
    await s.reports.applyDelta(plus);
    await s.reports.applyDelta({ rows: [{ ...key, numerator: -1, denominator: -1, responses: -1 }], items: [] });
    const [row] = await s.reports.rollups({ indicatorIds: ['awareness'], orgUnitIds: ['v1'], periods: ['2026'] });
    expect(row).toMatchObject({ numerator: 1, denominator: 2, responses: 3 });
    expect(row?.excluded).toEqual({ not_eligible: 0, too_few_answered: 0, no_scored_items: 0, too_few_applicable_items: 0, no_valid_rating: 0, review: 1 });
    const full: RollupRow = { ...key, period: '2025', numerator: 5, numeratorSq: 5, denominator: 9, responses: 9, excluded: { not_eligible: 0, too_few_answered: 0, no_scored_items: 0, too_few_applicable_items: 0, no_valid_rating: 0, review: 0 } };
    await s.reports.replaceAll([full], []);
    expect(await s.reports.rollups({ indicatorIds: ['awareness'], orgUnitIds: ['v1'], periods: ['2025', '2026'] })).toEqual([full]);
    expect(await s.reports.itemRollups({ formIds: ['f1'], orgUnitIds: ['v1'], periods: ['2026'] })).toEqual([]);
    expect(await s.reports.rollups({ indicatorIds: [], orgUnitIds: ['v1'], periods: ['2025'] })).toEqual([]);
    const sub = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    await s.submissions.insertMany([sub]);
    await s.reports.setFacts([{ id: sub.id, facts: facts(1, '多来几次') }]);
    expect((await s.submissions.get(sub.id))?.facts).toEqual(facts(1, '多来几次'));
  });

  it('indicators, targets and work-plan entries: upsert, list, delete', async () => {
    await s.reports.putIndicator({ definition: AWARENESS_INDICATOR, builtIn: true, createdAt: T0, updatedAt: T0 });
    await s.reports.putIndicator({ definition: SATISFACTION_INDICATOR, builtIn: false, createdAt: T0, updatedAt: T0 });
    const renamed = { ...SATISFACTION_INDICATOR, name: { zh: '满意度' } };
    // a re-put replaces the definition and updatedAt but keeps the first createdAt
    await s.reports.putIndicator({ definition: renamed, builtIn: false, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' });
    expect((await s.reports.listIndicators()).map((i) => [i.definition.id, i.builtIn])).toEqual([['awareness', true], ['satisfaction', false]]);
    expect(await s.reports.getIndicator('satisfaction')).toEqual({ definition: renamed, builtIn: false, createdAt: T0, updatedAt: '2026-04-01T00:00:00.000Z' });
    expect(await s.reports.getIndicator('nope')).toBeNull();

    await s.reports.putTarget({ indicatorId: 'awareness', scope: { kind: 'default' }, periodType: null, target: { op: '>=', value: 0.98 }, updatedAt: T0 });
    await s.reports.putTarget({ indicatorId: 'awareness', scope: { kind: 'org_unit', id: 'v1' }, periodType: 'year', target: { op: '>=', value: 0.9 }, updatedAt: T0 });
    await s.reports.putTarget({ indicatorId: 'awareness', scope: { kind: 'org_unit', id: 'v1' }, periodType: 'year', target: { op: '>', value: 0.8 }, updatedAt: T0 });
    const group = { indicatorId: 'awareness', scope: { kind: 'group' as const, id: 'tier1' }, periodType: 'quarter' as const, target: { op: '>=' as const, value: 0.85 }, updatedAt: T0 };
    await s.reports.putTarget(group);
    const targets = await s.reports.listTargets('awareness');
    expect(targets).toHaveLength(3);
    expect(targets.find((t) => t.scope.kind === 'group')).toEqual(group);
    expect(targets.find((t) => t.scope.kind === 'org_unit')).toMatchObject({ periodType: 'year', target: { op: '>', value: 0.8 }, scope: { kind: 'org_unit', id: 'v1' } });
    expect(targets.find((t) => t.scope.kind === 'default')).toMatchObject({ periodType: null, scope: { kind: 'default' } });
    expect(await s.reports.deleteTarget('awareness', { kind: 'org_unit', id: 'v1' }, 'year')).toBe(true);
    expect(await s.reports.deleteTarget('awareness', { kind: 'org_unit', id: 'v1' }, 'year')).toBe(false);
    expect(await s.reports.deleteTarget('awareness', { kind: 'default' }, null)).toBe(true);

    const e = { orgUnitId: 'v1', period: '2026-03', key: 'reports_sent', name: { zh: '上报信息' }, value: 1, denominator: null, target: { op: '>=' as const, value: 1 }, updatedAt: T0 };
    await s.reports.putWorkPlan(e);
    await s.reports.putWorkPlan({ ...e, value: 2 });
    expect(await s.reports.listWorkPlan(['v1'], ['2026-03'])).toEqual([{ ...e, value: 2 }]);
    expect(await s.reports.listWorkPlan(['v1'], ['2026-04'])).toEqual([]);
    expect(await s.reports.listWorkPlan([], ['2026-03'])).toEqual([]);
    expect(await s.reports.deleteWorkPlan('v1', '2026-03', 'reports_sent')).toBe(true);

    expect(await s.reports.deleteIndicator('satisfaction')).toBe(true);
    expect(await s.reports.deleteIndicator('satisfaction')).toBe(false);
    // deleting an indicator takes its rollups and targets with it
    await s.reports.applyDelta({ rows: [{ indicatorId: 'awareness', orgUnitId: 'v1', period: '2026-03', numerator: 1, denominator: 1, responses: 1 }], items: [] });
    expect(await s.reports.deleteIndicator('awareness')).toBe(true);
    expect(await s.reports.rollups({ indicatorIds: ['awareness'], orgUnitIds: ['v1'], periods: ['2026-03'] })).toEqual([]);
    expect(await s.reports.listTargets('awareness')).toEqual([]);
  });

  it('scan: every matching submission once, page by page, whatever the filter', async () => {
    const t2 = unit('t2', null, 'county');
    await s.orgUnits.insert(t2);
    const subs = Array.from({ length: 7 }, (_, i) => submission({
      orgUnitId: i % 2 ? 'v1' : 't2', orgUnitPath: i % 2 ? '/c/v1/' : '/t2/', completedAt: `2026-03-0${i + 1}T01:00:00.000Z`,
    }));
    await s.submissions.insertMany(subs);
    const all: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: Awaited<ReturnType<Storage['reports']['scan']>> = await s.reports.scan({ orgUnitPath: '/c/', completedFrom: '2026-03-02T00:00:00.000Z' }, cursor, 2);
      all.push(...page.items.map((x) => x.id));
      if (!page.next) break;
      cursor = page.next;
    }
    const want = subs.filter((x, i) => i % 2 === 1 && x.completedAt >= '2026-03-02').map((x) => x.id);
    expect([...all].sort()).toEqual([...want].sort());
    expect(new Set(all).size).toBe(all.length);
    expect((await s.reports.scan({ formId: 'nope' }, null, 10)).items).toEqual([]);
  });

  it('suggestions: in the subtree and period, counted review states only, newest first', async () => {
    const mk = (text: string, completedAt: string, reviewState: 'received' | 'rejected' = 'received') =>
      submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/', completedAt, facts: facts(1, text), reviewState });
    const early = mk('早', '2026-03-02T01:00:00.000Z');
    const late = mk('晚', '2026-03-05T01:00:00.000Z');
    const silent = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/', completedAt: '2026-03-07T01:00:00.000Z', facts: { v: 1, indicators: [], satisfaction: { ratings: [] } } });
    await s.submissions.insertMany([early, late, mk('驳回', '2026-03-06T01:00:00.000Z', 'rejected'), mk('四月', '2026-04-02T01:00:00.000Z'), silent]);
    const got = await s.reports.suggestions({ formIds: ['f1'], orgUnitPath: '/c/', from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', limit: 10, countedStates: COUNTED });
    expect(got).toEqual([
      { id: late.id, orgUnitId: 'v1', completedAt: '2026-03-05T01:00:00.000Z', text: '晚' },
      { id: early.id, orgUnitId: 'v1', completedAt: '2026-03-02T01:00:00.000Z', text: '早' },
    ]);
  });
});
