/**
 * Indicator definitions and the per-submission evaluation that rollups sum (metrics.md §1–4).
 *
 * evaluateIndicator() gives, for one submission, whether it counts and its numerator and
 * denominator contributions; a rate at any level is Σ numeratorValue / Σ denominatorValue.
 *
 * Unit of each rule (what one counted submission contributes):
 * - knowledge rules: the respondent, numerator 0 or 1, denominator 1;
 * - top_box: the respondent, numerator = the share of that respondent's counted ratings at or
 *   above the cut (0 or 1 when one rating question is in scope), denominator 1. Each respondent
 *   weighs the same however many dimensions apply to them; a ratings-level rate can be built
 *   from facts.satisfaction via topBoxCounts();
 * - all_dimensions: the respondent, 0 or 1;
 * - weighted_index: the respondent, numerator = their index in [0, 1], denominator 1;
 * - mean_score: numerator = the respondent's mean rating after the declared transform
 *   (0–100, 20–100 or 1–5), denominator 1; show it with display factor 1, not as a percent.
 */
import { z } from 'zod';
import { LocalizedTextSchema } from '../localized';
import { FormSlugSchema } from '../api/forms';
import {
  AnswerCodesSchema,
  DEFAULT_ANSWER_CODES,
  KNOWLEDGE_MISSING_DEFAULTS,
  MissingTreatmentSchema,
  SATISFACTION_MISSING_DEFAULTS,
  answerMatches,
  type MissingPolicy,
} from './answers';
import type { Answers } from './form-walk';
import { awarenessRuleExclusion, deriveKnowledgeFacts, isAware, scoredQuestions, type KnowledgeFacts, type ScoredQuestion } from './knowledge';
import {
  MEAN_TRANSFORMS,
  allDimensionsSatisfied,
  deriveSatisfactionFacts,
  meanRating,
  ratingQuestions,
  topBoxCounts,
  transformMean,
  validRatingCount,
  weightedIndex,
  type RatingQuestion,
  type SatisfactionFacts,
} from './satisfaction';

const QuestionNameSchema = z.string().trim().min(1).max(200);
const DimensionListSchema = z.array(z.string().trim().min(1)).min(1);
const CutSchema = z.number().int().min(1).max(5).default(4);

export const ScoreThresholdRuleSchema = z.strictObject({
  type: z.literal('score_threshold'),
  theta: z.number().gt(0).max(1).default(0.8),
  partialCredit: z.boolean().default(false),
});
export const NOfMRuleSchema = z.strictObject({
  type: z.literal('n_of_m'),
  items: z.array(QuestionNameSchema).min(1),
  n: z.number().int().min(1),
});
export const AllCoreRuleSchema = z.strictObject({
  type: z.literal('all_core'),
  items: z.array(QuestionNameSchema).min(1),
});
export const TopBoxRuleSchema = z.strictObject({
  type: z.literal('top_box'),
  cut: CutSchema,
  dimensions: DimensionListSchema.optional(),
});
export const MeanScoreRuleSchema = z.strictObject({
  type: z.literal('mean_score'),
  /** Required: a 0–100 score must state its transform (metrics.md §3). */
  transform: z.enum(MEAN_TRANSFORMS),
  dimensions: DimensionListSchema.optional(),
});
export const WeightedIndexRuleSchema = z.strictObject({
  type: z.literal('weighted_index'),
  weights: z.record(z.string().trim().min(1), z.number().positive()),
  cut: CutSchema,
});
export const AllDimensionsRuleSchema = z.strictObject({
  type: z.literal('all_dimensions'),
  cut: CutSchema,
  dimensions: DimensionListSchema.optional(),
});

export const IndicatorRuleSchema = z.discriminatedUnion('type', [
  ScoreThresholdRuleSchema,
  NOfMRuleSchema,
  AllCoreRuleSchema,
  TopBoxRuleSchema,
  MeanScoreRuleSchema,
  WeightedIndexRuleSchema,
  AllDimensionsRuleSchema,
]);
export type IndicatorRule = z.infer<typeof IndicatorRuleSchema>;

const KNOWLEDGE_RULES = new Set<IndicatorRule['type']>(['score_threshold', 'n_of_m', 'all_core']);

export const EligibilityFilterSchema = z.strictObject({
  question: QuestionNameSchema,
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
});
export type EligibilityFilter = z.infer<typeof EligibilityFilterSchema>;

