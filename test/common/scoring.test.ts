import fc from 'fast-check';
import { loadTemplate } from '../../form-definitions';
import {
  AWARENESS_INDICATOR,
  IndicatorConfigError,
  IndicatorDefinitionSchema,
  SATISFACTION_INDICATOR,
  classifyAnswer,
  compileIndicator,
  deriveKnowledgeFacts,
  deriveSatisfactionFacts,
  effectiveMissingPolicy,
  evaluateIndicator,
  isAware,
  listQuestions,
  ratingQuestions,
  sameAnswer,
  scoredQuestions,
  transformMean,
  type Answers,
  type AwarenessRule,
  type IndicatorDefinition,
  type IndicatorDefinitionInput,
  type KnowledgeOptions,
} from '../../common/scoring';

// ---------------------------------------------------------------------------------------------
// Test forms of our own (the templates in form-definitions/ are written elsewhere).

const choices = (...values: (string | number)[]) => values.map((value) => ({ value, text: { 'zh-cn': String(value) } }));

/** Five scored items: q1–q3 and q5 single-answer (1 point), q4 multi-select (2 points): max 6. */
const QUIZ: Record<string, unknown> = {
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'html', name: 'intro', html: '<p>说明</p>' },
        { type: 'radiogroup', name: 'age_band', choices: choices('18-34', '35-49', '50+') },
        { type: 'radiogroup', name: 'q1', choices: choices('a', 'b', 'c', 'dont_know'), correctAnswer: 'a' },
        { type: 'boolean', name: 'q2', correctAnswer: true },
        { type: 'radiogroup', name: 'q3', choices: choices('a', 'b', 'c', 'na'), correctAnswer: 'b' },
      ],
    },
    {
      name: 'p2',
      elements: [
        {
          type: 'panel',
          name: 'panel1',
          elements: [{ type: 'checkbox', name: 'q4', choices: choices('x', 'y', 'z', 'w', 'dont_know'), correctAnswer: ['x', 'y', 'z'] }],
        },
        { type: 'radiogroup', name: 'q5', choices: choices('a', 'b', 'c', 'dont_know'), correctAnswer: 'c' },
        { type: 'radiogroup', name: 'practice', choices: choices('a', 'b'), correctAnswer: 'a', scored: false },
      ],
    },
  ],
};
const ITEMS = ['q1', 'q2', 'q3', 'q4', 'q5'];
const ALL_RIGHT: Answers = { q1: 'a', q2: true, q3: 'b', q4: ['x', 'y', 'z'], q5: 'c' };
const with_ = (patch: Answers): Answers => ({ ...ALL_RIGHT, ...patch });

const facts = (answers: Answers, options?: KnowledgeOptions) => deriveKnowledgeFacts(scoredQuestions(QUIZ), answers, options);
const THRESHOLD: AwarenessRule = { type: 'score_threshold', theta: 0.8, partialCredit: false };

function knowledgeDef(rule: IndicatorDefinitionInput['rule'], extra: Partial<IndicatorDefinitionInput> = {}): IndicatorDefinition {
  return IndicatorDefinitionSchema.parse({
    id: 'test-knowledge',
    name: { zh: '测试知晓率', en: 'Test awareness' },
    formSlugs: ['test-quiz'],
    kind: 'knowledge',
    rule,
    ...extra,
  });
}

/** Σ numerator / Σ denominator over respondents, as a rollup does. */
function rate(def: IndicatorDefinition, form: Record<string, unknown>, respondents: Answers[]) {
  let num = 0;
  let den = 0;
  let excluded = 0;
  for (const a of respondents) {
    const e = evaluateIndicator(def, form, a);
    num += e.numeratorValue;
    den += e.denominatorValue;
    if (!e.counted) excluded += 1;
  }
  return { num, den, excluded, value: den > 0 ? num / den : null };
}

// ---------------------------------------------------------------------------------------------

