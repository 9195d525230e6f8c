import { QUIZ_DEFINITION, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';
import { ERROR_CODES } from '../../common/errors';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

describe('PATCH /forms/:id with expectedDraftUpdatedAt (optimistic concurrency)', () => {
  it('accepts the first save from a base revision and refuses the second with 409, writing nothing', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const first = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'A' } });
    expect(first.status).toBe(200);
    const base: string = first.body.draftUpdatedAt;
    expect(typeof base).toBe('string');

    const alice = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'Alice' }, expectedDraftUpdatedAt: base });
    expect(alice.status).toBe(200);
    expect(alice.body.draftUpdatedAt).not.toBe(base);

    const bob = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'Bob' }, expectedDraftUpdatedAt: base });
    expect(bob.status).toBe(409);
    expect(bob.body.error.code).toBe('FORM_DRAFT_CONFLICT');
    expect(bob.body.error.details).toMatchObject({ expectedDraftUpdatedAt: base, draftUpdatedAt: alice.body.draftUpdatedAt });

    const now = await t.http.get(`/api/v1/forms/${formId}`);
    expect(now.body.draft.title).toBe('Alice');
    expect(now.body.draftUpdatedAt).toBe(alice.body.draftUpdatedAt);
    expect(now.body.updatedAt).toBe(alice.body.updatedAt);
  });

  it('treats null as "started from no draft" and refuses it once a draft exists', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const start = await t.http.get(`/api/v1/forms/${formId}`);
    expect(start.body.draftUpdatedAt).toBeNull();
    const a = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'A' }, expectedDraftUpdatedAt: null });
    expect(a.status).toBe(200);
    const b = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'B' }, expectedDraftUpdatedAt: null });
    expect(b.status).toBe(409);
    expect((await t.http.get(`/api/v1/forms/${formId}`)).body.draft.title).toBe('A');
  });

  it('two concurrent saves from the same base: exactly one wins', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const base = (await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: QUIZ_DEFINITION })).body.draftUpdatedAt as string;
    const [x, y] = await Promise.all(['X', 'Y'].map((title) =>
      t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title }, expectedDraftUpdatedAt: base })));
    expect([x?.status, y?.status].sort()).toEqual([200, 409]);
    const winner = x?.status === 200 ? 'X' : 'Y';
    expect((await t.http.get(`/api/v1/forms/${formId}`)).body.draft.title).toBe(winner);
  });

  it('without the field the save overwrites (explicit overwrite, old clients)', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'A' } });
    const b = await t.http.patch(`/api/v1/forms/${formId}`).send({ definition: { ...QUIZ_DEFINITION, title: 'B' } });
    expect(b.status).toBe(200);
    expect((await t.http.get(`/api/v1/forms/${formId}`)).body.draft.title).toBe('B');
  });

  it('has a bilingual message', () => {
    expect(ERROR_CODES.FORM_DRAFT_CONFLICT.status).toBe(409);
    expect(ERROR_CODES.FORM_DRAFT_CONFLICT.zh).toMatch(/草稿/);
    expect(ERROR_CODES.FORM_DRAFT_CONFLICT.en).toMatch(/draft/i);
  });
});