export const POPULATION_BASES = ['registered', 'resident', 'in_migrant', 'all'] as const;
export const POPULATION_BASIS_LABELS: Record<(typeof POPULATION_BASES)[number], { zh: string; en: string }> = {
  registered: { zh: '户籍人口', en: 'Registered population' },
  resident: { zh: '常住人口', en: 'Resident population' },
  in_migrant: { zh: '流入人口', en: 'In-migrant population' },
  all: { zh: '全部人口', en: 'Everyone' },
};

export const IndicatorDefinitionSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]{1,62}$/, 'id: 2–63 lower-case letters, digits, _ or -'),
    name: LocalizedTextSchema,
    formSlugs: z.array(FormSlugSchema).min(1),
    kind: z.enum(['knowledge', 'satisfaction']),
    rule: IndicatorRuleSchema,
    /** Missing-answer switches; unset ones take the metrics.md §4 defaults for the kind. */
    missing: z
      .strictObject({
        dontKnow: MissingTreatmentSchema.optional(),
        skipped: MissingTreatmentSchema.optional(),
        notApplicable: MissingTreatmentSchema.optional(),
      })
      .default({}),
    answerCodes: AnswerCodesSchema.default(DEFAULT_ANSWER_CODES),
    /** Minimum share of shown items answered for a valid questionnaire. */
    minAnsweredShare: z.number().min(0).max(1).default(0.8),
    /** Satisfaction: a respondent counts only with at least this many counted ratings. */
    minValidRatings: z.number().int().min(1).default(1),
    /** All filters must pass (e.g. "used this service" ∈ ['yes']). */
    eligibility: z.array(EligibilityFilterSchema).default([]),
    populationBasis: z.enum(POPULATION_BASES).default('all'),
    displayDecimals: z.number().int().min(0).max(4).default(1),
  })
  .superRefine((def, ctx) => {
    const knowledgeRule = KNOWLEDGE_RULES.has(def.rule.type);
    if (knowledgeRule !== (def.kind === 'knowledge')) {
      ctx.addIssue({ code: 'custom', path: ['rule', 'type'], message: `rule ${def.rule.type} does not fit a ${def.kind} indicator` });
    }
    if (def.rule.type === 'n_of_m' || def.rule.type === 'all_core') {
      if (new Set(def.rule.items).size !== def.rule.items.length) ctx.addIssue({ code: 'custom', path: ['rule', 'items'], message: 'duplicate core items' });
    }
    if (def.rule.type === 'n_of_m' && def.rule.n > def.rule.items.length) {
      ctx.addIssue({ code: 'custom', path: ['rule', 'n'], message: 'n cannot exceed the number of core items' });
    }
    if (def.rule.type === 'weighted_index' && Object.keys(def.rule.weights).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['rule', 'weights'], message: 'at least one weighted dimension' });
    }
  });
export type IndicatorDefinition = z.output<typeof IndicatorDefinitionSchema>;
export type IndicatorDefinitionInput = z.input<typeof IndicatorDefinitionSchema>;

/** The missing-answer switches in force (explicit ones over the defaults of the kind). */
export function effectiveMissingPolicy(def: IndicatorDefinition): MissingPolicy {
  const base = def.kind === 'knowledge' ? KNOWLEDGE_MISSING_DEFAULTS : SATISFACTION_MISSING_DEFAULTS;
  return {
    dontKnow: def.missing.dontKnow ?? base.dontKnow,
    skipped: def.missing.skipped ?? base.skipped,
    notApplicable: def.missing.notApplicable ?? base.notApplicable,
  };
}

/** 人口计生知识知晓率: score ≥ 80% of the max score. */
export const AWARENESS_INDICATOR: IndicatorDefinition = IndicatorDefinitionSchema.parse({
  id: 'awareness',
  name: { zh: '人口计生知识知晓率', en: 'Population and family-planning knowledge awareness rate' },
  formSlugs: ['knowledge-quiz'],
  kind: 'knowledge',
  rule: { type: 'score_threshold', theta: 0.8 },
} satisfies IndicatorDefinitionInput);

/** 群众满意率: share of ratings at 满意 or 非常满意 (cut 4), per respondent, over counted respondents. */
/**
 * 群众满意率: the share of respondents 满意 or 非常满意 on the overall question (总体满意度).
 * One 0/1 outcome per respondent, so x/n are whole people and the binomial intervals are honest;
 * averaging top-box shares over all dimensions would give fractional "respondents" (596.9 / 757)
 * that a Wilson interval does not describe. The service dimensions are reported one by one in the
 * satisfaction view, and staff can define an all-dimensions or weighted-index indicator if their
 * work plan asks for one.
 */