describe('reading the form', () => {
  test('questions across pages and panels; only scored ones are scored', () => {
    expect(listQuestions(QUIZ).map((q) => q.name)).toEqual(['age_band', 'q1', 'q2', 'q3', 'q4', 'q5', 'practice']);
    const scored = scoredQuestions(QUIZ);
    expect(scored.map((q) => [q.name, q.points, q.multi])).toEqual([
      ['q1', 1, false],
      ['q2', 1, false],
      ['q3', 1, false],
      ['q4', 2, true],
      ['q5', 1, false],
    ]);
  });

  test('a custom points property overrides the default', () => {
    const form = { elements: [{ type: 'radiogroup', name: 'k', choices: choices('a', 'b'), correctAnswer: 'a', points: 3 }] };
    expect(scoredQuestions(form)[0]?.points).toBe(3);
  });

  test('answer conventions', () => {
    expect(classifyAnswer(undefined)).toBe('skipped');
    expect(classifyAnswer('  ')).toBe('skipped');
    expect(classifyAnswer([])).toBe('skipped');
    expect(classifyAnswer('dont_know')).toBe('dont_know');
    expect(classifyAnswer('dontknow')).toBe('dont_know'); // the knowledge-quiz template's spelling
    expect(classifyAnswer(['x', 'dont_know'])).toBe('dont_know');
    expect(classifyAnswer('na')).toBe('not_applicable');
    expect(classifyAnswer('不知道', { dontKnow: ['不知道'], notApplicable: ['不适用'] })).toBe('dont_know');
    expect(classifyAnswer(false)).toBe('answered');
    expect(classifyAnswer(0)).toBe('answered');
    expect(sameAnswer(2, '2')).toBe(true);
    expect(sameAnswer(['z', 'x'], ['x', 'z'])).toBe(true);
    expect(sameAnswer(['z', 'x'], ['x', 'z'], true)).toBe(false);
    expect(sameAnswer(['x'], 'x')).toBe(false);
  });
});

