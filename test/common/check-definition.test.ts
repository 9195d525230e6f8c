import { Model } from 'survey-core';
import { checkDefinition, listQuestions, QUESTION_NAME_PATTERN } from '../../common/forms/check-definition';
import { idCardCheckDigit, isValidChineseIdNumber } from '../../common/forms/survey-functions';
import type { DefinitionProblem, FormKind, SurveyDefinition } from '../../common/api/forms';

const zhEn = (zh: string, en: string) => ({ default: en, 'zh-cn': zh });

function survey(...elements: unknown[]): SurveyDefinition {
  return { locale: 'zh-cn', pages: [{ name: 'p1', elements }] };
}

function codes(problems: DefinitionProblem[]): string[] {
  return problems.map((p) => p.code);
}

const radio = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'radiogroup', name, title: zhEn('题目', 'Question'), choices: ['a', 'b', 'c'], ...extra,
});

describe('checkDefinition: clean definitions', () => {
  it.each<FormKind>(['knowledge', 'satisfaction', 'census', 'general'])('accepts a clean %s definition', (kind) => {
    const def = survey(
      radio('age_band', { scored: false }),
      radio('q1', { correctAnswer: 'b', visibleIf: "{age_band} notempty" }),
      { type: 'checkbox', name: 'q2', choices: ['x', 'y', 'z'], correctAnswer: ['x', 'z'], points: 2 },
      { type: 'boolean', name: 'q3', correctAnswer: false },
    );
    expect(checkDefinition(kind, def)).toEqual([]);
  });

  it('accepts Chinese question names and hyphens', () => {
    expect(checkDefinition('general', survey({ type: 'text', name: '年龄' }, { type: 'text', name: '_x-1' }))).toEqual([]);
  });

  it('every problem carries a zh / en message', () => {
    const problems = checkDefinition('general', survey({ type: 'text', name: 'a.b' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
    expect(problems[0]?.question).toBe('a.b');
  });
});

describe('checkDefinition: problem codes', () => {
  it('JSON_ERROR for an unknown property, naming the question', () => {
    const problems = checkDefinition('general', survey({ type: 'text', name: 'q1', colour: 'red' }));
    expect(codes(problems)).toEqual(['JSON_ERROR']);
    expect(problems[0]?.question).toBe('q1');
    expect(problems[0]?.message).toContain('colour');
  });

  it('JSON_ERROR for an unknown question type', () => {
    const problems = checkDefinition('general', survey({ type: 'text', name: 'ok' }, { type: 'gps', name: 'where' }));
    expect(codes(problems)).toEqual(['JSON_ERROR']);
    expect(problems[0]?.message).toContain('gps');
  });

  it('JSON_ERROR inside a dynamic panel template', () => {
    const def = survey({ type: 'paneldynamic', name: 'members', templateElements: [{ type: 'text', name: 'n', bogus: 1 }] });
    expect(codes(checkDefinition('census', def))).toEqual(['JSON_ERROR']);
  });

  it('EXPRESSION_ERROR for a syntax error, an unknown variable and an unknown function', () => {
    const syntax = checkDefinition('general', survey(radio('a'), radio('b', { visibleIf: "{a} = = 'x'" })));
    expect(codes(syntax)).toEqual(['EXPRESSION_ERROR']);
    expect(syntax[0]?.question).toBe('b');

    const unknownVar = checkDefinition('general', survey(radio('a', { visibleIf: "{nosuch} = 1" })));
    expect(codes(unknownVar)).toEqual(['EXPRESSION_ERROR']);
    expect(unknownVar[0]?.message).toContain('nosuch');

    const unknownFn = checkDefinition('general', survey({ type: 'text', name: 'id', validators: [{ type: 'expression', expression: 'nofn({id})' }] }));
    expect(codes(unknownFn)).toEqual(['EXPRESSION_ERROR']);
    expect(unknownFn[0]?.question).toBe('id');
    expect(unknownFn[0]?.message).toContain('nofn');
  });

  it('knows the CunWen function idCardValid and panel variables', () => {
    const def = survey({
      type: 'paneldynamic', name: 'members', templateElements: [
        { type: 'text', name: 'pid', validators: [{ type: 'expression', expression: '{panel.pid} empty or idCardValid({panel.pid})' }] },
        { type: 'text', name: 'bd', inputType: 'date' },
        { type: 'text', name: 'x', visibleIf: 'age({panel.bd}) >= 15' },
      ],
    });
    expect(checkDefinition('census', def)).toEqual([]);
    const bad = survey({ type: 'paneldynamic', name: 'members', templateElements: [{ type: 'text', name: 'x', visibleIf: '{panel.nope} = 1' }] });
    expect(codes(checkDefinition('census', bad))).toEqual(['EXPRESSION_ERROR']);
  });

  it('DUPLICATE_NAME at top level, across pages and panels, case-insensitively', () => {
    const def = {
      pages: [
        { name: 'p1', elements: [{ type: 'text', name: 'age' }] },
        { name: 'p2', elements: [{ type: 'panel', name: 'box', elements: [{ type: 'text', name: 'Age' }] }] },
      ],
    };
    const problems = checkDefinition('general', def);
    expect(codes(problems)).toEqual(['DUPLICATE_NAME']);
    expect(problems[0]?.question).toBe('Age');
  });

  it('DUPLICATE_NAME through valueName', () => {
    const problems = checkDefinition('general', survey({ type: 'text', name: 'a' }, { type: 'text', name: 'b', valueName: 'a' }));
    expect(codes(problems)).toEqual(['DUPLICATE_NAME']);
  });

  it('DUPLICATE_NAME inside a dynamic panel template (not reported by survey-core)', () => {
    const def = survey({
      type: 'paneldynamic', name: 'members',
      templateElements: [{ type: 'text', name: 'name' }, { type: 'text', name: 'sex' }, { type: 'text', name: 'name' }],
    });
    const model = new Model(def);
    expect(model.jsonErrors ?? []).toEqual([]);
    model.dispose();
    const problems = checkDefinition('census', def);
    expect(codes(problems)).toEqual(['DUPLICATE_NAME']);
    expect(problems[0]?.question).toBe('members[].name');
  });

  it('a template question may share a name with a top-level question (different data scope)', () => {
    const def = survey({ type: 'text', name: 'name' }, { type: 'paneldynamic', name: 'members', templateElements: [{ type: 'text', name: 'name' }] });
    expect(checkDefinition('census', def)).toEqual([]);
  });

  it.each(['a.b', '$where', '1st', 'has space', 'a$b'])('BAD_NAME for %j', (name) => {
    const problems = checkDefinition('general', survey({ type: 'text', name }));
    expect(codes(problems)).toContain('BAD_NAME');
    expect(QUESTION_NAME_PATTERN.test(name)).toBe(false);
  });

  it('BAD_NAME inside a dynamic panel and for a matrix column', () => {
    const def = survey(
      { type: 'paneldynamic', name: 'members', templateElements: [{ type: 'text', name: 'id.no' }] },
      { type: 'matrixdynamic', name: 'm', columns: [{ name: 'c$1' }] },
    );
    const problems = checkDefinition('census', def);
    expect(codes(problems)).toEqual(['BAD_NAME', 'BAD_NAME']);
    expect(problems.map((p) => p.question)).toEqual(['members[].id.no', 'm']);
  });

  it('EMPTY with no elements, and with only html', () => {
    expect(codes(checkDefinition('general', { pages: [] }))).toEqual(['EMPTY']);
    expect(codes(checkDefinition('general', {}))).toEqual(['EMPTY']);
    expect(codes(checkDefinition('general', survey({ type: 'html', name: 'intro', html: '<p>hi</p>' })))).toEqual(['EMPTY']);
  });

  it('MISSING_CORRECT_ANSWER for scored questions of knowledge forms only', () => {
    const def = survey(
      radio('q1'),
      { type: 'checkbox', name: 'q2', choices: ['x', 'y'] },
      { type: 'boolean', name: 'q3' },
      { type: 'dropdown', name: 'q4', choices: ['x', 'y'], correctAnswer: 'y' },
      radio('sex', { scored: false }),
      { type: 'text', name: 'note' },
    );
    const problems = checkDefinition('knowledge', def);
    expect(codes(problems)).toEqual(['MISSING_CORRECT_ANSWER', 'MISSING_CORRECT_ANSWER', 'MISSING_CORRECT_ANSWER']);
    expect(problems.map((p) => p.question)).toEqual(['q1', 'q2', 'q3']);
    expect(checkDefinition('general', def)).toEqual([]);
    expect(codes(checkDefinition('knowledge', survey({ type: 'checkbox', name: 'q', choices: ['x'], correctAnswer: [] })))).toEqual(['MISSING_CORRECT_ANSWER']);
  });

  it('BAD_CORRECT_ANSWER when the answer is not among the choices', () => {
    const cases: unknown[] = [
      radio('q', { correctAnswer: 'z' }),
      { type: 'radiogroup', name: 'q', choices: [1, 2], correctAnswer: '1' },
      { type: 'checkbox', name: 'q', choices: ['x', 'y'], correctAnswer: ['x', 'w'] },
      { type: 'checkbox', name: 'q', choices: ['x', 'y'], correctAnswer: ['x', 'x'] },
      { type: 'boolean', name: 'q', correctAnswer: 'yes' },
      { type: 'boolean', name: 'q', valueTrue: 'Y', valueFalse: 'N', correctAnswer: true },
    ];
    for (const element of cases) {
      const problems = checkDefinition('knowledge', survey(element));
      expect({ element, codes: codes(problems) }).toEqual({ element, codes: ['BAD_CORRECT_ANSWER'] });
    }
  });

  it('follows survey-core normalisation: a one-element array on a single choice, a scalar on a checkbox', () => {
    expect(checkDefinition('knowledge', survey(radio('q', { correctAnswer: ['a'] })))).toEqual([]);
    expect(checkDefinition('knowledge', survey({ type: 'checkbox', name: 'q', choices: ['x', 'y'], correctAnswer: 'x' }))).toEqual([]);
  });

  it('accepts special items (none / dontknow) and custom boolean values as correct answers', () => {
    const def = survey(
      { type: 'radiogroup', name: 'q1', choices: ['a'], showNoneItem: true, correctAnswer: 'none' },
      { type: 'boolean', name: 'q2', valueTrue: 'Y', valueFalse: 'N', correctAnswer: 'N' },
    );
    expect(checkDefinition('knowledge', def)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['sensitive marker', { type: 'radiogroup', name: 'q', choices: ['a'], sensitive: true, scored: false }],
    ['tel input', { type: 'text', name: 'contact', inputType: 'tel' }],
    ['email input', { type: 'text', name: 'contact', inputType: 'email' }],
    ['email validator', { type: 'text', name: 'contact', validators: [{ type: 'email' }] }],
    ['name', { type: 'text', name: 'name' }],
    ['respondent_name', { type: 'text', name: 'respondent_name' }],
    ['姓名', { type: 'text', name: '姓名' }],
    ['phone', { type: 'text', name: 'phone' }],
    ['mobileNumber', { type: 'text', name: 'mobileNumber' }],
    ['idcard', { type: 'text', name: 'idcard' }],
    ['id_number', { type: 'text', name: 'id_number' }],
    ['national_id', { type: 'text', name: 'national_id' }],
    ['身份证号', { type: 'text', name: '身份证号' }],
    ['free-text title asking for a name', { type: 'text', name: 'q9', title: zhEn('请填写您的姓名', 'Your name') }],
  ])('IDENTIFYING_FIELD_IN_ANONYMOUS_FORM: %s', (_label, element) => {
    for (const kind of ['knowledge', 'satisfaction'] as const) {
      const problems = checkDefinition(kind, survey(element));
      expect(codes(problems)).toEqual(['IDENTIFYING_FIELD_IN_ANONYMOUS_FORM']);
      expect(problems[0]?.question).toBe(element['name']);
    }
    expect(checkDefinition('census', survey(element))).toEqual([]);
    expect(checkDefinition('general', survey(element))).toEqual([]);
  });

  it('does not flag anonymous-safe questions that merely mention an ID in a choice question', () => {
    const def = survey(
      radio('age_band', { scored: false }),
      radio('sex', { scored: false }),
      radio('q_id_needed', { title: zhEn('办理生育登记需要带身份证吗？', 'Is an ID card needed?'), correctAnswer: 'a' }),
      { type: 'comment', name: 'suggestion', title: zhEn('您的意见和建议', 'Suggestions') },
    );
    expect(checkDefinition('knowledge', def)).toEqual([]);
  });

  it('reports several problems at once', () => {
    const def = survey({ type: 'text', name: 'phone', visibleIf: '{x} = 1' }, radio('q'), radio('q'));
    expect(codes(checkDefinition('knowledge', def)).sort()).toEqual(
      ['DUPLICATE_NAME', 'EXPRESSION_ERROR', 'IDENTIFYING_FIELD_IN_ANONYMOUS_FORM', 'MISSING_CORRECT_ANSWER', 'MISSING_CORRECT_ANSWER'].sort());
  });
});

describe('listQuestions', () => {
  it('lists questions with paths, including nested dynamic panel templates', () => {
    const def = {
      pages: [
        { name: 'p1', elements: [{ type: 'text', name: 'code', title: zhEn('户编码', 'Household code') }] },
        {
          name: 'p2', elements: [{
            type: 'paneldynamic', name: 'members', templateElements: [
              { type: 'text', name: 'name', title: '姓名' },
              { type: 'panel', name: 'box', elements: [{ type: 'text', name: 'x', valueName: 'xv' }] },
              { type: 'paneldynamic', name: 'children', templateElements: [{ type: 'radiogroup', name: 'sex', choices: ['m', 'f'] }] },
            ],
          }],
        },
      ],
    };
    expect(listQuestions(def)).toEqual([
      { name: 'code', type: 'text', path: 'code', title: '户编码', titleEn: 'Household code' },
      { name: 'members', type: 'paneldynamic', path: 'members', title: 'members', titleEn: 'members' },
      { name: 'name', type: 'text', path: 'members[].name', title: '姓名', titleEn: '姓名' },
      { name: 'x', type: 'text', path: 'members[].xv', title: 'x', titleEn: 'x' },
      { name: 'children', type: 'paneldynamic', path: 'members[].children', title: 'children', titleEn: 'children' },
      { name: 'sex', type: 'radiogroup', path: 'members[].children[].sex', title: 'sex', titleEn: 'sex' },
    ]);
  });
});

describe('idCardValid helpers', () => {
  it('computes the ISO 7064 MOD 11-2 check digit', () => {
    // GB 11643-1999 example number.
    expect(idCardCheckDigit('11010519491231002')).toBe('X');
    expect(isValidChineseIdNumber('11010519491231002X')).toBe(true);
    expect(isValidChineseIdNumber('11010519491231002x')).toBe(true);
    expect(isValidChineseIdNumber('110105194912310021')).toBe(false);
    expect(isValidChineseIdNumber('11010519491331002X')).toBe(false); // month 13
    expect(isValidChineseIdNumber('1101051949123100')).toBe(false);
    expect(isValidChineseIdNumber(undefined)).toBe(false);
  });

  it('is usable in survey-core expressions once the checker module is loaded', () => {
    const model = new Model({ elements: [{ type: 'text', name: 'id' }] });
    model.setValue('id', '11010519491231002X');
    expect(model.runExpression('idCardValid({id})')).toBe(true);
    model.setValue('id', '110105194912310021');
    expect(model.runExpression('idCardValid({id})')).toBe(false);
    model.dispose();
  });
});
