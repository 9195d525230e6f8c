import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStorage } from '../../server/storage/mongo';
import { UniqueViolation, type Storage } from '../../server/storage/port';
import { startMongoWireDouble, type MongoWireDouble } from '../support/mongo-wire-double';
import { form, runStorageContract, submission, treeUnits, unit, version, type OpenedStorage } from './contract';

/** A fresh wire double per case: nothing can leak between cases. */
async function openOnDouble(): Promise<OpenedStorage & { double: MongoWireDouble }> {
  const double = await startMongoWireDouble();
  const storage = await openMongoStorage(double.uri, { dbName: 'cunwen_test' });
  return {
    double,
    storage,
    async cleanup() {
      await storage.close();
      await double.stop();
    },
  };
}

runStorageContract('mongo (wire double)', openOnDouble);

const realUri = process.env.MONGODB_URI;
if (realUri) {
  // A real server (standalone or replica set): each case gets its own database, dropped after.
  runStorageContract('mongo (real server from MONGODB_URI)', async () => {
    const dbName = `cunwen_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const storage = await openMongoStorage(realUri, { dbName });
    return {
      storage,
      async cleanup() {
        await storage.close();
        const client = new MongoClient(realUri);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
}

describe('mongo adapter specifics (wire double)', () => {
  let opened: Awaited<ReturnType<typeof openOnDouble>>;
  let s: Storage;
  let client: MongoClient;
  beforeEach(async () => {
    opened = await openOnDouble();
    s = opened.storage;
    client = new MongoClient(opened.double.uri);
  });
  afterEach(async () => {
    await client.close();
    await opened.cleanup();
  });

  it('creates the collections with the unique constraints and query indexes', async () => {
    const db = client.db('cunwen_test');
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining([
      'audit_events', 'devices', 'enrolments', 'form_versions', 'forms', 'login_attempts', 'org_unit_groups', 'org_units',
      'person_index', 'review_events', 'sessions', 'setup_tokens', 'submission_revisions', 'submissions', 'users',
    ]));
    const indexes = async (coll: string) =>
      (await db.collection(coll).listIndexes().toArray()).map((i) => ({ key: i.key, unique: i.unique === true }));
    expect(await indexes('org_units')).toEqual(expect.arrayContaining([{ key: { code: 1 }, unique: true }, { key: { path: 1 }, unique: false }]));
    expect(await indexes('org_unit_groups')).toEqual(expect.arrayContaining([{ key: { code: 1 }, unique: true }]));
    expect(await indexes('forms')).toEqual(expect.arrayContaining([{ key: { slug: 1 }, unique: true }]));
    expect(await indexes('form_versions')).toEqual(expect.arrayContaining([{ key: { formId: 1, version: 1 }, unique: true }]));
    expect(await indexes('users')).toEqual(expect.arrayContaining([{ key: { username: 1 }, unique: true }, { key: { firstUser: 1 }, unique: true }]));
    expect(await indexes('devices')).toEqual(expect.arrayContaining([{ key: { tokenHash: 1 }, unique: true }]));
    expect(await indexes('submission_revisions')).toEqual(expect.arrayContaining([{ key: { submissionId: 1, revision: 1 }, unique: true }]));
    expect(await indexes('person_index')).toEqual(expect.arrayContaining([{ key: { blindIndex: 1, submissionId: 1 }, unique: true }]));
    expect(await indexes('submissions')).toEqual(expect.arrayContaining([
      { key: { formId: 1, formVersion: 1 }, unique: false },
      { key: { orgUnitPath: 1 }, unique: false },
      { key: { completedAt: 1 }, unique: false },
      { key: { receivedAt: 1, _id: 1 }, unique: false },
    ]));
  });

  it('re-opens an existing database without errors (collections and indexes already there)', async () => {
    await s.orgUnits.insert(unit('c', null, 'county'));
    const again = await openMongoStorage(opened.double.uri, { dbName: 'cunwen_test' });
    try {
      expect((await again.orgUnits.get('c'))?.code).toBe('C');
    } finally {
      await again.close();
    }
  });

  it('stores domain ids as _id and nothing else of its own', async () => {
    const c = unit('c', null, 'county');
    await s.orgUnits.insert(c);
    const raw = await client.db('cunwen_test').collection('org_units').findOne({});
    expect(raw).toEqual({ _id: 'c', code: 'C', name: c.name, level: 'county', parentId: null, path: '/c/', createdAt: c.createdAt, updatedAt: c.updatedAt });
  });

  it('maps each duplicate key to the right UniqueViolation field', async () => {
    const field = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof UniqueViolation ? e.field : String(e)));
    await s.orgUnits.insert(unit('c', null, 'county'));
    expect(await field(s.orgUnits.insert({ ...unit('d', null, 'county'), code: 'C' }))).toBe('org_unit.code');
    expect(await field(s.orgUnits.insert({ ...unit('c', null, 'county'), code: 'OTHER' }))).toBe('org_unit.code'); // same id, like SQLite's PK
    expect(await field(s.orgUnits.upsertMany([{ ...unit('d', null, 'county'), code: 'C' }]))).toBe('org_unit.code');
    expect(await field(s.orgUnits.upsertMany([unit('x', null, 'county', 'SAME'), unit('y', null, 'county', 'SAME')]))).toBe('org_unit.code');
    expect(await s.orgUnits.count()).toBe(1);
    await s.orgUnitGroups.insert({ id: 'g', code: 'G', name: { zh: '组' }, memberIds: [] });
    expect(await field(s.orgUnitGroups.insert({ id: 'h', code: 'G', name: { zh: '组' }, memberIds: [] }))).toBe('org_unit_group.code');
    await s.forms.insert(form('f1', 'slug-a'));
    expect(await field(s.forms.insert(form('f2', 'slug-a')))).toBe('form.slug');
    await s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: 'T' });
    expect(await field(s.forms.publish(version('f1', 1), { status: 'published', latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: 'T' }))).toBe('form_version');
  });

  it('completes a publish that stopped after writing the version (idempotent retry)', async () => {
    await s.forms.insert(form('f1'));
    // Simulate a crash between the two writes: the version exists, the form was never updated.
    const { formId, ...rest } = version('f1', 1);
    await client.db('cunwen_test').collection('form_versions').insertOne({ formId, ...rest });
    const patch = { status: 'published' as const, latestVersion: 1, draft: null, draftUpdatedAt: null, updatedAt: 'T2' };
    await s.forms.publish(version('f1', 1), patch);
    expect(await s.forms.get('f1')).toMatchObject({ status: 'published', latestVersion: 1, draft: null });
    const other = { ...version('f1', 2), contentHash: 'different' };
    await client.db('cunwen_test').collection('form_versions').insertOne({ ...other });
    await expect(s.forms.publish(version('f1', 2), { ...patch, latestVersion: 2 })).rejects.toBeInstanceOf(UniqueViolation);
  });

  it('finishes an interrupted move when it is run again', async () => {
    const units = treeUnits();
    for (const u of Object.values(units)) await s.orgUnits.insert(u);
    const sub = submission({ orgUnitId: 'g1', orgUnitPath: units.g1.path });
    await s.submissions.insertMany([sub]);
    // Half of a move: the submission was rewritten, the units were not.
    await client.db('cunwen_test').collection('submissions').updateOne({ _id: sub.id as never }, { $set: { orgUnitPath: '/c/t2/v1/g1/' } });
    await s.orgUnits.move('v1', 't2', '/c/t1/v1/', '/c/t2/v1/', 'T3');
    expect((await s.orgUnits.listSubtree('/c/t2/')).map((u) => [u.id, u.path])).toEqual([['t2', '/c/t2/'], ['v1', '/c/t2/v1/'], ['g1', '/c/t2/v1/g1/']]);
    expect((await s.submissions.get(sub.id))?.orgUnitPath).toBe('/c/t2/v1/g1/');
    expect(await s.orgUnits.get('v1')).toMatchObject({ parentId: 't2', updatedAt: 'T3' });
  });

  it('keeps createdAt of an existing unit on upsert and sets it for a new one', async () => {
    const c = unit('c', null, 'county');
    await s.orgUnits.insert(c);
    await s.orgUnits.upsertMany([{ ...c, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: 'U' }]);
    expect(await s.orgUnits.get('c')).toMatchObject({ createdAt: c.createdAt, updatedAt: 'U' });
  });

  it('keeps answers with empty objects and returns getHashes only for stored ids', async () => {
    const a = submission({ orgUnitId: 'x', orgUnitPath: '/x/', answers: {} });
    const b = submission({ orgUnitId: 'x', orgUnitPath: '/x/', answers: { matrix: {} } });
    expect(await s.submissions.insertMany([a, b])).toEqual(['stored', 'stored']);
    expect(await s.submissions.get(a.id)).toEqual(a);
    expect(await s.submissions.get(b.id)).toEqual(b);
    expect(await s.submissions.getHashes([])).toEqual(new Map());
  });

  it('stores encrypted answers ({ $enc }) and dotted question names verbatim', async () => {
    const answers = { idCard: { $enc: 'v1.k1.iv.ct.tag' }, 'a.b': 1, members: [{ phone: { $enc: 'v1.k1.x.y.z' } }] };
    const a = submission({ orgUnitId: 'x', orgUnitPath: '/x/', answers });
    expect(await s.submissions.insertMany([a])).toEqual(['stored']);
    expect(await s.submissions.get(a.id)).toEqual(a);
    const r = { submissionId: a.id, revision: 1, answers, diff: [{ path: 'idCard', before: null, after: { $enc: 'v1.k1.a.b.c' } }], comment: '', byUserId: 'u', byName: 'n', at: 'T' };
    await s.reviews.insertRevision(r);
    expect(await s.reviews.revisions(a.id)).toEqual([r]);
  });

  it('does not let an operator object in a filter value act as a query', async () => {
    await s.orgUnits.insert(unit('c', null, 'county'));
    const injected = { $ne: 'nothing' } as unknown as string;
    // sanitizeFilter wraps it in $eq, and the cast to String then refuses it: never a match.
    await expect(s.orgUnits.getByCode(injected)).rejects.toThrow(/Cast to string failed/);
    await expect(s.orgUnits.get(injected)).rejects.toThrow(/Cast to string failed/);
    expect(await s.orgUnits.count()).toBe(1);
  });
});
