/** Census personal data: encrypted before storage, masked in responses, revealed only to reviewers (audited). */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { idCardCheckDigit } from '../../common/forms/survey-functions';
import { loadTemplate } from '../../form-definitions';
import { createOrgTree, createPublishedQuiz, makeTestApp, type Agent, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

const ID17 = '11010519491231002';
const NATIONAL_ID = `${ID17}${idCardCheckDigit(ID17)}`;
const HEAD = '张国庆';
const PHONE = '13912345678';

function censusAnswers(over: Record<string, unknown> = {}) {
  return {
    household_code: '110105001001000001', address: '一组1号', head_name: HEAD, registration_type: 'agricultural', phone: PHONE,
    members: [{ name: HEAD, relationship: 'head', sex: 'male', birth_date: '1949-12-31', national_id: NATIONAL_ID.toLowerCase().replace('X', 'x'), marital_status: 'married', population_type: 'registered' }],
    ...over,
  };
}

async function publishCensus(http: Agent) {
  const tpl = loadTemplate('household-census')!;
  const c = await http.post('/api/v1/forms').send({ slug: 'census', kind: 'census', title: tpl.title, definition: tpl.definition });
  expect(c.status).toBe(201);
  expect((await http.post(`/api/v1/forms/${c.body.id}/publish`).send({})).status).toBe(201);
  return c.body.id as string;
}

async function submitCensus(formId: string, orgUnit: string, answers = censusAnswers()) {
  const id = randomUUID();
  const r = await t.http.post('/api/v1/submissions').send({ submissions: [{ id, formId, formVersion: 1, orgUnit, answers, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:30:00Z' }] });
  expect(r.body.results[0]).toMatchObject({ status: 'stored' });
  return id;
}

async function fileBytes(): Promise<string> {
  t.storage.db.pragma('wal_checkpoint(TRUNCATE)');
  const main = fs.readFileSync(t.storage.file);
  const wal = fs.existsSync(`${t.storage.file}-wal`) ? fs.readFileSync(`${t.storage.file}-wal`) : Buffer.alloc(0);
  return Buffer.concat([main, wal]).toString('latin1');
}
const utf8InLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('census personal data', () => {
  it('lands in the SQLite file as ciphertext only: no national ID, name or phone in clear', async () => {
    const tree = await createOrgTree(t.http);
    const formId = await publishCensus(t.http);
    const id = await submitCensus(formId, tree.g1.id);
    const bytes = await fileBytes();
    expect(bytes).toContain(id);
    expect(bytes).toContain(utf8InLatin1('一组1号')); // not sensitive: stored as it is
    for (const secret of [NATIONAL_ID, NATIONAL_ID.toLowerCase(), ID17, HEAD, PHONE]) expect(bytes).not.toContain(utf8InLatin1(secret));
    expect(bytes).toMatch(/"\$enc":"v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/);
    const stored = await t.storage.submissions.get(id);
    expect(stored?.answers.head_name).toEqual({ $enc: expect.stringMatching(/^v1\./) });
    expect(stored?.answers.address).toBe('一组1号');
  });

  it('is masked in responses (110***********1234 style); reveal is for reviewers on that org unit only, and audited', async () => {
    const tree = await createOrgTree(t.http);
    const formId = await publishCensus(t.http);
    const id = await submitCensus(formId, tree.g1.id);
    const masked = await t.http.get(`/api/v1/submissions/${id}`);
    expect(masked.status).toBe(200);
    expect(masked.body.masked).toBe(true);
    const member = masked.body.answers.members[0];
    expect(member.national_id).toBe(`${NATIONAL_ID.slice(0, 3)}${'*'.repeat(11)}${NATIONAL_ID.slice(-4).toLowerCase()}`);
    expect(member.national_id).toMatch(/^110\*{11}.{4}$/);
    expect(masked.body.answers.phone).toBe('139****5678');
    expect(masked.body.answers.head_name).toBe('张**');
    expect(masked.body.answers.address).toBe('一组1号');
    expect(JSON.stringify((await t.http.get('/api/v1/submissions')).body)).not.toContain(NATIONAL_ID.slice(3, 14));
    // the system-wide admin is not a reviewer: no clear data
    expect((await t.http.get(`/api/v1/submissions/${id}?reveal=true`)).body.error.code).toBe('FORBIDDEN');
    const reviewer = await t.userWith('rev-t1', [{ role: 'reviewer', orgUnitId: tree.t1.id }]);
    const clear = await reviewer.get(`/api/v1/submissions/${id}?reveal=true`);
    expect(clear.status).toBe(200);
    expect(clear.body.masked).toBe(false);
    expect(clear.body.answers.members[0].national_id).toBe(NATIONAL_ID.toLowerCase());
    expect(clear.body.answers.head_name).toBe(HEAD);
    const otherReviewer = await t.userWith('rev-t2', [{ role: 'reviewer', orgUnitId: tree.t2.id }]);
    expect((await otherReviewer.get(`/api/v1/submissions/${id}?reveal=true`)).body.error.code).toBe('SUBMISSION_NOT_FOUND');
    const audit = await t.http.get('/api/v1/audit');
    const reads = audit.body.items.filter((e: { type: string }) => e.type === 'census.read' || e.type === 'census.revealed');
    expect(reads.map((e: { type: string; actorName: string }) => `${e.type}:${e.actorName}`)).toEqual(expect.arrayContaining(['census.revealed:rev-t1', 'census.read:admin']));
    expect(JSON.stringify(audit.body)).not.toContain(NATIONAL_ID);
    // a township admin sees the reads of its township's census records, listing included
    const t1admin = await t.userWith('t1admin', [{ role: 'admin', orgUnitId: tree.t1.id }]);
    await t1admin.get('/api/v1/submissions');
    const seen = (await t1admin.get('/api/v1/audit?type=census.read')).body.items;
    expect(seen.map((e: { actorName: string; orgUnitId: string }) => `${e.actorName}@${e.orgUnitId}`)).toEqual(expect.arrayContaining([`t1admin@${tree.g1.id}`, `admin@${tree.g1.id}`]));
  });

  it('finds a person by the blind index of the normalised national ID, without storing it in clear', async () => {
    const tree = await createOrgTree(t.http);
    const formId = await publishCensus(t.http);
    const a = await submitCensus(formId, tree.g1.id);
    await submitCensus(formId, tree.g1.id, censusAnswers({ members: [{ name: '李四', relationship: 'head', sex: 'male', birth_date: '1950-01-01', marital_status: 'married', population_type: 'registered' }] }));
    const reviewer = await t.userWith('rev', [{ role: 'reviewer', orgUnitId: tree.v1.id }]);
    const found = await reviewer.post('/api/v1/census/people/search').send({ nationalId: ` ${NATIONAL_ID.toUpperCase()} ` });
    expect(found.body.submissionIds).toEqual([a]);
    const idx = t.storage.db.prepare('SELECT blind_index FROM person_index').all() as { blind_index: string }[];
    expect(idx).toHaveLength(1);
    expect(idx[0]!.blind_index).toMatch(/^[0-9a-f]{64}$/);
    const outsider = await t.userWith('rev2', [{ role: 'reviewer', orgUnitId: tree.t2.id }]);
    expect((await outsider.post('/api/v1/census/people/search').send({ nationalId: NATIONAL_ID })).body.submissionIds).toEqual([]);
  });

  it('keeps reviewers\' corrections as revisions with a diff; the original is never overwritten', async () => {
    const tree = await createOrgTree(t.http);
    const formId = await publishCensus(t.http);
    const id = await submitCensus(formId, tree.g1.id);
    const original = await t.storage.submissions.get(id);
    const reviewer = await t.userWith('rev', [{ role: 'reviewer', orgUnitId: tree.v1.id }]);
    const fixed = await reviewer.post(`/api/v1/submissions/${id}/revisions`).send({ changes: { address: '一组2号', head_name: '张国强' }, comment: '入户核实后更正' });
    expect(fixed.status).toBe(201);
    expect(fixed.body.revision).toBe(1);
    expect(fixed.body.diff.map((d: { path: string }) => d.path)).toEqual(['address', 'head_name']);
    expect(fixed.body.diff[0]).toEqual({ path: 'address', before: '一组1号', after: '一组2号' });
    expect(fixed.body.diff[1]).toEqual({ path: 'head_name', before: '张**', after: '张**' });
    expect(await t.storage.submissions.get(id)).toEqual(original);
    const now = await reviewer.get(`/api/v1/submissions/${id}?reveal=true`);
    expect(now.body).toMatchObject({ revision: 1, answers: { address: '一组2号', head_name: '张国强' } });
    const history = await reviewer.get(`/api/v1/submissions/${id}/revisions?reveal=true`);
    expect(history.body[0].diff[1]).toEqual({ path: 'head_name', before: HEAD, after: '张国强' });
    expect(await fileBytes()).not.toContain(utf8InLatin1('张国强'));
    const invalid = await reviewer.post(`/api/v1/submissions/${id}/revisions`).send({ changes: { registration_type: 'martian' }, comment: 'x' });
    expect(invalid.body.error.code).toBe('ANSWERS_INVALID');
    const same = await reviewer.post(`/api/v1/submissions/${id}/revisions`).send({ changes: { address: '一组2号' }, comment: 'x' });
    expect(same.body.error.code).toBe('REVISION_UNCHANGED');
    const { formId: quizId } = await createPublishedQuiz(t.http);
    const q = randomUUID();
    await t.http.post('/api/v1/submissions').send({ submissions: [{ id: q, formId: quizId, formVersion: 1, orgUnit: tree.g1.id, answers: { q1: '20', q2: 'yes' }, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:01:00Z' }] });
    expect((await reviewer.post(`/api/v1/submissions/${q}/revisions`).send({ changes: { q1: '18' }, comment: 'x' })).body.error.code).toBe('REVISION_NOT_ALLOWED');
  });
});

describe('anonymous forms', () => {
  it('refuses a national ID or mobile number typed into an anonymous form\'s free text', async () => {
    const tree = await createOrgTree(t.http);
    const def = { elements: [{ type: 'radiogroup', name: 'q1', choices: ['a', 'b'], correctAnswer: 'a' }, { type: 'comment', name: 'remarks', title: '建议' }] };
    const c = await t.http.post('/api/v1/forms').send({ slug: 'anon', kind: 'knowledge', title: { zh: '匿名' }, definition: def });
    await t.http.post(`/api/v1/forms/${c.body.id}/publish`).send({});
    const item = (remarks: string) => ({ id: randomUUID(), formId: c.body.id, formVersion: 1, orgUnit: tree.g1.id, answers: { q1: 'a', remarks }, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:01:00Z' });
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [item(`我的身份证是${NATIONAL_ID}，请联系`), item('电话 139-1234-5678'), item('很好，2026年3月1日，第12345678901组')] });
    expect(r.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual(['IDENTIFYING_DATA_REFUSED', 'IDENTIFYING_DATA_REFUSED', 'stored']);
  });
});
