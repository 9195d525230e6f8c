/** Shared by the SQLite and MongoDB rate-limit adapters. */

/** How long (ms) until a bucket holding `tokens` (< 1) has one whole token again; never 0 for a refusal. */
export function retryAfterMs(tokens: number, perMinute: number): number {
  const rate = perMinute / 60_000;
  if (!(rate > 0)) return 60_000;
  return Math.max(1, Math.ceil((1 - tokens) / rate));
}
