/**
 * Post-stratification uses the indicator's population basis (issue 5): the census count of that
 * population type (registered / resident / in-migrant / everyone) weights the villages. Two
 * villages of one township whose registered and resident populations differ give different
 * township rates for two indicators that differ only in their basis — all over HTTP.
 */
import { makeTestApp, createOrgTree, type TestApp } from '../support/app';
import { censusAnswers, rng } from '../../server/demo/synthetic';
import { item, publishTemplate, quizAnswers, submit } from './reports.helpers';

jest.setTimeout(60_000);

type Card = { id: string; populationBasis: string; cell: { estimate: number | null }; aggregate: { method: string; estimate: number; populationBasis: string; note: { zh: string; en: string } } };

describe('post-stratified weights follow the population basis', () => {
  let t: TestApp;
  beforeEach(async () => { t = await makeTestApp({ batchMax: 200 }); });
  afterEach(async () => { await t.close(); });

  it('registered vs resident populations weight the villages differently; the card says which basis', async () => {
    const tree = await createOrgTree(t.http);
    const v3 = await t.http.post('/api/v1/org-units').send({ code: 'V3', name: { zh: '西村', en: 'V3' }, level: 'village', parentId: tree.t1.id });
    expect(v3.status).toBe(201);
    const quiz = await publishTemplate(t.http, 'knowledge-quiz');
    const census = await publishTemplate(t.http, 'household-census');

    // census: in V1 the first member of each household is resident, the others registered; in V3 the reverse
    const r = rng(11);
    const households = (firstType: string, otherType: string) => Array.from({ length: 4 }, () => {
      const a = censusAnswers(r);
      (a.members as Record<string, unknown>[]).forEach((m, i) => { m.population_type = i === 0 ? firstType : otherType; });
      return a;
    });
    const h1 = households('resident', 'registered');
    const h3 = households('registered', 'resident');
    const count = (hs: Record<string, unknown>[], type: string) => hs.reduce((n, h) => n + (h.members as { population_type: string }[]).filter((m) => m.population_type === type).length, 0);
    const reg = [count(h1, 'registered'), count(h3, 'registered')] as const;
    const res = [count(h1, 'resident'), count(h3, 'resident')] as const;
    const stored = await submit(t.http, [
      ...h1.map((a) => item(census.formId, census.version, tree.v1.id, a)),
      ...h3.map((a) => item(census.formId, census.version, v3.body.id, a)),
    ]);
    expect(stored.counts.stored).toBe(8);

    // quiz: V1 10/10 aware, V3 0/10 aware → the township estimate is V1's population share
    await submit(t.http, [
      ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, 16))),
      ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, v3.body.id, quizAnswers(quiz.definition, 2))),
    ]);

    const base = { name: { zh: '知晓率' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge', rule: { type: 'score_threshold', theta: 0.8 } };
    for (const [id, basis] of [['aware-registered', 'registered'], ['aware-resident', 'resident'], ['aware-migrant', 'in_migrant']] as const) {
      const c = await t.http.post('/api/v1/indicators').send({ ...base, id, populationBasis: basis });
      expect(c.status).toBe(201);
      expect(c.body.populationBasis).toBe(basis);
    }

    const d = await t.http.get(`/api/v1/reports/dashboard?orgUnit=${tree.t1.id}&period=2026`);
    expect(d.status).toBe(200);
    const card = (id: string) => (d.body.indicators as Card[]).find((c) => c.id === id)!;
    const regCard = card('aware-registered');
    const resCard = card('aware-resident');
    expect(regCard.aggregate.method).toBe('post-stratified');
    expect(resCard.aggregate.method).toBe('post-stratified');
    expect(regCard.aggregate.estimate).toBeCloseTo(reg[0] / (reg[0] + reg[1]), 9);
    expect(resCard.aggregate.estimate).toBeCloseTo(res[0] / (res[0] + res[1]), 9);
    expect(Math.abs(regCard.aggregate.estimate - resCard.aggregate.estimate)).toBeGreaterThan(0.2);
    // the pooled cell (10/20) is the same for both: only the weighting differs
    expect(regCard.cell.estimate).toBe(0.5);
    expect(resCard.cell.estimate).toBe(0.5);
    // the card says which basis weighted the villages
    expect(regCard.populationBasis).toBe('registered');
    expect(regCard.aggregate.populationBasis).toBe('registered');
    expect(regCard.aggregate.note.zh).toContain('户籍人口');
    expect(resCard.aggregate.populationBasis).toBe('resident');
    expect(resCard.aggregate.note.zh).toContain('常住人口');
    // everyone: all members of both villages
    const all = card('awareness');
    expect(all.aggregate.populationBasis).toBe('all');
    const n1 = reg[0] + res[0];
    const n3 = reg[1] + res[1];
    expect(all.aggregate.estimate).toBeCloseTo(n1 / (n1 + n3), 9);
    // no in-migrants in the census: pooled, and it says so
    const mig = card('aware-migrant');
    expect(mig.aggregate.method).toBe('pooled');
    expect(mig.aggregate.estimate).toBe(0.5);
    expect(mig.aggregate.note.zh).toContain('流入人口');
  });
});
