/**
 * Which review states count toward indicators (metrics.md §6): configuration, default every state
 * except `rejected`. Reports call `countsTowardIndicators` (or filter with `countedStates`).
 */
import { REVIEW_STATES, type ReviewState } from './api/submissions';

export const DEFAULT_COUNTED_REVIEW_STATES: readonly ReviewState[] = REVIEW_STATES.filter((s) => s !== 'rejected');

/** Parses `COUNTED_REVIEW_STATES` ("received,approved"; empty/undefined → the default). Throws on an unknown state. */
export function parseCountedReviewStates(value: string | undefined): ReviewState[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_COUNTED_REVIEW_STATES];
  const states = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of states) {
    if (!(REVIEW_STATES as readonly string[]).includes(s)) throw new Error(`unknown review state "${s}" (allowed: ${REVIEW_STATES.join(', ')})`);
  }
  return [...new Set(states)] as ReviewState[];
}

/** Does a submission in `state` count toward indicators under `counted` (default: all but rejected)? */
export function countsTowardIndicators(state: ReviewState, counted: readonly ReviewState[] = DEFAULT_COUNTED_REVIEW_STATES): boolean {
  return counted.includes(state);
}

/** Allowed review decisions: from any state to a decided one (a decision may be revised, never back to `received`). */
export const REVIEW_DECISIONS = ['has_issues', 'approved', 'rejected'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
