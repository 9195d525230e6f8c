import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../../server/storage/sqlite';
import { runStorageContract } from './contract';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-sqlite-'));
}

runStorageContract('sqlite (real file)', async () => {
  const dir = tempDir();
  const storage = openSqliteStorage({ dataDir: dir });
  return {
    storage,
    async cleanup() {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite adapter specifics', () => {
  it('creates the file under DATA_DIR in WAL mode with migrations recorded, and re-opens idempotently', async () => {
    const dir = tempDir();
    const s1 = openSqliteStorage({ dataDir: path.join(dir, 'nested') });
    expect(fs.existsSync(path.join(dir, 'nested', 'cunwen.db'))).toBe(true);
    expect(s1.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = s1.db.prepare('SELECT version FROM schema_migrations').all();
    expect(versions.length).toBeGreaterThan(0);
    await s1.close();
    const s2 = openSqliteStorage({ dataDir: path.join(dir, 'nested') });
    expect(s2.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: versions.length });
    await s2.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the indexes for subtree and keyset queries', async () => {
    const dir = tempDir();
    const s = openSqliteStorage({ dataDir: dir });
    const plan = (sql: string) => (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM submissions WHERE org_unit_path >= '/a/' AND org_unit_path < '/a/\uffff'")).toMatch(/submissions_org_path/);
    expect(plan("SELECT * FROM submissions WHERE received_at > '2026' ORDER BY received_at, id")).toMatch(/submissions_received/);
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
