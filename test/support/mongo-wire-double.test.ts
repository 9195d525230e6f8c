import { MongoClient, MongoServerError, type Db, type Long } from 'mongodb';
import { startMongoWireDouble, type MongoWireDouble } from './mongo-wire-double';

let double: MongoWireDouble;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  double = await startMongoWireDouble();
  client = new MongoClient(double.uri, { serverSelectionTimeoutMS: 2000 });
  await client.connect();
  db = client.db('double_test');
});

afterAll(async () => {
  await client.close();
  await double.stop();
});

describe('mongo wire double', () => {
  test('handshake, ping and buildInfo', async () => {
    expect(await db.admin().ping()).toMatchObject({ ok: 1 });
    const info = await db.admin().buildInfo();
    expect(info.versionArray).toEqual([7, 0, 0, 0]);
  });

  test('CRUD: insert, find with filter/sort/skip/limit/projection, update, delete', async () => {
    const c = db.collection<{ _id: string; n: number; tag?: string; list?: number[] }>('crud');
    await c.insertMany([{ _id: 'a', n: 3 }, { _id: 'b', n: 1 }, { _id: 'c', n: 2, tag: 'x' }]);
    const sorted = await c.find({ n: { $gte: 1 } }, { projection: { n: 1, _id: 0 } }).sort({ n: -1 }).skip(1).limit(1).toArray();
    expect(sorted).toEqual([{ n: 2 }]);
    expect(await c.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: 2, tag: 'x' });

    const upd = await c.updateOne({ _id: 'a' }, { $inc: { n: 10 }, $set: { tag: 'y' }, $push: { list: 7 } });
    expect(upd).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 13, tag: 'y', list: [7] });
    await c.updateOne({ _id: 'a' }, { $pull: { list: 7 }, $unset: { tag: '' } });
    expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 13, list: [] });

    await c.updateOne({ _id: 'c' }, [{ $set: { tag: { $concat: ['pre-', { $substrCP: ['$tag', 0, 5] }] } } }]);
    expect(await c.findOne({ _id: 'c' })).toEqual({ _id: 'c', n: 2, tag: 'pre-x' });
    await c.updateOne({ _id: 'c' }, { $set: { tag: 'x' } });

    const many = await c.updateMany({}, { $inc: { n: 1 } });
    expect(many).toMatchObject({ matchedCount: 3, modifiedCount: 3 });

    const ups = await c.updateOne({ _id: 'd' }, { $set: { n: 5 }, $setOnInsert: { tag: 'new' } }, { upsert: true });
    expect(ups.upsertedId).toBe('d');
    expect(await c.findOne({ _id: 'd' })).toEqual({ _id: 'd', n: 5, tag: 'new' });
    await c.updateOne({ _id: 'd' }, { $set: { n: 6 }, $setOnInsert: { tag: 'ignored' } }, { upsert: true });
    expect(await c.findOne({ _id: 'd' })).toEqual({ _id: 'd', n: 6, tag: 'new' });

    const fam = await c.findOneAndUpdate({ _id: 'b' }, { $set: { n: 42 } }, { returnDocument: 'after' });
    expect(fam).toEqual({ _id: 'b', n: 42 });
    expect(await c.countDocuments({ n: { $gt: 5 } })).toBe(3);
    expect(await c.estimatedDocumentCount()).toBe(4);

    expect((await c.deleteOne({ _id: 'b' })).deletedCount).toBe(1);
    expect((await c.deleteMany({ n: { $lt: 100 } })).deletedCount).toBe(3);
    expect(await c.countDocuments()).toBe(0);
  });

  test('inserts without _id get an ObjectId the driver can query back', async () => {
    const c = db.collection('oids');
    const { insertedId } = await c.insertOne({ x: 1 });
    expect((await c.findOne({ _id: insertedId }))?.x).toBe(1);
  });

  test('aggregate runs a pipeline', async () => {
    const c = db.collection('agg');
    await c.insertMany([{ k: 'a', v: 1 }, { k: 'a', v: 2 }, { k: 'b', v: 5 }]);
    const out = await c.aggregate([{ $group: { _id: '$k', total: { $sum: '$v' } } }, { $sort: { _id: 1 } }]).toArray();
    expect(out).toEqual([{ _id: 'a', total: 3 }, { _id: 'b', total: 5 }]);
  });

  test('unique index is kept, listed and enforced with E11000', async () => {
    const c = db.collection('uniq');
    await c.createIndex({ code: 1 }, { unique: true, name: 'code_1' });
    await c.createIndex({ a: 1, b: -1 }, { name: 'a_b' });
    const names = (await c.listIndexes().toArray()).map((i) => [i.name, i.unique === true]);
    expect(names).toEqual([['_id_', false], ['code_1', true], ['a_b', false]]);
    await c.insertOne({ code: 'X' });
    const err = await c.insertOne({ code: 'X' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000, keyPattern: { code: 1 }, keyValue: { code: 'X' } });
    expect((err as Error).message).toMatch(/E11000 duplicate key error collection: double_test.uniq index: code_1/);
    await c.insertOne({ code: 'Y' });
    const viaUpdate = await c.updateOne({ code: 'Y' }, { $set: { code: 'X' } }).catch((e: unknown) => e);
    expect(viaUpdate).toMatchObject({ code: 11000 });
    expect(await c.countDocuments({ code: 'Y' })).toBe(1);
    const dupId = await db.collection('uniq').insertOne({ _id: (await c.findOne({ code: 'X' }))!._id }).catch((e: unknown) => e);
    expect(dupId).toMatchObject({ code: 11000, keyPattern: { _id: 1 } });
  });

  test('unordered insertMany stores what it can and reports each duplicate', async () => {
    const c = db.collection<{ _id: string }>('unordered');
    await c.insertOne({ _id: 'b' });
    const err = await c.insertMany([{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }], { ordered: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000 });
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual(['a', 'b', 'c']);
  });

  test('getMore pages over more than 101 documents and killCursors closes a cursor', async () => {
    const c = db.collection<{ _id: number }>('paging');
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i })));
    const all = await c.find().sort({ _id: 1 }).toArray();
    expect(all).toHaveLength(250);
    expect(all[249]).toEqual({ _id: 249 });
    const cursor = c.find({}, { batchSize: 10 });
    expect(await cursor.next()).toEqual({ _id: 0 });
    await cursor.close();

    const first = await db.command({ find: 'paging', filter: {}, batchSize: 2 });
    const id = first.cursor.id as Long;
    expect(first.cursor.firstBatch).toHaveLength(2);
    const next = await db.command({ getMore: id, collection: 'paging', batchSize: 3 });
    expect(next.cursor.nextBatch.map((d: { _id: number }) => d._id)).toEqual([2, 3, 4]);
    const killed = await db.command({ killCursors: 'paging', cursors: [id] });
    expect(killed.cursorsKilled).toHaveLength(1);
    await expect(db.command({ getMore: id, collection: 'paging' })).rejects.toMatchObject({ code: 43 });
  });

  test('an unknown command and an unknown option answer ok: 0', async () => {
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59, message: expect.stringMatching(/no such command/) });
    await expect(db.command({ find: 'crud', bogus: true })).rejects.toMatchObject({ code: 40415 });
    await expect(db.command({ createIndexes: 'uniq', indexes: [{ key: { t: 'text' }, name: 't' }] })).rejects.toMatchObject({ code: 67 });
    await expect(db.command({ find: 'crud', filter: {}, collation: { locale: 'zh' } })).rejects.toMatchObject({ code: 40415 });
    await expect(db.command({ insert: 'crud', documents: [{ $bad: 1 }] })).resolves.toMatchObject({ n: 0, writeErrors: [expect.objectContaining({ code: 2 })] });
  });

  test('a transaction is refused like a standalone server does', async () => {
    const session = client.startSession();
    try {
      session.startTransaction();
      const err = await db.collection('txn').insertOne({ x: 1 }, { session }).catch((e: unknown) => e);
      // The driver rewords this server error (code 20) into its retryable-writes hint.
      expect(err).toMatchObject({ errorResponse: { originalError: { code: 20, codeName: 'IllegalOperation' } } });
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await db.collection('txn').countDocuments()).toBe(0);
    await expect(
      db.command({ insert: 'txn', documents: [{ x: 1 }], txnNumber: 1, startTransaction: true, autocommit: false }),
    ).rejects.toMatchObject({
      code: 20,
      codeName: 'IllegalOperation',
      errorResponse: { errmsg: 'Transaction numbers are only allowed on a replica set member or mongos' },
    });
    expect(await db.collection('txn').countDocuments()).toBe(0);
  });

  test('collections: create, listCollections, drop, dropDatabase', async () => {
    const other = client.db('double_ddl');
    await other.createCollection('c1');
    await expect(other.createCollection('c1')).rejects.toMatchObject({ code: 48 });
    expect((await other.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)).toEqual(['c1']);
    expect(await other.collection('c1').drop()).toBe(true);
    await other.collection('c2').insertOne({ a: 1 });
    await other.dropDatabase();
    expect(await other.listCollections().toArray()).toEqual([]);
  });
});
