import { makeRateLimiter, refillTimeMs } from '../../../server/security/rate-limit';
import { openSqliteStorage, type SqliteStorage } from '../../../server/storage/sqlite';

describe('token buckets (shared through the storage port)', () => {
  let storage: SqliteStorage;
  beforeEach(() => { storage = openSqliteStorage({ file: ':memory:' }); });
  afterEach(async () => { await storage.close(); });

  it('allows the burst, then refills at the configured rate, per key; waits are whole seconds', async () => {
    let now = 1_000_000;
    const policy = { burst: 3, perMinute: 6 }; // one token every 10 s
    const rl = makeRateLimiter({ store: storage.rateLimits, now: () => now, policies: [policy] });
    expect([await rl.take('a', policy), await rl.take('a', policy), await rl.take('a', policy)]).toEqual([0, 0, 0]);
    expect(await rl.take('a', policy)).toBe(10);
    expect(await rl.take('b', policy)).toBe(0); // another caller has its own bucket
    now += 9_000;
    expect(await rl.take('a', policy)).toBe(1);
    now += 1_000;
    expect(await rl.take('a', policy)).toBe(0);
    now += 10 * 60_000;
    const again = [await rl.take('a', policy), await rl.take('a', policy), await rl.take('a', policy), await rl.take('a', policy)];
    expect(again.slice(0, 3)).toEqual([0, 0, 0]);
    expect(again[3]).toBeGreaterThan(0);
  });

  it('two limiters on one store (two instances) take from the same bucket', async () => {
    const now = 5_000_000;
    const policy = { burst: 2, perMinute: 60 };
    const a = makeRateLimiter({ store: storage.rateLimits, now: () => now, policies: [policy] });
    const b = makeRateLimiter({ store: storage.rateLimits, now: () => now, policies: [policy] });
    expect(await a.take('user:u1', policy)).toBe(0);
    expect(await b.take('user:u1', policy)).toBe(0);
    expect(await a.take('user:u1', policy)).toBe(1);
    expect(await b.take('user:u1', policy)).toBe(1);
  });

  it('bounds the table: buckets idle past the slowest refill are deleted opportunistically, at most once per sweep period', async () => {
    let now = 0;
    const fast = { burst: 2, perMinute: 60 }; // full after 2 s
    const slow = { burst: 5, perMinute: 1 }; // full after 5 min
    expect(refillTimeMs(slow)).toBe(300_000);
    const rl = makeRateLimiter({ store: storage.rateLimits, now: () => now, policies: [fast, slow], sweepEveryMs: 60_000 });
    const count = () => (storage.db.prepare('SELECT count(*) AS n FROM rate_limits').get() as { n: number }).n;
    for (let i = 0; i < 50; i++) await rl.take(`k${i}`, fast);
    expect(count()).toBe(50);
    now += 30_000; // idle 30 s: below 5 min + margin, kept (a slow-policy bucket could still be short)
    await rl.take('x', fast);
    expect(count()).toBe(51);
    now += 10 * 60_000;
    await rl.take('y', fast); // sweeps: everything idle for > 6 min goes
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(count()).toBe(1);
    expect(storage.db.prepare('SELECT key FROM rate_limits').all()).toEqual([{ key: 'y' }]);
    // a deleted bucket is a full one: the caller starts again from the whole burst
    expect([await rl.take('k0', fast), await rl.take('k0', fast), await rl.take('k0', fast)]).toEqual([0, 0, 1]);
  });
});
