/**
 * The storage contract: every adapter (SQLite, MongoDB) must pass exactly these cases.
 * Each case gets a fresh, empty store from `open`.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Form, FormVersion, OrgUnit, Storage, Submission, User } from '../../server/storage/port';
import { UniqueViolation } from '../../server/storage/port';

export interface OpenedStorage {
  storage: Storage;
  cleanup(): Promise<void>;
}

const T0 = '2026-03-01T00:00:00.000Z';

export function unit(id: string, parent: OrgUnit | null, level: OrgUnit['level'], code = id.toUpperCase()): OrgUnit {
  return {
    id, code, name: { zh: `单位${id}`, en: `Unit ${id}` }, level, parentId: parent?.id ?? null,
    path: `${parent?.path ?? '/'}${id}/`, createdAt: T0, updatedAt: T0,
  };
}

export function form(id: string, slug = id): Form {
  return {
    id, slug, kind: 'knowledge', title: { zh: '问卷', en: 'Quiz' }, status: 'draft',
    draft: { pages: [{ name: 'p1', elements: [{ type: 'text', name: 'q1' }] }] }, draftUpdatedAt: T0,
    latestVersion: null, createdAt: T0, updatedAt: T0,
  };
}

export function version(formId: string, v: number): FormVersion {
  return {
    formId, version: v, contentHash: `hash-${v}`, definition: { pages: [{ name: 'p1', elements: [{ type: 'text', name: `q${v}` }] }] },
    publishedAt: T0, publishedBy: 'tester',
  };
}

export function submission(over: Partial<Submission> & Pick<Submission, 'orgUnitId' | 'orgUnitPath'>): Submission {
  return {
    id: randomUUID(), formId: 'f1', formVersion: 1, answers: { q1: '答案', n: 3, list: ['a', 'b'] },
    contentHash: 'h1', startedAt: '2026-03-02T01:00:00.000Z', completedAt: '2026-03-02T01:05:00.000Z',
    receivedAt: '2026-03-02T02:00:00.000Z', deviceId: null, reviewState: 'received', ...over,
  };
}

/** A small tree: county c → townships t1, t2 → village v1 (under t1) → group g1 (parents first). */
export function treeUnits(): Record<'c' | 't1' | 't2' | 'v1' | 'g1', OrgUnit> {
  const c = unit('c', null, 'county');
  const t1 = unit('t1', c, 'township');
  const t2 = unit('t2', c, 'township');
  const v1 = unit('v1', t1, 'village');
  const g1 = unit('g1', v1, 'group');
  return { c, t1, t2, v1, g1 };
}

