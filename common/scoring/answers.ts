/**
 * Conventions shared by knowledge and satisfaction scoring: which answers mean "don't know" or
 * "not applicable", what counts as skipped, and how two answer values are compared.
 */
import { z } from 'zod';

/**
 * Choice values with a special meaning. Configurable per indicator; these are the conventions.
 * `dontknow` (no underscore) is accepted too because the knowledge-quiz template uses it.
 */
export const AnswerCodesSchema = z.strictObject({
  dontKnow: z.array(z.string().min(1)).default(['dont_know', 'dontknow']),
  notApplicable: z.array(z.string().min(1)).default(['na']),
});
export type AnswerCodes = z.infer<typeof AnswerCodesSchema>;
export const DEFAULT_ANSWER_CODES: AnswerCodes = { dontKnow: ['dont_know', 'dontknow'], notApplicable: ['na'] };

/**
 * What to do with a missing answer (metrics.md §4):
 * - 'incorrect': it stays in the denominator and counts against the respondent (knowledge: an
 *   incorrect item; satisfaction: a rating that is not satisfied);
 * - 'excluded': it is removed from that respondent's denominator.
 */
export const MissingTreatmentSchema = z.enum(['incorrect', 'excluded']);
export type MissingTreatment = z.infer<typeof MissingTreatmentSchema>;

export interface MissingPolicy {
  dontKnow: MissingTreatment;
  skipped: MissingTreatment;
  notApplicable: MissingTreatment;
}

/** metrics.md §4 defaults. */
export const KNOWLEDGE_MISSING_DEFAULTS: MissingPolicy = { dontKnow: 'incorrect', skipped: 'incorrect', notApplicable: 'excluded' };
export const SATISFACTION_MISSING_DEFAULTS: MissingPolicy = { dontKnow: 'excluded', skipped: 'excluded', notApplicable: 'excluded' };

export type Presence = 'answered' | 'dont_know' | 'not_applicable' | 'skipped';

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function hasCode(value: unknown, codes: readonly string[]): boolean {
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && codes.includes(v));
  return typeof value === 'string' && codes.includes(value);
}

/**
 * Classify an answer. A multi-select that contains a don't-know (or not-applicable) value is
 * classified as such, whatever else was ticked.
 */
export function classifyAnswer(value: unknown, codes: AnswerCodes = DEFAULT_ANSWER_CODES): Presence {
  if (isEmpty(value)) return 'skipped';
  if (hasCode(value, codes.dontKnow)) return 'dont_know';
  if (hasCode(value, codes.notApplicable)) return 'not_applicable';
  return 'answered';
}

/** A comparable key for a scalar answer: 1 and "1" are the same choice; strings are trimmed. */
export function valueKey(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Equal answers: scalars by key; arrays as sets (order ignored) unless `ordered`. */
export function sameAnswer(a: unknown, b: unknown, ordered = false): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = a.map(valueKey);
    const kb = b.map(valueKey);
    if (ordered) return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
    const sa = new Set(ka);
    const sb = new Set(kb);
    return sa.size === sb.size && [...sa].every((k) => sb.has(k));
  }
  if (Array.isArray(a) || Array.isArray(b)) return false;
  return valueKey(a) === valueKey(b);
}

/** Does the answer match one of the allowed values? (For arrays: any element matches.) */
export function answerMatches(value: unknown, allowed: readonly unknown[]): boolean {
  const keys = new Set(allowed.map(valueKey));
  if (Array.isArray(value)) return value.some((v) => keys.has(valueKey(v)));
  if (value === undefined || value === null) return false;
  return keys.has(valueKey(value));
}
