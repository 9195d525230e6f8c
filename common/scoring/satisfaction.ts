/**
 * Satisfaction (满意率), metrics.md §3 and §4. Five-point scale, 5 = 非常满意 … 1 = 非常不满意,
 * plus 'na' (not applicable) and optionally 'dont_know' (说不清).
 *
 * Rating questions: those with a custom `dimension` property; if a form has none, every
 * radiogroup whose choices are the values 1–5 (plus special codes) is one, named by itself.
 * Several questions may share a dimension; a dimension's score for a respondent is then the mean
 * of its valid ratings.
 */
import {
  DEFAULT_ANSWER_CODES,
  SATISFACTION_MISSING_DEFAULTS,
  classifyAnswer,
  valueKey,
  type AnswerCodes,
  type MissingPolicy,
} from './answers';
import { listQuestions, type Answers } from './form-walk';

export interface RatingQuestion {
  name: string;
  dimension: string;
  conditional: boolean;
}

const SCALE = ['1', '2', '3', '4', '5'];

export function ratingQuestions(definition: Record<string, unknown>, codes: AnswerCodes = DEFAULT_ANSWER_CODES): RatingQuestion[] {
  const all = listQuestions(definition);
  const tagged = all.filter((q) => q.dimension !== undefined);
  if (tagged.length > 0) return tagged.map((q) => ({ name: q.name, dimension: q.dimension as string, conditional: q.conditional }));
  const special = new Set([...codes.dontKnow, ...codes.notApplicable]);
  return all
    .filter((q) => {
      if (q.type !== 'radiogroup' || q.choiceValues.length === 0) return false;
      const keys = q.choiceValues.map(valueKey);
      return SCALE.every((k) => keys.includes(k)) && keys.every((k) => SCALE.includes(k) || special.has(k));
    })
    .map((q) => ({ name: q.name, dimension: q.name, conditional: q.conditional }));
}

export type RatingStatus = 'rated' | 'dont_know' | 'not_applicable' | 'skipped' | 'invalid';

export interface RatingFact {
  name: string;
  dimension: string;
  status: RatingStatus;
  /** 1–5 when rated, else null. */
  rating: number | null;
  /** A missing answer the switches keep in the denominator as "not satisfied". */
  countsAgainst: boolean;
  hidden: boolean;
}

export interface DimensionFact {
  dimension: string;
  ratings: number[];
  /** Mean of the valid ratings, or null. */
  mean: number | null;
  /** Missing answers in this dimension that count against it. */
  against: number;
}

export interface SatisfactionFacts {
  ratings: RatingFact[];
  dimensions: DimensionFact[];
  itemsTotal: number;
  itemsAnswered: number;
  answeredShare: number;
  counts: Record<RatingStatus, number>;
}

export interface SatisfactionOptions {
  missing?: Partial<MissingPolicy>;
  answerCodes?: AnswerCodes;
  isVisible?: (questionName: string) => boolean;
}

