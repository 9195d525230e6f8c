import { QUIZ_DEFINITION, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

describe('forms API', () => {
  it('creates a draft, publishes immutable versions with content hashes, and lists them', async () => {
    const { formId, version } = await createPublishedQuiz(t.http);
    expect(version).toBe(1);
    const form = await t.http.get(`/api/v1/forms/${formId}`);
    expect(form.body).toMatchObject({ status: 'published', latestVersion: 1, hasDraft: false, kind: 'knowledge' });
    expect(form.body.draft).toEqual(QUIZ_DEFINITION);
    const unchanged = await t.http.post(`/api/v1/forms/${formId}/publish`).send({});
    expect(unchanged.status).toBe(409);
    expect(unchanged.body.error.code).toBe('FORM_NO_DRAFT');
    const edited = { ...QUIZ_DEFINITION, title: '第二版' };
    expect((await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: edited })).status).toBe(200);
    const v2 = await t.http.post(`/api/v1/forms/${formId}/publish`).send({ publishedBy: '王' });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, publishedBy: '王' });
    expect(v2.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const versions = await t.http.get(`/api/v1/forms/${formId}/versions`);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const one = await t.http.get(`/api/v1/forms/${formId}/versions/1`);
    expect(one.body.definition).toEqual(QUIZ_DEFINITION);
    expect((await t.http.get(`/api/v1/forms/${formId}/versions/2`)).body.definition.title).toBe('第二版');
    expect((await t.http.get(`/api/v1/forms/${formId}/versions/3`)).body.error.code).toBe('FORM_VERSION_NOT_FOUND');
  });

  it('refuses to publish a draft identical to the latest version', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: QUIZ_DEFINITION });
    const r = await t.http.post(`/api/v1/forms/${formId}/publish`).send({});
    expect(r.body.error.code).toBe('FORM_UNCHANGED');
  });

  it('rejects definitions with unknown question types, duplicate names or bad expressions', async () => {
    const bad = async (definition: object) =>
      t.http.post('/api/v1/forms').send({ slug: `f${Math.random().toString(36).slice(2, 8)}`, kind: 'general', title: { zh: '表' }, definition });
    const unknownType = await bad({ elements: [{ type: 'no-such-type', name: 'a' }] });
    expect(unknownType.status).toBe(422);
    expect(unknownType.body.error.code).toBe('FORM_DEFINITION_INVALID');
    const dup = await bad({ elements: [{ type: 'text', name: 'a' }, { type: 'text', name: 'a' }] });
    expect(dup.body.error.details.problems.map((p: { code: string }) => p.code)).toContain('DUPLICATE_NAME');
  });

  it('lets a knowledge draft miss correct answers but refuses to publish it', async () => {
    const def = { elements: [{ type: 'radiogroup', name: 'q1', choices: ['a', 'b'] }] };
    const c = await t.http.post('/api/v1/forms').send({ slug: 'half', kind: 'knowledge', title: { zh: '半成品' }, definition: def });
    expect(c.status).toBe(201);
    expect(c.body.problems.map((p: { code: string }) => p.code)).toContain('MISSING_CORRECT_ANSWER');
    const p = await t.http.post(`/api/v1/forms/${c.body.id}/publish`).send({});
    expect(p.status).toBe(422);
    expect(p.body.error.details.problems[0].question).toBe('q1');
  });

  it('rejects duplicate slugs and filters lists by kind and status; archives and restores', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const dup = await t.http.post('/api/v1/forms').send({ slug: 'quiz', kind: 'general', title: { zh: 'x' }, definition: { elements: [{ type: 'text', name: 'a' }] } });
    expect(dup.body.error.code).toBe('DUPLICATE_SLUG');
    expect((await t.http.get('/api/v1/forms?kind=knowledge')).body).toHaveLength(1);
    expect((await t.http.get('/api/v1/forms?kind=census')).body).toHaveLength(0);
    expect((await t.http.post(`/api/v1/forms/${formId}/archive`).send({})).body.status).toBe('archived');
    expect((await t.http.get('/api/v1/forms?status=archived')).body).toHaveLength(1);
    expect((await t.http.post(`/api/v1/forms/${formId}/unarchive`).send({})).body.status).toBe('published');
  });
});
