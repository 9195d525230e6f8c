import { ConditionRunner, ExpressionRunner, Model, QuestionPanelDynamicModel, QuestionSelectBase } from 'survey-core';
import { checkDefinition } from '../../common/forms/check-definition';
import {
  localeOfLanguage, type QuestionInfo, surveyToXlsExpression, surveyToXlsform, surveyToXlsformWithProblems,
  type TranslateContext, XlsExprError, xlsformToSurvey, xlsToSurveyExpression, type XlsRow, type XlsWorkbook,
} from '../../common/xlsform';
import type { SurveyDefinition } from '../../common/api/forms';
import { loadTemplates } from '../../form-definitions';

// ------------------------------------------------------------------ helpers

/** Rows from a header line and data lines; data row i is sheet row i + 2. */
function sheet(rows: string[][]): XlsRow[] {
  const [header, ...data] = rows;
  return data.map((r, i) => ({
    rowNumber: i + 2,
    cells: Object.fromEntries((header ?? []).map((h, j) => [h, r[j] ?? '']).filter(([, v]) => v !== '')),
  }));
}

function wb(survey: string[][], choices: string[][] = [['list_name', 'name', 'label']], settings: string[][] = [['form_title']]): XlsWorkbook {
  return { survey: sheet(survey), choices: sheet(choices), settings: sheet(settings) };
}

/** The definition loads in survey-core without JSON errors, its expressions validate, and CunWen's checker accepts it. */
function expectLoadsCleanly(definition: SurveyDefinition): Model {
  const model = new Model(definition);
  expect(model.jsonErrors ?? []).toEqual([]);
  expect(model.validateExpressions()).toEqual([]);
  expect(checkDefinition('general', definition)).toEqual([]);
  return model;
}

/** xlsform → survey → xlsform → survey gives the same SurveyJS definition, with no new problems. */
function expectRoundTrip(definition: SurveyDefinition): void {
  const { workbook, problems } = surveyToXlsformWithProblems(definition);
  expect(problems).toEqual([]);
  const again = xlsformToSurvey(workbook);
  expect(again.definition).toEqual(definition);
  expect(again.problems.filter((p) => p.code !== 'APPROXIMATED')).toEqual([]);
}

const INFOS: QuestionInfo[] = [
  { name: 'a', kind: 'other', repeats: [] },
  { name: 'b', kind: 'other', repeats: [] },
  { name: 't', kind: 'other', repeats: [] },
  { name: 'd', kind: 'other', repeats: [] },
  { name: 'sm', kind: 'select_multiple', repeats: [] },
  { name: 'so', kind: 'select_one', repeats: [] },
  { name: 'hh_size', kind: 'other', repeats: [] },
  { name: 'members', kind: 'repeat', repeats: [] },
  { name: 'age', kind: 'other', repeats: ['members'] },
  { name: 'sex', kind: 'select_one', repeats: ['members'] },
];
const lookup = (n: string): QuestionInfo | undefined => INFOS.find((i) => i.name === n);
const top = (self?: string): TranslateContext => ({ lookup, repeats: [], ...(self ? { self } : {}) });
const inRepeat = (self?: string): TranslateContext => ({ lookup, repeats: ['members'], ...(self ? { self } : {}) });

const FAR_FUTURE = '2999-01-01';

interface Row {
  xls: string;
  ctx: TranslateContext;
  sjs: string;
  /** [values, expected result] pairs the SurveyJS expression is evaluated against. */
  cases: Array<[Record<string, unknown>, unknown]>;
}

// ------------------------------------------------------------------ expression table

