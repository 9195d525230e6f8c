/**
 * The review queue's server filter: `GET /api/v1/submissions?reviewState=received,has_issues`
 * (one or several states), combined with the other filters and the cursor; bad values are a 400.
 */
import { randomUUID } from 'node:crypto';
import { createOrgTree, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

function item(formId: string, orgUnit: string) {
  return {
    id: randomUUID(), formId, formVersion: 1, orgUnit,
    answers: { q1: '20', q2: 'yes', q3: ['blood', 'sex', 'mother'] },
    startedAt: '2026-03-02T09:00:00+08:00', completedAt: '2026-03-02T09:04:00+08:00',
  };
}

const idsOf = (body: { items: { id: string; reviewState: string }[] }) => body.items.map((s) => s.id).sort();

it('lists only the requested review states, alone or with other filters, across pages', async () => {
  const { g1, v2 } = await createOrgTree(t.http);
  const { formId } = await createPublishedQuiz(t.http);
  const subs = [item(formId, g1.id), item(formId, g1.id), item(formId, g1.id), item(formId, v2.id), item(formId, v2.id)];
  expect((await t.http.post('/api/v1/submissions').send({ submissions: subs })).body.counts.stored).toBe(5);
  const decide = async (id: string, state: string) => expect((await t.http.post(`/api/v1/submissions/${id}/review`).send({ state })).status).toBe(201);
  await decide(subs[0]!.id, 'approved');
  await decide(subs[1]!.id, 'has_issues');
  await decide(subs[3]!.id, 'rejected');

  const received = await t.http.get('/api/v1/submissions?reviewState=received');
  expect(received.status).toBe(200);
  expect(idsOf(received.body)).toEqual([subs[2]!.id, subs[4]!.id].sort());
  expect(received.body.items.every((s: { reviewState: string }) => s.reviewState === 'received')).toBe(true);

  const open = await t.http.get('/api/v1/submissions?reviewState=received,has_issues');
  expect(idsOf(open.body)).toEqual([subs[1]!.id, subs[2]!.id, subs[4]!.id].sort());
  // a repeated state is the same filter
  expect(idsOf((await t.http.get('/api/v1/submissions?reviewState=has_issues,received,has_issues')).body)).toEqual(idsOf(open.body));
  expect(idsOf((await t.http.get(`/api/v1/submissions?reviewState=received,has_issues&orgUnit=${g1.id}`)).body)).toEqual([subs[1]!.id, subs[2]!.id].sort());
  expect(idsOf((await t.http.get(`/api/v1/submissions?reviewState=rejected&formId=${formId}`)).body)).toEqual([subs[3]!.id]);
  expect((await t.http.get('/api/v1/submissions?reviewState=approved&period=2025')).body.items).toEqual([]);

  // pages of a state filter: every matching one once, nothing else
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await t.http.get(`/api/v1/submissions?reviewState=received,has_issues&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    seen.push(...res.body.items.map((s: { id: string }) => s.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 5);
  expect(seen.sort()).toEqual(idsOf(open.body));
  expect(pages).toBe(2);
});

it('answers an unknown, empty or malformed review state with 400 VALIDATION_FAILED', async () => {
  for (const bad of ['pending', 'received,', ',received', 'RECEIVED', 'received;approved', '', 'received,approved,nope', 'x'.repeat(200)]) {
    const r = await t.http.get(`/api/v1/submissions?reviewState=${encodeURIComponent(bad)}`);
    expect([bad, r.status]).toEqual([bad, 400]);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
  }
  // repeated parameters (an array) are not a list either
  const twice = await t.http.get('/api/v1/submissions?reviewState=received&reviewState=approved');
  expect(twice.status).toBe(400);
});

it('an analyst filters their own subtree by state; another township stays forbidden', async () => {
  const { g1, t1, t2 } = await createOrgTree(t.http);
  const { formId } = await createPublishedQuiz(t.http);
  const s = item(formId, g1.id);
  await t.http.post('/api/v1/submissions').send({ submissions: [s] });
  const analyst = await t.userWith('ana', [{ role: 'analyst', orgUnitId: t1.id }]);
  expect(idsOf((await analyst.get('/api/v1/submissions?reviewState=received')).body)).toEqual([s.id]);
  expect((await analyst.get('/api/v1/submissions?reviewState=approved')).body.items).toEqual([]);
  expect((await analyst.get(`/api/v1/submissions?reviewState=received&orgUnit=${t2.id}`)).status).toBe(403);
});
