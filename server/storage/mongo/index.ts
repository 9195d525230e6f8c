/**
 * The MongoDB storage adapter (mongoose 9 on the official driver 7). The only place besides
 * tests that imports mongoose. It uses its own connection, never mongoose's global one.
 *
 * No method uses a transaction, so it runs on a standalone server as well as on a replica set:
 * each multi-document use case is ordered so that the constraint check comes first and every
 * step is idempotent (see move, upsertMany, publish, insertMany). What a replica set adds:
 * durability with w: "majority", automatic fail-over, and the option of wrapping those steps in
 * a transaction should the port ever demand strict all-or-nothing visibility.
 */
import mongoose from 'mongoose';
import type { Storage } from '../port';
import { defineModels } from './models';
import { makeFormRepository } from './forms';
import { makeOrgUnitGroupRepository, makeOrgUnitRepository } from './org-units';
import { makeSubmissionRepository } from './submissions';
import { defineAccessModels } from './access-models';
import { makeRateLimitRepository } from './rate-limits';
import { makeDeviceRepository, makeLoginAttemptRepository, makeSessionRepository, makeSetupTokenRepository, makeUserRepository } from './access';
import { makeAuditRepository, makePersonIndexRepository, makeReviewRepository } from './review';
import { makeMongoReports, makeMongoRollupWriter } from './reports';

export interface MongoStorageOptions {
  /** Database name; defaults to the one in the URI (or "cunwen"). */
  dbName?: string;
}

/** Creates the collections that do not exist yet and brings their indexes in line with the schemas. */
async function prepare(models: mongoose.Model<never>[]): Promise<void> {
  for (const model of models) {
    await model.createCollection().catch((err: unknown) => {
      // 48 NamespaceExists: a previous start created it.
      if ((err as { code?: unknown }).code !== 48) throw err;
    });
    await model.syncIndexes();
  }
}

/** The database named in a mongodb:// or mongodb+srv:// URI, if any. */
function dbNameOf(uri: string): string | null {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(uri);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export async function openMongoStorage(uri: string, opts: MongoStorageOptions = {}): Promise<Storage> {
  const conn = mongoose.createConnection(uri, {
    dbName: opts.dbName ?? dbNameOf(uri) ?? 'cunwen',
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 10_000,
  });
  conn.set('sanitizeFilter', true);
  conn.set('strictQuery', 'throw');
  await conn.asPromise();
  const models = defineModels(conn);
  const access = defineAccessModels(conn);
  try {
    await prepare([...Object.values(models), ...Object.values(access)] as mongoose.Model<never>[]);
  } catch (err) {
    await conn.close();
    throw err;
  }
  const reports = await makeMongoReports(conn);
  return {
    kind: 'mongo',
    orgUnits: makeOrgUnitRepository(models),
    orgUnitGroups: makeOrgUnitGroupRepository(models),
    forms: makeFormRepository(models),
    submissions: makeSubmissionRepository(models, makeMongoRollupWriter(conn)),
    users: makeUserRepository(access),
    sessions: makeSessionRepository(access),
    loginAttempts: makeLoginAttemptRepository(access),
    rateLimits: makeRateLimitRepository(access),
    devices: makeDeviceRepository(access),
    audit: makeAuditRepository(access),
    reviews: makeReviewRepository(access, models),
    personIndex: makePersonIndexRepository(access),
    setupTokens: makeSetupTokenRepository(access),
    reports,
    async ping() {
      const db = conn.db;
      if (!db) throw new Error('mongo: not connected');
      await db.command({ ping: 1 });
    },
    async close() {
      await conn.close();
    },
  };
}