export function runStorageContract(name: string, open: () => Promise<OpenedStorage>): void {
  describe(`storage contract: ${name}`, () => {
    let opened: OpenedStorage;
    let s: Storage;
    beforeEach(async () => {
      opened = await open();
      s = opened.storage;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    async function tree() {
      const units = treeUnits();
      for (const u of Object.values(units)) await s.orgUnits.insert(u);
      return units;
    }

    describe('org units', () => {
      it('inserts and reads back units as plain objects', async () => {
        const { v1 } = await tree();
        expect(await s.orgUnits.get('v1')).toEqual(v1);
        expect(await s.orgUnits.getByCode('V1')).toEqual(v1);
        expect(await s.orgUnits.get('nope')).toBeNull();
        expect(await s.orgUnits.count()).toBe(5);
      });

      it('keeps a unit without English name without an en key', async () => {
        const u = { ...unit('x', null, 'county'), name: { zh: '只有中文' } };
        await s.orgUnits.insert(u);
        expect(await s.orgUnits.get('x')).toEqual(u);
      });

      it('rejects a duplicate code with UniqueViolation', async () => {
        await tree();
        await expect(s.orgUnits.insert({ ...unit('other', null, 'county'), code: 'T1' })).rejects.toBeInstanceOf(UniqueViolation);
        expect(await s.orgUnits.count()).toBe(5);
      });

      it('lists a subtree by path prefix, ordered by path', async () => {
        await tree();
        const sub = await s.orgUnits.listSubtree('/c/t1/');
        expect(sub.map((u) => u.id)).toEqual(['t1', 'v1', 'g1']);
        expect((await s.orgUnits.listAll()).map((u) => u.id)).toEqual(['c', 't1', 'v1', 'g1', 't2']);
      });

      it('treats _ and % in paths literally', async () => {
        const a = unit('a_b', null, 'county');
        const b = unit('axb', null, 'county');
        await s.orgUnits.insert(a);
        await s.orgUnits.insert(b);
        expect((await s.orgUnits.listSubtree('/a_b/')).map((u) => u.id)).toEqual(['a_b']);
      });

      it('counts children and renames', async () => {
        await tree();
        expect(await s.orgUnits.countChildren('c')).toBe(2);
        expect(await s.orgUnits.countChildren('g1')).toBe(0);
        await s.orgUnits.rename('v1', { zh: '新名', en: 'New' }, '2026-04-01T00:00:00.000Z');
        const v = await s.orgUnits.get('v1');
        expect(v?.name).toEqual({ zh: '新名', en: 'New' });
        expect(v?.updatedAt).toBe('2026-04-01T00:00:00.000Z');
      });

      it('moves a unit with its descendants and their submissions', async () => {
        await tree();
        await s.forms.insert(form('f1'));
        await s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: T0 });
        const sub = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/' });
        expect(await s.submissions.insertMany([sub])).toEqual(['stored']);
        await s.orgUnits.move('v1', 't2', '/c/t1/v1/', '/c/t2/v1/', '2026-04-01T00:00:00.000Z');
        expect((await s.orgUnits.get('v1'))?.parentId).toBe('t2');
        expect((await s.orgUnits.get('g1'))?.path).toBe('/c/t2/v1/g1/');
        expect((await s.orgUnits.listSubtree('/c/t1/')).map((u) => u.id)).toEqual(['t1']);
        expect((await s.submissions.get(sub.id))?.orgUnitPath).toBe('/c/t2/v1/g1/');
        expect(await s.submissions.count({ orgUnitPath: '/c/t2/' })).toBe(1);
        expect(await s.submissions.count({ orgUnitPath: '/c/t1/' })).toBe(0);
      });

      it('upserts many units at once (CSV import)', async () => {
        const { c } = await tree();
        const renamed = { ...(await s.orgUnits.get('t2'))!, name: { zh: '改名' }, updatedAt: '2026-05-01T00:00:00.000Z' };
        const added = unit('t3', c, 'township');
        await s.orgUnits.upsertMany([renamed, added]);
        expect(await s.orgUnits.get('t2')).toEqual(renamed);
        expect(await s.orgUnits.get('t3')).toEqual(added);
        expect(await s.orgUnits.count()).toBe(6);
      });
    });

    describe('org unit groups', () => {
      it('stores groups with members, lists, updates and finds the groups of a unit', async () => {
        await tree();
        await s.orgUnitGroups.insert({ id: 'tier1', code: 'TIER1', name: { zh: '一类村' }, memberIds: ['v1'] });
        await s.orgUnitGroups.insert({ id: 'tier2', code: 'TIER2', name: { zh: '二类村', en: 'Tier 2' }, memberIds: [] });
        await expect(s.orgUnitGroups.insert({ id: 'x', code: 'TIER1', name: { zh: '重复' }, memberIds: [] })).rejects.toBeInstanceOf(UniqueViolation);
        expect((await s.orgUnitGroups.groupsOf('v1')).map((g) => g.id)).toEqual(['tier1']);
        await s.orgUnitGroups.update('tier2', { memberIds: ['v1', 'g1'], name: { zh: '二类', en: 'T2' } });
        expect(await s.orgUnitGroups.get('tier2')).toEqual({ id: 'tier2', code: 'TIER2', name: { zh: '二类', en: 'T2' }, memberIds: ['g1', 'v1'] });
        expect((await s.orgUnitGroups.list()).map((g) => g.code)).toEqual(['TIER1', 'TIER2']);
        expect(await s.orgUnitGroups.get('none')).toBeNull();
      });
    });

    describe('forms and versions', () => {
      it('inserts, reads, lists by kind and status, rejects duplicate slugs', async () => {
        await s.forms.insert(form('f1', 'quiz'));
        await s.forms.insert({ ...form('f2', 'sat'), kind: 'satisfaction', status: 'published' });
        expect(await s.forms.get('f1')).toEqual(form('f1', 'quiz'));
        expect((await s.forms.getBySlug('sat'))?.id).toBe('f2');
        await expect(s.forms.insert(form('f3', 'quiz'))).rejects.toBeInstanceOf(UniqueViolation);
        expect((await s.forms.list({})).map((f) => f.id)).toEqual(['f1', 'f2']);
        expect((await s.forms.list({ kind: 'satisfaction' })).map((f) => f.id)).toEqual(['f2']);
        expect((await s.forms.list({ status: 'draft' })).map((f) => f.id)).toEqual(['f1']);
        expect(await s.forms.count()).toBe(2);
      });

      it('updates only the given fields', async () => {
        await s.forms.insert(form('f1'));
        await s.forms.update('f1', { title: { zh: '新标题' }, updatedAt: '2026-06-01T00:00:00.000Z' });
        const f = await s.forms.get('f1');
        expect(f?.title).toEqual({ zh: '新标题' });
        expect(f?.draft).toEqual(form('f1').draft);
        expect(f?.updatedAt).toBe('2026-06-01T00:00:00.000Z');
      });

      it('publishes a version atomically and refuses the same version number twice', async () => {
        await s.forms.insert(form('f1'));
        const patch = { status: 'published' as const, latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: '2026-06-01T00:00:00.000Z' };
        await s.forms.publish(version('f1', 1), patch);
        const f = await s.forms.get('f1');
        expect(f).toMatchObject({ status: 'published', latestVersion: 1, draft: null });
        expect(await s.forms.getVersion('f1', 1)).toEqual(version('f1', 1));
        await expect(s.forms.publish(version('f1', 1), { ...patch, latestVersion: 99 })).rejects.toBeInstanceOf(UniqueViolation);
        expect((await s.forms.get('f1'))?.latestVersion).toBe(1);
        await s.forms.publish(version('f1', 2), { ...patch, latestVersion: 2 });
        expect((await s.forms.listVersions('f1')).map((v) => v.version)).toEqual([1, 2]);
        expect(await s.forms.getVersion('f1', 3)).toBeNull();
      });
    });

    describe('submissions', () => {
      async function seed() {
        const t = await tree();
        await s.forms.insert(form('f1'));
        await s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: T0 });
        return t;
      }

      it('stores new ids, reports identical re-sends as duplicate and changed content as conflict', async () => {
        await seed();
        const a = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/' });
        const b = submission({ orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/' });
        expect(await s.submissions.insertMany([a, b])).toEqual(['stored', 'stored']);
        const changed = { ...a, contentHash: 'other', answers: { q1: '改了' } };
        const c = submission({ orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/' });
        expect(await s.submissions.insertMany([a, changed, c])).toEqual(['duplicate', 'conflict', 'stored']);
        expect(await s.submissions.get(a.id)).toEqual(a);
        expect(await s.submissions.count({})).toBe(3);
        const hashes = await s.submissions.getHashes([a.id, 'not-there', c.id]);
        expect([...hashes.entries()].sort()).toEqual([[a.id, a.contentHash], [c.id, c.contentHash]].sort());
      });

      it('treats a repeated id inside one batch as a duplicate of the first', async () => {
        await seed();
        const a = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/' });
        expect(await s.submissions.insertMany([a, { ...a }])).toEqual(['stored', 'duplicate']);
        expect(await s.submissions.count({})).toBe(1);
      });

      it('filters by form, version, subtree and completion period', async () => {
        await seed();
        const inMarch = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/' });
        const inApril = submission({ orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/', completedAt: '2026-04-10T00:00:00.000Z' });
        await s.submissions.insertMany([inMarch, inApril]);
        expect(await s.submissions.count({ formId: 'f1', formVersion: 1 })).toBe(2);
        expect(await s.submissions.count({ formId: 'f2' })).toBe(0);
        expect(await s.submissions.count({ formVersion: 2 })).toBe(0);
        expect(await s.submissions.count({ orgUnitPath: '/c/t1/v1/g1/' })).toBe(1);
        expect(await s.submissions.count({ orgUnitPath: '/c/t2/' })).toBe(0);
        const april = await s.submissions.list({ completedFrom: '2026-04-01T00:00:00.000Z', completedTo: '2026-05-01T00:00:00.000Z' }, null, 10);
        expect(april.items.map((x) => x.id)).toEqual([inApril.id]);
        expect(april.next).toBeNull();
      });

      it('pages with a keyset cursor in (receivedAt, id) order without gaps or repeats', async () => {
        await seed();
        const items: Submission[] = [];
        for (let i = 0; i < 25; i++) {
          // several share a receivedAt so the id tie-break matters
          items.push(submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/', receivedAt: `2026-03-02T02:00:0${i % 3}.000Z` }));
        }
        await s.submissions.insertMany(items);
        const seen: string[] = [];
        let cursor = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<Storage['submissions']['list']>> = await s.submissions.list({ orgUnitPath: '/c/' }, cursor, 7);
          seen.push(...page.items.map((x) => x.id));
          cursor = page.next;
          pages++;
        } while (cursor && pages < 10);
        const expected = [...items].sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? -1 : 1) : a.receivedAt < b.receivedAt ? -1 : 1)).map((x) => x.id);
        expect(seen).toEqual(expected);
        expect(pages).toBe(4);
      });

      it('round-trips nested answers and Chinese text exactly', async () => {
        await seed();
        const answers = { members: [{ name: '张三', age: 30, tags: ['x'] }, { name: '李四', nested: { deep: [1, 2, { k: null }] } }], flag: true, n: 1.5 };
        const a = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/', answers, deviceId: 'dev-1' });
        await s.submissions.insertMany([a]);
        expect(await s.submissions.get(a.id)).toEqual(a);
      });

      it('filters by one or several review states, with the other filters and the cursor (the review queue)', async () => {
        await seed();
        const at = (i: number) => `2026-03-02T02:00:${String(i).padStart(2, '0')}.000Z`;
        const received = [0, 1, 2, 3].map((i) => submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/', receivedAt: at(i) }));
        const issues = submission({ orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/', receivedAt: at(4), reviewState: 'has_issues' });
        const approved = submission({ orgUnitId: 'g1', orgUnitPath: '/c/t1/v1/g1/', receivedAt: at(5), reviewState: 'approved' });
        const elsewhere = submission({ orgUnitId: 't2', orgUnitPath: '/c/t2/', receivedAt: at(6) });
        await s.submissions.insertMany([...received, issues, approved, elsewhere]);
        // a review decision moves a submission from one state's list to the other's
        expect(await s.reviews.record({
          id: 'ev1', submissionId: received[3]!.id, fromState: 'received', toState: 'rejected', comment: null, byUserId: 'u1', byName: 'U', at: T0,
        })).toBe(true);
        const ids = async (f: Parameters<Storage['submissions']['list']>[0]) => (await s.submissions.list(f, null, 50)).items.map((x) => x.id);
        expect(await ids({ reviewStates: ['received'] })).toEqual([received[0]!.id, received[1]!.id, received[2]!.id, elsewhere.id]);
        expect(await ids({ reviewStates: ['rejected'] })).toEqual([received[3]!.id]);
        expect(await ids({ reviewStates: ['received', 'has_issues'], orgUnitPath: '/c/t1/' })).toEqual([received[0]!.id, received[1]!.id, received[2]!.id, issues.id]);
        expect(await ids({ reviewStates: ['approved', 'rejected'], formId: 'f1' })).toEqual([received[3]!.id, approved.id]);
        expect(await ids({ reviewStates: [] })).toEqual([]);
        expect(await s.submissions.count({ reviewStates: ['received', 'has_issues'] })).toBe(5);
        expect(await s.submissions.count({ reviewStates: ['approved'], orgUnitPath: '/c/t2/' })).toBe(0);
        // keyset pages over a state filter: no gaps, no repeats
        const first = await s.submissions.list({ reviewStates: ['received', 'has_issues'] }, null, 3);
        expect(first.items.map((x) => x.id)).toEqual([received[0]!.id, received[1]!.id, received[2]!.id]);
        expect(first.next).not.toBeNull();
        const second = await s.submissions.list({ reviewStates: ['received', 'has_issues'] }, first.next, 3);
        expect(second.items.map((x) => x.id)).toEqual([issues.id, elsewhere.id]);
        expect(second.next).toBeNull();
      });
    });

    describe('access, review and audit (issue 3)', () => {
      const T = T0;
      const user = (id: string, username = id): User => ({
        id, username, displayName: `用户${id}`, passwordHash: '$argon2id$x', roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: T, updatedAt: T,
      });

      it('users: insert, read, list by username, update, duplicate username', async () => {
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

      it('users: insertFirst admits exactly one first user, also when two race', async () => {
        const results = await Promise.all([s.users.insertFirst(user('a', 'first')), s.users.insertFirst(user('b', 'second'))]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await s.users.count()).toBe(1);
        expect(await s.users.insertFirst(user('c', 'third'))).toBe(false);
        // the first-user marker is the adapter's own business, never part of the user
        expect(Object.keys((await s.users.list())[0]!)).not.toContain('firstUser');
      });

      it('sessions: store, touch, revoke per user, sweep expired', async () => {
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

      it('login attempts: count failures, lock on reaching the limit, then start again', async () => {
        const policy = { maxFailures: 3, lockUntil: '2026-03-01T00:15:00.000Z' };
        expect(await s.loginAttempts.get('x')).toBeNull();
        expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 1, lockedUntil: null });
        expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 2, lockedUntil: null });
        expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 0, lockedUntil: policy.lockUntil });
        expect(await s.loginAttempts.recordFailure('x', policy)).toEqual({ username: 'x', failures: 1, lockedUntil: policy.lockUntil });
        await s.loginAttempts.clear('x');
        expect(await s.loginAttempts.get('x')).toBeNull();
      });

      it('devices: store, update, consume an enrolment code exactly once and only before it expires', async () => {
        const d = { id: 'd1', label: '平板1', orgUnitId: 'v1', formIds: ['f1'], tokenHash: 'th', createdAt: T, createdBy: null, lastSeenAt: null, revokedAt: null };
        await s.devices.insert(d);
        expect(await s.devices.getByTokenHash('th')).toEqual(d);
        expect(await s.devices.getByTokenHash('other')).toBeNull();
        await s.devices.update('d1', { lastSeenAt: 'T2', formIds: ['f1', 'f2'], revokedAt: 'T3' });
        expect(await s.devices.get('d1')).toEqual({ ...d, lastSeenAt: 'T2', formIds: ['f1', 'f2'], revokedAt: 'T3' });
        expect((await s.devices.list()).map((x) => x.id)).toEqual(['d1']);
        const e = { codeHash: 'ch', orgUnitId: 'v1', formIds: ['f1'], label: null, createdBy: 'u1', createdAt: T, expiresAt: '2026-03-02T00:00:00.000Z', usedAt: null, deviceId: null };
        await s.devices.insertEnrolment(e);
        expect(await s.devices.consumeEnrolment('ch', '2026-03-03T00:00:00.000Z', 'd1')).toBeNull(); // expired
        const [a, b] = await Promise.all([s.devices.consumeEnrolment('ch', T, 'd1'), s.devices.consumeEnrolment('ch', T, 'd2')]);
        expect([a, b].filter((x) => x !== null)).toHaveLength(1);
        expect(a ?? b).toMatchObject({ codeHash: 'ch', usedAt: T, orgUnitId: 'v1', formIds: ['f1'] });
        expect(await s.devices.consumeEnrolment('ch', T, 'd3')).toBeNull(); // used
      });

      it('audit: append, newest first with a keyset cursor, filters by subtree, actor, type and time', async () => {
        const ev = (i: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
          id: `e${String(i).padStart(2, '0')}`, at: `2026-03-01T00:00:0${i % 4}.000Z`, type: 'auth.login',
          actorKind: 'user', actorId: 'u1', actorName: 'alice', orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/', targetType: null, targetId: null,
          details: { i }, ...over,
        });
        for (let i = 0; i < 10; i++) await s.audit.append(ev(i, i === 9 ? { orgUnitId: null, orgUnitPath: null, actorId: 'u2', type: 'form.published' } : {}));
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
        expect((await s.audit.list({ orgUnitPath: '/c/t2/' }, null, 50)).items).toHaveLength(0);
        expect((await s.audit.list({ type: 'form.published' }, null, 50)).items.map((x) => x.id)).toEqual(['e09']);
        expect((await s.audit.list({ from: '2026-03-01T00:00:03.000Z' }, null, 50)).items.map((x) => x.id)).toEqual(['e07', 'e03']);
        expect((await s.audit.list({ to: '2026-03-01T00:00:01.000Z' }, null, 50)).items.map((x) => x.id)).toEqual(['e08', 'e04', 'e00']);
        expect((await s.audit.list({ actorId: 'u2' }, null, 50)).items.map((x) => x.id)).toEqual(['e09']);
        expect((await s.audit.list({ actorId: 'u2' }, null, 50)).items[0]).toEqual(ev(9, { orgUnitId: null, orgUnitPath: null, actorId: 'u2', type: 'form.published' }));
      });

      it('review: a state change only from the expected state, with history; a retried event is idempotent', async () => {
        await tree();
        await s.forms.insert(form('f1'));
        await s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: T0 });
        const sub = submission({ orgUnitId: 'v1', orgUnitPath: '/c/t1/v1/' });
        await s.submissions.insertMany([sub]);
        const e = { id: 'r1', submissionId: sub.id, fromState: 'received' as const, toState: 'approved' as const, comment: null, byUserId: 'u1', byName: 'alice', at: T };
        expect(await s.reviews.record(e)).toBe(true);
        expect(await s.reviews.record({ ...e, id: 'r2', toState: 'rejected' })).toBe(false);
        expect(await s.submissions.get(sub.id)).toEqual({ ...sub, reviewState: 'approved' });
        expect(await s.reviews.history(sub.id)).toEqual([e]);
        expect(await s.reviews.record(e)).toBe(true);
        expect(await s.reviews.history(sub.id)).toEqual([e]);
        const e2 = { ...e, id: 'r3', fromState: 'approved' as const, toState: 'has_issues' as const, comment: '请核对', at: '2026-03-01T01:00:00.000Z' };
        expect(await s.reviews.record(e2)).toBe(true);
        expect(await s.reviews.history(sub.id)).toEqual([e, e2]);
      });

      it('revisions: a number only once, listed in order; the submission itself is untouched', async () => {
        const r = { submissionId: 's1', revision: 1, answers: { q1: '改' }, diff: [{ path: 'q1', before: '原', after: '改' }], comment: '更正', byUserId: 'u1', byName: 'alice', at: T };
        await s.reviews.insertRevision(r);
        await expect(s.reviews.insertRevision({ ...r, comment: 'again' })).rejects.toEqual(new UniqueViolation('submission_revision'));
        await s.reviews.insertRevision({ ...r, revision: 2 });
        expect(await s.reviews.revisions('s1')).toEqual([r, { ...r, revision: 2 }]);
        expect(await s.reviews.revisions('none')).toEqual([]);
      });

      it('person index: idempotent adds, finds by blind index', async () => {
        await s.personIndex.add([{ blindIndex: 'b1', submissionId: 's2' }, { blindIndex: 'b1', submissionId: 's1' }]);
        await s.personIndex.add([{ blindIndex: 'b1', submissionId: 's1' }, { blindIndex: 'b2', submissionId: 's3' }]);
        expect(await s.personIndex.find('b1')).toEqual(['s1', 's2']);
        expect(await s.personIndex.find('none')).toEqual([]);
      });

      it('setup token: one at a time, consumed once', async () => {
        await s.setupTokens.replace('t1', T);
        await s.setupTokens.replace('t2', T);
        expect(await s.setupTokens.consume('t1')).toBe(false);
        expect(await s.setupTokens.consume('t2')).toBe(true);
        expect(await s.setupTokens.consume('t2')).toBe(false);
      });
    });

    it('answers ping', async () => {
      await expect(s.ping()).resolves.toBeUndefined();
    });

    describe('forms: conditional writes (optimistic concurrency across server instances)', () => {
      const T1 = '2026-06-01T00:00:00.001Z';
      const T2 = '2026-06-01T00:00:00.002Z';
      const def = (name: string) => ({ pages: [{ name: 'p1', elements: [{ type: 'text', name }] }] });

      it('updateDraftIf: of two conditional updates from the same base exactly one writes', async () => {
        await s.forms.insert(form('f1'));
        const results = await Promise.all([
          s.forms.updateDraftIf('f1', T0, { draft: def('a'), draftUpdatedAt: T1, updatedAt: T1 }),
          s.forms.updateDraftIf('f1', T0, { draft: def('b'), draftUpdatedAt: T2, updatedAt: T2 }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const f = await s.forms.get('f1');
        const won = results[0] ? { draft: def('a'), draftUpdatedAt: T1 } : { draft: def('b'), draftUpdatedAt: T2 };
        expect(f).toMatchObject(won);
        // sequentially too: the stale base is refused and writes nothing, not even the title
        expect(await s.forms.updateDraftIf('f1', T0, { title: { zh: '不该写入' }, draft: def('c'), draftUpdatedAt: '2026-07-01T00:00:00.000Z', updatedAt: '2026-07-01T00:00:00.000Z' })).toBe(false);
        expect(await s.forms.get('f1')).toEqual(f);
        // the current revision is accepted; a title-only patch keeps the revision
        expect(await s.forms.updateDraftIf('f1', won.draftUpdatedAt, { title: { zh: '新' }, updatedAt: T2 })).toBe(true);
        expect(await s.forms.get('f1')).toMatchObject({ ...won, title: { zh: '新' } });
        expect(await s.forms.updateDraftIf('missing', T0, { updatedAt: T2 })).toBe(false);
      });

      it('updateDraftIf: a null base means "no draft" and matches only a form without one', async () => {
        await s.forms.insert({ ...form('f1'), draft: null, draftUpdatedAt: null, status: 'published', latestVersion: 1 });
        await s.forms.insert(form('f2', 'other'));
        expect(await s.forms.updateDraftIf('f2', null, { draft: def('x'), draftUpdatedAt: T1, updatedAt: T1 })).toBe(false);
        expect(await s.forms.get('f2')).toEqual(form('f2', 'other'));
        const results = await Promise.all([
          s.forms.updateDraftIf('f1', null, { draft: def('a'), draftUpdatedAt: T1, updatedAt: T1 }),
          s.forms.updateDraftIf('f1', null, { draft: def('b'), draftUpdatedAt: T2, updatedAt: T2 }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await s.forms.get('f1'))?.draft).toEqual(results[0] ? def('a') : def('b'));
        expect(await s.forms.updateDraftIf('f1', null, { draft: def('c'), draftUpdatedAt: T2, updatedAt: T2 })).toBe(false);
      });

      it('publish with draftBase clears the draft it published, and keeps one saved after it was read', async () => {
        await s.forms.insert(form('f1'));
        const patch = (v: number) => ({ status: 'published' as const, latestVersion: v, draft: null, draftUpdatedAt: null, updatedAt: T2 });
        await s.forms.publish(version('f1', 1), patch(1), T0);
        expect(await s.forms.get('f1')).toMatchObject({ status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: T2 });
        // a publisher read the draft at T1, then another instance saved a newer one at T2
        await s.forms.update('f1', { draft: def('read'), draftUpdatedAt: T1 });
        await s.forms.update('f1', { draft: def('newer'), draftUpdatedAt: T2 });
        await s.forms.publish(version('f1', 2), patch(2), T1);
        expect(await s.forms.get('f1')).toMatchObject({ status: 'published', latestVersion: 2, draft: def('newer'), draftUpdatedAt: T2 });
        expect((await s.forms.listVersions('f1')).map((v) => v.version)).toEqual([1, 2]);
      });
    });

    describe('rate limits: shared token buckets', () => {
      const policy = { burst: 3, perMinute: 6 }; // one token every 10 s
      const T = 1_780_000_000_000;

      it('allows the burst, then refuses with the time until one token is back', async () => {
        const r = [];
        for (let i = 0; i < 3; i++) r.push(await s.rateLimits.take('user:u1', policy, T));
        expect(r).toEqual(Array.from({ length: 3 }, () => ({ allowed: true, retryAfterMs: 0 })));
        expect(await s.rateLimits.take('user:u1', policy, T)).toEqual({ allowed: false, retryAfterMs: 10_000 });
        // a refusal takes nothing: still 10 s at the same instant, 4 s after 6 s
        expect(await s.rateLimits.take('user:u1', policy, T)).toEqual({ allowed: false, retryAfterMs: 10_000 });
        expect(await s.rateLimits.take('user:u1', policy, T + 6_000)).toEqual({ allowed: false, retryAfterMs: 4_000 });
      });

      it('refills over time (injected clock), never above the burst; a clock slightly behind refills nothing', async () => {
        for (let i = 0; i < 3; i++) await s.rateLimits.take('k', policy, T);
        expect((await s.rateLimits.take('k', policy, T)).allowed).toBe(false);
        expect((await s.rateLimits.take('k', policy, T + 10_000)).allowed).toBe(true);
        expect((await s.rateLimits.take('k', policy, T + 10_000)).allowed).toBe(false);
        expect((await s.rateLimits.take('k', policy, T + 5_000)).allowed).toBe(false); // another instance's clock lags
        expect((await s.rateLimits.take('k', policy, T + 20_000)).allowed).toBe(true);
        // an hour later the bucket holds the burst, not 360 tokens
        const later = T + 3_600_000;
        const r = [];
        for (let i = 0; i < 4; i++) r.push((await s.rateLimits.take('k', policy, later)).allowed);
        expect(r).toEqual([true, true, true, false]);
      });

      it('keeps keys independent', async () => {
        for (let i = 0; i < 3; i++) await s.rateLimits.take('login:amy', policy, T);
        expect((await s.rateLimits.take('login:amy', policy, T)).allowed).toBe(false);
        expect(await s.rateLimits.take('login:bob', policy, T)).toEqual({ allowed: true, retryAfterMs: 0 });
        expect((await s.rateLimits.take('device:d1', { burst: 1, perMinute: 60 }, T)).allowed).toBe(true);
        expect(await s.rateLimits.take('device:d1', { burst: 1, perMinute: 60 }, T)).toEqual({ allowed: false, retryAfterMs: 1_000 });
      });

      it('concurrent takes never hand out more than the burst', async () => {
        const r = await Promise.all(Array.from({ length: 8 }, () => s.rateLimits.take('enrol', policy, T)));
        expect(r.filter((x) => x.allowed)).toHaveLength(3);
      });

      it('deleteIdle removes only buckets last touched before the cutoff; a deleted bucket starts full', async () => {
        for (let i = 0; i < 3; i++) await s.rateLimits.take('old', policy, T);
        await s.rateLimits.take('new', policy, T + 60_000);
        expect(await s.rateLimits.deleteIdle(T + 1)).toBe(1);
        expect(await s.rateLimits.deleteIdle(T + 1)).toBe(0);
        expect((await s.rateLimits.take('old', policy, T + 1)).allowed).toBe(true); // would have been refused
        expect((await s.rateLimits.take('new', policy, T + 60_000)).allowed).toBe(true); // kept: 2 left, now 1
        expect((await s.rateLimits.take('new', policy, T + 60_000)).allowed).toBe(true);
        expect((await s.rateLimits.take('new', policy, T + 60_000)).allowed).toBe(false);
      });
    });
  });
}