export const SATISFACTION_INDICATOR: IndicatorDefinition = IndicatorDefinitionSchema.parse({
  id: 'satisfaction',
  name: { zh: '群众满意率', en: 'Public satisfaction rate' },
  formSlugs: ['satisfaction-survey'],
  kind: 'satisfaction',
  rule: { type: 'top_box', cut: 4, dimensions: ['overall'] },
} satisfies IndicatorDefinitionInput);

export const BUILT_IN_INDICATORS: readonly IndicatorDefinition[] = [AWARENESS_INDICATOR, SATISFACTION_INDICATOR];

export type ExclusionReason =
  | 'not_eligible'
  | 'too_few_answered'
  | 'no_scored_items'
  | 'too_few_applicable_items'
  | 'no_valid_rating';

/** What a person reads in the "excluded" column (zh-CN first). */
export const EXCLUSION_REASON_LABELS: Record<ExclusionReason, { zh: string; en: string }> = {
  not_eligible: { zh: '不属于统计对象(资格条件不符)', en: 'Not eligible (filter not met)' },
  too_few_answered: { zh: '作答题目过少,问卷无效', en: 'Too few questions answered: invalid questionnaire' },
  no_scored_items: { zh: '没有可计分的题目', en: 'No scorable items' },
  too_few_applicable_items: { zh: '适用的核心题目不足', en: 'Too few applicable core items' },
  no_valid_rating: { zh: '没有有效的满意度评价', en: 'No valid satisfaction rating' },
};

export interface IndicatorEvaluation {
  counted: boolean;
  /** Contribution to Σ numerator (0 when not counted). */
  numeratorValue: number;
  /** Contribution to Σ denominator (0 when not counted; 1 when counted). */
  denominatorValue: number;
  excludedReason?: ExclusionReason;
  /** 'respondent': a rate (show ×100); 'score': a mean score in the transform's units. */
  unit: 'respondent' | 'score';
  knowledge?: KnowledgeFacts;
  satisfaction?: SatisfactionFacts;
}

export class IndicatorConfigError extends Error {
  constructor(
    readonly indicatorId: string,
    readonly problems: string[],
  ) {
    super(`indicator ${indicatorId} does not fit the form: ${problems.join('; ')}`);
    this.name = 'IndicatorConfigError';
  }
}

export interface EvaluateOptions {
  /** Whether a question was shown (from survey-core); see KnowledgeOptions.isVisible. */
  isVisible?: (questionName: string) => boolean;
}

export type CompiledIndicator = (answers: Answers, options?: EvaluateOptions) => IndicatorEvaluation;

/** Problems that make an indicator unusable with a form version (empty when it fits). */
export function indicatorProblems(def: IndicatorDefinition, formDefinition: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (def.kind === 'knowledge') {
    const scored = scoredQuestions(formDefinition);
    if (scored.length === 0) problems.push('the form has no scored question (correctAnswer)');
    if (def.rule.type === 'n_of_m' || def.rule.type === 'all_core') {
      const names = new Set(scored.map((q) => q.name));
      for (const item of def.rule.items) if (!names.has(item)) problems.push(`core item "${item}" is not a scored question`);
    }
  } else {
    const rating = ratingQuestions(formDefinition, def.answerCodes);
    if (rating.length === 0) problems.push('the form has no rating question (1–5 with a dimension)');
    const dims = new Set(rating.map((q) => q.dimension));
    const wanted =
      def.rule.type === 'weighted_index' ? Object.keys(def.rule.weights) : 'dimensions' in def.rule ? (def.rule.dimensions ?? []) : [];
    for (const d of wanted) if (!dims.has(d)) problems.push(`dimension "${d}" is not in the form`);
  }
  return problems;
}

const notCounted = (reason: ExclusionReason, unit: IndicatorEvaluation['unit']) => ({
  counted: false,
  numeratorValue: 0,
  denominatorValue: 0,
  excludedReason: reason,
  unit,
});

/**
 * Prepare an indicator for one form version (read the form once, check that they fit).
 * Throws IndicatorConfigError when they do not.
 */
