/**
 * The access/review/audit repositories of the MongoDB adapter (issue 3), on the wire double.
 * Written against the Storage port only, so the cases can move into the shared contract.
 */
import { openMongoStorage } from '../../server/storage/mongo';
import { UniqueViolation, type AuditEvent, type Storage, type User } from '../../server/storage/port';
import { startMongoWireDouble, type MongoWireDouble } from '../support/mongo-wire-double';
import { submission } from './contract';

let double: MongoWireDouble;
let s: Storage;
let n = 0;

beforeEach(async () => {
  double = await startMongoWireDouble();
  s = await openMongoStorage(double.uri, { dbName: `access_${n++}` });
});
afterEach(async () => {
  await s.close();
  await double.stop();
});

const T = '2026-03-01T00:00:00.000Z';
function user(id: string, username = id): User {
  return { id, username, displayName: `用户${id}`, passwordHash: '$argon2id$x', roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: T, updatedAt: T };
}

describe('users', () => {
  it('inserts, reads, lists by username, updates and rejects a duplicate username', async () => {
    await s.users.insert(user('u2', 'bob'));
    await s.users.insert({ ...user('u1', 'alice'), roles: [{ role: 'reviewer', orgUnitId: 'c' }] });
    await expect(s.users.insert(user('u3', 'bob'))).rejects.toEqual(new UniqueViolation('user.username'));
    expect(await s.users.getByUsername('alice')).toEqual({ ...user('u1', 'alice'), roles: [{ role: 'reviewer', orgUnitId: 'c' }] });
    expect((await s.users.list()).map((u) => u.username)).toEqual(['alice', 'bob']);
    await s.users.update('u2', { disabled: true, displayName: '鲍勃', updatedAt: 'T2' });
    expect(await s.users.get('u2')).toEqual({ ...user('u2', 'bob'), disabled: true, displayName: '鲍勃', updatedAt: 'T2' });
    expect(await s.users.count()).toBe(2);
    expect(await s.users.get('none')).toBeNull();
  });

  it('insertFirst admits exactly one first user, also when two race', async () => {
    const results = await Promise.all([s.users.insertFirst(user('a', 'first')), s.users.insertFirst(user('b', 'second'))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.users.count()).toBe(1);
    expect(await s.users.insertFirst(user('c', 'third'))).toBe(false);
    expect(Object.keys((await s.users.list())[0]!)).not.toContain('firstUser');
  });
});

describe('sessions and login attempts', () => {
  it('stores, touches and deletes sessions', async () => {
    const base = { userId: 'u1', createdAt: T, lastSeenAt: T, expiresAt: '2026-03-02T00:00:00.000Z' };
    await s.sessions.insert({ idHash: 'h1', ...base });
    await s.sessions.insert({ idHash: 'h2', ...base });
    await s.sessions.insert({ idHash: 'h3', ...base, userId: 'u2', expiresAt: '2026-03-01T12:00:00.000Z' });
    await s.sessions.touch('h1', 'T2');
    expect(await s.sessions.get('h1')).toEqual({ idHash: 'h1', ...base, lastSeenAt: 'T2' });
    expect(await s.sessions.deleteForUser('u1', 'h1')).toBe(1);
    expect(await s.sessions.get('h2')).toBeNull();
    expect(await s.sessions.deleteExpired('2026-03-01T12:00:00.000Z')).toBe(1);
    await s.sessions.delete('h1');
    expect(await s.sessions.get('h1')).toBeNull();
  });

  it('counts failures and locks on reaching the limit, then starts again', async () => {
    const policy = { maxFailures: 3, lockUntil: '2026-03-01T00:15:00.000Z' };
    expect(await s.loginAttempts.get('x')).toBeNull();
    expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 1, lockedUntil: null });
    expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 2, lockedUntil: null });
    expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 0, lockedUntil: policy.lockUntil });
    expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 1, lockedUntil: policy.lockUntil });
    await s.loginAttempts.clear('x');
    expect(await s.loginAttempts.get('x')).toBeNull();
  });
});

