import ExcelJS from 'exceljs';
import { Model, QuestionPanelDynamicModel, QuestionSelectBase } from 'survey-core';
import type { SurveyDefinition } from '../../common/api/forms';
import { checkDefinition } from '../../common/forms/check-definition';
import { surveyToXlsformWithProblems, xlsformToSurvey } from '../../common/xlsform';
import { readXlsformWorkbook, writeXlsformWorkbook, XlsxReadError } from '../../server/xlsform/xlsx';
import { loadTemplates } from '../../form-definitions';

type Cell = ExcelJS.CellValue;

/** A real .xlsx built with exceljs, the way a form author's spreadsheet looks. */
async function makeXlsx(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r, i) => {
      const row = ws.getRow(i + 1);
      r.forEach((v, j) => { if (v !== null && v !== undefined && v !== '') row.getCell(j + 1).value = v; });
      row.commit();
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importFile(buffer: Buffer) {
  return xlsformToSurvey(await readXlsformWorkbook(buffer));
}

function expectLoadsCleanly(definition: SurveyDefinition, kind: 'census' | 'general' = 'general'): Model {
  const model = new Model(definition);
  expect(model.jsonErrors ?? []).toEqual([]);
  expect(model.validateExpressions()).toEqual([]);
  expect(checkDefinition(kind, definition)).toEqual([]);
  return model;
}

/** .xlsx → survey → .xlsx → survey gives the same definition. */
async function expectFileRoundTrip(definition: SurveyDefinition): Promise<void> {
  const { workbook, problems } = surveyToXlsformWithProblems(definition);
  expect(problems).toEqual([]);
  const file = await writeXlsformWorkbook(workbook);
  const again = await importFile(file);
  expect(again.definition).toEqual(definition);
}

const elementsOf = (d: SurveyDefinition): Array<Record<string, unknown>> =>
  (d['pages'] as Array<{ elements: Array<Record<string, unknown>> }>)[0]?.elements ?? [];

// ------------------------------------------------------------------ household roster

const ROSTER_SURVEY: Cell[][] = [
  ['type', 'name', 'label::中文', 'label::English (en)', 'relevant', 'constraint', 'constraint_message::中文', 'constraint_message::English (en)', 'required', 'repeat_count', 'calculation'],
  ['text', 'hh_head', '户主姓名', 'Head of household', '', '', '', '', 'yes'],
  ['integer', 'hh_size', '家庭人口数', 'Household size', '', '. >= 1 and . <= 30', '人口数应在 1 到 30 之间', 'Household size must be 1 to 30', 'yes'],
  ['begin_repeat', 'members', '家庭成员', 'Household member', '', '', '', '', '', '${hh_size}'],
  ['text', 'm_name', '姓名', 'Name', '', '', '', '', 'yes'],
  ['select_one sex', 'sex', '性别', 'Sex'],
  ['integer', 'age', '年龄', 'Age', '', '. >= 0 and . < 130', '年龄应在 0 到 129 之间', 'Age must be 0 to 129', 'yes'],
  ['select_one yn', 'pregnant', '是否怀孕', 'Pregnant?', "${sex} = '2' and ${age} >= 15 and ${age} <= 49"],
  ['select_one yn', 'school', '是否在校', 'In school?', '${age} >= 6 and ${age} <= 18 and ${hh_size} > 1'],
  ['calculate', 'is_child', '', '', '', '', '', '', '', '', 'if(${age} < 18, 1, 0)'],
  ['calculate', 'pos', '', '', '', '', '', '', '', '', 'position(..)'],
  ['end_repeat'],
  ['calculate', 'total_age', '', '', '', '', '', '', '', '', 'sum(${age})'],
  ['note', 'summary', '共登记 ${hh_size} 人', '${hh_size} people recorded', 'count(${members}) > 0'],
];
const ROSTER_CHOICES: Cell[][] = [
  ['list_name', 'name', 'label::中文', 'label::English (en)'],
  ['sex', 1, '男', 'Male'],
  ['sex', 2, '女', 'Female'],
  ['yn', 'yes', '是', 'Yes'],
  ['yn', 'no', '否', 'No'],
];

describe('household roster (.xlsx)', () => {
  test('begin_repeat → paneldynamic; relevant inside the repeat works per member', async () => {
    const file = await makeXlsx({ survey: ROSTER_SURVEY, choices: ROSTER_CHOICES, settings: [['form_title', 'form_id', 'default_language'], ['户籍人口登记', 'roster', '中文']] });
    const r = await importFile(file);
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([[4, 'APPROXIMATED']]);
    expect(r.title).toEqual({ zh: '户籍人口登记' });

    const roster = elementsOf(r.definition)[2];
    expect(roster).toMatchObject({ type: 'paneldynamic', name: 'members', title: { default: 'Household member', 'zh-cn': '家庭成员' } });
    const template = roster?.['templateElements'] as Array<Record<string, unknown>>;
    expect(template.find((e) => e['name'] === 'pregnant')?.['visibleIf']).toBe("{panel.sex} = '2' and {panel.age} >= 15 and {panel.age} <= 49");
    expect(template.find((e) => e['name'] === 'school')?.['visibleIf']).toBe('{panel.age} >= 6 and {panel.age} <= 18 and {hh_size} > 1');
    expect(template.find((e) => e['name'] === 'is_child')).toEqual({ type: 'expression', name: 'is_child', expression: 'iif({panel.age} < 18, 1, 0)', visible: false });
    // Numeric choice names in numeric cells come through as strings.
    expect(template.find((e) => e['name'] === 'sex')?.['choices']).toEqual([
      { value: '1', text: { default: 'Male', 'zh-cn': '男' } },
      { value: '2', text: { default: 'Female', 'zh-cn': '女' } },
    ]);
    expect(r.definition['calculatedValues']).toEqual([{ name: 'total_age', expression: "sumInArray({members}, 'age')", includeIntoResult: true }]);

    const model = expectLoadsCleanly(r.definition, 'census');
    model.setValue('hh_size', 2);
    model.setValue('members', [{ m_name: '王芳', sex: '2', age: 30 }, { m_name: '王小明', sex: '1', age: 10 }]);
    const panels = (model.getQuestionByName('members') as QuestionPanelDynamicModel).panels;
    expect(panels.map((p) => p.getQuestionByName('pregnant').isVisible)).toEqual([true, false]);
    expect(panels.map((p) => p.getQuestionByName('school').isVisible)).toEqual([false, true]);
    expect(panels.map((p) => p.getQuestionByName('is_child').value)).toEqual([0, 1]);
    expect(panels.map((p) => p.getQuestionByName('pos').value)).toEqual([1, 2]);
    expect(model.getVariable('total_age')).toBe(40);
    expect(model.getQuestionByName('summary').isVisible).toBe(true);

    // repeat_count ${hh_size}: a mismatch is reported by the validator.
    model.setValue('hh_head', '王芳');
    expect(model.validate(true)).toBe(true);
    model.setValue('hh_size', 3);
    expect(model.validate(true)).toBe(false);
    // Constraints inside the repeat.
    model.setValue('hh_size', 2);
    const age = panels[1]?.getQuestionByName('age');
    if (!age) throw new Error('no age question');
    age.value = 200;
    expect(model.validate(true)).toBe(false);
    expect(age.errors.map((e) => e.text)).toEqual(['年龄应在 0 到 129 之间']);

    await expectFileRoundTrip(r.definition);
  });
});

// ------------------------------------------------------------------ cascading selects

describe('cascading selects (.xlsx)', () => {
  test('choice_filter province → county → township becomes per-choice visibleIf', async () => {
    const file = await makeXlsx({
      survey: [
        ['type', 'name', 'label', 'choice_filter', 'required'],
        ['select_one province', 'province', '省', '', 'yes'],
        ['select_one county', 'county', '县', 'province=${province}', 'yes'],
        ['select_one township', 'township', '乡镇', "county = ${county} and ${province} != ''", ''],
      ],
      choices: [
        ['list_name', 'name', 'label', 'province', 'county'],
        ['province', 'gz', '贵州'],
        ['province', 'yn', '云南'],
        ['county', 'leishan', '雷山县', 'gz'],
        ['county', 'rongjiang', '榕江县', 'gz'],
        ['county', 'yuanyang', '元阳县', 'yn'],
        ['township', 'danjiang', '丹江镇', 'gz', 'leishan'],
        ['township', 'xijiang', '西江镇', 'gz', 'leishan'],
        ['township', 'guzhou', '古州镇', 'gz', 'rongjiang'],
        ['township', 'nansha', '南沙镇', 'yn', 'yuanyang'],
      ],
    });
    const r = await importFile(file);
    expect(r.problems).toEqual([]);
    const county = elementsOf(r.definition)[1];
    expect(county?.['choices']).toEqual([
      { value: 'leishan', text: '雷山县', visibleIf: "'gz' = {province}" },
      { value: 'rongjiang', text: '榕江县', visibleIf: "'gz' = {province}" },
      { value: 'yuanyang', text: '元阳县', visibleIf: "'yn' = {province}" },
    ]);
    const model = expectLoadsCleanly(r.definition);
    const visible = (name: string): unknown[] => (model.getQuestionByName(name) as QuestionSelectBase).visibleChoices.map((c) => c.value);
    expect(visible('county')).toEqual([]);
    model.setValue('province', 'gz');
    expect(visible('county')).toEqual(['leishan', 'rongjiang']);
    model.setValue('county', 'leishan');
    expect(visible('township')).toEqual(['danjiang', 'xijiang']);
    model.setValue('province', 'yn');
    expect(visible('county')).toEqual(['yuanyang']);

    // Export rebuilds a choice_filter and the filter columns.
    const { workbook } = surveyToXlsformWithProblems(r.definition);
    expect(workbook.survey[1]?.cells['choice_filter']).toBe("province = ${province}");
    expect(workbook.choices.find((c) => c.cells['name'] === 'yuanyang')?.cells['province']).toBe('yn');
    await expectFileRoundTrip(r.definition);
  });
});

// ------------------------------------------------------------------ constraints, languages, calculate, problems

describe('XLSForm features (.xlsx)', () => {
  test('constraints with constraint_message, multilingual labels, a calculate; odd headers and cell types', async () => {
    const file = await makeXlsx({
      survey: [
        [' Type ', 'NAME', 'Label::中文', 'Label::English (en)', 'Hint::中文', 'Constraint', 'constraint_message::中文', 'constraint_message::English (en)', 'Required', 'Calculation', 'Appearance'],
        ['integer', 'weight', '体重(公斤)', 'Weight (kg)', '', '. > 2 and . < 300', '体重不合理', 'Implausible weight', true],
        ['decimal', 'height', '身高(米)', 'Height (m)', '例如 1.65', '. > 0.3 and . < 2.5', '身高不合理', 'Implausible height', 'yes'],
        ['calculate', 'bmi', '', '', '', '', '', '', '', { formula: 'CONCATENATE("round(${weight} div (${height} * ${height}), 1)")', result: 'round(${weight} div (${height} * ${height}), 1)' }],
        ['note', 'bmi_note', { richText: [{ text: 'BMI: ' }, { font: { bold: true }, text: '${bmi}' }] }, 'BMI: ${bmi}'],
        ['select_multiple symptoms', 'symptoms', '症状', 'Symptoms', '', "not(selected(., 'none') and count-selected(.) > 1)", '"无"不能与其他症状同选', '"None" cannot be combined', '', '', 'minimal'],
        ['text', 'phone', '手机号', 'Mobile', '', "regex(., '^1[3-9][0-9]{9}$')", '手机号格式不对', 'Invalid mobile number'],
      ],
      choices: [
        ['list_name', 'name', 'label::中文', 'label::English (en)'],
        ['symptoms', 'fever', '发热', 'Fever'],
        ['symptoms', 'cough', '咳嗽', 'Cough'],
        ['symptoms', 'none', '无', 'None'],
      ],
      settings: [['form_title', 'version'], ['体检', 20261129]],
    });
    const r = await importFile(file);
    expect(r.problems).toEqual([]);
    expect(r.settings.version).toBe('20261129');
    const els = elementsOf(r.definition);
    expect(els[0]).toMatchObject({ isRequired: true, title: { default: 'Weight (kg)', 'zh-cn': '体重(公斤)' } });
    expect(els[1]).toMatchObject({ description: { default: '例如 1.65', 'zh-cn': '例如 1.65' } });
    expect(els[2]).toEqual({ type: 'html', name: 'bmi_note', html: { default: 'BMI: {bmi}', 'zh-cn': 'BMI: {bmi}' } });
    expect(els[3]).toMatchObject({ type: 'tagbox', validators: [{ type: 'expression', expression: "{symptoms} empty or (!({symptoms} contains 'none' and {symptoms.length} > 1))" }] });
    expect(els[4]).toMatchObject({ validators: [{ type: 'regex', regex: '^1[3-9][0-9]{9}$', text: { default: 'Invalid mobile number', 'zh-cn': '手机号格式不对' } }] });

    const model = expectLoadsCleanly(r.definition);
    model.locale = 'zh-cn';
    model.setValue('weight', 70);
    model.setValue('height', 1.75);
    expect(model.getVariable('bmi')).toBe(22.9);
    const symptoms = model.getQuestionByName('symptoms');
    symptoms.value = ['fever', 'none'];
    expect(symptoms.validate(true)).toBe(false);
    expect(symptoms.errors.map((e) => e.text)).toEqual(['"无"不能与其他症状同选']);
    symptoms.value = ['none'];
    expect(symptoms.validate(true)).toBe(true);
    const weight = model.getQuestionByName('weight');
    weight.value = 500;
    expect(weight.validate(true)).toBe(false);
    model.locale = 'en';
    weight.validate(true);
    expect(weight.errors.map((e) => e.text)).toEqual(['Implausible weight']);
    const phone = model.getQuestionByName('phone');
    phone.value = '12345';
    expect(phone.validate(true)).toBe(false);
    phone.value = '13912345678';
    expect(phone.validate(true)).toBe(true);

    await expectFileRoundTrip(r.definition);
  });

  test('unsupported rows are listed with their spreadsheet row numbers (blank rows counted)', async () => {
    const file = await makeXlsx({
      survey: [
        ['type', 'name', 'label', 'relevant', 'image'],
        ['start', 'start'],
        ['text', 'village', '村名'],
        [],
        ['geopoint', 'gps', '位置'],
        ['image', 'photo', '照片'],
        ['text', 'note1', '备注', "jr:choice-name(${village}, '${village}') != ''"],
        ['select_one_from_file villages.csv', 'v2', '村'],
        ['text', 'pic', '图', '', 'a.png'],
        ['select_one nope', 'q', 'Q'],
        ['rank abc', 'rk', 'R'],
      ],
    });
    const r = await importFile(file);
    expect(r.problems.map((p) => [p.sheet, p.row, p.code, p.column, p.question])).toEqual([
      ['survey', 2, 'UNSUPPORTED_TYPE', 'type', 'start'],
      ['survey', 5, 'UNSUPPORTED_TYPE', 'type', 'gps'],
      ['survey', 6, 'UNSUPPORTED_TYPE', 'type', 'photo'],
      ['survey', 7, 'EXPRESSION', 'relevant', 'note1'],
      ['survey', 8, 'UNSUPPORTED_TYPE', 'type', 'v2'],
      ['survey', 9, 'UNSUPPORTED_COLUMN', 'image', 'pic'],
      ['survey', 10, 'MISSING_LIST', 'type', 'q'],
      ['survey', 11, 'UNSUPPORTED_TYPE', 'type', 'rk'],
    ]);
    expect(r.problems[3]?.message).toContain('jr:choice-name');
    expect(elementsOf(r.definition).map((e) => e['name'])).toEqual(['village', 'note1', 'v2', 'pic', 'q']);
    const model = new Model(r.definition);
    expect(model.jsonErrors ?? []).toEqual([]);
    expect(model.validateExpressions()).toEqual([]);
  });
});

describe('reading and writing files', () => {
  test('not an .xlsx, or no survey sheet: XlsxReadError with zh and en messages', async () => {
    await expect(readXlsformWorkbook(Buffer.from('type,name\ntext,a\n'))).rejects.toBeInstanceOf(XlsxReadError);
    const noSurvey = await makeXlsx({ choices: [['list_name', 'name'], ['a', 'b']] });
    const err = await readXlsformWorkbook(noSurvey).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxReadError);
    expect((err as XlsxReadError).zh).toContain('survey');
  });

  test('written workbooks have the three sheets with XLSForm headers, readable back cell for cell', async () => {
    const wb = {
      survey: [{ rowNumber: 2, cells: { type: 'select_one yn', name: 'ok', 'label::中文 (zh)': '好吗', label: 'OK?' } }],
      choices: [{ rowNumber: 2, cells: { list_name: 'yn', name: 'y', label: '是' } }],
      settings: [{ rowNumber: 2, cells: { form_title: '测试' } }],
    };
    const back = await readXlsformWorkbook(await writeXlsformWorkbook(wb));
    expect(back).toEqual(wb);
    const excel = new ExcelJS.Workbook();
    await excel.xlsx.load(await writeXlsformWorkbook(wb) as unknown as ExcelJS.Buffer);
    expect(excel.worksheets.map((s) => s.name)).toEqual(['survey', 'choices', 'settings']);
    expect(excel.getWorksheet('survey')?.getRow(1).values).toEqual([undefined, 'type', 'name', 'label', 'label::中文 (zh)']);
  });

  test('the built-in templates survive designer → .xlsx → designer (census: kept SurveyJS-only expressions)', async () => {
    for (const t of loadTemplates()) {
      const { workbook } = surveyToXlsformWithProblems(t.definition);
      const back = await importFile(await writeXlsformWorkbook(workbook));
      expect(back.problems).toEqual([]);
      expect(checkDefinition(t.kind, back.definition)).toEqual([]);
      if (t.id !== 'household-census') expect(back.definition).toEqual(t.definition);
    }
  });
});
