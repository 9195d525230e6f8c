/**
 * Random (often broken) XLSForms: the importer never throws, what it produces always loads in
 * survey-core without JSON or expression errors, CunWen's definition checker accepts it, and a round trip through export is stable.
 */
import fc from 'fast-check';
import { Model } from 'survey-core';
import { checkDefinition } from '../../common/forms/check-definition';
import { surveyToXlsform, xlsformToSurvey, type XlsRow, type XlsWorkbook } from '../../common/xlsform';

const NAMES = ['a', 'b', 'c', 'hh', 'age', 'sex', 'A', 'x.y', '1st'];
const TYPES = [
  'text', 'integer', 'decimal', 'date', 'note', 'calculate', 'select_one yn', 'select_multiple yn', 'select_one missing',
  'begin_group', 'end_group', 'begin_repeat', 'end_repeat', 'geopoint', 'start', 'frobnicate', 'select_one_from_file x.csv', '',
];
const EXPRESSIONS = [
  '', '${a} > 1', "${b} = 'yes'", "selected(${sex}, 'yes')", 'count-selected(${sex}) > 1', '. > 0', 'not(${c} = 2)',
  '${age} >= 18 and ${hh} != 1', 'sum(${age})', 'count(${hh})', 'string-length(.) < 5', "if(${a} > 1, 'x', 'y')",
  '. < 3 or . > 7', '${a} >', "jr:choice-name(${a}, 'x')", '${zzz} = 1', '${x.y} = 2', '${A} + ${1st} > 2', "regex(., '^[0-9]+$')", 'position(..) > 1', '../a = 1',
];

const row = fc.record({
  type: fc.constantFrom(...TYPES),
  name: fc.constantFrom(...NAMES, ''),
  label: fc.constantFrom('', '标题', 'Label ${a}'),
  relevant: fc.constantFrom(...EXPRESSIONS),
  constraint: fc.constantFrom(...EXPRESSIONS),
  calculation: fc.constantFrom(...EXPRESSIONS),
  required: fc.constantFrom('', 'yes', 'no', '${a} = 1'),
  choice_filter: fc.constantFrom('', 'f = ${a}', 'nocol = ${a}'),
  repeat_count: fc.constantFrom('', '2', '${a}'),
});

const CHOICES: XlsRow[] = [
  { rowNumber: 2, cells: { list_name: 'yn', name: 'yes', label: '是', f: '1' } },
  { rowNumber: 3, cells: { list_name: 'yn', name: 'no', label: '否', f: '2' } },
];

function workbook(rows: Array<Record<string, string>>): XlsWorkbook {
  return {
    survey: rows.map((cells, i) => ({ rowNumber: i + 2, cells: Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== '')) })),
    choices: CHOICES,
    settings: [],
  };
}

describe('importing random XLSForms (property)', () => {
  test('never throws; the definition loads cleanly; export → import is stable', () => {
    fc.assert(fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), (rows) => {
      const first = xlsformToSurvey(workbook(rows));
      const model = new Model(first.definition);
      try {
        expect(model.jsonErrors ?? []).toEqual([]);
        expect(model.validateExpressions()).toEqual([]);
        // CunWen's own checks (names, duplicates…) pass too; a form of notes only is merely EMPTY.
        expect(checkDefinition('general', first.definition).filter((p) => p.code !== 'EMPTY')).toEqual([]);
      } finally {
        model.dispose();
      }
      const second = xlsformToSurvey(surveyToXlsform(first.definition));
      expect(second.definition).toEqual(first.definition);
    }), { numRuns: 120 });
  });
});
