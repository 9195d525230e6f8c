import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from '../port';
import { openDatabase, type Db } from './database';
import { sqliteOrgUnitGroups, sqliteOrgUnits } from './org-units';
import { sqliteForms } from './forms';
import { sqliteSubmissions } from './submissions';
import { sqliteReports } from './reports';
import { sqliteRateLimits } from './rate-limits';
import { sqliteAudit, sqliteDevices, sqliteLoginAttempts, sqlitePersonIndex, sqliteReviews, sqliteSessions, sqliteSetupTokens, sqliteUsers } from './access';

export interface SqliteStorage extends Storage {
  /** The raw handle, for the adapter's own tests and maintenance commands only. */
  readonly db: Db;
  readonly file: string;
}

/** Open the embedded store: one database file, `cunwen.db` under `dataDir` (or an explicit file). */
export function openSqliteStorage(opts: { dataDir?: string; file?: string }): SqliteStorage {
  const file = opts.file ?? path.join(opts.dataDir ?? './data', 'cunwen.db');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = openDatabase(file);
  return {
    kind: 'sqlite',
    db,
    file,
    orgUnits: sqliteOrgUnits(db),
    orgUnitGroups: sqliteOrgUnitGroups(db),
    forms: sqliteForms(db),
    submissions: sqliteSubmissions(db),
    users: sqliteUsers(db),
    sessions: sqliteSessions(db),
    loginAttempts: sqliteLoginAttempts(db),
    devices: sqliteDevices(db),
    audit: sqliteAudit(db),
    reviews: sqliteReviews(db),
    personIndex: sqlitePersonIndex(db),
    setupTokens: sqliteSetupTokens(db),
    rateLimits: sqliteRateLimits(db),
    reports: sqliteReports(db),
    async ping() { db.prepare('SELECT 1').get(); },
    async close() { if (db.open) db.close(); },
  };
}
