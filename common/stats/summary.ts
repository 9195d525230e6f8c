/**
 * One call for what a report cell shows about a rate: Σ numerator / Σ denominator, its interval
 * (sample surveys only: a complete count gets none), the two target-status columns and the text.
 */
import { formatRate } from './format';
import { rateInterval, type IntervalMethod } from './intervals';
import { targetStatus, type Target, type TargetStatusResult } from './targets';

export interface RateSummaryInput {
  /** Σ numerator (may be fractional, e.g. per-respondent shares). */
  numerator: number;
  /** Σ denominator: the counted submissions. */
  denominator: number;
  /** Submissions left out of the denominator (shown so the denominator can be audited). */
  excluded?: number;
  /** A complete count (census register) has no sampling error: no interval, no statistical status. */
  completeCount?: boolean;
  level?: number;
  target?: Target;
  decimals?: number;
}

export interface RateSummary {
  numerator: number;
  denominator: number;
  excluded: number;
  /** null when the denominator is 0. */
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  level: number;
  method: IntervalMethod | null;
  /** e.g. "94.3%" */
  text: string;
  /** e.g. "[75.8%, 100.0%]", or "" when there is no interval. */
  intervalText: string;
  status: TargetStatusResult | null;
}

export function summarizeRate(input: RateSummaryInput): RateSummary {
  const { numerator: x, denominator: n } = input;
  const level = input.level ?? 0.95;
  const decimals = input.decimals ?? 1;
  const excluded = input.excluded ?? 0;
  if (n === 0) {
    return {
      numerator: x,
      denominator: n,
      excluded,
      estimate: null,
      lower: null,
      upper: null,
      level,
      method: null,
      text: formatRate(null, decimals),
      intervalText: '',
      status: input.target ? targetStatus({ x, n, target: input.target, level }) : null,
    };
  }
  const estimate = x / n;
  let status: TargetStatusResult | null = null;
  if (input.target) {
    status = targetStatus({ x, n, target: input.target, level });
    // A complete count has no sampling error: the official status is the whole truth.
    if (input.completeCount) status = { ...status, statistical: status.official, lower: estimate, upper: estimate, method: null };
  }
  if (input.completeCount) {
    return { numerator: x, denominator: n, excluded, estimate, lower: null, upper: null, level, method: null, text: formatRate(estimate, decimals), intervalText: '', status };
  }
  const ci = rateInterval(x, n, level);
  return {
    numerator: x,
    denominator: n,
    excluded,
    estimate,
    lower: ci.lower,
    upper: ci.upper,
    level,
    method: ci.method,
    text: formatRate(estimate, decimals),
    intervalText: `[${formatRate(ci.lower, decimals)}, ${formatRate(ci.upper, decimals)}]`,
    status,
  };
}
