import mongoose from 'mongoose';
import type { RateLimitRepository } from '../port';
import type { AccessModels, RateLimitDoc } from './access-models';
import { retryAfterMs } from '../rate-limits';

/**
 * One `findOneAndUpdate` with an aggregation-pipeline update, upserting: mongod applies it to the
 * single document atomically, so two instances cannot both take the last token. A missing
 * document starts full; `at` never moves backwards when instances' clocks differ a little.
 */
export function makeRateLimitRepository(m: AccessModels): RateLimitRepository {
  const buckets = m.rateLimits;
  return {
    async take(key, policy, now) {
      const t = Math.floor(now);
      const rate = policy.perMinute / 60_000;
      const avail = {
        $min: [
          { $literal: policy.burst },
          { $add: [{ $ifNull: ['$tokens', policy.burst] }, { $multiply: [{ $max: [0, { $subtract: [t, { $ifNull: ['$at', t] }] }] }, rate] }] },
        ],
      };
      const d = await buckets.findOneAndUpdate(
        { _id: key },
        [
          { $set: { avail } },
          {
            $set: {
              allowed: { $gte: ['$avail', 1] },
              tokens: { $cond: [{ $gte: ['$avail', 1] }, { $subtract: ['$avail', 1] }, '$avail'] },
              at: { $max: [{ $ifNull: ['$at', t] }, t] },
            },
          },
          { $unset: 'avail' },
        ],
        { upsert: true, returnDocument: 'after', updatePipeline: true },
      ).lean<RateLimitDoc>();
      if (!d) throw new Error('rate limit upsert returned nothing');
      return d.allowed ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: retryAfterMs(d.tokens, policy.perMinute) };
    },
    async deleteIdle(before) {
      const r = await buckets.deleteMany({ at: mongoose.trusted({ $lt: Math.floor(before) }) });
      return r.deletedCount;
    },
  };
}
