import type { RateLimitRepository } from '../port';
import type { Db } from './database';
import { retryAfterMs } from '../rate-limits';

/** Refill rate in tokens per millisecond. */
const perMs = (perMinute: number): number => perMinute / 60_000;

/**
 * One `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the SET expressions all see the row as it was,
 * so refill, the decision and the decrement happen in one write (SQLite serialises writers, also
 * across processes on one file). `allowed` keeps the decision so RETURNING can report it;
 * `updated_at` never moves backwards when instances' clocks differ a little.
 */
export function sqliteRateLimits(db: Db): RateLimitRepository {
  const avail = 'min(@burst, tokens + max(0, @now - updated_at) * @rate)';
  const take = db.prepare(`INSERT INTO rate_limits (key, tokens, updated_at, allowed) VALUES (@key, @firstTokens, @now, @firstAllowed)
    ON CONFLICT(key) DO UPDATE SET
      tokens = ${avail} - (CASE WHEN ${avail} >= 1 THEN 1 ELSE 0 END),
      allowed = (CASE WHEN ${avail} >= 1 THEN 1 ELSE 0 END),
      updated_at = max(updated_at, @now)
    RETURNING tokens, allowed`);
  const deleteIdle = db.prepare('DELETE FROM rate_limits WHERE updated_at < ?');
  return {
    async take(key, policy, now) {
      const firstAllowed = policy.burst >= 1;
      const r = take.get({
        key, now: Math.floor(now), burst: policy.burst, rate: perMs(policy.perMinute),
        firstTokens: firstAllowed ? policy.burst - 1 : policy.burst, firstAllowed: firstAllowed ? 1 : 0,
      }) as { tokens: number; allowed: number };
      return r.allowed === 1 ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: retryAfterMs(r.tokens, policy.perMinute) };
    },
    async deleteIdle(before) {
      return deleteIdle.run(Math.floor(before)).changes;
    },
  };
}