const TABLE: Row[] = [
  { xls: '${a} > 3', ctx: top(), sjs: '{a} > 3', cases: [[{ a: 5 }, true], [{ a: 3 }, false], [{}, false]] },
  { xls: '${a}>=3', ctx: top(), sjs: '{a} >= 3', cases: [[{ a: 3 }, true], [{ a: 2 }, false]] },
  { xls: '${a} = 3 and ${b} != \'x\'', ctx: top(), sjs: "{a} = 3 and {b} != 'x'", cases: [[{ a: 3, b: 'y' }, true], [{ a: 3, b: 'x' }, false], [{ a: 4, b: 'y' }, false]] },
  { xls: '${a} < 3 or ${a} >= 10', ctx: top(), sjs: '{a} < 3 or {a} >= 10', cases: [[{ a: 1 }, true], [{ a: 5 }, false], [{ a: 10 }, true]] },
  { xls: '(${a} < 3 or ${a} > 9) and ${b} = 1', ctx: top(), sjs: '({a} < 3 or {a} > 9) and {b} = 1', cases: [[{ a: 1, b: 1 }, true], [{ a: 1, b: 2 }, false], [{ a: 5, b: 1 }, false]] },
  { xls: '${a} < 3 or ${a} > 9 and ${b} = 1', ctx: top(), sjs: '{a} < 3 or {a} > 9 and {b} = 1', cases: [[{ a: 1, b: 2 }, true], [{ a: 10, b: 2 }, false]] },
  { xls: 'not(${a} > 3)', ctx: top(), sjs: '!({a} > 3)', cases: [[{ a: 1 }, true], [{ a: 5 }, false]] },
  { xls: "selected(${sm}, 'x')", ctx: top(), sjs: "{sm} contains 'x'", cases: [[{ sm: ['x', 'y'] }, true], [{ sm: ['xy'] }, false], [{ sm: ['y'] }, false], [{}, false]] },
  { xls: "selected(${so}, 'x')", ctx: top(), sjs: "{so} = 'x'", cases: [[{ so: 'x' }, true], [{ so: 'y' }, false], [{}, false]] },
  { xls: "not(selected(${sm}, 'none')) and selected(${sm}, 'a')", ctx: top(), sjs: "!({sm} contains 'none') and {sm} contains 'a'", cases: [[{ sm: ['a'] }, true], [{ sm: ['a', 'none'] }, false]] },
  { xls: 'count-selected(${sm}) >= 2', ctx: top(), sjs: '{sm.length} >= 2', cases: [[{ sm: ['a', 'b'] }, true], [{ sm: ['a'] }, false], [{}, false]] },
  { xls: 'string-length(.) <= 5', ctx: top('t'), sjs: '{t.length} <= 5', cases: [[{ t: 'hello' }, true], [{ t: '你好你好你好' }, false]] },
  { xls: 'string-length(${t}) = 11', ctx: top(), sjs: '{t.length} = 11', cases: [[{ t: '13800138000' }, true], [{ t: '1380013800' }, false]] },
  { xls: '. >= 0 and . <= 120', ctx: top('a'), sjs: '{a} >= 0 and {a} <= 120', cases: [[{ a: 30 }, true], [{ a: 121 }, false], [{ a: -1 }, false]] },
  { xls: '${d} <= today()', ctx: top(), sjs: '{d} <= today()', cases: [[{ d: '2020-01-01' }, true], [{ d: FAR_FUTURE }, false]] },
  { xls: "if(${a} > 1, 'big', 'small')", ctx: top(), sjs: "iif({a} > 1, 'big', 'small')", cases: [[{ a: 2 }, 'big'], [{ a: 0 }, 'small']] },
  { xls: '(${a} + 2) * 3 div 2 - ${b} mod 4', ctx: top(), sjs: '({a} + 2) * 3 / 2 - {b} % 4', cases: [[{ a: 2, b: 7 }, 3], [{ a: 0, b: 1 }, 2]] },
  { xls: '-${a} + 1', ctx: top(), sjs: '0 - {a} + 1', cases: [[{ a: 3 }, -2]] },
  { xls: '2 - (${a} - 1)', ctx: top(), sjs: '2 - ({a} - 1)', cases: [[{ a: 5 }, -2]] },
  { xls: '${a} * -1.5', ctx: top(), sjs: '{a} * -1.5', cases: [[{ a: 2 }, -3]] },
  { xls: '${t} = "it\'s"', ctx: top(), sjs: "{t} = 'it\\'s'", cases: [[{ t: "it's" }, true], [{ t: 'its' }, false]] },
  { xls: "${t} = ''", ctx: top(), sjs: "{t} = ''", cases: [[{}, true], [{ t: 'x' }, false]] },
  { xls: "${t} != ''", ctx: top(), sjs: "{t} != ''", cases: [[{}, false], [{ t: 'x' }, true]] },
  { xls: 'int(${a} div 2)', ctx: top(), sjs: 'trunc({a} / 2)', cases: [[{ a: 7 }, 3]] },
  { xls: 'round(${a}, 1)', ctx: top(), sjs: 'round({a}, 1)', cases: [[{ a: 2.345 }, 2.3]] },
  { xls: 'true()', ctx: top(), sjs: 'true', cases: [[{}, true]] },
  { xls: '${a} = 1 and true() or false()', ctx: top(), sjs: '{a} = 1 and true or false', cases: [[{ a: 1 }, true], [{ a: 2 }, false]] },
  // Inside a repeat: siblings through {panel.…}, outer questions directly.
  { xls: '${age} > 15 and ${hh_size} > 1', ctx: inRepeat(), sjs: '{panel.age} > 15 and {hh_size} > 1', cases: [[{ panel: { age: 20 }, hh_size: 2 }, true], [{ panel: { age: 10 }, hh_size: 2 }, false]] },
  { xls: "selected(${sex}, '2') and ${age} >= 15 and ${age} <= 49", ctx: inRepeat(), sjs: "{panel.sex} = '2' and {panel.age} >= 15 and {panel.age} <= 49", cases: [[{ panel: { sex: '2', age: 30 } }, true], [{ panel: { sex: '1', age: 30 } }, false]] },
  { xls: '. < 130', ctx: inRepeat('age'), sjs: '{panel.age} < 130', cases: [[{ panel: { age: 30 } }, true], [{ panel: { age: 140 } }, false]] },
  { xls: 'position(..) > 1 and ${age} < 18', ctx: inRepeat(), sjs: '({panelIndex} + 1) > 1 and {panel.age} < 18', cases: [[{ panelIndex: 1, panel: { age: 5 } }, true], [{ panelIndex: 0, panel: { age: 5 } }, false]] },
  { xls: 'position(..) * 2', ctx: inRepeat(), sjs: '({panelIndex} + 1) * 2', cases: [[{ panelIndex: 2 }, 6]] },
  // Aggregates over a repeat from outside it.
  { xls: 'sum(${age})', ctx: top(), sjs: "sumInArray({members}, 'age')", cases: [[{ members: [{ age: 30 }, { age: 5 }, {}] }, 35]] },
  { xls: 'max(${age})', ctx: top(), sjs: "maxInArray({members}, 'age')", cases: [[{ members: [{ age: 30 }, { age: 5 }] }, 30]] },
  { xls: 'count(${members}) = ${hh_size}', ctx: top(), sjs: '{members.length} = {hh_size}', cases: [[{ members: [{}, {}], hh_size: 2 }, true], [{ members: [{}], hh_size: 2 }, false]] },
];

