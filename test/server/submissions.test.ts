import { randomUUID } from 'node:crypto';
import { createOrgTree, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp({ batchMax: 50 }); });
afterEach(async () => { await t.close(); });

function item(formId: string, orgUnit: string, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(), formId, formVersion: 1, orgUnit,
    answers: { q1: '20', q2: 'yes', q3: ['blood', 'sex', 'mother'] },
    startedAt: '2026-03-02T09:00:00+08:00', completedAt: '2026-03-02T09:04:00+08:00',
    ...over,
  };
}

async function setup() {
  const tree = await createOrgTree(t.http);
  const quiz = await createPublishedQuiz(t.http);
  return { ...tree, ...quiz };
}

describe('POST /api/v1/submissions', () => {
  it('answers each item on its own: stored, duplicate, conflict, rejected', async () => {
    const { formId, g1 } = await setup();
    const a = item(formId, g1.id);
    const first = await t.http.post('/api/v1/submissions').send({ submissions: [a] });
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ id: a.id, index: 0, status: 'stored' }]);

    const changed = { ...a, answers: { ...a.answers, q1: '18' } };
    const bad = item(formId, g1.id, { answers: { q1: '99', q2: 'yes' } });
    const fresh = item(formId, g1.id);
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [a, changed, bad, fresh, { id: 'not-a-uuid' }] });
    expect(r.status).toBe(200);
    const status = r.body.results.map((x: { status: string }) => x.status);
    expect(status).toEqual(['duplicate', 'conflict', 'rejected', 'stored', 'rejected']);
    expect(r.body.results[1].code).toBe('SUBMISSION_CONFLICT');
    expect(r.body.results[2].code).toBe('ANSWERS_INVALID');
    expect(r.body.results[2].problems).toEqual(expect.arrayContaining([expect.objectContaining({ question: 'q1', code: 'NOT_IN_CHOICES' })]));
    expect(r.body.results[4]).toMatchObject({ id: 'not-a-uuid', code: 'VALIDATION_FAILED' });
    expect(r.body.counts).toEqual({ stored: 1, duplicate: 1, conflict: 1, rejected: 2 });
    expect(await t.storage.submissions.count({})).toBe(2);
    // the original is untouched by the conflicting re-send
    expect((await t.storage.submissions.get(a.id))?.answers).toEqual(a.answers);
  });

  it('treats a re-send with the same instant in another time-zone notation as a duplicate', async () => {
    const { formId, g1 } = await setup();
    const a = item(formId, g1.id);
    await t.http.post('/api/v1/submissions').send({ submissions: [a] });
    const sameInstant = { ...a, startedAt: '2026-03-02T01:00:00.000Z', completedAt: '2026-03-02T01:04:00Z' };
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [sameInstant] });
    expect(r.body.results[0].status).toBe('duplicate');
  });

  it('checks each item against its own form version', async () => {
    const { formId, g1 } = await setup();
    const def2 = { pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'n1', choices: ['a', 'b'], correctAnswer: 'a', isRequired: true }] }] };
    await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: def2 });
    await t.http.post(`/api/v1/forms/${formId}/publish`).send({});
    const v1 = item(formId, g1.id);
    const v2 = item(formId, g1.id, { formVersion: 2, answers: { n1: 'a' } });
    const v1AnswersOnV2 = item(formId, g1.id, { formVersion: 2 });
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [v1, v2, v1AnswersOnV2] });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['stored', 'stored', 'rejected']);
    expect(r.body.results[2].problems.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['UNKNOWN_QUESTION', 'REQUIRED']));
  });

  it('rejects unknown forms, versions, org units and implausible times, each with its code', async () => {
    const { formId, g1 } = await setup();
    const r = await t.http.post('/api/v1/submissions').send({
      submissions: [
        item('nope', g1.id),
        item(formId, g1.id, { formVersion: 9 }),
        item(formId, 'nope'),
        item(formId, g1.id, { startedAt: '2026-03-02T10:00:00Z', completedAt: '2026-03-02T09:00:00Z' }),
        item(formId, g1.id, { startedAt: '2099-03-02T10:00:00Z', completedAt: '2099-03-02T11:00:00Z' }),
      ],
    });
    expect(r.body.results.map((x: { code: string }) => x.code)).toEqual([
      'FORM_NOT_FOUND', 'FORM_VERSION_NOT_FOUND', 'ORG_UNIT_NOT_FOUND', 'TIMESTAMPS_INVALID', 'TIMESTAMPS_INVALID',
    ]);
    expect(await t.storage.submissions.count({})).toBe(0);
  });

  it('rejects new submissions to an archived form but still confirms re-sends of stored ones', async () => {
    const { formId, g1 } = await setup();
    const a = item(formId, g1.id);
    await t.http.post('/api/v1/submissions').send({ submissions: [a] });
    await t.http.post(`/api/v1/forms/${formId}/archive`).send({});
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [a, item(formId, g1.id)] });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['duplicate', 'rejected']);
    expect(r.body.results[1].code).toBe('FORM_ARCHIVED');
  });

  it('refuses a batch over the configured size with 413 and the limit', async () => {
    const { formId, g1 } = await setup();
    const many = Array.from({ length: 51 }, () => item(formId, g1.id));
    const r = await t.http.post('/api/v1/submissions').send({ submissions: many });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'BATCH_TOO_LARGE', details: { max: 50 } });
    expect(await t.storage.submissions.count({})).toBe(0);
  });
});

