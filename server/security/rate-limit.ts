/**
 * Token buckets keyed by who is calling (user id, device id, username for sign-in) — never by IP:
 * a whole village shares one IP. The buckets live in the database (storage port `rateLimits`), so
 * every server instance behind a load balancer takes from the same bucket; each take is one atomic
 * write there (see docs/security.md "Rate limits").
 *
 * There is no in-memory fallback: every limited request reads the database right afterwards
 * (session, device, login attempts, enrolment code), so when the database is down the request fails
 * anyway, and a per-process bucket would only bring back N× the rate with N instances.
 */
import type { RateLimitPolicy, RateLimitRepository } from '../storage/port';

export type BucketPolicy = RateLimitPolicy;

export interface RateLimiter {
  /** Take one token from `key`'s bucket; resolves 0 when allowed, else the whole seconds (≥ 1) until one is available. */
  take(key: string, policy: BucketPolicy): Promise<number>;
}

/** How often (per process) idle buckets are deleted, at most. */
export const SWEEP_EVERY_MS = 10 * 60_000;
/** Extra idle time before a bucket is deleted, for clocks that differ a little between instances. */
const SWEEP_MARGIN_MS = 60_000;

/** How long an untouched bucket of this policy takes to be full again (then deleting it changes nothing). */
export function refillTimeMs(policy: BucketPolicy): number {
  return policy.perMinute > 0 ? Math.ceil((policy.burst / policy.perMinute) * 60_000) : Number.POSITIVE_INFINITY;
}

export function makeRateLimiter(deps: {
  store: RateLimitRepository;
  now: () => number;
  /** every policy the caller will use: buckets idle longer than the slowest refill are deleted */
  policies: readonly BucketPolicy[];
  sweepEveryMs?: number;
}): RateLimiter {
  const sweepEvery = deps.sweepEveryMs ?? SWEEP_EVERY_MS;
  const idleAfter = Math.max(0, ...deps.policies.map(refillTimeMs)) + SWEEP_MARGIN_MS;
  let lastSweep = Number.NEGATIVE_INFINITY;

  /** Opportunistic cleanup so the table does not grow without bound; best effort, never delays or fails a request. */
  function maybeSweep(t: number): void {
    if (t - lastSweep < sweepEvery || !Number.isFinite(idleAfter)) return;
    lastSweep = t;
    deps.store.deleteIdle(t - idleAfter).catch(() => { /* the next sweep tries again */ });
  }

  return {
    async take(key, policy) {
      const t = deps.now();
      maybeSweep(t);
      const r = await deps.store.take(key, policy, t);
      return r.allowed ? 0 : Math.max(1, Math.ceil(r.retryAfterMs / 1000));
    },
  };
}
