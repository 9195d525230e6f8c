/**
 * Small-cell suppression for published tables (metrics.md §7, PIPL): counts below a threshold
 * (default 5) are not shown, so that no small group of identifiable people can be singled out.
 */

export const DEFAULT_MIN_CELL = 5;

export interface SuppressedCount {
  /** The count to publish, or null when it is suppressed. */
  value: number | null;
  suppressed: boolean;
}

/** Is this count a small cell (< minCount)? With allowZero, 0 is shown (it names nobody). */
export function isSmallCell(count: number, minCount = DEFAULT_MIN_CELL, allowZero = false): boolean {
  if (allowZero && count === 0) return false;
  return count < minCount;
}

export function suppressCount(count: number, minCount = DEFAULT_MIN_CELL, allowZero = false): SuppressedCount {
  return isSmallCell(count, minCount, allowZero) ? { value: null, suppressed: true } : { value: count, suppressed: false };
}

export interface SuppressedRate {
  /** x / n to publish, or null when suppressed. */
  rate: number | null;
  x: number | null;
  n: number | null;
  suppressed: boolean;
  /** Why: the denominator or the numerator (or, with checkComplement, n − x) is a small cell. */
  reason?: 'small_denominator' | 'small_numerator' | 'small_complement';
}

/**
 * Suppress a rate x/n when its denominator is below minCount or its numerator is a non-zero count
 * below minCount. With checkComplement, also when 0 < n − x < minCount (11 of 12 aware tells that
 * one named villager was not). The default is the numerator/denominator rule.
 */
export function suppressRate(
  x: number,
  n: number,
  options: { minCount?: number; checkComplement?: boolean } = {},
): SuppressedRate {
  const min = options.minCount ?? DEFAULT_MIN_CELL;
  const hidden = (reason: SuppressedRate['reason']): SuppressedRate => ({ rate: null, x: null, n: null, suppressed: true, reason });
  if (n < min) return hidden('small_denominator');
  if (x > 0 && x < min) return hidden('small_numerator');
  if (options.checkComplement && n - x > 0 && n - x < min) return hidden('small_complement');
  return { rate: x / n, x, n, suppressed: false };
}
