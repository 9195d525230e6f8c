/**
 * Confidence intervals for a proportion x/n (metrics.md §5). All numbers are fractions in [0, 1].
 *
 * - Wilson score interval is the default: good coverage and never collapses at 0 or 1.
 * - Clopper–Pearson (exact, from Beta quantiles) is used when x = 0 or x = n, where Wilson is
 *   known to under-cover; there the closed forms apply: lower = (α/2)^(1/n) at x = n and
 *   upper = 1 − (α/2)^(1/n) at x = 0.
 * - A Wald interval is deliberately not offered (it collapses to [1, 1] at 12/12).
 *
 * x and n may be non-integers (effective counts from weighting); the formulas still hold.
 */
import { betaQuantile, zForLevel } from './special';

export type IntervalMethod = 'wilson' | 'clopper-pearson';
/** 'auto' = Wilson, except Clopper–Pearson at x = 0 or x = n. */
export type IntervalMethodChoice = IntervalMethod | 'auto';

export interface RateInterval {
  x: number;
  n: number;
  /** Two-sided confidence level, e.g. 0.95. */
  level: number;
  method: IntervalMethod;
  /** The point estimate x / n. */
  estimate: number;
  lower: number;
  upper: number;
}

function checkCounts(x: number, n: number): void {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`n must be a positive number, got ${n}`);
  if (!Number.isFinite(x) || x < 0 || x > n) throw new RangeError(`x must be in [0, n], got x=${x}, n=${n}`);
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Wilson score interval (two-sided, at `level`). */
export function wilsonInterval(x: number, n: number, level = 0.95): RateInterval {
  checkCounts(x, n);
  const z = zForLevel(level);
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return {
    x,
    n,
    level,
    method: 'wilson',
    estimate: p,
    // Exact at the ends: the formula gives 0 / 1 there, up to rounding.
    lower: x === 0 ? 0 : clamp01(centre - half),
    upper: x === n ? 1 : clamp01(centre + half),
  };
}

/** Clopper–Pearson exact interval (two-sided, at `level`). */
export function clopperPearsonInterval(x: number, n: number, level = 0.95): RateInterval {
  checkCounts(x, n);
  checkLevel(level);
  const halfAlpha = (1 - level) / 2;
  let lower: number;
  let upper: number;
  if (x === 0) lower = 0;
  else if (x === n) lower = Math.pow(halfAlpha, 1 / n);
  else lower = betaQuantile(halfAlpha, x, n - x + 1);
  if (x === n) upper = 1;
  else if (x === 0) upper = 1 - Math.pow(halfAlpha, 1 / n);
  else upper = betaQuantile(1 - halfAlpha, x + 1, n - x);
  return { x, n, level, method: 'clopper-pearson', estimate: x / n, lower: clamp01(lower), upper: clamp01(upper) };
}

/** Which method 'auto' picks for these counts. */
export function chooseIntervalMethod(x: number, n: number, method: IntervalMethodChoice = 'auto'): IntervalMethod {
  if (method !== 'auto') return method;
  return x === 0 || x === n ? 'clopper-pearson' : 'wilson';
}

/**
 * The interval CunWen shows for a rate: Wilson by default, Clopper–Pearson at x = 0 or x = n.
 * The result says which method was used. Throws RangeError for n ≤ 0 (no data: there is no rate).
 */
export function rateInterval(x: number, n: number, level = 0.95, method: IntervalMethodChoice = 'auto'): RateInterval {
  checkCounts(x, n);
  return chooseIntervalMethod(x, n, method) === 'wilson'
    ? wilsonInterval(x, n, level)
    : clopperPearsonInterval(x, n, level);
}

export interface OneSidedBounds {
  x: number;
  n: number;
  /** One-sided confidence level of each bound, e.g. 0.95. */
  level: number;
  /** The two-sided interval whose ends these are: 1 − 2(1 − level), e.g. 0.90. */
  twoSidedLevel: number;
  method: IntervalMethod;
  estimate: number;
  /** One-sided lower bound: the true rate is ≥ this with confidence `level`. */
  lower: number;
  /** One-sided upper bound: the true rate is ≤ this with confidence `level`. */
  upper: number;
}

/**
 * One-sided bounds at `level` (default 95%): the ends of the two-sided interval at 1 − 2(1 − level)
 * (90%). Same method choice as rateInterval. At 12/12 the lower bound is 0.05^(1/12) ≈ 77.9%.
 */
export function oneSidedBounds(x: number, n: number, level = 0.95, method: IntervalMethodChoice = 'auto'): OneSidedBounds {
  if (!(level > 0.5 && level < 1)) throw new RangeError(`one-sided level must be in (0.5, 1), got ${level}`);
  const twoSidedLevel = Number((1 - 2 * (1 - level)).toFixed(12)); // 0.9, not 0.8999999999999999
  const ci = rateInterval(x, n, twoSidedLevel, method);
  return { x, n, level, twoSidedLevel, method: ci.method, estimate: ci.estimate, lower: ci.lower, upper: ci.upper };
}
