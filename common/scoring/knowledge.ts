/**
 * Knowledge awareness (知晓率), metrics.md §2 and §4: per-submission facts from a form version
 * and its answers, and the awareness rules.
 *
 * Scored questions: those with a `correctAnswer` (and no `scored: false`). Points: single choice,
 * dropdown, true/false and other single-answer questions 1 point; multi-select (checkbox, tagbox,
 * or any array-valued correct answer) 2 points all-or-nothing; a custom `points` property
 * overrides. Partial credit for multi-selects (a switch): no wrong option ticked → points ×
 * (correct options ticked / correct options); any wrong option ticked → 0.
 */
import {
  DEFAULT_ANSWER_CODES,
  KNOWLEDGE_MISSING_DEFAULTS,
  classifyAnswer,
  sameAnswer,
  valueKey,
  type AnswerCodes,
  type MissingPolicy,
} from './answers';
import { listQuestions, type Answers, type FormQuestion } from './form-walk';

export type ItemStatus = 'correct' | 'incorrect' | 'dont_know' | 'skipped' | 'not_applicable';

export interface ScoredQuestion {
  name: string;
  type: string;
  correctAnswer: unknown;
  /** Array-valued answer compared as a set (multi-select) … */
  multi: boolean;
  /** … or as a sequence (ranking). */
  ordered: boolean;
  points: number;
  conditional: boolean;
}

const MULTI_TYPES = new Set(['checkbox', 'tagbox']);

/** The scored questions of a form, in document order. */
export function scoredQuestions(definition: Record<string, unknown>): ScoredQuestion[] {
  return listQuestions(definition)
    .filter((q): q is FormQuestion & { correctAnswer: unknown } => q.correctAnswer !== undefined && q.scored !== false)
    .map((q) => {
      const ordered = q.type === 'ranking';
      const multi = !ordered && (MULTI_TYPES.has(q.type) || Array.isArray(q.correctAnswer));
      return {
        name: q.name,
        type: q.type,
        correctAnswer: q.correctAnswer,
        multi,
        ordered,
        points: q.points ?? (multi ? 2 : 1),
        conditional: q.conditional,
      };
    });
}

export interface KnowledgeItemFact {
  name: string;
  status: ItemStatus;
  /** Maximum points of the item. */
  points: number;
  /** The item counts in this respondent's max score and item denominators (after the switches). */
  included: boolean;
  /** Points earned, all-or-nothing. */
  earned: number;
  /** Points earned with partial credit (equal to `earned` for single-answer items). */
  earnedPartial: number;
  /** The question was hidden (visibleIf), so it is not applicable and not part of the answered share. */
  hidden: boolean;
}

export type KnowledgeExclusion = 'too_few_answered' | 'no_scored_items';

export interface KnowledgeFacts {
  items: KnowledgeItemFact[];
  /** Scored questions shown to the respondent. */
  itemsTotal: number;
  /** Shown scored questions with any response (don't know and not applicable are responses). */
  itemsAnswered: number;
  itemsCorrect: number;
  /** Items in the denominator after the missing-answer switches. */
  itemsIncluded: number;
  answeredShare: number;
  score: number;
  scorePartial: number;
  maxScore: number;
  counts: Record<ItemStatus, number>;
  /** False when the questionnaire is not valid for awareness (see excludedReason). */
  valid: boolean;
  excludedReason?: KnowledgeExclusion;
}

export interface KnowledgeOptions {
  missing?: Partial<MissingPolicy>;
  answerCodes?: AnswerCodes;
  /** Minimum share of shown scored items answered for a valid questionnaire; default 0.8. */
  minAnsweredShare?: number;
  /**
   * Whether a question was shown. Without it, an unanswered question that has a visibleIf is
   * taken as hidden (not applicable); a caller with survey-core can give the real answer.
   */
  isVisible?: (questionName: string) => boolean;
}

function partialCredit(q: ScoredQuestion, answer: unknown): number {
  if (!q.multi || !Array.isArray(answer) || !Array.isArray(q.correctAnswer)) return 0;
  const correct = new Set(q.correctAnswer.map(valueKey));
  if (correct.size === 0) return 0;
  const ticked = new Set(answer.map(valueKey));
  for (const k of ticked) if (!correct.has(k)) return 0;
  return (q.points * ticked.size) / correct.size;
}

