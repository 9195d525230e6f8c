import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnswerProblemSchema } from '../../common/api/submissions';
import { createValidatorCache, type AnswerProblem, type AnswerValidator } from '../../common/forms/answer-validator';
import { analyzeDefinition, compileAnswerValidator } from '../../common/forms/compiled-validator';
import { createReferenceValidator } from '../../common/forms/reference-validator';
import { CHOICES_DEFINITION, MIXED_DEFINITION, ROSTER_DEFINITION } from './answer-validator.defs';

type Def = Record<string, unknown>;
type El = Record<string, unknown>;

function pairs(problems: AnswerProblem[]): string[] {
  return [...new Set(problems.map((p) => `${p.question ?? ''}|${p.code}`))].sort();
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
          { numRuns: name.endsWith('.json') ? 80 : 150 },
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
    });
  }
});
