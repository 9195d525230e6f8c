/**
 * Estimates above one sample (metrics.md §5): a township rate from village samples.
 *
 * - post-stratified: weight each stratum (village) by its eligible population N_h from the census,
 *   p = Σ W_h·p_h with W_h = N_h / N, variance Σ W_h²(1 − n_h/N_h)·s_h²/n_h where
 *   s_h² = p_h(1 − p_h)·n_h/(n_h − 1); a normal interval clipped to [0, 1];
 * - pooled Σx / Σn: only right when every stratum was sampled at the same fraction;
 * - design effect for cluster samples, deff = 1 + (m − 1)ρ, effective n = n / deff.
 */
import { rateInterval, type RateInterval } from './intervals';
import { zForLevel } from './special';

export interface Stratum {
  /** Positives in the sample (e.g. aware respondents). */
  x: number;
  /** Sample size. */
  n: number;
  /** Eligible population of the stratum (from the census). */
  N: number;
  /** Optional label (org unit code), echoed in warnings. */
  id?: string;
}

export type StratifiedWarning =
  /** Strata with n = 0: left out, the weights were renormalised over the sampled strata. */
  | 'unsampled_strata'
  /** A stratum with n > N (data error): its finite-population correction was set to 0. */
  | 'sample_exceeds_population'
  /** Strata with n = 1 have no variance estimate (s² needs n ≥ 2): they contribute 0. */
  | 'single_unit_strata'
  /** The variance estimate is 0 (every stratum at 0% or 100%): an exact fallback interval is shown. */
  | 'zero_variance'
  /** Strata with a sample but N = 0 (missing census figure): left out, they carry no weight. */
  | 'strata_without_population';

export interface PostStratifiedEstimate {
  method: 'post-stratified';
  estimate: number;
  variance: number;
  standardError: number;
  /** Two-sided interval at `level`. */
  lower: number;
  upper: number;
  level: number;
  /** 'normal' normally; 'clopper-pearson-fallback' when the variance is 0 (see warnings). */
  intervalMethod: 'normal' | 'clopper-pearson-fallback';
  /** p(1 − p) / variance: the simple-random-sample size with the same precision (Σn when variance is 0). */
  effectiveN: number;
  /** Σ n_h over sampled strata. */
  n: number;
  /** Σ N_h over sampled strata (the population the estimate speaks for). */
  populationCovered: number;
  /** Share of the total population Σ N_h (all strata) that had a sample. */
  populationCoveredShare: number;
  strataUsed: number;
  strataUnsampled: string[];
  warnings: StratifiedWarning[];
}

function checkStratum(s: Stratum, i: number): void {
  const label = s.id ?? `#${i}`;
  if (!Number.isFinite(s.n) || s.n < 0) throw new RangeError(`stratum ${label}: n must be ≥ 0`);
  if (!Number.isFinite(s.x) || s.x < 0 || s.x > s.n) throw new RangeError(`stratum ${label}: x must be in [0, n]`);
  if (!Number.isFinite(s.N) || s.N < 0) throw new RangeError(`stratum ${label}: N must be ≥ 0`);
}

/** Post-stratified estimate; null when no stratum has both a sample and a population. */
export function postStratifiedEstimate(strata: readonly Stratum[], level = 0.95): PostStratifiedEstimate | null {
  strata.forEach(checkStratum);
  const totalN = strata.reduce((acc, s) => acc + s.N, 0);
  const used = strata.filter((s) => s.n > 0 && s.N > 0);
  const unsampled = strata.flatMap((s, i) => (s.n === 0 && s.N > 0 ? [s.id ?? `#${i}`] : []));
  if (used.length === 0) return null;
  const covered = used.reduce((acc, s) => acc + s.N, 0);
  const warnings = new Set<StratifiedWarning>();
  if (unsampled.length > 0) warnings.add('unsampled_strata');
  if (strata.some((s) => s.n > 0 && s.N === 0)) warnings.add('strata_without_population');
  let p = 0;
  let variance = 0;
  let n = 0;
  for (const s of used) {
    const W = s.N / covered;
    const ph = s.x / s.n;
    p += W * ph;
    n += s.n;
    let fpc = 1 - s.n / s.N;
    if (fpc < 0) {
      warnings.add('sample_exceeds_population');
      fpc = 0;
    }
    if (s.n < 2) {
      warnings.add('single_unit_strata');
      continue;
    }
    const s2 = (ph * (1 - ph) * s.n) / (s.n - 1);
    variance += W * W * fpc * (s2 / s.n);
  }
  p = Math.min(1, Math.max(0, p));
  const se = Math.sqrt(variance);
  let lower: number;
  let upper: number;
  let intervalMethod: PostStratifiedEstimate['intervalMethod'] = 'normal';
  let effectiveN: number;
  if (variance > 0) {
    const z = zForLevel(level);
    lower = Math.max(0, p - z * se);
    upper = Math.min(1, p + z * se);
    effectiveN = (p * (1 - p)) / variance;
  } else {
    // A normal interval would collapse to a point (the Wald problem). Fall back to an exact
    // interval on the pooled sample size, which is honest about how little 12/12 proves.
    warnings.add('zero_variance');
    intervalMethod = 'clopper-pearson-fallback';
    const ci: RateInterval = rateInterval(p * n, n, level, 'clopper-pearson');
    lower = ci.lower;
    upper = ci.upper;
    effectiveN = n;
  }
  return {
    method: 'post-stratified',
    estimate: p,
    variance,
    standardError: se,
    lower,
    upper,
    level,
    intervalMethod,
    effectiveN,
    n,
    populationCovered: covered,
    populationCoveredShare: totalN > 0 ? covered / totalN : 0,
    strataUsed: used.length,
    strataUnsampled: unsampled,
    warnings: [...warnings],
  };
}

export interface PooledEstimate {
  method: 'pooled';
  x: number;
  n: number;
  estimate: number;
  interval: RateInterval;
}

/** Pooled Σx / Σn with its rateInterval; null when Σn = 0. Only right at equal sampling fractions. */
export function pooledEstimate(strata: readonly Pick<Stratum, 'x' | 'n'>[], level = 0.95): PooledEstimate | null {
  let x = 0;
  let n = 0;
  for (const s of strata) {
    if (!(s.n >= 0 && s.x >= 0 && s.x <= s.n)) throw new RangeError('pooledEstimate: each stratum needs 0 ≤ x ≤ n');
    x += s.x;
    n += s.n;
  }
  if (n === 0) return null;
  return { method: 'pooled', x, n, estimate: x / n, interval: rateInterval(x, n, level) };
}

/** Design effect for a cluster sample: deff = 1 + (m − 1)ρ, m = mean cluster size, ρ = intra-cluster correlation. */
export function designEffect(m: number, rho: number): number {
  if (!(m >= 1)) throw new RangeError(`cluster size m must be ≥ 1, got ${m}`);
  if (!(rho >= -1 && rho <= 1)) throw new RangeError(`rho must be in [-1, 1], got ${rho}`);
  const deff = 1 + (m - 1) * rho;
  if (!(deff > 0)) throw new RangeError(`design effect must be > 0 (m=${m}, rho=${rho})`);
  return deff;
}

/** Effective sample size n / deff. */
export function effectiveSampleSize(n: number, deff: number): number {
  if (!(n >= 0)) throw new RangeError(`n must be ≥ 0, got ${n}`);
  if (!(deff > 0)) throw new RangeError(`deff must be > 0, got ${deff}`);
  return n / deff;
}
