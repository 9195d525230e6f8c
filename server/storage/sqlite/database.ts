import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import { REPORT_MIGRATIONS } from './reports-migrations';

export type Db = Database.Database;

/** Is this a SQLite UNIQUE / PRIMARY KEY violation? */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Open (creating if needed) the database file: WAL so readers never wait for the writer,
 * foreign keys on, a busy timeout so a second process (e.g. a CLI rebuild) waits rather than
 * failing, then every pending migration in its own transaction.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash/power loss can
  // lose the last transactions, and tablets keep items until the server confirms them; FULL would
  // add an fsync per transaction. See docs/architecture.md.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MiB page cache (default 2 MiB): rollup upserts and report reads touch many index pages
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  // in version order; a missing number (3 committed before 2) is no obstacle: each is applied once
  const all = [...MIGRATIONS, ...REPORT_MIGRATIONS].sort((a, b) => a.version - b.version);
  for (const m of all) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, new Date().toISOString());
    })();
  }
}
