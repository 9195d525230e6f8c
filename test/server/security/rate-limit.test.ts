import { RateLimiter } from '../../../server/security/rate-limit';

describe('token buckets', () => {
  it('allows the burst, then refills at the configured rate, per key', () => {
    let now = 0;
    const rl = new RateLimiter(() => now);
    const policy = { burst: 3, perMinute: 6 }; // one token every 10 s
    expect([rl.take('a', policy), rl.take('a', policy), rl.take('a', policy)]).toEqual([0, 0, 0]);
    expect(rl.take('a', policy)).toBe(10);
    expect(rl.take('b', policy)).toBe(0); // another caller has its own bucket
    now += 9_000;
    expect(rl.take('a', policy)).toBe(1);
    now += 1_000;
    expect(rl.take('a', policy)).toBe(0);
    now += 10 * 60_000;
    expect([rl.take('a', policy), rl.take('a', policy), rl.take('a', policy), rl.take('a', policy) > 0]).toEqual([0, 0, 0, true]);
  });

  it('bounds its memory: full buckets are forgotten when the key limit is reached', () => {
    let now = 0;
    const rl = new RateLimiter(() => now, 10);
    const policy = { burst: 2, perMinute: 60 };
    for (let i = 0; i < 10; i++) rl.take(`k${i}`, policy);
    now += 60_000;
    for (let i = 10; i < 100; i++) expect(rl.take(`k${i}`, policy)).toBe(0);
  });
});
