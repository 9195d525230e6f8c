import { randomUUID } from 'node:crypto';
import { DeviceConfigSchema, EnrolResponse, EnrolmentSchema } from '../../common/api/devices';
import { createOrgTree, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
let clock: number;
beforeEach(async () => {
  clock = Date.parse('2026-03-02T00:00:00Z');
  t = await makeTestApp({ now: () => new Date(clock) });
});
afterEach(async () => { await t.close(); });

function item(formId: string, orgUnit: string, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(), formId, formVersion: 1, orgUnit, answers: { q1: '20', q2: 'yes' },
    startedAt: '2026-03-01T09:00:00+08:00', completedAt: '2026-03-01T09:04:00+08:00', ...over,
  };
}

async function setup() {
  const tree = await createOrgTree(t.http);
  const quiz = await createPublishedQuiz(t.http);
  const other = await createPublishedQuiz(t.http, 'other-quiz');
  return { ...tree, quiz, other };
}

async function enrol(orgUnitId: string, formIds: string[], staff = t.http) {
  const e = await staff.post('/api/v1/devices/enrolments').send({ orgUnitId, formIds, label: '村委会平板' });
  expect(e.status).toBe(201);
  const r = await t.anon.post('/api/v1/devices/enrol').send({ code: e.body.code });
  expect(r.status).toBe(201);
  return { code: e.body.code as string, token: r.body.token as string, device: r.body.device };
}

