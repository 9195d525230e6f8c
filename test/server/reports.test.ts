import ExcelJS from 'exceljs';
import { makeTestApp, createOrgTree, type TestApp } from '../support/app';
import { item, publishTemplate, quizAnswers, satisfactionAnswers, submit } from './reports.helpers';
import type { RollupRow } from '../../server/storage/port';

jest.setTimeout(60_000);

function allRollups(t: TestApp) {
  const rows = t.storage.db.prepare('SELECT * FROM rollups ORDER BY indicator_id, org_unit_id, period').all() as Record<string, number | string>[];
  const items = t.storage.db.prepare('SELECT * FROM item_rollups ORDER BY form_id, org_unit_id, period, item').all() as Record<string, number | string>[];
  const round = (r: Record<string, number | string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v]));
  return { rows: rows.map(round).filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && k !== 'x')), items: items.map(round) };
}

async function rollup(t: TestApp, indicatorId: string, orgUnitId: string, period: string): Promise<RollupRow | undefined> {
  return (await t.storage.reports.rollups({ indicatorIds: [indicatorId], orgUnitIds: [orgUnitId], periods: [period] }))[0];
}

describe('reports: scoring at ingestion, rollups, dashboard', () => {
  let t: TestApp;
  let tree: Awaited<ReturnType<typeof createOrgTree>>;
  let quiz: Awaited<ReturnType<typeof publishTemplate>>;
  let sat: Awaited<ReturnType<typeof publishTemplate>>;
  beforeEach(async () => {
    t = await makeTestApp({ batchMax: 500 });
    tree = await createOrgTree(t.http);
    quiz = await publishTemplate(t.http, 'knowledge-quiz');
    sat = await publishTemplate(t.http, 'satisfaction-survey');
  });
  afterEach(async () => { await t.close(); });

  it('stores facts and rolls up to every ancestor for month, quarter, half-year and year; duplicates add nothing', async () => {
    const items = Array.from({ length: 12 }, () => item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16)));
    const first = await submit(t.http, items);
    expect(first.counts.stored).toBe(12);
    const stored = await t.storage.submissions.get(items[0]!.id);
    expect(stored?.facts?.knowledge).toMatchObject({ correct: 16, total: 16 });
    expect(stored?.facts?.indicators).toEqual([{ id: 'awareness', counted: true, num: 1, den: 1 }]);
    for (const unit of [tree.g1.id, tree.v1.id, tree.t1.id, tree.county.id]) {
      for (const period of ['2026-03', '2026Q1', '2026S1', '2026']) {
        const r = await rollup(t, 'awareness', unit, period);
        expect(r).toMatchObject({ numerator: 12, denominator: 12, responses: 12 });
      }
    }
    expect(await rollup(t, 'awareness', tree.t2.id, '2026')).toBeUndefined();
    const again = await submit(t.http, items);
    expect(again.counts.duplicate).toBe(12);
    expect(await rollup(t, 'awareness', tree.county.id, '2026')).toMatchObject({ numerator: 12, denominator: 12 });
  });

  it('puts a submission in the month of China time (00:30 on 1 April CST is April)', async () => {
    await submit(t.http, [item(quiz.formId, quiz.version, tree.v2.id, quizAnswers(quiz.definition, 16), '2026-03-31T16:30:00.000Z')]);
    expect(await rollup(t, 'awareness', tree.v2.id, '2026-04')).toMatchObject({ denominator: 1 });
    expect(await rollup(t, 'awareness', tree.v2.id, '2026Q2')).toMatchObject({ denominator: 1 });
    expect(await rollup(t, 'awareness', tree.v2.id, '2026-03')).toBeUndefined();
  });

  it('dashboard: 12/12 against 98% is officially met but statistically inconclusive (metrics.md §5)', async () => {
    await submit(t.http, Array.from({ length: 12 }, () => item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16))));
    const r = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026`);
    expect(r.status).toBe(200);
    const card = r.body.indicators.find((c: { id: string }) => c.id === 'awareness');
    expect(card.target).toMatchObject({ op: '>=', value: 0.98 });
    expect(card.cell).toMatchObject({ numerator: 12, denominator: 12, official: 'met', statistical: 'inconclusive', method: 'clopper-pearson' });
    expect(card.cell.lower).toBeCloseTo(0.7354, 3);
    expect(card.cell.statusLabel.zh).toBe('无法判定 / 样本不足');
    expect(card.children).toHaveLength(1);
    expect(card.children[0].orgUnit.id).toBe(tree.g1.id);
    expect(card.trend.map((p: { period: string }) => p.period)).toEqual(['2022', '2023', '2024', '2025', '2026']);
    const sat = r.body.indicators.find((c: { id: string }) => c.id === 'satisfaction');
    expect(sat.cell).toMatchObject({ denominator: 0, official: 'no_data', statistical: 'no_data' });
  });

  it('dashboard: 11 aware of 12 (one scores 12/16 < 80%) gives Wilson [64.6%, 98.5%] and not met at 98%', async () => {
    const items = Array.from({ length: 11 }, () => item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16)));
    items.push(item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 12)));
    await submit(t.http, items);
    const r = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.g1.id}&period=2026-03`);
    const card = r.body.indicators.find((c: { id: string }) => c.id === 'awareness');
    expect(card.cell).toMatchObject({ numerator: 11, denominator: 12, method: 'wilson', official: 'not_met' });
    expect(card.cell.lower).toBeCloseTo(0.6461, 3);
    expect(card.cell.upper).toBeCloseTo(0.9851, 3);
  });

  it('review decisions move a submission in and out of the counts; rebuild gives identical rollups', async () => {
    const items = [
      ...Array.from({ length: 5 }, () => item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16))),
      ...Array.from({ length: 3 }, () => item(quiz.formId, quiz.version, tree.v2.id, quizAnswers(quiz.definition, 10), '2026-07-02T03:00:00.000Z')),
      item(quiz.formId, quiz.version, tree.v2.id, { age_band: '25-34', sex: 'male', q01_birth_policy: 'three' }, '2026-07-03T03:00:00.000Z'),
      ...Array.from({ length: 4 }, (_, i) => item(sat.formId, sat.version, tree.v1.id, satisfactionAnswers(i === 0 ? 2 : 5, i === 1 ? '希望延长办公时间' : undefined))),
      item(sat.formId, sat.version, tree.v1.id, satisfactionAnswers('na')),
    ];
    const res = await submit(t.http, items);
    expect(res.counts.stored).toBe(items.length);
    await submit(t.http, items.slice(0, 3)); // duplicates
    const target = items[0]!.id;
    const rej = await t.http.post(`/api/v1/submissions/${target}/review`).send({ state: 'rejected', comment: '重复作答' });
    expect(rej.status).toBe(201);
    expect(await rollup(t, 'awareness', tree.county.id, '2026')).toMatchObject({ numerator: 5 - 1, denominator: 8 - 1, responses: 9 });
    const row = await rollup(t, 'awareness', tree.county.id, '2026');
    expect(row?.excluded).toMatchObject({ review: 1, too_few_answered: 1 });
    // approving an unrelated one changes nothing; approving the rejected one brings it back
    await t.http.post(`/api/v1/submissions/${items[1]!.id}/review`).send({ state: 'approved' });
    const incremental = allRollups(t);
    const rebuilt = await t.http.post('/api/v1/reports/rollups/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.submissions).toBe(items.length);
    expect(allRollups(t)).toEqual(incremental);
    await t.http.post(`/api/v1/submissions/${target}/review`).send({ state: 'approved' });
    expect(await rollup(t, 'awareness', tree.county.id, '2026')).toMatchObject({ numerator: 5, denominator: 8 });
    const before = allRollups(t);
    await t.http.post('/api/v1/reports/rollups/rebuild');
    expect(allRollups(t)).toEqual(before);
    // satisfaction: 3 of 4 rated respondents satisfied, one all-na excluded
    const s = await rollup(t, 'satisfaction', tree.v1.id, '2026Q1');
    expect(s).toMatchObject({ numerator: 3, denominator: 4, responses: 5 });
    expect(s?.excluded.no_valid_rating).toBe(1);
  });

  it('per-item view and satisfaction distribution with suggestions', async () => {
    await submit(t.http, [
      item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16)),
      item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 1)),
      item(sat.formId, sat.version, tree.g1.id, satisfactionAnswers(5, '服务很好')),
      item(sat.formId, sat.version, tree.g1.id, satisfactionAnswers(3)),
    ]);
    const r = await t.http.get(`/api/v1/reports/items?orgUnit=${tree.v1.id}&period=2026`);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(16);
    expect(r.body.items[0]).toMatchObject({ name: 'q01_birth_policy', correct: 2, included: 2, rate: 1 });
    expect(r.body.items[1]).toMatchObject({ name: 'q02_marriage_age', correct: 1, incorrect: 1, rate: 0.5 });
    expect(r.body.items[0].title).toContain('生育');
    expect(r.body.meanItemRate).toBeCloseTo(17 / 32, 9);
    // a group (below the item-rollup depth) is summed from its submissions' facts: same figures
    const g = await t.http.get(`/api/v1/reports/items?orgUnit=${tree.g1.id}&period=2026-03`);
    expect(g.body.items).toEqual(r.body.items);
    const gs = await t.http.get(`/api/v1/reports/satisfaction?orgUnit=${tree.g1.id}&period=2026`);
    expect(gs.body.dimensions.find((d: { dimension: string }) => d.dimension === 'overall').distribution).toEqual({ 5: 1, 4: 0, 3: 1, 2: 0, 1: 0 });
    const s = await t.http.get(`/api/v1/reports/satisfaction?orgUnit=${tree.county.id}&period=2026-03&form=satisfaction-survey`);
    expect(s.status).toBe(200);
    const overall = s.body.dimensions.find((d: { dimension: string }) => d.dimension === 'overall');
    expect(overall.distribution).toEqual({ 5: 1, 4: 0, 3: 1, 2: 0, 1: 0 });
    expect(overall.topBox).toBe(0.5);
    expect(s.body.suggestions.map((x: { text: string }) => x.text)).toEqual(['服务很好']);
  });

  it('post-stratified when villages have census populations, pooled otherwise, and says which', async () => {
    // V1: 10/10 aware, V2: 0/10 aware
    await submit(t.http, [
      ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, 16))),
      ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, tree.v2.id, quizAnswers(quiz.definition, 2))),
    ]);
    const pooled = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.county.id}&period=2026`);
    const pc = pooled.body.indicators.find((c: { id: string }) => c.id === 'awareness');
    expect(pc.aggregate.method).toBe('pooled');
    expect(pc.aggregate.estimate).toBe(0.5);
    expect(pc.aggregate.note.zh).toContain('合并');
    // census: V1 has 300 people, V2 100 → weighted 0.75
    const row = (orgUnitId: string, n: number) => ({ indicatorId: 'census:all', orgUnitId, period: '2026', numerator: n, denominator: 1, responses: 1 });
    await t.storage.reports.applyDelta({ rows: [row(tree.v1.id, 300), row(tree.v2.id, 100)], items: [] });
    const weighted = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.county.id}&period=2026`);
    const wc = weighted.body.indicators.find((c: { id: string }) => c.id === 'awareness');
    expect(wc.aggregate.method).toBe('post-stratified');
    expect(wc.aggregate.estimate).toBeCloseTo(0.75, 9);
    expect(wc.aggregate.note.zh).toContain('加权');
    expect(wc.cell.estimate).toBe(0.5); // the pooled cell stays as counted
  });

  it('targets: org unit over group over default, per period type; changing one leaves counts alone', async () => {
    await submit(t.http, Array.from({ length: 20 }, (_, i) => item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, i < 18 ? 16 : 0))));
    const card = async (unit: string) => (await t.http.get(`/api/v1/reports/dashboard?orgUnit=${unit}&period=2026`)).body.indicators.find((c: { id: string }) => c.id === 'awareness');
    expect((await card(tree.v1.id)).target.value).toBe(0.98);
    const g = await t.http.post('/api/v1/org-unit-groups').send({ code: 'TIER1', name: { zh: '一类村' }, memberIds: [tree.v1.id] });
    expect((await t.http.put('/api/v1/indicators/awareness/targets').send({ scope: { kind: 'group', id: g.body.id }, periodType: 'year', op: '>=', value: 0.7 })).status).toBe(200);
    let c = await card(tree.v1.id);
    expect(c.target).toMatchObject({ value: 0.7, scope: { kind: 'group' } });
    expect(c.cell).toMatchObject({ numerator: 18, denominator: 20, official: 'met' });
    await t.http.put('/api/v1/indicators/awareness/targets').send({ scope: { kind: 'org_unit', id: tree.v1.id }, op: '>=', value: 0.95 });
    c = await card(tree.v1.id);
    expect(c.target).toMatchObject({ value: 0.95, scope: { kind: 'org_unit' } });
    expect(c.cell).toMatchObject({ numerator: 18, denominator: 20, official: 'not_met' });
    const list = await t.http.get('/api/v1/indicators/awareness/targets');
    expect(list.body).toHaveLength(3);
    expect((await t.http.delete(`/api/v1/indicators/awareness/targets?scopeKind=org_unit&scopeId=${tree.v1.id}`)).status).toBe(204);
    expect((await t.http.delete(`/api/v1/indicators/awareness/targets?scopeKind=org_unit&scopeId=${tree.v1.id}`)).status).toBe(404);
  });

  it('work-plan counts show on the dashboard with their status', async () => {
    const put = await t.http.put('/api/v1/work-plan').send({ orgUnitId: tree.v1.id, period: '2026-03', key: 'reports_sent', name: { zh: '本月上报信息', en: 'Information reports sent' }, value: 0, target: { op: '>=', value: 1 } });
    expect(put.status).toBe(200);
    expect(put.body.official).toBe('not_met');
    await t.http.put('/api/v1/work-plan').send({ orgUnitId: tree.v1.id, period: '2026-03', key: 'households_visited', name: { zh: '入户走访' }, value: 45, denominator: 50, target: { op: '>=', value: 0.9 } });
    const d = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026-03`);
    expect(d.body.workPlan.map((w: { key: string; official: string }) => [w.key, w.official])).toEqual([['households_visited', 'met'], ['reports_sent', 'not_met']]);
    expect((await t.http.get(`/api/v1/work-plan?orgUnit=${tree.v1.id}&period=2026-03`)).body).toHaveLength(2);
    expect((await t.http.delete(`/api/v1/work-plan?orgUnit=${tree.v1.id}&period=2026-03&key=reports_sent`)).status).toBe(204);
    expect((await t.http.put('/api/v1/work-plan').send({ orgUnitId: tree.v1.id, period: '2026-03', key: 'x', name: { zh: 'x' }, value: 1, denominator: 2, target: { op: '>=', value: 5 } })).status).toBe(400);
  });

  it('indicator CRUD: validated, must fit the form, built-ins cannot be deleted, changes recompute rollups', async () => {
    await submit(t.http, Array.from({ length: 4 }, (_, i) => item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, [16, 15, 14, 10][i]!))));
    const list = await t.http.get('/api/v1/indicators');
    expect(list.body.map((i: { id: string; builtIn: boolean }) => [i.id, i.builtIn])).toEqual([['awareness', true], ['satisfaction', true]]);
    expect((await t.http.post('/api/v1/indicators').send({ id: 'X', name: { zh: 'x' } })).status).toBe(400);
    const misfit = await t.http.post('/api/v1/indicators').send({ id: 'core', name: { zh: '核心知识' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge', rule: { type: 'all_core', items: ['nope'] } });
    expect(misfit.status).toBe(422);
    expect(misfit.body.error.code).toBe('INDICATOR_DOES_NOT_FIT');
    const created = await t.http.post('/api/v1/indicators').send({ id: 'all-correct', name: { zh: '全部答对率' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge', rule: { type: 'score_threshold', theta: 1 } });
    expect(created.status).toBe(201);
    expect(await rollup(t, 'all-correct', tree.county.id, '2026')).toMatchObject({ numerator: 1, denominator: 4 });
    expect((await t.http.post('/api/v1/indicators').send({ id: 'all-correct', name: { zh: 'x' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge', rule: { type: 'score_threshold' } })).status).toBe(409);
    const upd = await t.http.put('/api/v1/indicators/all-correct').send({ name: { zh: '九成' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge', rule: { type: 'score_threshold', theta: 0.9 } });
    expect(upd.status).toBe(200);
    expect(await rollup(t, 'all-correct', tree.county.id, '2026')).toMatchObject({ numerator: 2, denominator: 4 });
    expect((await t.http.get('/api/v1/indicators/all-correct')).body.name.zh).toBe('九成');
    expect((await t.http.delete('/api/v1/indicators/awareness')).status).toBe(409);
    expect((await t.http.delete('/api/v1/indicators/all-correct')).status).toBe(204);
    expect((await t.http.get('/api/v1/indicators/all-correct')).status).toBe(404);
  });

  it('bad input and access: unknown period 400, unknown org unit 404, analysts read but cannot change', async () => {
    expect((await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026Q5`)).status).toBe(400);
    expect((await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}`)).status).toBe(400);
    expect((await t.http.get('/api/v1/reports/dashboard?orgUnit=nope&period=2026')).status).toBe(404);
    expect((await t.http.get(`/api/v1/reports/items?orgUnit=${tree.v1.id}&period=2026&form=nope`)).status).toBe(404);
    expect((await t.http.put('/api/v1/indicators/awareness/targets').send({ scope: { kind: 'default' }, op: '>=', value: 98 })).status).toBe(400);
    expect((await t.http.put('/api/v1/indicators/nope/targets').send({ scope: { kind: 'default' }, op: '>=', value: 0.9 })).status).toBe(404);
    expect((await t.http.get(`/api/v1/exports/submissions?form=${quiz.formId}&orgUnit=${tree.v1.id}&format=pdf`)).status).toBe(400);
    expect((await t.anon.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026`)).status).toBe(401);
    const analyst = await t.userWith('analyst1', [{ role: 'analyst', orgUnitId: tree.t1.id }]);
    expect((await analyst.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026`)).status).toBe(200);
    expect((await analyst.get(`/api/v1/reports/dashboard?orgUnit=${tree.v2.id}&period=2026`)).status).toBe(403);
    expect((await analyst.put('/api/v1/indicators/awareness/targets').send({ scope: { kind: 'default' }, op: '>=', value: 0.9 })).status).toBe(403);
    expect((await analyst.post('/api/v1/reports/rollups/rebuild')).status).toBe(403);
  });

  it('known answer: 980 of 1000 gives Wilson [96.93%, 98.70%]; against 98% official met, statistically inconclusive', async () => {
    await t.storage.reports.applyDelta({ rows: [{ indicatorId: 'awareness', orgUnitId: tree.v2.id, period: '2026', numerator: 980, numeratorSq: 980, denominator: 1000, responses: 1000 }], items: [] });
    const r = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v2.id}&period=2026`);
    const cell = r.body.indicators.find((c: { id: string }) => c.id === 'awareness').cell;
    expect(cell.lower).toBeCloseTo(0.9693, 4);
    expect(cell.upper).toBeCloseTo(0.9870, 4);
    expect(cell).toMatchObject({ official: 'met', statistical: 'inconclusive', text: '98.0%', intervalText: '[96.9%, 98.7%]' });
  });

  it('more bad input: unknown work-plan entry, targets of an unknown indicator, exports outside the caller\'s subtree', async () => {
    expect((await t.http.delete(`/api/v1/work-plan?orgUnit=${tree.v1.id}&period=2026-03&key=nope`)).status).toBe(404);
    expect((await t.http.get('/api/v1/indicators/nope/targets')).status).toBe(404);
    expect((await t.http.get(`/api/v1/work-plan?orgUnit=${tree.v1.id}&period=26`)).status).toBe(400);
    expect((await t.http.delete('/api/v1/indicators/awareness/targets?scopeKind=org_unit')).status).toBe(400);
    expect((await t.http.post('/api/v1/indicators').send({ id: 'sat2', name: { zh: '满意' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction', rule: { type: 'mean_score' } })).status).toBe(400);
    const analyst = await t.userWith('analyst2', [{ role: 'analyst', orgUnitId: tree.t1.id }]);
    expect((await analyst.get(`/api/v1/exports/submissions?form=${quiz.formId}&orgUnit=${tree.t2.id}`)).status).toBe(403);
    expect((await analyst.get(`/api/v1/exports/indicators?orgUnit=${tree.t2.id}&period=2026`)).status).toBe(403);
    expect((await analyst.get(`/api/v1/exports/submissions?form=${quiz.formId}&orgUnit=${tree.t1.id}`)).status).toBe(200);
    const enumerator = await t.userWith('enum1', [{ role: 'enumerator', orgUnitId: tree.t1.id }]);
    expect((await enumerator.get(`/api/v1/reports/dashboard?orgUnit=${tree.t1.id}&period=2026`)).status).toBe(403);
  });

  it('a mean_score indicator shows the mean in its units, without interval or status', async () => {
    const created = await t.http.post('/api/v1/indicators').send({ id: 'sat-score', name: { zh: '满意度得分' }, formSlugs: ['satisfaction-survey'], kind: 'satisfaction', rule: { type: 'mean_score', transform: 'scaled_0_100' } });
    expect(created.status).toBe(201);
    await submit(t.http, [item(sat.formId, sat.version, tree.v1.id, satisfactionAnswers(5)), item(sat.formId, sat.version, tree.v1.id, satisfactionAnswers(3))]);
    const r = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.v1.id}&period=2026`);
    const card = r.body.indicators.find((c: { id: string }) => c.id === 'sat-score');
    expect(card.unit).toBe('score');
    expect(card.cell).toMatchObject({ estimate: 75, lower: null, text: '75.0', official: 'not_applicable' });
  });

  it('version counter moves when submissions arrive', async () => {
    const v0 = (await t.http.get('/api/v1/reports/version')).body.version as number;
    await submit(t.http, [item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, 16))]);
    const v1 = (await t.http.get('/api/v1/reports/version')).body.version as number;
    expect(v1).toBeGreaterThan(v0);
  });
});

describe('reports: exports', () => {
  let t: TestApp;
  beforeEach(async () => { t = await makeTestApp({ batchMax: 500 }); });
  afterEach(async () => { await t.close(); });

  it('submissions as CSV (titles, choice labels, org-unit names) and XLSX; the indicator table', async () => {
    const tree = await createOrgTree(t.http);
    const quiz = await publishTemplate(t.http, 'knowledge-quiz');
    await submit(t.http, Array.from({ length: 3 }, () => item(quiz.formId, quiz.version, tree.g1.id, quizAnswers(quiz.definition, 16))));
    const csv = await t.http.get(`/api/v1/exports/submissions?form=${quiz.formId}&orgUnit=${tree.county.id}&format=csv`).buffer(true).parse((res, cb) => {
      let data = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { data += c; }); res.on('end', () => cb(null, data));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.body as string).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('您的年龄');
    expect(lines[0]).toContain('我国法定结婚年龄是多少');
    expect(lines[1]).toContain('G1'); // org-unit name
    expect(lines[1]).toContain('女'); // choice label of sex=female
    const xlsx = await t.http.get(`/api/v1/exports/submissions?form=knowledge-quiz&orgUnit=${tree.county.id}&format=xlsx`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(4);
    expect(String(ws.getRow(1).getCell(6).value)).toBe('您的年龄');
    const table = await t.http.get(`/api/v1/exports/indicators?orgUnit=${tree.county.id}&period=2026&format=csv`).buffer(true).parse((res, cb) => {
      let data = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { data += c; }); res.on('end', () => cb(null, data));
    });
    expect(table.status).toBe(200);
    const rows = (table.body as string).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows[0]).toContain('统计判定');
    expect(rows[1]).toContain('人口计生知识知晓率');
    expect(rows[1]).toContain('3,3'); // x, n
  });
});
