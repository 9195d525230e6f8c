import fc from 'fast-check';
import { ConditionRunner } from 'survey-core';
import {
  checkExpression, clauseToExpression, conditionToExpression, MANGLED_BY_SURVEY_CORE, operatorsFor, parseCondition,
  type ConditionClause, type ConditionModel,
} from '../../../common/designer/conditions';

const def = {
  pages: [{
    name: 'p1',
    elements: [
      { type: 'radiogroup', name: 'q1', choices: ['a', 'b'] },
      { type: 'checkbox', name: 'q2', choices: ['x', 'y'] },
      { type: 'text', name: 'age', inputType: 'number' },
      { type: 'text', name: 't' },
    ],
  }],
};

describe('condition builder → expression, expression by expression', () => {
  const cases: Array<[ConditionClause, string]> = [
    [{ question: 'q1', operator: 'equal', value: 'a' }, "{q1} = 'a'"],
    [{ question: 'q1', operator: 'notequal', value: 'a' }, "{q1} != 'a'"],
    [{ question: 'q2', operator: 'contains', value: 'x' }, "{q2} contains 'x'"],
    [{ question: 'q2', operator: 'notcontains', value: 'x' }, "{q2} notcontains 'x'"],
    [{ question: 'q1', operator: 'anyof', value: ['a', 'b'] }, "{q1} anyof ['a', 'b']"],
    [{ question: 'q2', operator: 'allof', value: ['x', 'y'] }, "{q2} allof ['x', 'y']"],
    [{ question: 'q1', operator: 'empty' }, '{q1} empty'],
    [{ question: 'q1', operator: 'notempty' }, '{q1} notempty'],
    [{ question: 'age', operator: 'greater', value: 18 }, '{age} > 18'],
    [{ question: 'age', operator: 'less', value: 60 }, '{age} < 60'],
    [{ question: 'age', operator: 'greaterorequal', value: 1.5 }, '{age} >= 1.5'],
    [{ question: 'age', operator: 'lessorequal', value: -2 }, '{age} <= -2'],
    [{ question: 'b', operator: 'equal', value: true }, '{b} = true'],
    [{ question: 'q1', operator: 'equal', value: "it's" }, "{q1} = 'it\\'s'"],
    [{ question: 'q1', operator: 'equal', value: '20' }, "{q1} = '20'"],
    [{ question: 'members[0].age', operator: 'greater', value: 3 }, '{members[0].age} > 3'],
  ];
  it.each(cases)('%j → %s and back', (clause, expected) => {
    expect(clauseToExpression(clause)).toBe(expected);
    expect(parseCondition(expected)).toEqual({ connective: 'and', clauses: [clause] });
  });

  it('joins clauses with and / or', () => {
    const m: ConditionModel = { connective: 'or', clauses: [{ question: 'q1', operator: 'equal', value: 'a' }, { question: 'age', operator: 'greater', value: 3 }] };
    expect(conditionToExpression(m)).toBe("{q1} = 'a' or {age} > 3");
    expect(parseCondition("{q1} = 'a' or {age} > 3")).toEqual(m);
    expect(conditionToExpression({ connective: 'and', clauses: [] })).toBe('');
    expect(parseCondition('   ')).toEqual({ connective: 'and', clauses: [] });
  });

  it('reads survey-core spellings (==, <>, no spaces) into the same model', () => {
    expect(parseCondition("{q1}=='a'")).toEqual({ connective: 'and', clauses: [{ question: 'q1', operator: 'equal', value: 'a' }] });
    expect(parseCondition("{q1} <> 'a'")).toEqual({ connective: 'and', clauses: [{ question: 'q1', operator: 'notequal', value: 'a' }] });
  });

  it.each([
    "{q1} = 'a' and {q2} contains 'x' or {age} > 1", // mixed and/or
    "!({q1} = 'a')",
    'age({t}) > 3',
    '{q1} = {t}',
    '{age} + 1 > 3',
    "{q1} = 'a' and (",
    "iif({q1} = 'a', true, false)",
  ])('keeps %s as raw text (null)', (expr) => {
    expect(parseCondition(expr)).toBeNull();
  });

  it('refuses clauses it cannot express', () => {
    expect(() => clauseToExpression({ question: 'a}b', operator: 'equal', value: 1 })).toThrow();
    expect(() => clauseToExpression({ question: 'a', operator: 'equal' })).toThrow();
    expect(() => clauseToExpression({ question: 'a', operator: 'equal', value: 'a\\b' })).toThrow(/backslash/);
    // survey-core rewrites these inside string literals too: '<>' would silently mean '!='
    for (const v of ['<>', 'a=>b', 'x=<y', 'notequals']) {
      expect(() => clauseToExpression({ question: 'a', operator: 'equal', value: v })).toThrow(/rewritten by survey-core/);
    }
    expect(new ConditionRunner("{q} = '<>'").runValues({ q: '!=' })).toBe(true); // the survey-core behaviour guarded against
    // survey-core rewrites these inside string literals too: '<>' would silently mean '!='
    for (const v of ['<>', 'a=>b', 'x=<y', 'notequals']) {
      expect(() => clauseToExpression({ question: 'a', operator: 'equal', value: v })).toThrow(/rewritten by survey-core/);
    }
    expect(new ConditionRunner("{q} = '<>'").runValues({ q: '!=' })).toBe(true); // the survey-core behaviour we guard against
  });

  it('round-trips random builder models, and survey-core evaluates them as the model means', () => {
    const value = fc.oneof(fc.string({ maxLength: 6 }).filter((s) => !s.includes('\\') && !MANGLED_BY_SURVEY_CORE.test(s)), fc.integer({ min: -100, max: 100 }));
    const clause = fc.record({ question: fc.constantFrom('q1', 'q2', 'age'), op: fc.constantFrom('equal', 'notequal', 'greater', 'less', 'empty', 'notempty', 'anyof'), value, values: fc.array(value, { minLength: 1, maxLength: 3 }) })
      .map(({ question, op, value: v, values }): ConditionClause => (op === 'empty' || op === 'notempty' ? { question, operator: op } : op === 'anyof' ? { question, operator: op, value: values } : { question, operator: op, value: v }));
    fc.assert(fc.property(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(clause, { minLength: 1, maxLength: 4 }), (connective, clauses) => {
      const expr = conditionToExpression({ connective, clauses });
      const back = parseCondition(expr);
      expect(back).not.toBeNull();
      expect(conditionToExpression(back as ConditionModel)).toBe(expr);
      if (clauses.length > 1) expect(back?.connective).toBe(connective);
      expect(back?.clauses).toEqual(clauses);
    }));
    const run = (expr: string, values: Record<string, unknown>) => new ConditionRunner(expr).runValues(values) as boolean;
    expect(run(conditionToExpression({ connective: 'and', clauses: [{ question: 'q1', operator: 'equal', value: 'a' }, { question: 'age', operator: 'greater', value: 3 }] }), { q1: 'a', age: 4 })).toBe(true);
    expect(run(conditionToExpression({ connective: 'and', clauses: [{ question: 'q1', operator: 'equal', value: 'a' }, { question: 'age', operator: 'greater', value: 3 }] }), { q1: 'a', age: 2 })).toBe(false);
    expect(run(conditionToExpression({ connective: 'or', clauses: [{ question: 'q2', operator: 'contains', value: 'x' }, { question: 'q1', operator: 'empty' }] }), { q1: 'b', q2: ['y'] })).toBe(false);
  });

  it('offers operators by question type', () => {
    expect(operatorsFor('checkbox')).toContain('contains');
    expect(operatorsFor('checkbox')).not.toContain('greater');
    expect(operatorsFor('text', 'number')).toEqual(expect.arrayContaining(['greater', 'less']));
    expect(operatorsFor('radiogroup')).toEqual(expect.arrayContaining(['equal', 'notequal', 'anyof', 'empty', 'notempty']));
  });
});

describe('checkExpression (as you type)', () => {
  it('accepts a valid expression', () => {
    expect(checkExpression("{q1} = 'a'", def, { question: 't', property: 'visibleIf' })).toEqual([]);
    expect(checkExpression('', def)).toEqual([]);
  });
  it('reports syntax errors with a position', () => {
    const issues = checkExpression('{q1} ==', def, { question: 't' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'syntax' });
    expect(issues[0]?.zh).toMatch(/第 \d+ 个字符/);
    expect(checkExpression("{q1} = 'a' and (")[0]?.kind).toBe('syntax');
  });
  it('reports unknown questions and functions (validateExpressions)', () => {
    expect(checkExpression("{nope} = 'a'", def, { question: 't' })).toEqual([expect.objectContaining({ kind: 'unknown-question', name: 'nope' })]);
    expect(checkExpression('foo({q1})', def, { question: 't', property: 'requiredIf' })).toEqual([expect.objectContaining({ kind: 'unknown-function', name: 'foo' })]);
  });
});
