import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnswerProblemSchema } from '../../common/api/submissions';
import { createValidatorCache, type AnswerProblem, type AnswerValidator } from '../../common/forms/answer-validator';
import { analyzeDefinition, compileAnswerValidator } from '../../common/forms/compiled-validator';
import { createReferenceValidator } from '../../common/forms/reference-validator';
import { CHOICES_DEFINITION, MIXED_DEFINITION, NESTED_DEFINITION, ROSTER_DEFINITION } from './answer-validator.defs';

type Def = Record<string, unknown>;
type El = Record<string, unknown>;

function pairs(problems: AnswerProblem[]): string[] {
  return [...new Set(problems.map((p) => `${p.question ?? ''}|${p.code}`))].sort();
}

function withMessages(problems: AnswerProblem[]): string[] {
  return [...new Set(problems.map((p) => `${p.question ?? ''}|${p.code}|${p.message}`))].sort();
}

/** Templates committed under form-definitions/ (their `definition`), when present. */
function templateDefinitions(): Array<[string, Def]> {
  const dir = path.join(__dirname, '..', '..', 'form-definitions');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f): [string, Def] => {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Def;
    const def = (raw['definition'] && typeof raw['definition'] === 'object' ? raw['definition'] : raw) as Def;
    return [f, def];
  });
}

// ---------------------------------------------------------------------------------------------
// Random answers driven by the definition: valid, near-valid and junk values.

function questionsOf(elements: unknown): El[] {
  const out: El[] = [];
  for (const e of Array.isArray(elements) ? (elements as El[]) : []) {
    if (e['type'] === 'panel') out.push(...questionsOf(e['elements']));
    else out.push(e);
  }
  return out;
}

function surveyQuestions(def: Def): El[] {
  const out: El[] = [];
  for (const p of Array.isArray(def['pages']) ? (def['pages'] as El[]) : []) out.push(...questionsOf(p['elements']));
  out.push(...questionsOf(def['elements']));
  return out;
}

function itemValue(c: unknown): unknown {
  if (typeof c === 'string') return c.split('|')[0];
  if (c && typeof c === 'object') return (c as El)['value'];
  return c;
}

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant('abc'),
  fc.constant('12'),
  fc.constant(''),
  fc.constant('   '),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant([]),
  fc.array(fc.constantFrom('a', 'zzz', 1), { maxLength: 3 }),
  fc.constant({}),
  fc.dictionary(fc.constantFrom('doctor', 'x', 'name'), fc.constantFrom(1, 'a', null)),
  fc.constant(null),
  fc.string({ minLength: 30, maxLength: 60 }),
  fc.constant('2026-02-30'),
);

function choiceValues(q: El): unknown[] {
  const values = (Array.isArray(q['choices']) ? (q['choices'] as unknown[]) : []).map(itemValue);
  if (q['showOtherItem']) values.push('other');
  if (q['showNoneItem']) values.push('none');
  if (q['showRefuseItem']) values.push('refused');
  if (q['showDontKnowItem']) values.push('dontknow');
  values.push('not-a-choice');
  return values;
}

