/**
 * Token buckets keyed by who is calling (user id, device id, username for sign-in) — never by IP:
 * a whole village shares one IP. Kept in memory, per server instance: with N instances behind a
 * load balancer a caller gets at most N× the rate (see docs/security.md).
 */
export interface BucketPolicy {
  /** bucket size: how many requests may come at once */
  burst: number;
  /** tokens added per minute */
  perMinute: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => Date.now(), private readonly maxKeys = 100_000) {}

  /** Take one token from `key`'s bucket; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, policy: BucketPolicy): number {
    const t = this.now();
    const refillPerMs = policy.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: policy.burst, at: t };
    b.tokens = Math.min(policy.burst, b.tokens + (t - b.at) * refillPerMs);
    b.at = t;
    if (this.buckets.size >= this.maxKeys && !this.buckets.has(key)) this.evictFull(policy);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / refillPerMs / 1000));
  }

  /** Forget buckets that have refilled completely (they are the same as a new one). */
  private evictFull(policy: BucketPolicy): void {
    const t = this.now();
    for (const [k, b] of this.buckets) {
      if (b.tokens + (t - b.at) * (policy.perMinute / 60_000) >= policy.burst) this.buckets.delete(k);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