function parseRating(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

export function deriveSatisfactionFacts(
  questions: readonly RatingQuestion[],
  answers: Answers,
  options: SatisfactionOptions = {},
): SatisfactionFacts {
  const missing: MissingPolicy = { ...SATISFACTION_MISSING_DEFAULTS, ...options.missing };
  const codes = options.answerCodes ?? DEFAULT_ANSWER_CODES;
  const counts: Record<RatingStatus, number> = { rated: 0, dont_know: 0, not_applicable: 0, skipped: 0, invalid: 0 };
  const ratings: RatingFact[] = [];
  let itemsTotal = 0;
  let itemsAnswered = 0;
  for (const q of questions) {
    const value = answers[q.name];
    const presence = classifyAnswer(value, codes);
    const hidden = options.isVisible ? !options.isVisible(q.name) : q.conditional && presence === 'skipped';
    let status: RatingStatus;
    let rating: number | null = null;
    if (hidden) status = 'not_applicable';
    else if (presence === 'answered') {
      rating = parseRating(value);
      status = rating === null ? 'invalid' : 'rated';
    } else status = presence;
    const countsAgainst =
      (status === 'dont_know' && missing.dontKnow === 'incorrect') ||
      (status === 'skipped' && missing.skipped === 'incorrect') ||
      (status === 'not_applicable' && !hidden && missing.notApplicable === 'incorrect');
    counts[status] += 1;
    if (!hidden) {
      itemsTotal += 1;
      if (status !== 'skipped') itemsAnswered += 1;
    }
    ratings.push({ name: q.name, dimension: q.dimension, status, rating, countsAgainst, hidden });
  }
  const byDim = new Map<string, DimensionFact>();
  for (const r of ratings) {
    let d = byDim.get(r.dimension);
    if (!d) {
      d = { dimension: r.dimension, ratings: [], mean: null, against: 0 };
      byDim.set(r.dimension, d);
    }
    if (r.rating !== null) d.ratings.push(r.rating);
    if (r.countsAgainst) d.against += 1;
  }
  for (const d of byDim.values()) d.mean = d.ratings.length > 0 ? d.ratings.reduce((a, b) => a + b, 0) / d.ratings.length : null;
  return {
    ratings,
    dimensions: [...byDim.values()],
    itemsTotal,
    itemsAnswered,
    answeredShare: itemsTotal > 0 ? itemsAnswered / itemsTotal : 0,
    counts,
  };
}

const inDims = (dims: readonly string[] | undefined) => (dimension: string) => !dims || dims.includes(dimension);

/** Ratings that count (valid ratings plus missing answers counted against), in the chosen dimensions. */
export function validRatingCount(facts: SatisfactionFacts, dims?: readonly string[]): number {
  return facts.ratings.filter((r) => inDims(dims)(r.dimension) && (r.rating !== null || r.countsAgainst)).length;
}

/** Top-box counts at `cut` (default 4: 满意 + 非常满意), over ratings. */
export function topBoxCounts(facts: SatisfactionFacts, cut = 4, dims?: readonly string[]): { satisfied: number; valid: number } {
  const rs = facts.ratings.filter((r) => inDims(dims)(r.dimension) && (r.rating !== null || r.countsAgainst));
  return { satisfied: rs.filter((r) => r.rating !== null && r.rating >= cut).length, valid: rs.length };
}

export const MEAN_TRANSFORMS = ['scaled_0_100', 'times_20', 'raw'] as const;
export type MeanTransform = (typeof MEAN_TRANSFORMS)[number];

/** Labels that state each transform, as metrics.md §3 requires. */
export const MEAN_TRANSFORM_LABELS: Record<MeanTransform, { zh: string; en: string }> = {
  scaled_0_100: { zh: '(均分−1)/4×100(0–100 分)', en: '(mean − 1)/4 × 100 (0–100)' },
  times_20: { zh: '均分×20(20–100 分)', en: 'mean × 20 (20–100)' },
  raw: { zh: '均分(1–5 分)', en: 'mean (1–5)' },
};

export function transformMean(mean: number, transform: MeanTransform): number {
  switch (transform) {
    case 'scaled_0_100':
      return ((mean - 1) / 4) * 100;
    case 'times_20':
      return mean * 20;
    case 'raw':
      return mean;
  }
}

/** Mean of the respondent's valid ratings (missing answers are never turned into ratings), or null. */
export function meanRating(facts: SatisfactionFacts, dims?: readonly string[]): number | null {
  const rs = facts.ratings.filter((r) => inDims(dims)(r.dimension) && r.rating !== null).map((r) => r.rating as number);
  return rs.length > 0 ? rs.reduce((a, b) => a + b, 0) / rs.length : null;
}

/** Is this dimension satisfied at `cut`? null when it has nothing that counts. */
function dimensionSatisfied(d: DimensionFact, cut: number): boolean | null {
  if (d.against > 0) return false;
  if (d.mean === null) return null;
  return d.mean >= cut;
}

/** Satisfied on every dimension that has a valid rating; null when none has. */
export function allDimensionsSatisfied(facts: SatisfactionFacts, cut = 4, dims?: readonly string[]): boolean | null {
  const judged = facts.dimensions
    .filter((d) => inDims(dims)(d.dimension))
    .map((d) => dimensionSatisfied(d, cut))
    .filter((s): s is boolean => s !== null);
  return judged.length > 0 ? judged.every(Boolean) : null;
}

/**
 * The respondent's weighted index Σ ωₖ·Sₖ / Σ ωₖ over the weighted dimensions that have a valid
 * rating, where Sₖ = 1 when the dimension is satisfied at `cut`, else 0. null when none has.
 */
export function weightedIndex(facts: SatisfactionFacts, weights: Readonly<Record<string, number>>, cut = 4): number | null {
  let num = 0;
  let den = 0;
  for (const d of facts.dimensions) {
    const w = weights[d.dimension];
    if (w === undefined || w <= 0) continue;
    const s = dimensionSatisfied(d, cut);
    if (s === null) continue;
    num += w * (s ? 1 : 0);
    den += w;
  }
  return den > 0 ? num / den : null;
}
