/** Each role can do what it should on its own subtree, and nothing more. */
import { randomUUID } from 'node:crypto';
import { countsTowardIndicators, parseCountedReviewStates } from '../../common/review';
import { createOrgTree, createPublishedQuiz, makeTestApp, type Agent, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

function item(formId: string, orgUnit: string) {
  return { id: randomUUID(), formId, formVersion: 1, orgUnit, answers: { q1: '20', q2: 'yes' }, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:05:00Z' };
}

async function world() {
  const tree = await createOrgTree(t.http);
  const quiz = await createPublishedQuiz(t.http);
  const inT1 = item(quiz.formId, tree.g1.id);
  const inT2 = item(quiz.formId, tree.v2.id);
  await t.http.post('/api/v1/submissions').send({ submissions: [inT1, inT2] });
  return { ...tree, quiz, inT1, inT2 };
}

const status = async (p: Promise<{ status: number }>) => (await p).status;
const codes = (res: { body: unknown }) => (res.body as { code: string }[]).map((x) => x.code);

describe('township admin', () => {
  it('sees and changes only its township: org units, users, devices; cannot create a county or import CSV', async () => {
    const w = await world();
    const admin: Agent = await t.userWith('t1admin', [{ role: 'admin', orgUnitId: w.t1.id }]);
    expect(codes(await admin.get('/api/v1/org-units'))).toEqual(['T1', 'V1', 'G1']);
    expect((await admin.get(`/api/v1/org-units/${w.v2.id}`)).body.error.code).toBe('ORG_UNIT_NOT_FOUND');
    expect((await admin.get(`/api/v1/org-units?root=${w.t2.id}`)).body.error.code).toBe('ORG_UNIT_NOT_FOUND');
    expect(await status(admin.post('/api/v1/org-units').send({ code: 'V3', name: { zh: '三村' }, level: 'village', parentId: w.t1.id }))).toBe(201);
    expect((await admin.post('/api/v1/org-units').send({ code: 'V4', name: { zh: '四村' }, level: 'village', parentId: w.t2.id })).body.error.code).toBe('FORBIDDEN');
    expect((await admin.post('/api/v1/org-units').send({ code: 'C2', name: { zh: '二县' }, level: 'county' })).body.error.code).toBe('FORBIDDEN');
    expect((await admin.patch(`/api/v1/org-units/${w.v2.id}`).send({ name: { zh: '改' } })).body.error.code).toBe('FORBIDDEN');
    expect((await admin.patch(`/api/v1/org-units/${w.v1.id}`).send({ parentId: w.t2.id })).body.error.code).toBe('FORBIDDEN');
    expect((await admin.post('/api/v1/org-units/import').set('Content-Type', 'text/csv').send('code,name,parent_code\nX,x,\n')).body.error.code).toBe('FORBIDDEN');
    // users
    await t.userWith('t2enum', [{ role: 'enumerator', orgUnitId: w.v2.id }]);
    await t.userWith('county-analyst', [{ role: 'analyst', orgUnitId: null }]);
    const created = await admin.post('/api/v1/users').send({ username: 'v1enum', displayName: '一村调查员', password: 'long-password-1', roles: [{ role: 'enumerator', orgUnitId: w.v1.id }] });
    expect(created.status).toBe(201);
    expect((await admin.get('/api/v1/users')).body.map((u: { username: string }) => u.username).sort()).toEqual(['t1admin', 'v1enum']);
    expect((await admin.post('/api/v1/users').send({ username: 'x2', displayName: 'x', password: 'long-password-1', roles: [{ role: 'enumerator', orgUnitId: w.v2.id }] })).body.error.code).toBe('FORBIDDEN');
    expect((await admin.post('/api/v1/users').send({ username: 'x3', displayName: 'x', password: 'long-password-1', roles: [{ role: 'admin', orgUnitId: null }] })).body.error.code).toBe('FORBIDDEN');
    const all = (await t.http.get('/api/v1/users')).body as { id: string; username: string }[];
    const t2enum = all.find((u) => u.username === 't2enum')!;
    expect((await admin.patch(`/api/v1/users/${t2enum.id}`).send({ disabled: true })).body.error.code).toBe('USER_NOT_FOUND');
    expect((await admin.patch(`/api/v1/users/${created.body.id}`).send({ roles: [{ role: 'reviewer', orgUnitId: w.v1.id }] })).status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${created.body.id}`).send({ roles: [{ role: 'reviewer', orgUnitId: w.v2.id }] })).body.error.code).toBe('FORBIDDEN');
    // submissions: only T1's
    const subs = await admin.get('/api/v1/submissions');
    expect(subs.body.items.map((s: { id: string }) => s.id)).toEqual([w.inT1.id]);
    expect((await admin.get(`/api/v1/submissions/${w.inT2.id}`)).body.error.code).toBe('SUBMISSION_NOT_FOUND');
    expect((await admin.get(`/api/v1/submissions?orgUnit=${w.t2.id}`)).body.error.code).toBe('FORBIDDEN');
    // role changes are audited, and the township admin sees only its township's events
    const audit = await admin.get('/api/v1/audit');
    expect(audit.status).toBe(200);
    const types = audit.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.created', 'user.roles_changed', 'auth.login']));
    expect(audit.body.items.every((e: { actorName: string | null }) => e.actorName !== 't2enum')).toBe(true);
    expect(audit.body.items.some((e: { type: string }) => e.type === 'form.published')).toBe(false);
  });
});

describe('designer, analyst, reviewer, enumerator', () => {
  it('designer changes forms (global) but not org units, users or submissions', async () => {
    const w = await world();
    const designer = await t.userWith('designer', [{ role: 'designer', orgUnitId: w.t1.id }]);
    const f = await designer.post('/api/v1/forms').send({ slug: 'd-form', kind: 'general', title: { zh: '表' }, definition: { elements: [{ type: 'text', name: 'a' }] } });
    expect(f.status).toBe(201);
    expect((await designer.post(`/api/v1/forms/${f.body.id}/publish`).send({})).status).toBe(201);
    expect(await status(designer.post('/api/v1/org-units').send({ code: 'X', name: { zh: 'x' }, level: 'village', parentId: w.t1.id }))).toBe(403);
    expect(await status(designer.get('/api/v1/users'))).toBe(403);
    expect(await status(designer.get('/api/v1/submissions'))).toBe(403);
    expect(await status(designer.get('/api/v1/audit'))).toBe(403);
    const published = await t.http.get('/api/v1/audit?type=form.published');
    expect(published.body.items.map((e: { actorName: string; targetId: string }) => [e.actorName, e.targetId])).toContainEqual(['designer', f.body.id]);
  });

  it('analyst reads its subtree\'s submissions but cannot review, correct, submit or change forms', async () => {
    const w = await world();
    const analyst = await t.userWith('analyst', [{ role: 'analyst', orgUnitId: w.t2.id }]);
    expect((await analyst.get('/api/v1/submissions')).body.items.map((s: { id: string }) => s.id)).toEqual([w.inT2.id]);
    expect(await status(analyst.post(`/api/v1/submissions/${w.inT2.id}/review`).send({ state: 'approved' }))).toBe(403);
    expect(await status(analyst.post('/api/v1/submissions').send({ submissions: [item(w.quiz.formId, w.v2.id)] }))).toBe(403);
    expect(await status(analyst.post('/api/v1/forms').send({ slug: 'zz', kind: 'general', title: { zh: 'x' }, definition: {} }))).toBe(403);
    expect(await status(analyst.post('/api/v1/devices/enrolments').send({ orgUnitId: w.v2.id, formIds: [w.quiz.formId] }))).toBe(403);
  });

  it('enumerator submits inside its village only and reads no submissions', async () => {
    const w = await world();
    const enumerator = await t.userWith('enum', [{ role: 'enumerator', orgUnitId: w.v1.id }]);
    const r = await enumerator.post('/api/v1/submissions').send({ submissions: [item(w.quiz.formId, w.g1.id), item(w.quiz.formId, w.v2.id)] });
    expect(r.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual(['stored', 'ORG_UNIT_NOT_FOUND']);
    expect(await status(enumerator.get('/api/v1/submissions'))).toBe(403);
    expect(await status(enumerator.get(`/api/v1/submissions/${w.inT1.id}`))).toBe(403);
    expect(await status(enumerator.get('/api/v1/users'))).toBe(403);
    expect((await enumerator.get('/api/v1/forms')).status).toBe(200);
  });

  it('reviewer records decisions with comments and history on its subtree only', async () => {
    const w = await world();
    const reviewer = await t.userWith('rev', [{ role: 'reviewer', orgUnitId: w.t1.id }]);
    const d1 = await reviewer.post(`/api/v1/submissions/${w.inT1.id}/review`).send({ state: 'has_issues', comment: '年龄与出生日期不符' });
    expect(d1.status).toBe(201);
    expect(d1.body).toMatchObject({ fromState: 'received', toState: 'has_issues', comment: '年龄与出生日期不符', byName: 'rev' });
    const d2 = await reviewer.post(`/api/v1/submissions/${w.inT1.id}/review`).send({ state: 'approved' });
    expect(d2.body).toMatchObject({ fromState: 'has_issues', toState: 'approved' });
    expect((await reviewer.post(`/api/v1/submissions/${w.inT1.id}/review`).send({ state: 'approved' })).body.error.code).toBe('REVIEW_TRANSITION_INVALID');
    expect((await reviewer.post(`/api/v1/submissions/${w.inT1.id}/review`).send({ state: 'received' })).status).toBe(400);
    const history = await reviewer.get(`/api/v1/submissions/${w.inT1.id}/review`);
    expect(history.body.map((e: { toState: string }) => e.toState)).toEqual(['has_issues', 'approved']);
    expect((await reviewer.get(`/api/v1/submissions/${w.inT1.id}`)).body.reviewState).toBe('approved');
    expect((await reviewer.post(`/api/v1/submissions/${w.inT2.id}/review`).send({ state: 'rejected' })).body.error.code).toBe('SUBMISSION_NOT_FOUND');
    const audit = await t.http.get('/api/v1/audit?type=submission.reviewed');
    expect(audit.body.items).toHaveLength(2);
  });
});

describe('counted review states', () => {
  it('default: everything but rejected; configurable; unknown states refused', () => {
    expect(['received', 'has_issues', 'approved', 'rejected'].map((s) => countsTowardIndicators(s as 'received'))).toEqual([true, true, true, false]);
    const onlyApproved = parseCountedReviewStates('approved');
    expect(countsTowardIndicators('received', onlyApproved)).toBe(false);
    expect(countsTowardIndicators('approved', onlyApproved)).toBe(true);
    expect(parseCountedReviewStates(' ')).toEqual(['received', 'has_issues', 'approved']);
    expect(() => parseCountedReviewStates('approved,maybe')).toThrow(/maybe/);
  });
});

describe('audit log', () => {
  it('filters by type, actor and time, pages with a cursor, and exports CSV (itself audited)', async () => {
    await world();
    const bob = await t.userWith('bob', [{ role: 'analyst', orgUnitId: null }]);
    await bob.get('/api/v1/forms');
    const logins = await t.http.get('/api/v1/audit?type=auth.login');
    expect(logins.body.items.map((e: { actorName: string }) => e.actorName)).toEqual(['bob', 'admin']);
    const bobId = logins.body.items[0].actorId as string;
    expect((await t.http.get(`/api/v1/audit?actor=${bobId}`)).body.items.every((e: { actorId: string }) => e.actorId === bobId)).toBe(true);
    expect((await t.http.get('/api/v1/audit?from=2099-01-01T00:00:00Z')).body.items).toEqual([]);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http.get(`/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      for (const e of page.body.items) seen.add(e.id);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const all = (await t.http.get('/api/v1/audit?limit=500')).body.items;
    expect(seen.size).toBe(all.length);
    expect((await t.http.get('/api/v1/audit?cursor=garbage')).body.error.code).toBe('INVALID_CURSOR');
    const csv = await t.http.get('/api/v1/audit.csv?type=auth.login');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('at,type,actorKind,actorId,actorName,orgUnitId,targetType,targetId,details');
    expect(lines).toHaveLength(3);
    expect((await t.http.get('/api/v1/audit?type=export')).body.items).toHaveLength(1);
    expect(await status(bob.get('/api/v1/audit.csv'))).toBe(403);
    // append-only, down to the database
    expect(() => t.storage.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(() => t.storage.db.prepare("UPDATE audit_events SET type = 'x'").run()).toThrow(/append-only/);
  });
});
