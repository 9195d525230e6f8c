import {
  addValidator, parseNumberField, readValidators, removeValidator, setValidatorField, testRegex, validatorKindsFor, validatorProblems, writeValidators,
} from '../../../common/designer/validators';

describe('designer validators (pure)', () => {
  it('reads validators, normalising class names and skipping non-objects, and keeps unknown properties', () => {
    expect(readValidators(undefined)).toEqual([]);
    expect(readValidators([{ type: 'NumericValidator', minValue: 1, extra: 'x' }, 'junk', null, { type: 'regex', regex: '^a' }]))
      .toEqual([{ type: 'numeric', minValue: 1, extra: 'x' }, { type: 'regex', regex: '^a' }]);
  });

  it('adds, edits, clears and removes fields; an empty list is removed from the definition', () => {
    let list = addValidator([], 'numeric');
    expect(list).toEqual([{ type: 'numeric' }]);
    list = setValidatorField(list, 0, 'minValue', 0);
    list = setValidatorField(list, 0, 'maxValue', 120);
    list = setValidatorField(list, 0, 'text', { 'zh-cn': '年龄不对', default: 'Bad age' });
    expect(list).toEqual([{ type: 'numeric', minValue: 0, maxValue: 120, text: { 'zh-cn': '年龄不对', default: 'Bad age' } }]);
    list = setValidatorField(list, 0, 'maxValue', undefined);
    expect(list[0]).not.toHaveProperty('maxValue');
    list = setValidatorField(list, 0, 'text', '');
    expect(list[0]).not.toHaveProperty('text');
    list = addValidator(list, 'expression');
    expect(list.map((v) => v.type)).toEqual(['numeric', 'expression']);
    expect(removeValidator(list, 0)).toEqual([{ type: 'expression' }]);
    expect(writeValidators(removeValidator(removeValidator(list, 0), 0))).toBeUndefined();
  });

  it('offers kinds that fit the question', () => {
    expect(validatorKindsFor({ type: 'text', inputType: 'number' })).toEqual(['numeric', 'expression']);
    expect(validatorKindsFor({ type: 'text' })).toContain('regex');
    expect(validatorKindsFor({ type: 'checkbox' })).toContain('answercount');
    expect(validatorKindsFor({ type: 'checkbox' })).not.toContain('numeric');
    expect(validatorKindsFor({ type: 'boolean' })).toEqual(['expression']);
  });

  it('tests patterns like survey-core and reports broken ones', () => {
    expect(testRegex('^1[3-9]\\d{9}$', '13812345678')).toEqual({ ok: true, match: true });
    expect(testRegex('^1[3-9]\\d{9}$', '12345')).toEqual({ ok: true, match: false });
    const bad = testRegex('([', 'x');
    expect(bad.ok).toBe(false);
  });

  it('flags min above max, a broken pattern and an empty rule', () => {
    expect(validatorProblems({ type: 'numeric', minValue: 5, maxValue: 1 })).toContain('MIN_ABOVE_MAX');
    expect(validatorProblems({ type: 'text', minLength: 1, maxLength: 5 })).toEqual([]);
    expect(validatorProblems({ type: 'regex', regex: '([' })).toContain('BAD_REGEX');
    expect(validatorProblems({ type: 'answercount' })).toContain('EMPTY');
    expect(parseNumberField('')).toBeUndefined();
    expect(parseNumberField('abc')).toBeUndefined();
    expect(parseNumberField('3.5')).toBe(3.5);
  });
});