describe('enrolment', () => {
  it('issues a one-time 10-character code (stored hashed) that a tablet exchanges for a credential and its config', async () => {
    const { v1, g1, quiz } = await setup();
    const e = await t.http.post('/api/v1/devices/enrolments').send({ orgUnitId: v1.id, formIds: [quiz.formId] });
    expect(e.status).toBe(201);
    expect(EnrolmentSchema.parse(e.body).code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(Date.parse(e.body.expiresAt) - clock).toBe(24 * 3_600_000);
    const rows = JSON.stringify(t.storage.db.prepare('SELECT * FROM enrolments').all());
    expect(rows).not.toContain(e.body.code);
    // typed with dashes and in lower case
    const typed = `${e.body.code.slice(0, 5)}-${e.body.code.slice(5)}`.toLowerCase();
    const r = await t.anon.post('/api/v1/devices/enrol').send({ code: typed, deviceLabel: '一组平板' });
    expect(r.status).toBe(201);
    const body = EnrolResponse.parse(r.body);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.device).toMatchObject({ label: '一组平板', orgUnit: { id: v1.id }, forms: [{ formId: quiz.formId, version: 1, kind: 'knowledge' }] });
    expect(body.device.orgUnitChoices.map((c) => c.id)).toEqual([v1.id, g1.id]);
    expect(JSON.stringify(t.storage.db.prepare('SELECT * FROM devices').all())).not.toContain(body.token);
    const again = await t.anon.post('/api/v1/devices/enrol').send({ code: e.body.code });
    expect([again.status, again.body.error.code]).toEqual([400, 'ENROLMENT_CODE_INVALID']);
    const cfg = await t.anon.get('/api/v1/device/config').set('Authorization', `Bearer ${body.token}`);
    expect(cfg.status).toBe(200);
    expect(DeviceConfigSchema.parse(cfg.body).id).toBe(body.device.id);
  });

  it('refuses an expired code, a malformed one, and forms that are not published', async () => {
    const { v1, quiz } = await setup();
    const draft = await t.http.post('/api/v1/forms').send({ slug: 'draft-only', kind: 'general', title: { zh: '草稿' }, definition: { elements: [{ type: 'text', name: 'a' }] } });
    expect((await t.http.post('/api/v1/devices/enrolments').send({ orgUnitId: v1.id, formIds: [draft.body.id] })).body.error.code).toBe('FORM_NOT_PUBLISHED');
    const e = await t.http.post('/api/v1/devices/enrolments').send({ orgUnitId: v1.id, formIds: [quiz.formId] });
    clock += 24 * 3_600_000 + 1;
    expect((await t.anon.post('/api/v1/devices/enrol').send({ code: e.body.code })).body.error.code).toBe('ENROLMENT_CODE_INVALID');
    expect((await t.anon.post('/api/v1/devices/enrol').send({ code: 'IO01IO01IO' })).status).toBe(400);
    expect((await t.anon.post('/api/v1/devices/enrol').send({ code: { $ne: null } })).status).toBe(400);
  });

  it('rate-limits the public enrol endpoint', async () => {
    const s = await makeTestApp({ security: { rateLimits: { user: { burst: 100, perMinute: 100 }, device: { burst: 100, perMinute: 100 }, login: { burst: 10, perMinute: 10 }, enrol: { burst: 3, perMinute: 3 } } } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.anon.post('/api/v1/devices/enrol').send({ code: 'ABCDEFGHJK' })).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    await s.close();
  });
});

describe('what a device may do', () => {
  it('fetches only its assigned form versions, submits only to its org unit and assigned forms, and reads no submissions', async () => {
    const { v1, g1, v2, quiz, other } = await setup();
    const { token, device } = await enrol(v1.id, [quiz.formId]);
    const bearer = `Bearer ${token}`;
    expect((await t.anon.get(`/api/v1/forms/${quiz.formId}/versions/1`).set('Authorization', bearer)).status).toBe(200);
    const notMine = await t.anon.get(`/api/v1/forms/${other.formId}/versions/1`).set('Authorization', bearer);
    expect([notMine.status, notMine.body.error.code]).toEqual([403, 'FORM_NOT_ASSIGNED']);
    const mine = item(quiz.formId, g1.id);
    const r = await t.anon.post('/api/v1/submissions').set('Authorization', bearer).send({
      submissions: [mine, item(quiz.formId, v2.id), item(other.formId, g1.id)],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual(['stored', 'ORG_UNIT_NOT_FOUND', 'FORM_NOT_ASSIGNED']);
    expect((await t.storage.submissions.get(mine.id))?.deviceId).toBe(device.id);
    for (const url of ['/api/v1/submissions', `/api/v1/submissions/${mine.id}`, '/api/v1/forms', '/api/v1/org-units', '/api/v1/devices', '/api/v1/audit', '/api/v1/users']) {
      const read = await t.anon.get(url).set('Authorization', bearer);
      expect([url, read.status]).toEqual([url, 403]);
    }
  });

  it('a revoked device gets 401 DEVICE_REVOKED; an unknown token 401 DEVICE_UNAUTHORIZED; staff list, rename and re-assign', async () => {
    const { v1, v2, quiz, other } = await setup();
    const { token, device } = await enrol(v1.id, [quiz.formId]);
    const list = await t.http.get('/api/v1/devices');
    expect(list.body.map((d: { id: string }) => d.id)).toEqual([device.id]);
    expect(list.body[0].tokenHash).toBeUndefined();
    const renamed = await t.http.patch(`/api/v1/devices/${device.id}`).send({ label: '二村平板', orgUnitId: v2.id, formIds: [other.formId] });
    expect(renamed.body).toMatchObject({ label: '二村平板', orgUnitId: v2.id, formIds: [other.formId] });
    const cfg = await t.anon.get('/api/v1/device/config').set('Authorization', `Bearer ${token}`);
    expect(cfg.body).toMatchObject({ label: '二村平板', orgUnit: { id: v2.id }, forms: [{ formId: other.formId }] });
    expect((await t.http.post(`/api/v1/devices/${device.id}/revoke`).send({})).body.revokedAt).toBeTruthy();
    const revoked = await t.anon.get('/api/v1/device/config').set('Authorization', `Bearer ${token}`);
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'DEVICE_REVOKED']);
    const sub = await t.anon.post('/api/v1/submissions').set('Authorization', `Bearer ${token}`).send({ submissions: [item(other.formId, v2.id)] });
    expect(sub.body.error.code).toBe('DEVICE_REVOKED');
    const unknown = await t.anon.get('/api/v1/device/config').set('Authorization', `Bearer ${'A'.repeat(43)}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([401, 'DEVICE_UNAUTHORIZED']);
    for (const h of ['Bearer', 'Bearer x', `Basic ${'A'.repeat(43)}`, `Bearer ${'A'.repeat(42)}!`]) {
      expect((await t.anon.get('/api/v1/device/config').set('Authorization', h)).status).toBe(401);
    }
    const audit = await t.http.get('/api/v1/audit');
    const types = audit.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['device.enrolment_created', 'device.enrolled', 'device.updated', 'device.revoked']));
  });

  it('rate-limits per device', async () => {
    const s = await makeTestApp({ security: { rateLimits: { user: { burst: 500, perMinute: 500 }, device: { burst: 3, perMinute: 3 }, login: { burst: 10, perMinute: 10 }, enrol: { burst: 5, perMinute: 5 } } } });
    const tree = await createOrgTree(s.http);
    const quiz = await createPublishedQuiz(s.http);
    const e = await s.http.post('/api/v1/devices/enrolments').send({ orgUnitId: tree.v1.id, formIds: [quiz.formId] });
    const { token } = (await s.anon.post('/api/v1/devices/enrol').send({ code: e.body.code })).body;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.anon.get('/api/v1/device/config').set('Authorization', `Bearer ${token}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await s.close();
  });
});

describe('enumerators enrol tablets for their own villages only', () => {
  it('lets an enumerator of V1 enrol for V1 and its groups, not for V2; lists only V1 devices', async () => {
    const { v1, g1, v2, quiz } = await setup();
    const enumerator = await t.userWith('enum1', [{ role: 'enumerator', orgUnitId: v1.id }]);
    await enrol(g1.id, [quiz.formId], enumerator);
    await enrol(v2.id, [quiz.formId]);
    const refused = await enumerator.post('/api/v1/devices/enrolments').send({ orgUnitId: v2.id, formIds: [quiz.formId] });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const mine = await enumerator.get('/api/v1/devices');
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0].orgUnitId).toBe(g1.id);
    expect((await t.http.get('/api/v1/devices')).body).toHaveLength(2);
    const v2Device = (await t.http.get('/api/v1/devices')).body.find((d: { orgUnitId: string }) => d.orgUnitId === v2.id);
    expect((await enumerator.post(`/api/v1/devices/${v2Device.id}/revoke`).send({})).body.error.code).toBe('DEVICE_NOT_FOUND');
  });
});