/** Per-submission knowledge facts. `questions` may be precomputed with scoredQuestions(). */
export function deriveKnowledgeFacts(
  questions: readonly ScoredQuestion[],
  answers: Answers,
  options: KnowledgeOptions = {},
): KnowledgeFacts {
  const missing: MissingPolicy = { ...KNOWLEDGE_MISSING_DEFAULTS, ...options.missing };
  const codes = options.answerCodes ?? DEFAULT_ANSWER_CODES;
  const minShare = options.minAnsweredShare ?? 0.8;
  const counts: Record<ItemStatus, number> = { correct: 0, incorrect: 0, dont_know: 0, skipped: 0, not_applicable: 0 };
  const items: KnowledgeItemFact[] = [];
  let itemsTotal = 0;
  let itemsAnswered = 0;
  for (const q of questions) {
    const answer = answers[q.name];
    const presence = classifyAnswer(answer, codes);
    const hidden = options.isVisible ? !options.isVisible(q.name) : q.conditional && presence === 'skipped';
    let status: ItemStatus;
    let earned = 0;
    let earnedPartial = 0;
    if (hidden) status = 'not_applicable';
    else if (presence === 'answered') {
      const ok = sameAnswer(answer, q.correctAnswer, q.ordered);
      status = ok ? 'correct' : 'incorrect';
      earned = ok ? q.points : 0;
      earnedPartial = ok ? q.points : partialCredit(q, answer);
    } else status = presence;
    let included: boolean;
    switch (status) {
      case 'correct':
      case 'incorrect':
        included = true;
        break;
      case 'dont_know':
        included = missing.dontKnow === 'incorrect';
        break;
      case 'skipped':
        included = missing.skipped === 'incorrect';
        break;
      case 'not_applicable':
        included = !hidden && missing.notApplicable === 'incorrect';
        break;
    }
    counts[status] += 1;
    if (!hidden) {
      itemsTotal += 1;
      if (status !== 'skipped') itemsAnswered += 1;
    }
    items.push({ name: q.name, status, points: q.points, included, earned, earnedPartial, hidden });
  }
  const inc = items.filter((i) => i.included);
  const facts: KnowledgeFacts = {
    items,
    itemsTotal,
    itemsAnswered,
    itemsCorrect: counts.correct,
    itemsIncluded: inc.length,
    answeredShare: itemsTotal > 0 ? itemsAnswered / itemsTotal : 0,
    score: inc.reduce((a, i) => a + i.earned, 0),
    scorePartial: inc.reduce((a, i) => a + i.earnedPartial, 0),
    maxScore: inc.reduce((a, i) => a + i.points, 0),
    counts,
    valid: true,
  };
  if (itemsTotal === 0 || facts.maxScore === 0) {
    facts.valid = false;
    facts.excludedReason = 'no_scored_items';
  } else if (facts.answeredShare + 1e-12 < minShare) {
    facts.valid = false;
    facts.excludedReason = 'too_few_answered';
  }
  return facts;
}

export type AwarenessRule =
  | { type: 'score_threshold'; theta: number; partialCredit: boolean }
  | { type: 'n_of_m'; items: string[]; n: number }
  | { type: 'all_core'; items: string[] };

/** Can this rule judge the respondent? null when it can, else why not. */
export function awarenessRuleExclusion(facts: KnowledgeFacts, rule: AwarenessRule): 'too_few_applicable_items' | null {
  if (rule.type === 'score_threshold') return null;
  const core = facts.items.filter((i) => rule.items.includes(i.name) && i.included);
  if (rule.type === 'n_of_m') return core.length >= rule.n ? null : 'too_few_applicable_items';
  return core.length > 0 ? null : 'too_few_applicable_items';
}

/**
 * Is the respondent aware under the rule?
 * - score_threshold: score ≥ θ × max score (over included items; θ default 0.8);
 * - n_of_m: at least n of the listed core items correct;
 * - all_core: every included core item correct (don't know counts as incorrect by default, so
 *   "never heard of it" stays in the denominator).
 * Facts that are not valid (or a rule that cannot judge them) give false; evaluateIndicator()
 * leaves such respondents out of the denominator instead.
 */
export function isAware(facts: KnowledgeFacts, rule: AwarenessRule): boolean {
  if (!facts.valid || awarenessRuleExclusion(facts, rule) !== null) return false;
  switch (rule.type) {
    case 'score_threshold': {
      const s = rule.partialCredit ? facts.scorePartial : facts.score;
      // Tolerance: 0.7 × 10 is 7.000000000000001 in binary.
      return facts.maxScore > 0 && s + 1e-9 >= rule.theta * facts.maxScore;
    }
    case 'n_of_m':
      return facts.items.filter((i) => rule.items.includes(i.name) && i.status === 'correct').length >= rule.n;
    case 'all_core':
      return facts.items.filter((i) => rule.items.includes(i.name) && i.included).every((i) => i.status === 'correct');
  }
}