function evaluate(sjs: string, values: Record<string, unknown>): unknown {
  return new ExpressionRunner(sjs).runValues(values);
}

describe('XLSForm expression → SurveyJS expression', () => {
  test.each(TABLE.map((r) => [r.xls, r]))('%s', (_x, row) => {
    const sjs = xlsToSurveyExpression(row.xls, row.ctx);
    expect(sjs).toBe(row.sjs);
    for (const [values, expected] of row.cases) expect(evaluate(sjs, values)).toEqual(expected);
    // Conditions also run through ConditionRunner (what visibleIf/validators use).
    const boolCases = row.cases.filter(([, e]) => typeof e === 'boolean');
    for (const [values, expected] of boolCases) expect(new ConditionRunner(sjs).runValues(values)).toBe(expected);
  });

  test.each(TABLE.map((r) => [r.sjs, r]))('back to XLSForm and again gives the same SurveyJS: %s', (_s, row) => {
    const xls = surveyToXlsExpression(row.sjs, row.ctx);
    expect(xlsToSurveyExpression(xls, row.ctx)).toBe(row.sjs);
  });

  test('exports self references as "." and lengths by question kind', () => {
    expect(surveyToXlsExpression('{t.length} <= 5', top('t'))).toBe('string-length(.) <= 5');
    expect(surveyToXlsExpression('{sm.length} >= 2', top())).toBe('count-selected(${sm}) >= 2');
    expect(surveyToXlsExpression('{members.length} = {hh_size}', top())).toBe('count(${members}) = ${hh_size}');
    expect(surveyToXlsExpression("{panel.sex} = '2'", inRepeat())).toBe("${sex} = '2'");
    expect(surveyToXlsExpression("{sm} notcontains 'x'", top())).toBe("not(selected(${sm}, 'x'))");
    expect(surveyToXlsExpression('{a} notempty', top())).toBe("${a} != ''");
  });

  const ERRORS: Array<[string, TranslateContext, RegExp]> = [
    ['${zzz} > 1', top(), /unknown question \$\{zzz\}/],
    ["jr:choice-name(${so}, '${so}')", top(), /Unsupported function jr:choice-name/],
    ['position(..) = 1', top(), /only be used inside a repeat/],
    ['${age} = ../x', inRepeat(), /Relative paths/],
    ["concat('a', ${t})", top(), /Unsupported function concat/],
    ['/data/a > 1', top(), /Absolute paths/],
    ['${a} >', top(), /Unexpected end/],
    ['${a} > 1)', top(), /Syntax error/],
    ["${a} = 'x", top(), /Unterminated string/],
    ['${age} > 1', top(), /inside repeat members/],
    ["regex(${t}, '^a')", top(), /regex\(\) is only supported/],
    ['province = ${so}', top(), /Unknown name "province"/],
    ['${a} # 2', top(), /Unexpected character/],
    ['selected(${sm})', top(), /takes 2 argument/],
  ];
  test.each(ERRORS)('rejects %s', (src, ctx, message) => {
    let caught: unknown;
    try { xlsToSurveyExpression(src, ctx); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(XlsExprError);
    expect((caught as XlsExprError).en).toMatch(message);
    expect((caught as XlsExprError).zh.length).toBeGreaterThan(0);
  });

  test('anyof/allof with a list become or/and chains that mean the same', () => {
    const cases: Array<[string, string, Array<Record<string, unknown>>]> = [
      ["{sm} anyof ['a', 'b']", "selected(${sm}, 'a') or selected(${sm}, 'b')", [{ sm: ['a'] }, { sm: ['c'] }, { sm: ['b', 'c'] }, {}]],
      ["{sm} allof ['a', 'b']", "selected(${sm}, 'a') and selected(${sm}, 'b')", [{ sm: ['a'] }, { sm: ['a', 'b'] }, {}]],
      ["{so} anyof ['a', 'b'] and {a} > 1", "(${so} = 'a' or ${so} = 'b') and ${a} > 1", [{ so: 'a', a: 2 }, { so: 'c', a: 2 }, { so: 'b', a: 0 }]],
    ];
    for (const [sjs, xls, samples] of cases) {
      expect(surveyToXlsExpression(sjs, top())).toBe(xls);
      const back = xlsToSurveyExpression(xls, top());
      for (const values of samples) expect(new ConditionRunner(back).runValues(values)).toBe(new ConditionRunner(sjs).runValues(values));
    }
  });

  test('SurveyJS expressions outside the XLSForm subset are refused on export', () => {
    expect(() => surveyToXlsExpression('{sm} anyof {so}', top())).toThrow(XlsExprError);
    expect(() => surveyToXlsExpression("age({d}) > 18", top())).toThrow(/age\(\) has no XLSForm equivalent/);
    expect(() => surveyToXlsExpression('{nope} = 1', top())).toThrow(/unknown question/);
  });
});

// ------------------------------------------------------------------ languages

describe('languages', () => {
  test.each([
    ['中文', 'zh-cn'], ['Chinese (zh)', 'zh-cn'], ['chinese (zh)', 'zh-cn'], ['zh-CN', 'zh-cn'], ['简体中文', 'zh-cn'],
    ['English (en)', 'en'], ['English', 'en'], ['英文', 'en'], ['Français (fr)', 'fr'], ['Tibetan (bo)', 'bo'],
  ])('%s → %s', (lang, locale) => expect(localeOfLanguage(lang)).toBe(locale));
  test('an unrecognisable language is undefined', () => expect(localeOfLanguage('Klingon')).toBeUndefined());
});

// ------------------------------------------------------------------ import

describe('xlsformToSurvey', () => {
  test('question types, appearances, hints, required, defaults', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'hint', 'required', 'appearance', 'default'],
      ['text', 'name_text', '备注', '随便写', 'yes', '', ''],
      ['text', 'story', '经过', '', '', 'multiline', ''],
      ['integer', 'people', '人数', '', 'TRUE', '', '3'],
      ['decimal', 'weight', '体重', '', '1', '', ''],
      ['date', 'visit', '日期', '', 'no', '', ''],
      ['time', 'at', '时间'],
      ['datetime', 'when', '时刻'],
      ['select_one yn', 'smoke', '吸烟吗', '', '', 'minimal', 'no'],
      ['select_multiple yn', 'both', '多选', '', '', 'minimal', 'yes no'],
      ['select_multiple yn', 'cb', '多选2'],
      ['note', 'intro', '欢迎'],
    ], [['list_name', 'name', 'label'], ['yn', 'yes', '是'], ['yn', 'no', '否']]));
    expect(r.problems).toEqual([]);
    const els = (r.definition['pages'] as Array<{ elements: unknown[] }>)[0]?.elements;
    expect(els).toEqual([
      { type: 'text', name: 'name_text', title: '备注', description: '随便写', isRequired: true },
      { type: 'comment', name: 'story', title: '经过' },
      { type: 'text', inputType: 'number', step: 1, name: 'people', title: '人数', isRequired: true, defaultValue: 3 },
      { type: 'text', inputType: 'number', name: 'weight', title: '体重', isRequired: true },
      { type: 'text', inputType: 'date', name: 'visit', title: '日期' },
      { type: 'text', inputType: 'time', name: 'at', title: '时间' },
      { type: 'text', inputType: 'datetime-local', name: 'when', title: '时刻' },
      { type: 'dropdown', name: 'smoke', title: '吸烟吗', choices: [{ value: 'yes', text: '是' }, { value: 'no', text: '否' }], defaultValue: 'no' },
      { type: 'tagbox', name: 'both', title: '多选', choices: [{ value: 'yes', text: '是' }, { value: 'no', text: '否' }], defaultValue: ['yes', 'no'] },
      { type: 'checkbox', name: 'cb', title: '多选2', choices: [{ value: 'yes', text: '是' }, { value: 'no', text: '否' }] },
      { type: 'html', name: 'intro', html: '欢迎' },
    ]);
    const model = expectLoadsCleanly(r.definition);
    expect([...(model.getQuestionByName('both').value as string[])]).toEqual(['yes', 'no']);
    expectRoundTrip(r.definition);
  });

  test('multilingual labels: label::中文, label::Chinese (zh), label::English (en) → { default: English, "zh-cn" }', () => {
    const choices = [['list_name', 'name', 'label::中文', 'label::English (en)'], ['yn', 'y', '是', 'Yes'], ['yn', 'n', '否', 'No']];
    const zhFirst = xlsformToSurvey(wb([
      ['type', 'name', 'label::中文', 'label::English (en)', 'hint::中文', 'hint::English (en)', 'constraint', 'constraint_message::中文', 'constraint_message::English (en)'],
      ['integer', 'age', '年龄', 'Age', '周岁', 'Full years', '. < 130', '年龄不对', 'Age is wrong'],
      ['select_one yn', 'ok', '满意吗', 'Satisfied?'],
    ], choices, [['form_title', 'default_language'], ['健康调查', '中文']]));
    expect(zhFirst.problems).toEqual([]);
    const age = (zhFirst.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements[0];
    // survey-core's default locale is English: `default` holds English, `zh-cn` Chinese.
    expect(age?.['title']).toEqual({ default: 'Age', 'zh-cn': '年龄' });
    expect(age?.['description']).toEqual({ default: 'Full years', 'zh-cn': '周岁' });
    expect(age?.['validators']).toEqual([{ type: 'expression', expression: '{age} empty or ({age} < 130)', text: { default: 'Age is wrong', 'zh-cn': '年龄不对' } }]);
    expect(zhFirst.definition['locale']).toBe('zh-cn');
    expect(zhFirst.title).toEqual({ zh: '健康调查' });
    const model = expectLoadsCleanly(zhFirst.definition);
    expect(model.getQuestionByName('age').title).toBe('年龄');
    model.locale = 'en';
    expect(model.getQuestionByName('age').title).toBe('Age');
    expect((model.getQuestionByName('ok') as QuestionSelectBase).choices.map((c) => c.text)).toEqual(['Yes', 'No']);
    model.locale = 'zh-cn';
    expect(model.getQuestionByName('age').title).toBe('年龄');
    expectRoundTrip(zhFirst.definition);

    const pyxformStyle = xlsformToSurvey(wb([
      ['type', 'name', 'label::Chinese (zh)', 'label::English (en)'],
      ['text', 'x', '姓名', 'Name'],
    ], undefined, [['default_language'], ['English (en)']]));
    const x = (pyxformStyle.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements[0];
    expect(x?.['title']).toEqual({ default: 'Name', 'zh-cn': '姓名' });
    expect(pyxformStyle.definition['locale']).toBeUndefined();
    expectRoundTrip(pyxformStyle.definition);

    // Chinese only: `default` falls back to the Chinese text.
    const zhOnly = xlsformToSurvey(wb([['type', 'name', 'label::中文'], ['text', 'x', '姓名']]));
    expect((zhOnly.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements[0]?.['title']).toEqual({ default: '姓名', 'zh-cn': '姓名' });
    expect(zhOnly.definition['locale']).toBe('zh-cn');
    expectRoundTrip(zhOnly.definition);

    const both = xlsformToSurvey(wb([['type', 'name', 'label', 'label::English (en)', 'label::中文'], ['text', 'x', 'X', 'Name', '姓名']]));
    expect(both.problems).toEqual([expect.objectContaining({ sheet: 'survey', row: 1, column: 'label', code: 'UNSUPPORTED_COLUMN', severity: 'warning' })]);

    const unknownLang = xlsformToSurvey(wb([['type', 'name', 'label', 'label::Klingon'], ['text', 'x', 'X', 'Qapla']]));
    expect(unknownLang.problems).toEqual([expect.objectContaining({ sheet: 'survey', row: 1, column: 'label::klingon', code: 'UNSUPPORTED_COLUMN' })]);
  });

  test('constraints: empty answers pass (as in ODK), violations show the constraint_message; regex() becomes a regex validator', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'constraint', 'constraint_message'],
      ['integer', 'age', '年龄', '. >= 0 and . <= 120', '年龄应在 0 到 120 之间'],
      ['text', 'phone', '电话', "regex(., '^1[0-9]{10}$') and string-length(.) = 11", '请填写 11 位手机号'],
    ]));
    expect(r.problems).toEqual([]);
    const model = expectLoadsCleanly(r.definition);
    model.locale = 'zh-cn';
    const age = model.getQuestionByName('age');
    const phone = model.getQuestionByName('phone');
    expect(model.validate(true)).toBe(true);
    age.value = 130;
    expect(age.validate(true)).toBe(false);
    expect(age.errors.map((e) => e.text)).toEqual(['年龄应在 0 到 120 之间']);
    age.value = 40;
    expect(age.validate(true)).toBe(true);
    phone.value = '23800138000';
    expect(phone.validate(true)).toBe(false);
    expect(phone.errors.map((e) => e.text)).toEqual(['请填写 11 位手机号']);
    phone.value = '13800138000';
    expect(phone.validate(true)).toBe(true);
    expect(phone.getType()).toBe('text');
    expectRoundTrip(r.definition);
  });

  test('required expressions become requiredIf; relevant becomes visibleIf and really hides', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'relevant', 'required', 'required_message'],
      ['select_one yn', 'sick', '生病了吗'],
      ['text', 'what', '什么病', "${sick} = 'yes'", "${sick} = 'yes'", '请填写病名'],
    ], [['list_name', 'name', 'label'], ['yn', 'yes', '是'], ['yn', 'no', '否']]));
    expect(r.problems).toEqual([]);
    const model = expectLoadsCleanly(r.definition);
    const what = model.getQuestionByName('what');
    expect(what.isVisible).toBe(false);
    model.setValue('sick', 'yes');
    expect(what.isVisible).toBe(true);
    expect(what.isRequired).toBe(true);
    expect(model.validate(true)).toBe(false);
    expect(what.errors.map((e) => e.text)).toEqual(['请填写病名']);
    expectRoundTrip(r.definition);
  });

  test('unsupported rows, columns, types and expressions are reported with sheet and row; questions are kept where possible', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'relevant', 'media::image', 'constraint'],
      ['start', 'start'],
      ['text', 'a', 'A'],
      ['geopoint', 'where', '位置'],
      ['text', 'b', 'B', "jr:choice-name(${a}, '${a}') = 'x'"],
      ['select_one_from_file villages.csv', 'village', '村'],
      ['select_one nolist', 'c', 'C'],
      ['text', 'a', 'A again'],
      ['text', '', 'no name'],
      ['text', 'pic', 'P', '', 'pic.png'],
      ['end_group'],
      ['frobnicate', 'f', 'F'],
      ['integer', 'n', 'N', '', '', "regex(., '^1') or . > 3"],
      ['begin_group', 'g', 'G'],
      ['text', 'inner', 'I'],
    ]));
    const got = r.problems.map((p) => [p.sheet, p.row, p.code, p.severity, p.column]);
    expect(got).toEqual([
      ['survey', 2, 'UNSUPPORTED_TYPE', 'warning', 'type'],
      ['survey', 4, 'UNSUPPORTED_TYPE', 'error', 'type'],
      ['survey', 5, 'EXPRESSION', 'error', 'relevant'],
      ['survey', 6, 'UNSUPPORTED_TYPE', 'error', 'type'],
      ['survey', 7, 'MISSING_LIST', 'error', 'type'],
      ['survey', 8, 'DUPLICATE_NAME', 'error', 'name'],
      ['survey', 9, 'MISSING_NAME', 'error', 'name'],
      ['survey', 10, 'UNSUPPORTED_COLUMN', 'error', 'media::image'],
      ['survey', 11, 'UNBALANCED_GROUP', 'error', 'type'],
      ['survey', 12, 'UNKNOWN_TYPE', 'error', 'type'],
      ['survey', 13, 'EXPRESSION', 'error', 'constraint'],
      ['survey', 14, 'UNBALANCED_GROUP', 'error', 'type'],
    ]);
    for (const p of r.problems) {
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.messageEn.length).toBeGreaterThan(0);
    }
    const names = (r.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements.map((e) => e['name']);
    expect(names).toEqual(['a', 'b', 'village', 'c', 'a_row8', 'row9', 'pic', 'n', 'g']);
    const b = (r.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements[1];
    expect(b).toEqual({ type: 'text', name: 'b', title: 'B' });
    const model = new Model(r.definition);
    expect(model.jsonErrors ?? []).toEqual([]);
    expect(model.validateExpressions()).toEqual([]);
  });

  test('names survey-core cannot use are renamed and references follow; case-only duplicates are renamed', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'relevant'],
      ['integer', 'hh.size', '人数'],
      ['text', 'Age', '年龄'],
      ['text', 'age', '年龄 2'],
      ['note', 'n', '共 ${hh.size} 人', '${hh.size} > 1 and ${Age} != \'\''],
    ]));
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([[2, 'BAD_NAME'], [4, 'DUPLICATE_NAME']]);
    const els = (r.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements ?? [];
    expect(els.map((e) => e['name'])).toEqual(['hh_size', 'Age', 'age_row4', 'n']);
    expect(els[3]).toEqual({ type: 'html', name: 'n', html: '共 {hh_size} 人', visibleIf: "{hh_size} > 1 and {Age} != ''" });
    expectLoadsCleanly(r.definition);
    expectRoundTrip(r.definition);
  });

  test('settings: form_title, form_id, version, default_language; unknown settings are reported', () => {
    const r = xlsformToSurvey(wb([['type', 'name', 'label'], ['text', 'a', 'A']], undefined, [
      ['form_title', 'form_id', 'version', 'default_language', 'instance_name'],
      ['2026 年健康知识调查', 'health_2026', '2026112901', '中文', "concat('x', ${a})"],
    ]));
    expect(r.settings).toEqual({ formTitle: '2026 年健康知识调查', formId: 'health_2026', version: '2026112901', defaultLanguage: '中文' });
    expect(r.title).toEqual({ zh: '2026 年健康知识调查' });
    expect(r.definition['title']).toBe('2026 年健康知识调查');
    expect(r.problems).toEqual([expect.objectContaining({ sheet: 'settings', row: 2, column: 'instance_name' })]);
    const back = surveyToXlsform(r.definition, { formId: 'health_2026', version: '2026112901' });
    expect(back.settings[0]?.cells).toEqual({ form_title: '2026 年健康知识调查', form_id: 'health_2026', version: '2026112901', default_language: '中文 (zh)' });
  });

  test('calculate at top level becomes a calculated value usable in relevant and labels', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'calculation', 'relevant'],
      ['integer', 'w', '体重(公斤)'],
      ['decimal', 'h', '身高(米)'],
      ['calculate', 'bmi', '', 'round(${w} div (${h} * ${h}), 1)'],
      ['note', 'show', 'BMI = ${bmi}', '', '${bmi} > 28'],
    ]));
    expect(r.problems).toEqual([]);
    expect(r.definition['calculatedValues']).toEqual([{ name: 'bmi', expression: 'round({w} / ({h} * {h}), 1)', includeIntoResult: true }]);
    const model = expectLoadsCleanly(r.definition);
    model.setValue('w', 90);
    model.setValue('h', 1.7);
    expect(model.getVariable('bmi')).toBe(31.1);
    expect(model.getQuestionByName('show').isVisible).toBe(true);
    model.setValue('w', 60);
    expect(model.getQuestionByName('show').isVisible).toBe(false);
    expect(model.data).toEqual({ w: 60, h: 1.7, bmi: 20.8 });
    expectRoundTrip(r.definition);
  });

  test('repeat with a fixed repeat_count becomes a fixed panel count', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'repeat_count'],
      ['begin_repeat', 'kids', '孩子', '2'],
      ['text', 'kname', '名字'],
      ['end_repeat'],
    ]));
    expect(r.problems).toEqual([]);
    const el = (r.definition['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements[0];
    expect(el).toMatchObject({ type: 'paneldynamic', panelCount: 2, allowAddPanel: false, allowRemovePanel: false });
    const model = expectLoadsCleanly(r.definition);
    expect((model.getQuestionByName('kids') as QuestionPanelDynamicModel).panels.length).toBe(2);
    expectRoundTrip(r.definition);
  });

  test('nested repeats: references to the enclosing repeat go through {parentPanel.…}, in labels too', () => {
    const r = xlsformToSurvey(wb([
      ['type', 'name', 'label', 'relevant'],
      ['begin_repeat', 'hh', '户'],
      ['text', 'head', '户主'],
      ['integer', 'n', '人数'],
      ['begin_repeat', 'kids', '孩子'],
      ['text', 'kid', '${head} 的孩子名字'],
      ['integer', 'kage', '年龄', '${n} > 1'],
      ['end_repeat'],
      ['end_repeat'],
    ]));
    expect(r.problems).toEqual([]);
    const model = expectLoadsCleanly(r.definition);
    model.data = { hh: [{ head: '张三', n: 3, kids: [{ kid: 'a' }] }, { head: '李四', n: 1, kids: [{ kid: 'b' }] }] };
    const seen = (model.getQuestionByName('hh') as QuestionPanelDynamicModel).panels.flatMap((p) =>
      (p.getQuestionByName('kids') as QuestionPanelDynamicModel).panels.map((k) => [k.getQuestionByName('kid').locTitle.renderedHtml, k.getQuestionByName('kage').isVisible]));
    expect(seen).toEqual([['张三 的孩子名字', true], ['李四 的孩子名字', false]]);
    expectRoundTrip(r.definition);
  });

  test('export: what XLSForm cannot hold is reported; SurveyJS-only parts travel in surveyjs:: columns', () => {
    const definition: SurveyDefinition = {
      pages: [{ name: 'p1', title: { default: 'Part 1', 'zh-cn': '第一部分' }, elements: [
        { type: 'rating', name: 'stars', title: '打分' },
        { type: 'text', name: 'mail', inputType: 'email', title: '邮箱', maxLength: 40 },
        { type: 'radiogroup', name: 'r', choices: [{ value: 'a', visibleIf: '{mail} notempty' }, 'b'] },
        { type: 'text', name: 'x', visibleIf: "{r} anyof ['a']" },
        { type: 'text', name: 'y', visibleIf: 'age({x}) > 18' },
      ] }, { name: 'p2', elements: [{ type: 'boolean', name: 'ok', title: '同意吗', labelTrue: '同意', correctAnswer: true }] }],
      showProgressBar: 'top',
    };
    const { workbook, problems } = surveyToXlsformWithProblems(definition);
    expect(problems.map((p) => [p.row, p.code, p.question])).toEqual([
      [3, 'UNSUPPORTED_ELEMENT', 'stars'],
      [4, 'KEPT_AS_SURVEYJS', 'r'],
      [6, 'KEPT_AS_SURVEYJS', 'y'],
    ]);
    expect(workbook.survey.map((r) => [r.cells['type'], r.cells['name']])).toEqual([
      ['begin_group', 'p1'], ['text', 'mail'], ['select_one r', 'r'], ['text', 'x'], ['text', 'y'], ['end_group', 'p1'],
      ['begin_group', 'p2'], ['select_one ok', 'ok'], ['end_group', 'p2'],
    ]);
    expect(workbook.survey[1]?.cells).toMatchObject({ 'surveyjs::input_type': 'email', 'surveyjs::max_length': '40' });
    expect(workbook.survey[3]?.cells['relevant']).toBe("${r} = 'a'");
    expect(workbook.survey[4]?.cells['surveyjs::visible_if']).toBe('age({x}) > 18');
    expect(workbook.settings[0]?.cells['surveyjs::show_progress_bar']).toBe('top');
    // Back in: everything except the rating, and x's condition in its equivalent XLSForm form.
    const back = xlsformToSurvey(workbook);
    expect(back.problems).toEqual([]);
    const expected = structuredClone(definition) as { pages: Array<{ elements: Array<Record<string, unknown>> }> };
    expected.pages[0]?.elements.splice(0, 1);
    const x = expected.pages[0]?.elements.find((e) => e['name'] === 'x');
    if (x) x['visibleIf'] = "{r} = 'a'";
    const r = expected.pages[0]?.elements.find((e) => e['name'] === 'r');
    if (r) r['choices'] = [{ value: 'a', visibleIf: '{mail} notempty' }, 'b'];
    expect(back.definition).toEqual(expected);
    const model = new Model(back.definition);
    expect(model.jsonErrors ?? []).toEqual([]);
    expect(model.getQuestionByName('ok').getType()).toBe('boolean');
  });

  test('export: a designer validator without the empty-answer guard is exported, with a warning that XLSForm skips empty answers', () => {
    const { workbook, problems } = surveyToXlsformWithProblems({ pages: [{ name: 'page1', elements: [
      { type: 'text', name: 'n', inputType: 'number', validators: [{ type: 'expression', expression: '{n} > 0', text: '要大于 0' }] },
      { type: 'text', name: 'm', inputType: 'number', validators: [{ type: 'expression', expression: '{m} empty or {m} = 1 or {m} > 5' }, { type: 'regex', regex: '^[0-9]+$' }] },
    ] }] });
    expect(problems.map((p) => [p.row, p.code])).toEqual([[2, 'APPROXIMATED']]);
    expect(workbook.survey.map((r) => [r.cells['constraint'], r.cells['constraint_message']])).toEqual([
      ['. > 0', '要大于 0'],
      ['(. = 1 or . > 5) and regex(., \'^[0-9]+$\')', undefined],
    ]);
    // …and it means the same after import: 3 fails, 1 and 7 pass.
    const back = xlsformToSurvey(workbook);
    const model = new Model(back.definition);
    const m = model.getQuestionByName('m');
    expect([3, 1, 7].map((v) => { m.value = v; return m.validate(true); })).toEqual([false, true, true]);
  });

  test('templates: designer → XLSForm → designer keeps the quiz and satisfaction templates exactly; the census loads cleanly', () => {
    for (const t of loadTemplates()) {
      const { workbook, problems } = surveyToXlsformWithProblems(t.definition);
      const back = xlsformToSurvey(workbook);
      expect(back.problems).toEqual([]);
      expect(checkDefinition(t.kind, back.definition)).toEqual([]);
      if (t.id === 'household-census') {
        expect(problems.every((p) => p.code === 'KEPT_AS_SURVEYJS')).toBe(true);
      } else {
        expect(problems).toEqual([]);
        expect(back.definition).toEqual(t.definition);
      }
    }
  });
});