describe('knowledge facts', () => {
  test('all correct', () => {
    const f = facts(ALL_RIGHT);
    expect(f).toMatchObject({ score: 6, maxScore: 6, itemsCorrect: 5, itemsAnswered: 5, itemsTotal: 5, valid: true });
    expect(f.items.every((i) => i.status === 'correct')).toBe(true);
  });

  test('per-item statuses', () => {
    const f = facts({ q1: 'dont_know', q2: false, q3: 'na', q5: 'c' });
    expect(Object.fromEntries(f.items.map((i) => [i.name, i.status]))).toEqual({
      q1: 'dont_know',
      q2: 'incorrect',
      q3: 'not_applicable',
      q4: 'skipped',
      q5: 'correct',
    });
    expect(f.counts).toEqual({ correct: 1, incorrect: 1, dont_know: 1, skipped: 1, not_applicable: 1 });
  });

  test('numeric choices: "2" answers a correctAnswer of 2', () => {
    const form = { elements: [{ type: 'radiogroup', name: 'n', choices: choices(1, 2, 3), correctAnswer: 2 }] };
    expect(deriveKnowledgeFacts(scoredQuestions(form), { n: '2' }).items[0]?.status).toBe('correct');
  });

  test('multi-select: all-or-nothing by default, partial credit as a switch', () => {
    const subset = facts(with_({ q4: ['x', 'y'] }));
    expect(subset.items.find((i) => i.name === 'q4')).toMatchObject({ status: 'incorrect', earned: 0 });
    expect(subset.score).toBe(4);
    expect(subset.scorePartial).toBeCloseTo(4 + (2 * 2) / 3, 12);
    expect(isAware(subset, THRESHOLD)).toBe(false); // 4 < 4.8
    expect(isAware(subset, { ...THRESHOLD, partialCredit: true })).toBe(true); // 5.33 ≥ 4.8
    // a wrong option ticked earns nothing even with partial credit
    const wrongTick = facts(with_({ q4: ['x', 'y', 'w'] }));
    expect(wrongTick.scorePartial).toBe(4);
    // order does not matter
    expect(facts(with_({ q4: ['z', 'y', 'x'] })).score).toBe(6);
  });

  test("don't know: incorrect by default, excluded by switch", () => {
    const answers = with_({ q1: 'dont_know', q2: undefined });
    const byDefault = facts({ ...answers, q2: 'dont_know' });
    expect(byDefault).toMatchObject({ score: 4, maxScore: 6 });
    expect(isAware(byDefault, THRESHOLD)).toBe(false);
    const excluded = facts({ ...answers, q2: 'dont_know' }, { missing: { dontKnow: 'excluded' } });
    expect(excluded).toMatchObject({ score: 4, maxScore: 4, itemsIncluded: 3 });
    expect(isAware(excluded, THRESHOLD)).toBe(true);
  });

  test('skipped: incorrect by default, excluded by switch', () => {
    const answers = with_({ q5: undefined });
    expect(facts(answers)).toMatchObject({ score: 5, maxScore: 6, itemsAnswered: 4 });
    expect(facts(answers, { missing: { skipped: 'excluded' } })).toMatchObject({ score: 5, maxScore: 5 });
  });

  test('not applicable: excluded by default (score exactly at the threshold), incorrect by switch', () => {
    const answers = with_({ q3: 'na', q4: ['x'] }); // 4 of the 5 applicable points
    const f = facts(answers);
    expect(f).toMatchObject({ score: 3, maxScore: 5 });
    const g = facts(with_({ q3: 'na', q5: 'a' })); // 4 of 5 points = 0.8 exactly
    expect(g).toMatchObject({ score: 4, maxScore: 5 });
    expect(isAware(g, THRESHOLD)).toBe(true);
    const h = facts(with_({ q3: 'na', q5: 'a' }), { missing: { notApplicable: 'incorrect' } });
    expect(h).toMatchObject({ score: 4, maxScore: 6 });
    expect(isAware(h, THRESHOLD)).toBe(false);
  });

  test('a questionnaire with too few answers is invalid (minimum share answered)', () => {
    const three = facts({ q1: 'a', q2: true, q3: 'b' }); // 3 of 5 = 0.6
    expect(three).toMatchObject({ valid: false, excludedReason: 'too_few_answered', answeredShare: 0.6 });
    const four = facts({ q1: 'a', q2: true, q3: 'b', q4: ['x', 'y', 'z'] }); // 0.8
    expect(four.valid).toBe(true);
    expect(facts({ q1: 'a' }, { minAnsweredShare: 0 }).valid).toBe(true);
    // don't know is an answer: "never heard of it" stays in the denominator
    const dk = facts({ q1: 'dont_know', q2: false, q3: 'dont_know', q4: ['dont_know'], q5: 'dont_know' });
    expect(dk).toMatchObject({ valid: true, score: 0, maxScore: 6 });
  });

  test('a hidden conditional question is not applicable and not part of the answered share', () => {
    const form = {
      elements: [
        { type: 'boolean', name: 'heard', correctAnswer: true },
        { type: 'radiogroup', name: 'detail', visibleIf: '{heard} = true', choices: choices('a', 'b'), correctAnswer: 'a' },
      ],
    };
    const qs = scoredQuestions(form);
    const f = deriveKnowledgeFacts(qs, { heard: false });
    expect(f.items[1]).toMatchObject({ status: 'not_applicable', hidden: true, included: false });
    expect(f).toMatchObject({ itemsTotal: 1, maxScore: 1, valid: true });
    // a caller that knows it was shown (survey-core) says so, and then it was skipped
    const g = deriveKnowledgeFacts(qs, { heard: true }, { isVisible: () => true, minAnsweredShare: 0 });
    expect(g.items[1]).toMatchObject({ status: 'skipped', included: true });
    expect(g.maxScore).toBe(2);
  });

  test('property: score ≤ partial score ≤ max score; items correct ≤ included', () => {
    const answer = fc.record({
      q1: fc.constantFrom('a', 'b', 'dont_know', undefined),
      q2: fc.constantFrom(true, false, undefined),
      q3: fc.constantFrom('a', 'b', 'na', undefined),
      q4: fc.subarray(['x', 'y', 'z', 'w', 'dont_know']),
      q5: fc.constantFrom('a', 'c', 'dont_know', undefined),
    });
    const policy = fc.record({
      dontKnow: fc.constantFrom('incorrect' as const, 'excluded' as const),
      skipped: fc.constantFrom('incorrect' as const, 'excluded' as const),
      notApplicable: fc.constantFrom('incorrect' as const, 'excluded' as const),
    });
    fc.assert(
      fc.property(answer, policy, (a, missing) => {
        const f = facts(a, { missing, minAnsweredShare: 0 });
        expect(f.score).toBeLessThanOrEqual(f.scorePartial + 1e-12);
        expect(f.scorePartial).toBeLessThanOrEqual(f.maxScore + 1e-12);
        expect(f.itemsCorrect).toBeLessThanOrEqual(f.itemsIncluded);
        if (isAware(f, THRESHOLD)) expect(isAware(f, { ...THRESHOLD, partialCredit: true })).toBe(true);
        if (isAware(f, { type: 'all_core', items: ITEMS })) expect(isAware(f, THRESHOLD)).toBe(f.maxScore > 0);
      }),
    );
  });
});