function validValue(q: El): fc.Arbitrary<unknown> {
  const type = q['type'];
  switch (type) {
    case 'radiogroup':
    case 'dropdown':
      return fc.constantFrom(...choiceValues(q));
    case 'checkbox':
    case 'tagbox':
      return fc.subarray(choiceValues(q));
    case 'imagepicker':
      return q['multiSelect'] ? fc.subarray(choiceValues(q)) : fc.constantFrom(...choiceValues(q));
    case 'boolean':
      return 'valueTrue' in q ? fc.constantFrom(q['valueTrue'], q['valueFalse'], true) : fc.boolean();
    case 'rating': {
      if (Array.isArray(q['rateValues'])) return fc.constantFrom(...(q['rateValues'] as unknown[]).map(itemValue), 'meh');
      const min = typeof q['rateMin'] === 'number' ? q['rateMin'] : 1;
      const max = typeof q['rateMax'] === 'number' ? q['rateMax'] : 5;
      return fc.integer({ min: min - 1, max: max + 1 });
    }
    case 'text': {
      const inputType = q['inputType'];
      if (inputType === 'number') {
        const min = typeof q['min'] === 'number' ? q['min'] : 0;
        const max = typeof q['max'] === 'number' ? q['max'] : 100;
        return fc.oneof(fc.integer({ min: min - 3, max: max + 3 }), fc.constantFrom(min + 0.5, String(min)));
      }
      if (inputType === 'date') return fc.oneof(fc.constantFrom('2026-01-31', '2024-02-29', '2025-02-29', '31/01/2026'));
      if (inputType === 'email') return fc.constantFrom('a@b.cn', 'zhang.san@example.com', 'not-an-email', '');
      return fc.oneof(
        fc.stringMatching(/^1\d{10}$/),
        fc.string({ unit: fc.constantFrom('a', 'b', '1', '中', 'X', ' '), maxLength: 14 }),
        fc.stringMatching(/^\d{17}[\dX]$/),
      );
    }
    case 'comment':
      return fc.string({ unit: fc.constantFrom('好', 'a', ' '), maxLength: 24 });
    case 'matrix': {
      const rows = (q['rows'] as unknown[]).map((r) => String(itemValue(r)));
      const cols = (q['columns'] as unknown[]).map(itemValue);
      return fc.record(Object.fromEntries(rows.map((r) => [r, fc.constantFrom(...cols, 9)])), { requiredKeys: [] });
    }
    case 'paneldynamic': {
      const inner = questionsOf(q['templateElements']);
      const max = typeof q['maxPanelCount'] === 'number' ? q['maxPanelCount'] : 3;
      return fc.array(answersFor(inner, 0.15), { maxLength: Math.min(max + 1, 4) });
    }
    default:
      return junk;
  }
}

/** Values meant to be valid on their own (conditions and expression validators aside). */
function strictValue(q: El): fc.Arbitrary<unknown> {
  const type = q['type'];
  const validators = Array.isArray(q['validators']) ? (q['validators'] as El[]) : [];
  const special = new Set(['other', 'none', 'refused', 'dontknow', 'not-a-choice']);
  const plainChoices = () => choiceValues(q).filter((v) => !special.has(String(v)));
  switch (type) {
    case 'radiogroup':
    case 'dropdown':
      return fc.constantFrom(...plainChoices());
    case 'checkbox':
    case 'tagbox': {
      const choices = plainChoices();
      const min = typeof q['minSelectedChoices'] === 'number' ? q['minSelectedChoices'] : 0;
      const max = typeof q['maxSelectedChoices'] === 'number' ? q['maxSelectedChoices'] : choices.length;
      return fc.subarray(choices, { minLength: Math.max(min, 1), maxLength: Math.min(max, 2) });
    }
    case 'imagepicker':
      return q['multiSelect'] ? fc.subarray(plainChoices(), { minLength: 1 }) : fc.constantFrom(...plainChoices());
    case 'boolean':
      return 'valueTrue' in q ? fc.constantFrom(q['valueTrue'], q['valueFalse']) : fc.boolean();
    case 'rating': {
      if (Array.isArray(q['rateValues'])) return fc.constantFrom(...(q['rateValues'] as unknown[]).map(itemValue));
      return fc.integer({ min: typeof q['rateMin'] === 'number' ? q['rateMin'] : 1, max: typeof q['rateMax'] === 'number' ? q['rateMax'] : 5 });
    }
    case 'text': {
      const inputType = q['inputType'];
      if (inputType === 'number') {
        const numeric = validators.find((v) => v['type'] === 'numeric');
        const min = Math.max(typeof q['min'] === 'number' ? q['min'] : 0, typeof numeric?.['minValue'] === 'number' ? numeric['minValue'] : -Infinity);
        const max = Math.min(typeof q['max'] === 'number' ? q['max'] : 20, typeof numeric?.['maxValue'] === 'number' ? numeric['maxValue'] : Infinity);
        return fc.integer({ min, max });
      }
      if (inputType === 'date') return fc.constantFrom('1985-03-01', '2001-12-31', '2020-05-01');
      if (inputType === 'email') return fc.constant('zhang.san@example.com');
      const regex = validators.find((v) => v['type'] === 'regex');
      if (regex && typeof regex['regex'] === 'string') return fc.stringMatching(new RegExp(regex['regex']));
      const maxLength = typeof q['maxLength'] === 'number' ? Math.min(q['maxLength'], 8) : 8;
      return fc.string({ unit: fc.constantFrom('a', 'b', '中', '村'), minLength: 2, maxLength });
    }
    case 'comment':
      return fc.string({ unit: fc.constantFrom('好', '问'), minLength: 1, maxLength: 10 });
    case 'matrix': {
      const rows = (q['rows'] as unknown[]).map((r) => String(itemValue(r)));
      const cols = (q['columns'] as unknown[]).map(itemValue);
      return fc.record(Object.fromEntries(rows.map((r) => [r, fc.constantFrom(...cols)])));
    }
    case 'paneldynamic': {
      const inner = questionsOf(q['templateElements']);
      const min = typeof q['minPanelCount'] === 'number' ? q['minPanelCount'] : 0;
      const max = typeof q['maxPanelCount'] === 'number' ? q['maxPanelCount'] : 3;
      return fc.array(answersFor(inner, 0, true), { minLength: Math.max(min, 1), maxLength: Math.max(Math.min(max, 3), 1) });
    }
    default:
      return validValue(q);
  }
}

