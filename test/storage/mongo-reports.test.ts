/**
 * The reports repository of the MongoDB adapter (issue 5) on the wire double: the no-transaction marks,
 * seen through the documents on disk. The port-level cases are in reports-contract.test.ts.
 */
import { MongoClient } from 'mongodb';
import { openMongoStorage } from '../../server/storage/mongo';
import type { Storage } from '../../server/storage/port';
import { startMongoWireDouble, type MongoWireDouble } from '../support/mongo-wire-double';
import { submission } from './contract';

let double: MongoWireDouble;
let s: Storage;

beforeEach(async () => {
  double = await startMongoWireDouble();
  s = await openMongoStorage(double.uri, { dbName: 'reports_test' });
});
afterEach(async () => {
  await s.close();
  await double.stop();
});

describe('mongo reports', () => {
  it('lists what a crash left unrolled until it is marked', async () => {
    const a = submission({ orgUnitId: 'v1', orgUnitPath: '/c/v1/' });
    await s.submissions.insertMany([a]);
    // A crash between the insert and the mark leaves `rolledUp: false` behind.
    const client = new MongoClient(double.uri);
    await client.db('reports_test').collection<{ _id: string }>('submissions').updateOne({ _id: a.id }, { $set: { rolledUp: false } });
    await client.close();
    expect(await s.reports.unrolled(10)).toEqual([a.id]);
    await s.reports.markRolledUp([a.id]);
    expect(await s.reports.unrolled(10)).toEqual([]);
  });
});
