/**
 * Display of rates. The maths works with fractions in [0, 1]; this is the only place that turns
 * them into percent text.
 *
 * Honesty rule: a rate below 1 never displays as 100%, and a rate above 0 never displays as 0%.
 * Rounding 999/1000 to "100%" would claim that everyone was reached. When ordinary rounding
 * (half up) would reach 100 (or 0), the text becomes ">99.9%" (or "<0.1%") at the chosen
 * number of decimals — a statement that is true, instead of a nearby number that is not.
 * Otherwise the value is rounded half up: 4430/4700 at 2 decimals → "94.26%".
 */

export const NO_VALUE = '—';

/** Round half up to `decimals`, first removing binary noise such as 94.25999999999999. */
export function roundHalfUp(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Number((value * factor).toPrecision(12));
  return Math.round(scaled) / factor;
}

/**
 * Format a fraction p in [0, 1] as a percent with `decimals` (0–6) decimals.
 * null / NaN give "—".
 */
export function formatRate(p: number | null | undefined, decimals = 1): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw new RangeError(`decimals must be an integer 0–6, got ${decimals}`);
  if (p === null || p === undefined || Number.isNaN(p)) return NO_VALUE;
  if (p < 0 || p > 1) throw new RangeError(`formatRate: p must be a fraction in [0, 1], got ${p}`);
  const step = 1 / 10 ** decimals;
  const shown = roundHalfUp(p * 100, decimals);
  if (p < 1 && shown >= 100) return `>${(100 - step).toFixed(decimals)}%`;
  if (p > 0 && shown <= 0) return `<${step.toFixed(decimals)}%`;
  return `${shown.toFixed(decimals)}%`;
}