function answersFor(questions: El[], junkRate: number, strict = false): fc.Arbitrary<Record<string, unknown>> {
  const required: string[] = [];
  const entries = questions
    .filter((q) => q['type'] !== 'html')
    .map((q) => {
      const name = String(q['name']);
      if (strict && q['isRequired'] === true) required.push(name);
      const value = strict
        ? strictValue(q)
        : fc.oneof(
          { weight: Math.round((1 - junkRate) * 100), arbitrary: validValue(q) },
          { weight: Math.round(junkRate * 100), arbitrary: junk },
        );
      const items: Array<[string, fc.Arbitrary<unknown>]> = [[name, value]];
      if (!strict && (q['showOtherItem'] || q['showCommentArea'])) items.push([`${name}-Comment`, fc.constantFrom('详细说明', '', 5)]);
      return items;
    })
    .flat();
  const model = Object.fromEntries(entries);
  return fc
    .tuple(
      fc.record(model, { requiredKeys: required }),
      strict ? fc.constant(null) : fc.oneof({ weight: 1, arbitrary: fc.constantFrom('unknown_key', 'html-Comment', 'sex-Comment') }, { weight: 4, arbitrary: fc.constant(null) }),
    )
    // Submissions arrive as JSON: ordinary objects, no undefined.
    .map(([answers, extra]) => JSON.parse(JSON.stringify(extra ? { ...answers, [extra]: 'x' } : answers)) as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------

const OWN_DEFINITIONS: Array<[string, Def]> = [
  ['mixed', MIXED_DEFINITION],
  ['roster', ROSTER_DEFINITION],
  ['choices', CHOICES_DEFINITION],
  ['nested', NESTED_DEFINITION],
  ['mixed, hidden values kept', { ...MIXED_DEFINITION, clearInvisibleValues: 'none' }],
];

/** Deletes the answer at `members[1].age` / `age`; true when something was removed. */
function removeAnswer(answers: Record<string, unknown>, question: string): boolean {
  const m = /^([^.[]+)\[(\d+)\]\.(.+)$/.exec(question);
  if (m) {
    const list = answers[m[1] ?? ''];
    const item = Array.isArray(list) ? (list[Number(m[2])] as unknown) : undefined;
    if (item && typeof item === 'object' && removeAnswer(item as Record<string, unknown>, m[3] ?? '')) return true;
  }
  const key = question.split(/[.[]/)[0] ?? '';
  if (!(key in answers)) return false;
  delete answers[key];
  return true;
}

const EXPECTED_COVERAGE: Record<string, { codes: string[]; minValid: number }> = {
  mixed: { codes: ['REQUIRED', 'NOT_A_NUMBER', 'TOO_LONG', 'NOT_IN_CHOICES', 'WRONG_TYPE', 'UNKNOWN_QUESTION', 'HIDDEN_ANSWER', 'OUT_OF_RANGE', 'PATTERN', 'EXPRESSION', 'ANSWER_COUNT', 'INVALID_DATE', 'OTHER_EMPTY'], minValid: 1 },
  roster: { codes: ['REQUIRED', 'NOT_A_NUMBER', 'TOO_LONG', 'NOT_IN_CHOICES', 'WRONG_TYPE', 'HIDDEN_ANSWER', 'OUT_OF_RANGE', 'PATTERN', 'EXPRESSION', 'PANEL_COUNT'], minValid: 1 },
  choices: { codes: ['REQUIRED', 'NOT_IN_CHOICES', 'WRONG_TYPE', 'UNKNOWN_QUESTION', 'HIDDEN_ANSWER'], minValid: 1 },
  nested: { codes: ['REQUIRED', 'NOT_A_NUMBER', 'WRONG_TYPE', 'HIDDEN_ANSWER', 'PANEL_COUNT'], minValid: 1 },
};

describe('compiled validator agrees with the survey-core reference', () => {
  const all = [...OWN_DEFINITIONS, ...templateDefinitions()];
  for (const [name, def] of all) {
    test(`${name}: random answer sets`, () => {
      const compiled = compileAnswerValidator(def);
      expect(compiled.fallback).toBeNull();
      expect(compiled.engine).toBe('compiled');
      const reference = createReferenceValidator(def);
      const questions = surveyQuestions(def);
      const codesSeen = new Set<string>();
      let validSets = 0;
      try {
        fc.assert(
          fc.property(fc.oneof(answersFor(questions, 0, true), answersFor(questions, 0.05), answersFor(questions, 0.3)), (generated) => {
            // Each generated set, then the same set "repaired" (answers with problems removed) until
            // only missing answers remain: that reaches the valid / near-valid region.
            let answers = generated;
            for (let round = 0; round < 4; round++) {
              const ref = reference.validate(answers);
              const got = compiled.validate(answers);
              expect(got.length === 0).toBe(ref.length === 0);
              expect(pairs(got)).toEqual(pairs(ref));
              expect(withMessages(got)).toEqual(withMessages(ref));
              for (const p of ref) codesSeen.add(p.code);
              if (ref.length === 0) {
                validSets++;
                break;
              }
              const next = JSON.parse(JSON.stringify(answers)) as Record<string, unknown>;
              let removed = 0;
              for (const p of ref) if (p.code !== 'REQUIRED' && removeAnswer(next, p.question ?? '')) removed++;
              if (removed === 0) break;
              answers = next;
            }
          }),
          { numRuns: name.endsWith('.json') ? 60 : 120 },
        );
        // The generator must reach both sides of the decision and many kinds of problem.
        const expected = EXPECTED_COVERAGE[name];
        if (expected) {
          for (const code of expected.codes) expect([...codesSeen]).toContain(code);
          expect(validSets).toBeGreaterThanOrEqual(expected.minValid);
        }
      } finally {
        reference.dispose();
        compiled.dispose();
      }
    }, 180_000); // the survey-core reference takes several ms per call on a loaded machine
  }
});

// ---------------------------------------------------------------------------------------------
// Example-based: every code, through both validators.

const EXAMPLE_DEFINITION: Def = {
  pages: [
    {
      name: 'main',
      elements: [
        { type: 'radiogroup', name: 'sex', isRequired: true, choices: ['male', 'female'], showOtherItem: true },
        { type: 'text', name: 'age', inputType: 'number', min: 0, max: 120 },
        { type: 'text', name: 'born', inputType: 'date' },
        { type: 'text', name: 'phone', maxLength: 11, validators: [{ type: 'regex', regex: '^1\\d{10}$' }] },
        { type: 'text', name: 'mail', inputType: 'email' },
        { type: 'text', name: 'nick', validators: [{ type: 'text', minLength: 2 }] },
        { type: 'checkbox', name: 'aware', choices: ['a', 'b', 'c'], showNoneItem: true, maxSelectedChoices: 2, validators: [{ type: 'answercount', minCount: 2 }] },
        { type: 'boolean', name: 'smoker' },
        { type: 'text', name: 'packs', inputType: 'number', visibleIf: '{smoker} = true', requiredIf: '{age} >= 18', validators: [{ type: 'expression', expression: '{packs} <= 10' }] },
        { type: 'rating', name: 'score' },
        { type: 'matrix', name: 'trust', rows: ['doctor', 'cadre'], columns: ['low', 'high'] },
        { type: 'comment', name: 'note', maxLength: 5 },
        {
          type: 'paneldynamic', name: 'members', maxPanelCount: 2,
          templateElements: [
            { type: 'boolean', name: 'has_id' },
            { type: 'text', name: 'national_id', isRequired: true, visibleIf: '{panel.has_id} = true' },
          ],
        },
      ],
    },
  ],
};

const VALID_EXAMPLE = {
  sex: 'other', 'sex-Comment': '不愿透露', age: 40, born: '1986-02-28', phone: '13800138000', mail: 'a@b.cn', nick: '小王',
  aware: ['a', 'b'], smoker: true, packs: 2, score: 4, trust: { doctor: 'high' }, note: '很好',
  members: [{ has_id: true, national_id: '110101199003074578' }, { has_id: false }],
};

const EXAMPLES: Array<[string, Record<string, unknown>, string, string]> = [
  ['missing required answer', { sex: undefined }, 'sex', 'REQUIRED'],
  ['requiredIf true and unanswered', { packs: undefined }, 'packs', 'REQUIRED'],
  ['number given as a string', { age: '40' }, 'age', 'NOT_A_NUMBER'],
  ['rating that is not a number', { score: 'four' }, 'score', 'NOT_A_NUMBER'],
  ['text longer than maxLength', { phone: '138001380001' }, 'phone', 'TOO_LONG'],
  ['comment longer than maxLength', { note: '一二三四五六' }, 'note', 'TOO_LONG'],
  ['text validator minLength', { nick: '王' }, 'nick', 'TOO_SHORT'],
  ['radiogroup value outside the choices', { sex: 'unknown' }, 'sex', 'NOT_IN_CHOICES'],
  ['checkbox value outside the choices', { aware: ['a', 'z'] }, 'aware', 'NOT_IN_CHOICES'],
  ['matrix column outside the columns', { trust: { doctor: 'medium' } }, 'trust', 'NOT_IN_CHOICES'],
  ['matrix row that does not exist', { trust: { priest: 'high' } }, 'trust', 'NOT_IN_CHOICES'],
  ['rating outside the scale', { score: 9 }, 'score', 'NOT_IN_CHOICES'],
  ['text that is not a string', { nick: 12 }, 'nick', 'WRONG_TYPE'],
  ['checkbox that is not an array', { aware: 'a' }, 'aware', 'WRONG_TYPE'],
  ['boolean given as a string', { smoker: 'true', packs: undefined }, 'smoker', 'WRONG_TYPE'],
  ['matrix that is not an object', { trust: ['high'] }, 'trust', 'WRONG_TYPE'],
  ['dynamic panel that is not an array', { members: { has_id: true } }, 'members', 'WRONG_TYPE'],
  ['dynamic panel item that is not an object', { members: ['x'] }, 'members[0]', 'WRONG_TYPE'],
  ['unknown key', { shoe_size: 42 }, 'shoe_size', 'UNKNOWN_QUESTION'],
  ['comment key without a comment area', { 'age-Comment': 'x' }, 'age-Comment', 'UNKNOWN_QUESTION'],
  ['answer to a question hidden by visibleIf', { smoker: false }, 'packs', 'HIDDEN_ANSWER'],
  ['answer hidden inside a dynamic panel', { members: [{ has_id: false, national_id: '110101199003074578' }] }, 'members[0].national_id', 'HIDDEN_ANSWER'],
  ['required inside a dynamic panel', { members: [{ has_id: true }] }, 'members[0].national_id', 'REQUIRED'],
  ['number above max', { age: 130 }, 'age', 'OUT_OF_RANGE'],
  ['regex validator', { phone: '2380013800' }, 'phone', 'PATTERN'],
  ['email input', { mail: 'not an email' }, 'mail', 'PATTERN'],
  ['impossible date', { born: '2025-02-29' }, 'born', 'INVALID_DATE'],
  ['expression validator', { packs: 11 }, 'packs', 'EXPRESSION'],
  ['answercount validator', { aware: ['a'] }, 'aware', 'ANSWER_COUNT'],
  ['maxSelectedChoices', { aware: ['a', 'b', 'c'] }, 'aware', 'ANSWER_COUNT'],
  ['maxPanelCount', { members: [{}, {}, {}] }, 'members', 'PANEL_COUNT'],
  ['"other" without its text', { 'sex-Comment': '' }, 'sex', 'OTHER_EMPTY'],
];

describe('answer validators: one example per problem code', () => {
  const engines: Array<[string, AnswerValidator]> = [];
  beforeAll(() => {
    engines.push(['reference', createReferenceValidator(EXAMPLE_DEFINITION)], ['compiled', compileAnswerValidator(EXAMPLE_DEFINITION)]);
  });
  afterAll(() => {
    for (const [, v] of engines) v.dispose();
  });

  test('the compiled engine handles the example definition itself', () => {
    expect(analyzeDefinition(EXAMPLE_DEFINITION)).toEqual({ compilable: true, fallback: null });
  });

  test('a valid submission has no problems', () => {
    for (const [, v] of engines) expect(v.validate(VALID_EXAMPLE)).toEqual([]);
  });

  test.each(EXAMPLES)('%s → %s %s', (_label, change, question, code) => {
    const answers: Record<string, unknown> = { ...VALID_EXAMPLE, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete answers[k];
    for (const [engine, v] of engines) {
      const problems = v.validate(answers);
      expect({ engine, pairs: pairs(problems) }).toEqual({ engine, pairs: [`${question}|${code}`] });
      for (const p of problems) {
        expect(AnswerProblemSchema.safeParse(p).success).toBe(true);
        expect(p.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/); // 中文 / English
      }
    }
  });

  test("a validator's own text is part of the message, in both languages", () => {
    const def: Def = {
      elements: [{ type: 'text', name: 'code', validators: [{ type: 'regex', regex: '^\\d{18}$', text: { default: 'Exactly 18 digits.', 'zh-cn': '必须是18位数字。' } }] }],
    };
    for (const v of [createReferenceValidator(def), compileAnswerValidator(def)]) {
      const [problem] = v.validate({ code: '123' });
      expect(problem).toEqual({
        question: 'code',
        code: 'PATTERN',
        message: '答案格式不正确:必须是18位数字。 / The answer does not have the required format: Exactly 18 digits.',
      });
      v.dispose();
    }
  });

  test('hidden answers are accepted when the form keeps them (clearInvisibleValues: none)', () => {
    const def: Def = { ...EXAMPLE_DEFINITION, clearInvisibleValues: 'none' };
    for (const v of [createReferenceValidator(def), compileAnswerValidator(def)]) {
      expect(v.validate({ ...VALID_EXAMPLE, smoker: false })).toEqual([]);
      v.dispose();
    }
  });

  test('a structural problem is not followed by REQUIRED on the same question', () => {
    for (const [, v] of engines) expect(pairs(v.validate({ ...VALID_EXAMPLE, sex: ['male'] }))).toEqual(['sex|WRONG_TYPE']);
  });

  test('the reused reference model forgets the dynamic panels of the previous submission', () => {
    const fresh = (answers: Record<string, unknown>) => {
      const v = createReferenceValidator(NESTED_DEFINITION);
      try {
        return pairs(v.validate(answers));
      } finally {
        v.dispose();
      }
    };
    const reused = createReferenceValidator(NESTED_DEFINITION);
    const big = { has_kids: true, households: [{ head: 'a', kids: [{ kname: 'x' }, { kname: 'y' }] }, { head: 'b', kids: [{ kname: 'z' }] }] };
    for (const next of [{ has_kids: true }, { has_kids: true, households: [{ head: 'c' }] }, {}]) {
      reused.validate(big);
      expect(pairs(reused.validate(next))).toEqual(fresh(next));
    }
    expect(fresh({ has_kids: true })).toEqual([
      'households[0].head|REQUIRED', 'households[0].kids[0].kname|REQUIRED', 'households[1].head|REQUIRED', 'households[1].kids[0].kname|REQUIRED',
    ]);
    reused.dispose();
  });

  test('the reused reference model does not carry answers over between submissions', () => {
    const ref = engines[0]?.[1];
    if (!ref) throw new Error('no reference');
    expect(ref.validate({ ...VALID_EXAMPLE, members: [{ has_id: true }] }).length).toBeGreaterThan(0);
    expect(ref.validate(VALID_EXAMPLE)).toEqual([]);
    const { members: _members, ...withoutMembers } = VALID_EXAMPLE;
    expect(ref.validate(withoutMembers)).toEqual([]);
  });
});

describe('fallback to the reference validator', () => {
  test.each([
    ['an unsupported question type', { elements: [{ type: 'file', name: 'photo' }] }, 'question type file'],
    ['survey calculated values', { calculatedValues: [{ name: 'x', expression: '1' }], elements: [{ type: 'text', name: 'a' }] }, 'survey property calculatedValues'],
    ['choices filtered by a condition', { elements: [{ type: 'radiogroup', name: 'a', choices: ['x'], choicesVisibleIf: '{b} = 1' }] }, 'property choicesVisibleIf'],
    ['a function that needs the survey', { elements: [{ type: 'text', name: 'a', visibleIf: 'isContainerReady()' }] }, 'visibleIf: function isContainerReady()'],
    ['an unknown validator type', { elements: [{ type: 'text', name: 'a', validators: [{ type: 'custom' }] }] }, 'validator type custom'],
  ])('%s', (_label, def, feature) => {
    const analysis = analyzeDefinition(def);
    expect(analysis.compilable).toBe(false);
    expect(analysis.fallback?.feature).toBe(feature);
    const v = compileAnswerValidator(def);
    expect(v.engine).toBe('reference');
    expect(pairs(v.validate({ nope: 1 }))).toEqual(['nope|UNKNOWN_QUESTION']);
    v.dispose();
  });
});

describe('createValidatorCache', () => {
  function fake(log: string[], name: string): AnswerValidator {
    return { validate: () => [], dispose: () => log.push(`dispose ${name}`) };
  }

  test('builds once per form version and reuses it', () => {
    const cache = createValidatorCache(2);
    const log: string[] = [];
    let builds = 0;
    const build = () => { builds++; return fake(log, `b${builds}`); };
    const a = cache.get('f1', 1, build);
    expect(cache.get('f1', 1, build)).toBe(a);
    expect(cache.get('f1', 2, build)).not.toBe(a);
    expect(builds).toBe(2);
    expect(cache.size).toBe(2);
  });

  test('evicts and disposes the least recently used validator', () => {
    const cache = createValidatorCache(2);
    const log: string[] = [];
    cache.get('a', 1, () => fake(log, 'a'));
    cache.get('b', 1, () => fake(log, 'b'));
    cache.get('a', 1, () => fake(log, 'a-again'));
    cache.get('c', 1, () => fake(log, 'c'));
    expect(log).toEqual(['dispose b']);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(log.sort()).toEqual(['dispose a', 'dispose b', 'dispose c']);
    expect(cache.size).toBe(0);
  });
});