describe('metrics.md §2: the same respondents give different rates by rule', () => {
  const respondents: Answers[] = [
    ALL_RIGHT, // 6/6, 5 items correct
    with_({ q5: 'a' }), // 5/6, 4 correct
    with_({ q4: ['x', 'y'] }), // 4/6, 4 correct
    with_({ q1: 'b', q2: false }), // 4/6, 3 correct
    { q1: 'dont_know', q2: false, q3: 'b', q4: ['dont_know'], q5: 'dont_know' }, // 1/6, 1 correct
  ];

  test('threshold 40%, 4 of 5 core items 60%, all correct 20%, mean item rate 68%', () => {
    expect(rate(knowledgeDef({ type: 'score_threshold' }), QUIZ, respondents)).toMatchObject({ num: 2, den: 5 });
    expect(rate(knowledgeDef({ type: 'n_of_m', items: ITEMS, n: 4 }), QUIZ, respondents)).toMatchObject({ num: 3, den: 5 });
    expect(rate(knowledgeDef({ type: 'all_core', items: ITEMS }), QUIZ, respondents)).toMatchObject({ num: 1, den: 5 });
    // 平均知晓率 (reported beside, never instead): Σ items correct / Σ items included
    const all = respondents.map((a) => facts(a));
    const mean = all.reduce((s, f) => s + f.itemsCorrect, 0) / all.reduce((s, f) => s + f.itemsIncluded, 0);
    expect(mean).toBeCloseTo(17 / 25, 12);
    // 单题知晓率 for q4
    const q4 = all.filter((f) => f.items.find((i) => i.name === 'q4')?.status === 'correct').length;
    expect(q4).toBe(3);
  });

  test('a lower threshold or partial credit changes the rate again', () => {
    expect(rate(knowledgeDef({ type: 'score_threshold', theta: 0.6 }), QUIZ, respondents)).toMatchObject({ num: 4, den: 5 });
    expect(rate(knowledgeDef({ type: 'score_threshold', partialCredit: true }), QUIZ, respondents)).toMatchObject({ num: 3, den: 5 });
  });
});