describe('GET /api/v1/submissions', () => {
  it('filters by form, version, org unit subtree and period, and pages with a cursor', async () => {
    const { formId, g1, v2, t1 } = await setup();
    const march = Array.from({ length: 7 }, () => item(formId, g1.id));
    const april = Array.from({ length: 3 }, () => item(formId, v2.id, { startedAt: '2026-04-01T00:10:00+08:00', completedAt: '2026-04-01T00:20:00+08:00' }));
    await t.http.post('/api/v1/submissions').send({ submissions: [...march, ...april] });
    const inT1 = await t.http.get(`/api/v1/submissions?orgUnit=${t1.id}`);
    expect(inT1.body.items).toHaveLength(7);
    // 00:10 on 1 April in China is still 31 March in UTC: it belongs to April
    const aprilPage = await t.http.get('/api/v1/submissions?period=2026-04');
    expect(aprilPage.body.items.map((s: { id: string }) => s.id).sort()).toEqual(april.map((s) => s.id).sort());
    expect((await t.http.get('/api/v1/submissions?period=2026Q1')).body.items).toHaveLength(7);
    expect((await t.http.get(`/api/v1/submissions?formId=${formId}&formVersion=2`)).body.items).toHaveLength(0);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.http.get(`/api/v1/submissions?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      for (const s of res.body.items) seen.add(s.id);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.size).toBe(10);
    expect(pages).toBe(3);
    const one = await t.http.get(`/api/v1/submissions/${march[0]!.id}`);
    expect(one.body).toMatchObject({ id: march[0]!.id, formVersion: 1, reviewState: 'received', orgUnitId: g1.id });
    expect(one.body.contentHash).toBeUndefined();
  });

  it('answers bad cursors, periods and unknown ids with 4xx codes', async () => {
    await setup();
    expect((await t.http.get('/api/v1/submissions?cursor=garbage')).body.error.code).toBe('INVALID_CURSOR');
    expect((await t.http.get('/api/v1/submissions?period=2026Q5')).status).toBe(400);
    expect((await t.http.get(`/api/v1/submissions/${randomUUID()}`)).body.error.code).toBe('SUBMISSION_NOT_FOUND');
    expect((await t.http.get('/api/v1/submissions?orgUnit=nope')).body.error.code).toBe('ORG_UNIT_NOT_FOUND');
    expect((await t.http.get('/api/v1/submissions?limit=100000')).status).toBe(400);
  });
});
