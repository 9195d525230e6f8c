/**
 * The storage contract: every adapter (SQLite, MongoDB) must pass exactly these cases.
 * Each case gets a fresh, empty store from `open`.
 */
import { randomUUID } from 'node:crypto';
import type { Form, FormVersion, OrgUnit, Storage, Submission } from '../../server/storage/port';
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

    // A small tree: county c → townships t1, t2 → village v1 (under t1) → group g1.
    async function tree() {
      const c = unit('c', null, 'county');
      const t1 = unit('t1', c, 'township');
      const t2 = unit('t2', c, 'township');
      const v1 = unit('v1', t1, 'village');
      const g1 = unit('g1', v1, 'group');
      for (const u of [c, t1, t2, v1, g1]) await s.orgUnits.insert(u);
      return { c, t1, t2, v1, g1 };
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
    });

    it('answers ping', async () => {
      await expect(s.ping()).resolves.toBeUndefined();
    });
  });
}