describe('knowledge indicators', () => {
  test('the built-in awareness indicator', () => {
    expect(AWARENESS_INDICATOR).toMatchObject({
      id: 'awareness',
      kind: 'knowledge',
      formSlugs: ['knowledge-quiz'],
      rule: { type: 'score_threshold', theta: 0.8, partialCredit: false },
      minAnsweredShare: 0.8,
      displayDecimals: 1,
    });
    expect(AWARENESS_INDICATOR.name.zh).toBe('人口计生知识知晓率');
    expect(effectiveMissingPolicy(AWARENESS_INDICATOR)).toEqual({ dontKnow: 'incorrect', skipped: 'incorrect', notApplicable: 'excluded' });
    expect(evaluateIndicator(AWARENESS_INDICATOR, QUIZ, ALL_RIGHT)).toMatchObject({ counted: true, numeratorValue: 1, denominatorValue: 1, unit: 'respondent' });
    expect(evaluateIndicator(AWARENESS_INDICATOR, QUIZ, with_({ q4: [] , q5: 'b'}))).toMatchObject({ counted: true, numeratorValue: 0 });
  });

  test('excluded submissions say why and contribute nothing', () => {
    expect(evaluateIndicator(AWARENESS_INDICATOR, QUIZ, { q1: 'a' })).toMatchObject({
      counted: false,
      numeratorValue: 0,
      denominatorValue: 0,
      excludedReason: 'too_few_answered',
    });
    const eligible = knowledgeDef({ type: 'score_threshold' }, { eligibility: [{ question: 'age_band', values: ['18-34', '35-49'] }] });
    expect(evaluateIndicator(eligible, QUIZ, { ...ALL_RIGHT, age_band: '50+' })).toMatchObject({ counted: false, excludedReason: 'not_eligible' });
    expect(evaluateIndicator(eligible, QUIZ, { ...ALL_RIGHT, age_band: '18-34' })).toMatchObject({ counted: true, numeratorValue: 1 });
    // n_of_m cannot judge a respondent with fewer applicable core items than n
    const nOfM = knowledgeDef({ type: 'n_of_m', items: ['q1', 'q3'], n: 2 });
    expect(evaluateIndicator(nOfM, QUIZ, with_({ q3: 'na' }))).toMatchObject({ counted: false, excludedReason: 'too_few_applicable_items' });
  });

  test('an indicator that does not fit the form is refused, not silently zero', () => {
    const def = knowledgeDef({ type: 'all_core', items: ['q1', 'q9'] });
    expect(() => compileIndicator(def, QUIZ)).toThrow(IndicatorConfigError);
    expect(() => evaluateIndicator(AWARENESS_INDICATOR, { elements: [{ type: 'text', name: 'x' }] }, {})).toThrow(/no scored question/);
  });

  test('schema rejects nonsense', () => {
    const base = { id: 'x1', name: { zh: '指标' }, formSlugs: ['quiz'] };
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'knowledge', rule: { type: 'top_box' } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'knowledge', rule: { type: 'n_of_m', items: ['a', 'b'], n: 3 } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'knowledge', rule: { type: 'all_core', items: ['a', 'a'] } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'knowledge', rule: { type: 'score_threshold', theta: 80 } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'satisfaction', rule: { type: 'mean_score' } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'satisfaction', rule: { type: 'weighted_index', weights: {} } }).success).toBe(false);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'satisfaction', rule: { type: 'mean_score', transform: 'times_20' } }).success).toBe(true);
    expect(IndicatorDefinitionSchema.safeParse({ ...base, kind: 'knowledge', rule: { type: 'score_threshold' }, extra: 1 }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const scale = choices(5, 4, 3, 2, 1, 'na');
const SURVEY: Record<string, unknown> = {
  elements: [
    { type: 'radiogroup', name: 'used_service', choices: choices('yes', 'no') },
    { type: 'radiogroup', name: 's_attitude', dimension: 'attitude', choices: scale },
    { type: 'radiogroup', name: 's_wait', dimension: 'waiting', choices: scale },
    { type: 'radiogroup', name: 's_info', dimension: 'information', choices: [...scale, { value: 'dont_know', text: '说不清' }] },
  ],
};
const r = (attitude: unknown, wait: unknown, info: unknown, used: string = 'yes'): Answers => ({
  used_service: used,
  s_attitude: attitude,
  s_wait: wait,
  s_info: info,
});
// A: 5,4,3  B: 3,3,3  C: 4,na,2  D: all na  E: 1,2,5  F: 5,5,na
const SURVEYED: Answers[] = [r(5, 4, 3), r(3, 3, 3), r(4, 'na', 2), r('na', 'na', 'na'), r(1, 2, 5), r(5, 5, 'na')];

function satisfactionDef(rule: IndicatorDefinitionInput['rule'], extra: Partial<IndicatorDefinitionInput> = {}): IndicatorDefinition {
  return IndicatorDefinitionSchema.parse({
    id: 'test-satisfaction',
    name: { zh: '测试满意率' },
    formSlugs: ['test-survey'],
    kind: 'satisfaction',
    rule,
    ...extra,
  });
}

/** Top-2 box over every dimension of the test survey (the built-in headline uses only `overall`). */
const TOP_BOX_ALL = satisfactionDef({ type: 'top_box', cut: 4 });

describe('satisfaction facts', () => {
  test('rating questions by dimension, or by their 1–5 choices when no dimension is tagged', () => {
    expect(ratingQuestions(SURVEY).map((q) => [q.name, q.dimension])).toEqual([
      ['s_attitude', 'attitude'],
      ['s_wait', 'waiting'],
      ['s_info', 'information'],
    ]);
    const untagged = {
      elements: [
        { type: 'radiogroup', name: 'sex', choices: choices('m', 'f') },
        { type: 'radiogroup', name: 'overall', choices: choices('1', '2', '3', '4', '5', 'na') },
      ],
    };
    expect(ratingQuestions(untagged).map((q) => q.name)).toEqual(['overall']);
  });

  test('ratings, not applicable, invalid values', () => {
    const f = deriveSatisfactionFacts(ratingQuestions(SURVEY), { s_attitude: '4', s_wait: 'na', s_info: 7 });
    expect(f.ratings.map((x) => [x.status, x.rating])).toEqual([
      ['rated', 4],
      ['not_applicable', null],
      ['invalid', null],
    ]);
  });
});

describe('satisfaction indicators: top box vs cut 3 vs mean transforms differ as documented', () => {
  test('the built-in satisfaction indicator', () => {
    // the headline is the overall question: one whole respondent per outcome (see the constant's comment)
    expect(SATISFACTION_INDICATOR).toMatchObject({ id: 'satisfaction', kind: 'satisfaction', formSlugs: ['satisfaction-survey'], rule: { type: 'top_box', cut: 4, dimensions: ['overall'] } });
    expect(SATISFACTION_INDICATOR.name.zh).toBe('群众满意率');
    expect(effectiveMissingPolicy(SATISFACTION_INDICATOR)).toEqual({ dontKnow: 'excluded', skipped: 'excluded', notApplicable: 'excluded' });
  });

  test('top box (cut 4) 50%, cut 3 76.7%; all-not-applicable respondent excluded', () => {
    const top = rate(TOP_BOX_ALL, SURVEY, SURVEYED);
    expect(top.den).toBe(5);
    expect(top.excluded).toBe(1);
    expect(top.num).toBeCloseTo(2 / 3 + 0 + 1 / 2 + 1 / 3 + 1, 12);
    expect(top.value).toBeCloseTo(0.5, 12);
    const cut3 = rate(satisfactionDef({ type: 'top_box', cut: 3 }), SURVEY, SURVEYED);
    expect(cut3.value).toBeCloseTo((1 + 1 + 1 / 2 + 1 / 3 + 1) / 5, 12);
    expect(evaluateIndicator(TOP_BOX_ALL, SURVEY, r('na', 'na', 'na'))).toMatchObject({ counted: false, excludedReason: 'no_valid_rating' });
  });

  test('mean score: (mean − 1)/4 × 100 gives 63.3, mean × 20 gives 70.7 on the same answers', () => {
    const scaled = rate(satisfactionDef({ type: 'mean_score', transform: 'scaled_0_100' }), SURVEY, SURVEYED);
    const times20 = rate(satisfactionDef({ type: 'mean_score', transform: 'times_20' }), SURVEY, SURVEYED);
    const raw = rate(satisfactionDef({ type: 'mean_score', transform: 'raw' }), SURVEY, SURVEYED);
    // respondent means: 4, 3, 3, 8/3, 5
    expect(raw.value).toBeCloseTo((4 + 3 + 3 + 8 / 3 + 5) / 5, 12);
    expect(scaled.value).toBeCloseTo((75 + 50 + 50 + 125 / 3 + 100) / 5, 10);
    expect(times20.value).toBeCloseTo((80 + 60 + 60 + 160 / 3 + 100) / 5, 10);
    expect((times20.value ?? 0) - (scaled.value ?? 0)).toBeGreaterThan(7);
    expect(evaluateIndicator(satisfactionDef({ type: 'mean_score', transform: 'raw' }), SURVEY, SURVEYED[0]!).unit).toBe('score');
  });

  test('transforms', () => {
    expect(transformMean(1, 'scaled_0_100')).toBe(0);
    expect(transformMean(5, 'scaled_0_100')).toBe(100);
    expect(transformMean(1, 'times_20')).toBe(20);
    expect(transformMean(3, 'times_20')).toBe(60);
    expect(transformMean(3, 'scaled_0_100')).toBe(50);
  });

  test('satisfied on every dimension 20%; weighted index 53.3%', () => {
    expect(rate(satisfactionDef({ type: 'all_dimensions' }), SURVEY, SURVEYED).value).toBeCloseTo(1 / 5, 12);
    const idx = rate(satisfactionDef({ type: 'weighted_index', weights: { attitude: 2, waiting: 1, information: 1 } }), SURVEY, SURVEYED);
    // A 3/4, B 0, C 2/3, E 1/4, F 1
    expect(idx.value).toBeCloseTo((3 / 4 + 0 + 2 / 3 + 1 / 4 + 1) / 5, 12);
  });

  test("a don't-know counted against makes its dimension unsatisfied", () => {
    const answers = r(5, 5, 'dont_know');
    expect(evaluateIndicator(satisfactionDef({ type: 'all_dimensions' }), SURVEY, answers).numeratorValue).toBe(1);
    expect(evaluateIndicator(satisfactionDef({ type: 'all_dimensions' }, { missing: { dontKnow: 'incorrect' } }), SURVEY, answers).numeratorValue).toBe(0);
    const weights = { attitude: 2, waiting: 1, information: 1 };
    expect(evaluateIndicator(satisfactionDef({ type: 'weighted_index', weights }), SURVEY, answers).numeratorValue).toBe(1);
    expect(
      evaluateIndicator(satisfactionDef({ type: 'weighted_index', weights }, { missing: { dontKnow: 'incorrect' } }), SURVEY, answers).numeratorValue,
    ).toBeCloseTo(3 / 4, 12);
    // mean score never turns a missing answer into a rating
    expect(
      evaluateIndicator(satisfactionDef({ type: 'mean_score', transform: 'raw' }, { missing: { dontKnow: 'incorrect' } }), SURVEY, answers).numeratorValue,
    ).toBe(5);
  });

  test('restricting to dimensions', () => {
    const attitude = rate(satisfactionDef({ type: 'top_box', dimensions: ['attitude'] }), SURVEY, SURVEYED);
    expect(attitude).toMatchObject({ num: 3, den: 5, excluded: 1 }); // A, C, F of A, B, C, E, F
    expect(() => compileIndicator(satisfactionDef({ type: 'top_box', dimensions: ['price'] }), SURVEY)).toThrow(IndicatorConfigError);
  });

  test('eligibility filter removes "did not use the service" from the denominator', () => {
    const used = satisfactionDef({ type: 'top_box' }, { eligibility: [{ question: 'used_service', values: ['yes'] }] });
    expect(evaluateIndicator(used, SURVEY, r(5, 5, 5, 'no'))).toMatchObject({ counted: false, excludedReason: 'not_eligible' });
    expect(evaluateIndicator(used, SURVEY, r(5, 5, 5, 'yes'))).toMatchObject({ counted: true, numeratorValue: 1 });
    expect(evaluateIndicator(used, SURVEY, { s_attitude: 5 })).toMatchObject({ counted: false, excludedReason: 'not_eligible' });
  });

  test("don't know and skipped: excluded by default, counted against by switch", () => {
    const answers = r(5, 4, 'dont_know');
    expect(evaluateIndicator(TOP_BOX_ALL, SURVEY, answers).numeratorValue).toBe(1);
    const strict = satisfactionDef({ type: 'top_box' }, { missing: { dontKnow: 'incorrect' } });
    expect(evaluateIndicator(strict, SURVEY, answers).numeratorValue).toBeCloseTo(2 / 3, 12);
    // all don't know: excluded by default, counted (as not satisfied) under the switch
    expect(evaluateIndicator(TOP_BOX_ALL, SURVEY, r('dont_know', 'dont_know', 'dont_know')).counted).toBe(false);
    // skipped: the answered share applies first
    const skippedTwo = r(5, undefined, undefined);
    expect(evaluateIndicator(TOP_BOX_ALL, SURVEY, skippedTwo)).toMatchObject({ counted: false, excludedReason: 'too_few_answered' });
    const lenient = satisfactionDef({ type: 'top_box' }, { minAnsweredShare: 0 });
    expect(evaluateIndicator(lenient, SURVEY, skippedTwo)).toMatchObject({ counted: true, numeratorValue: 1 });
    const skipAgainst = satisfactionDef({ type: 'top_box' }, { minAnsweredShare: 0, missing: { skipped: 'incorrect' } });
    expect(evaluateIndicator(skipAgainst, SURVEY, skippedTwo).numeratorValue).toBeCloseTo(1 / 3, 12);
  });

  test('property: every counted respondent contributes a numerator within [0, denominator]', () => {
    const value = fc.constantFrom<unknown>(1, 2, 3, 4, 5, '4', 'na', 'dont_know', undefined, 9);
    const defs = [
      TOP_BOX_ALL,
      satisfactionDef({ type: 'top_box', cut: 3 }),
      satisfactionDef({ type: 'all_dimensions' }),
      satisfactionDef({ type: 'weighted_index', weights: { attitude: 3, information: 1 } }),
    ];
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        for (const def of defs) {
          const e = evaluateIndicator(def, SURVEY, r(a, b, c));
          if (!e.counted) {
            expect(e.excludedReason).toBeDefined();
            expect(e.denominatorValue).toBe(0);
          } else {
            expect(e.denominatorValue).toBe(1);
            expect(e.numeratorValue).toBeGreaterThanOrEqual(0);
            expect(e.numeratorValue).toBeLessThanOrEqual(1);
          }
        }
        // a lower cut never lowers the rate
        const four = evaluateIndicator(TOP_BOX_ALL, SURVEY, r(a, b, c));
        const three = evaluateIndicator(defs[1]!, SURVEY, r(a, b, c));
        expect(three.numeratorValue).toBeGreaterThanOrEqual(four.numeratorValue);
      }),
    );
  });
});

describe('built-in 群众满意率 on the real template', () => {
  const template = loadTemplate('satisfaction-survey');
  const base = { age_band: '25-34', sex: 'female', s01_attitude: 1, s02_efficiency: 1, s03_publicity: 2, s04_technical: 1, s05_convenience: 2 };

  test('counts whole respondents by the overall question, so x/n stay integers for the binomial intervals', () => {
    if (!template) throw new Error('template missing');
    const def = template.definition;
    expect(evaluateIndicator(SATISFACTION_INDICATOR, def, { ...base, s06_overall: 4 })).toMatchObject({ counted: true, numeratorValue: 1, denominatorValue: 1 });
    expect(evaluateIndicator(SATISFACTION_INDICATOR, def, { ...base, s06_overall: 3 })).toMatchObject({ counted: true, numeratorValue: 0, denominatorValue: 1 });
    expect(evaluateIndicator(SATISFACTION_INDICATOR, def, { ...base, s06_overall: 'na' })).toMatchObject({ counted: false, excludedReason: 'no_valid_rating' });
  });
});