export function compileIndicator(def: IndicatorDefinition, formDefinition: Record<string, unknown>): CompiledIndicator {
  const problems = indicatorProblems(def, formDefinition);
  if (problems.length > 0) throw new IndicatorConfigError(def.id, problems);
  const missing = effectiveMissingPolicy(def);
  const eligible = (answers: Answers) => def.eligibility.every((f) => answerMatches(answers[f.question], f.values));

  if (def.kind === 'knowledge') {
    const questions: ScoredQuestion[] = scoredQuestions(formDefinition);
    const rule = def.rule;
    if (rule.type !== 'score_threshold' && rule.type !== 'n_of_m' && rule.type !== 'all_core') {
      throw new IndicatorConfigError(def.id, [`rule ${rule.type} is not a knowledge rule`]);
    }
    return (answers, options = {}) => {
      if (!eligible(answers)) return notCounted('not_eligible', 'respondent');
      const facts = deriveKnowledgeFacts(questions, answers, {
        missing,
        answerCodes: def.answerCodes,
        minAnsweredShare: def.minAnsweredShare,
        ...(options.isVisible ? { isVisible: options.isVisible } : {}),
      });
      if (!facts.valid) return { ...notCounted(facts.excludedReason ?? 'no_scored_items', 'respondent'), knowledge: facts };
      const ruleExclusion = awarenessRuleExclusion(facts, rule);
      if (ruleExclusion) return { ...notCounted(ruleExclusion, 'respondent'), knowledge: facts };
      return { counted: true, numeratorValue: isAware(facts, rule) ? 1 : 0, denominatorValue: 1, unit: 'respondent', knowledge: facts };
    };
  }

  const questions: RatingQuestion[] = ratingQuestions(formDefinition, def.answerCodes);
  const rule = def.rule;
  const unit: IndicatorEvaluation['unit'] = rule.type === 'mean_score' ? 'score' : 'respondent';
  const dims: readonly string[] | undefined =
    rule.type === 'weighted_index' ? Object.keys(rule.weights) : 'dimensions' in rule ? rule.dimensions : undefined;
  return (answers, options = {}) => {
    if (!eligible(answers)) return notCounted('not_eligible', unit);
    const facts = deriveSatisfactionFacts(questions, answers, {
      missing,
      answerCodes: def.answerCodes,
      ...(options.isVisible ? { isVisible: options.isVisible } : {}),
    });
    if (facts.itemsTotal === 0 || facts.answeredShare + 1e-12 < def.minAnsweredShare) {
      return { ...notCounted('too_few_answered', unit), satisfaction: facts };
    }
    // mean_score never invents a rating for a missing answer, so only real ratings count there.
    const counting =
      rule.type === 'mean_score'
        ? facts.ratings.filter((r) => r.rating !== null && (!dims || dims.includes(r.dimension))).length
        : validRatingCount(facts, dims);
    if (counting < def.minValidRatings) return { ...notCounted('no_valid_rating', unit), satisfaction: facts };
    let value: number | null;
    switch (rule.type) {
      case 'top_box': {
        const c = topBoxCounts(facts, rule.cut, dims);
        value = c.valid > 0 ? c.satisfied / c.valid : null;
        break;
      }
      case 'all_dimensions': {
        const s = allDimensionsSatisfied(facts, rule.cut, dims);
        value = s === null ? null : s ? 1 : 0;
        break;
      }
      case 'weighted_index':
        value = weightedIndex(facts, rule.weights, rule.cut);
        break;
      case 'mean_score': {
        const m = meanRating(facts, dims);
        value = m === null ? null : transformMean(m, rule.transform);
        break;
      }
      default:
        throw new IndicatorConfigError(def.id, [`rule ${rule.type} is not a satisfaction rule`]);
    }
    if (value === null) return { ...notCounted('no_valid_rating', unit), satisfaction: facts };
    return { counted: true, numeratorValue: value, denominatorValue: 1, unit, satisfaction: facts };
  };
}

const compiledCache = new WeakMap<IndicatorDefinition, WeakMap<Record<string, unknown>, CompiledIndicator>>();

/**
 * Evaluate one submission. Compiles (and caches, per definition and form object) on first use.
 * Throws IndicatorConfigError when the indicator does not fit the form.
 */
export function evaluateIndicator(
  def: IndicatorDefinition,
  formDefinition: Record<string, unknown>,
  answers: Answers,
  options?: EvaluateOptions,
): IndicatorEvaluation {
  let byForm = compiledCache.get(def);
  if (!byForm) {
    byForm = new WeakMap();
    compiledCache.set(def, byForm);
  }
  let compiled = byForm.get(formDefinition);
  if (!compiled) {
    compiled = compileIndicator(def, formDefinition);
    byForm.set(formDefinition, compiled);
  }
  return compiled(answers, options);
}