describe('devices and enrolments', () => {
  it('stores devices and consumes an enrolment code exactly once, before it expires', async () => {
    const d = { id: 'd1', label: '平板1', orgUnitId: 'v1', formIds: ['f1'], tokenHash: 'th', createdAt: T, createdBy: null, lastSeenAt: null, revokedAt: null };
    await s.devices.insert(d);
    expect(await s.devices.getByTokenHash('th')).toEqual(d);
    await s.devices.update('d1', { lastSeenAt: 'T2', formIds: ['f1', 'f2'] });
    expect(await s.devices.get('d1')).toEqual({ ...d, lastSeenAt: 'T2', formIds: ['f1', 'f2'] });
    expect((await s.devices.list()).map((x) => x.id)).toEqual(['d1']);
    const e = { codeHash: 'ch', orgUnitId: 'v1', formIds: ['f1'], label: null, createdBy: 'u1', createdAt: T, expiresAt: '2026-03-02T00:00:00.000Z', usedAt: null, deviceId: null };
    await s.devices.insertEnrolment(e);
    expect(await s.devices.consumeEnrolment('ch', '2026-03-03T00:00:00.000Z', 'd1')).toBeNull(); // expired
    const [a, b] = await Promise.all([s.devices.consumeEnrolment('ch', T, 'd1'), s.devices.consumeEnrolment('ch', T, 'd2')]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    expect(a ?? b).toMatchObject({ codeHash: 'ch', usedAt: T });
  });
});

describe('audit', () => {
  it('appends and lists newest first with a keyset cursor and filters', async () => {
    const ev = (i: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
      id: `e${String(i).padStart(2, '0')}`, at: `2026-03-01T00:00:0${i % 4}.000Z`, type: 'user.login' as AuditEvent['type'],
      actorKind: 'user', actorId: 'u1', actorName: 'alice', orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/', targetType: null, targetId: null,
      details: { i }, ...over,
    });
    for (let i = 0; i < 10; i++) await s.audit.append(ev(i, i === 9 ? { orgUnitId: null, orgUnitPath: null, actorId: 'u2' } : {}));
    const seen: string[] = [];
    let cursor = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: Awaited<ReturnType<Storage['audit']['list']>> = await s.audit.list({}, cursor, 4);
      seen.push(...page.items.map((x) => x.id));
      cursor = page.next;
      if (!cursor) break;
    }
    const all = Array.from({ length: 10 }, (_, i) => ev(i)).sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
    expect(seen).toEqual(all.map((x) => x.id));
    expect((await s.audit.list({ orgUnitPath: '/c/' }, null, 50)).items).toHaveLength(9);
    expect((await s.audit.list({ actorId: 'u2' }, null, 50)).items.map((x) => x.id)).toEqual(['e09']);
    expect((await s.audit.list({ from: '2026-03-01T00:00:03.000Z' }, null, 50)).items.map((x) => x.id)).toEqual(['e07', 'e03']);
    expect((await s.audit.list({ actorId: 'u2' }, null, 50)).items[0]).toEqual(ev(9, { orgUnitId: null, orgUnitPath: null, actorId: 'u2' }));
  });
});

describe('review, revisions and the person index', () => {
  it('records a state change only from the expected state, with history', async () => {
    const sub = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    await s.submissions.insertMany([sub]);
    const e = { id: 'r1', submissionId: sub.id, fromState: 'received' as const, toState: 'approved' as const, comment: null, byUserId: 'u1', byName: 'alice', at: T };
    expect(await s.reviews.record(e)).toBe(true);
    expect(await s.reviews.record({ ...e, id: 'r2', toState: 'rejected' })).toBe(false);
    expect((await s.submissions.get(sub.id))?.reviewState).toBe('approved');
    expect(await s.submissions.get(sub.id)).toEqual({ ...sub, reviewState: 'approved' });
    expect(await s.reviews.history(sub.id)).toEqual([e]);
    // a retry of the same event (e.g. after a crash) is idempotent
    expect(await s.reviews.record(e)).toBe(true);
    expect(await s.reviews.history(sub.id)).toEqual([e]);
  });

  it('refuses a revision number twice and lists revisions in order', async () => {
    const r = { submissionId: 's1', revision: 1, answers: { q1: '改' }, diff: [{ path: 'q1', before: '原', after: '改' }], comment: '更正', byUserId: 'u1', byName: 'alice', at: T };
    await s.reviews.insertRevision(r);
    await expect(s.reviews.insertRevision({ ...r, comment: 'again' })).rejects.toEqual(new UniqueViolation('submission_revision'));
    await s.reviews.insertRevision({ ...r, revision: 2 });
    expect(await s.reviews.revisions('s1')).toEqual([r, { ...r, revision: 2 }]);
  });

  it('adds person-index entries idempotently and finds them', async () => {
    await s.personIndex.add([{ blindIndex: 'b1', submissionId: 's2' }, { blindIndex: 'b1', submissionId: 's1' }]);
    await s.personIndex.add([{ blindIndex: 'b1', submissionId: 's1' }, { blindIndex: 'b2', submissionId: 's3' }]);
    expect(await s.personIndex.find('b1')).toEqual(['s1', 's2']);
    expect(await s.personIndex.find('none')).toEqual([]);
  });

  it('keeps one setup token and consumes it once', async () => {
    await s.setupTokens.replace('t1', T);
    await s.setupTokens.replace('t2', T);
    expect(await s.setupTokens.consume('t1')).toBe(false);
    expect(await s.setupTokens.consume('t2')).toBe(true);
    expect(await s.setupTokens.consume('t2')).toBe(false);
  });
});
