/**
 * Target status (metrics.md §5): two columns, so the platform never contradicts the official
 * scoring and never overclaims.
 *
 * - official: the point estimate x/n compared with the target (达标 / 未达标);
 * - statistical: with one-sided 95% bounds L and U (ends of the two-sided 90% interval):
 *     '>='  met when L ≥ v,  not_met when U < v
 *     '>'   met when L > v,  not_met when U ≤ v
 *     '<='  met when U ≤ v,  not_met when L > v      (mirror image)
 *     '<'   met when U < v,  not_met when L ≥ v
 *   otherwise inconclusive (无法判定 / 样本不足). With n = 0 both columns are no_data.
 */
import { z } from 'zod';
import { oneSidedBounds, type IntervalMethod, type IntervalMethodChoice } from './intervals';

export const TARGET_OPS = ['>=', '>', '<=', '<'] as const;
export const TargetSchema = z.strictObject({
  op: z.enum(TARGET_OPS),
  /** A fraction in [0, 1], e.g. 0.98 for "≥ 98%". */
  value: z.number().min(0).max(1),
});
export type Target = z.infer<typeof TargetSchema>;
export type TargetOp = Target['op'];

export type OfficialStatus = 'met' | 'not_met' | 'no_data';
export type StatisticalStatus = 'met' | 'not_met' | 'inconclusive' | 'no_data';

/** Labels for the four colours, zh-CN first. */
export const STATUS_LABELS: Record<StatisticalStatus, { zh: string; en: string }> = {
  met: { zh: '达标', en: 'Met' },
  not_met: { zh: '未达标', en: 'Not met' },
  inconclusive: { zh: '无法判定 / 样本不足', en: 'Inconclusive / sample too small' },
  no_data: { zh: '无数据', en: 'No data' },
};

export interface TargetStatusInput {
  x: number;
  n: number;
  target: Target;
  /** One-sided confidence level of the statistical column; default 0.95. */
  level?: number;
  /** Interval method for the bounds; default 'auto' (Wilson, Clopper–Pearson at x = 0 or n). */
  method?: IntervalMethodChoice;
}

export interface TargetStatusResult {
  official: OfficialStatus;
  statistical: StatisticalStatus;
  /** x / n, or null when n = 0. */
  estimate: number | null;
  /** One-sided bounds used for the statistical column (null when n = 0). */
  lower: number | null;
  upper: number | null;
  level: number;
  method: IntervalMethod | null;
  target: Target;
}

export function compare(op: TargetOp, a: number, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
  }
}

/** The statistical status from one-sided bounds [lower, upper]. */
export function statisticalStatusFromBounds(lower: number, upper: number, target: Target): Exclude<StatisticalStatus, 'no_data'> {
  const v = target.value;
  switch (target.op) {
    case '>=':
      return lower >= v ? 'met' : upper < v ? 'not_met' : 'inconclusive';
    case '>':
      return lower > v ? 'met' : upper <= v ? 'not_met' : 'inconclusive';
    case '<=':
      return upper <= v ? 'met' : lower > v ? 'not_met' : 'inconclusive';
    case '<':
      return upper < v ? 'met' : lower >= v ? 'not_met' : 'inconclusive';
  }
}

export function targetStatus(input: TargetStatusInput): TargetStatusResult {
  const target = TargetSchema.parse(input.target);
  const level = input.level ?? 0.95;
  const { x, n } = input;
  if (n === 0) {
    return { official: 'no_data', statistical: 'no_data', estimate: null, lower: null, upper: null, level, method: null, target };
  }
  const b = oneSidedBounds(x, n, level, input.method ?? 'auto');
  return {
    official: compare(target.op, b.estimate, target.value) ? 'met' : 'not_met',
    statistical: statisticalStatusFromBounds(b.lower, b.upper, target),
    estimate: b.estimate,
    lower: b.lower,
    upper: b.upper,
    level,
    method: b.method,
    target,
  };
}

export interface MinimumSampleSizeInput {
  target: Target;
  /**
   * Observations on the wrong side of the target that you expect: for '>=' / '>' targets the
   * failures n − x (e.g. respondents not aware); for '<=' / '<' targets the events x.
   */
  failures: number;
  level?: number;
  /**
   * Default 'clopper-pearson' (exact; reproduces the published n ≥ 149 with 0 failures and
   * n ≥ 236 with 1 failure against ≥ 98%). Pass 'auto' to get the n at which targetStatus()
   * (with its default method) flips to 'met'.
   */
  method?: IntervalMethodChoice;
  /** Search cap; default 10,000,000. */
  maxN?: number;
}

/**
 * The smallest n at which a sample with `failures` wrong-side observations proves the target
 * (statistical status 'met'), or null if no n up to maxN does (e.g. '>= 1' can never be proven).
 * The bound is monotone in n for fixed failures, so exponential search + bisection finds it.
 */
export function minimumSampleSize(input: MinimumSampleSizeInput): number | null {
  const target = TargetSchema.parse(input.target);
  const k = input.failures;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`failures must be a non-negative integer, got ${k}`);
  const level = input.level ?? 0.95;
  const method = input.method ?? 'clopper-pearson';
  const maxN = input.maxN ?? 10_000_000;
  const upward = target.op === '>=' || target.op === '>';
  const proves = (n: number): boolean => {
    const x = upward ? n - k : k;
    const b = oneSidedBounds(x, n, level, method);
    return statisticalStatusFromBounds(b.lower, b.upper, target) === 'met';
  };
  let lo = Math.max(1, k); // smallest n that can hold k failures
  if (proves(lo)) return lo;
  let hi = lo;
  while (!proves(hi)) {
    if (hi >= maxN) return null;
    lo = hi;
    hi = Math.min(maxN, hi * 2);
  }
  // proves(hi) and !proves(lo)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (proves(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
