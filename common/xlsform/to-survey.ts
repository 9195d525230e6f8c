/**
 * XLSForm workbook → SurveyJS definition. Every row, column, type and expression that cannot be
 * carried over is reported in `problems` with its sheet and row; questions are still created where
 * they can be, without the untranslatable part. The row builders are in import-rows.ts.
 */
import type { SurveyDefinition } from '../api/forms';
import { parseXls, type QuestionKind, translate, type TranslateContext, XlsExprError } from './expression';
import {
  applyPassthrough, type Container, ImportContext, type Json, KNOWN_UNSUPPORTED_TYPES, METADATA_TYPES, normalizeRow,
  parseType, SETTINGS_COLUMNS,
} from './import-context';
import { buildCalculate, buildGroup, buildNote, buildQuestion, reportUnknownColumns, type RowInput } from './import-rows';
import { localeOfLanguage } from './languages';
import { passthroughColumn, passthroughProperty } from './passthrough';
import type { XlsFormSettings, XlsProblem, XlsRow, XlsWorkbook } from './types';

export { REPEAT_COUNT_MESSAGE } from './import-context';

export interface XlsToSurveyResult {
  definition: SurveyDefinition;
  problems: XlsProblem[];
  /** form_title, shaped like CunWen's LocalizedText. */
  title?: { zh: string; en?: string };
  settings: XlsFormSettings;
}

/** Names CunWen accepts (checkDefinition's QUESTION_NAME_PATTERN): safe in expressions and as storage keys. */
const NAME_PATTERN = /^[\p{L}_][\p{L}\p{N}_-]*$/u;

const SUPPORTED_TYPES = new Set([
  'text', 'integer', 'decimal', 'date', 'time', 'datetime', 'note', 'calculate', 'select_one', 'select_multiple',
  'select_one_from_file', 'select_multiple_from_file', 'begin_group', 'begin_repeat',
]);

const nonEmpty = (rows: XlsRow[]): XlsRow[] => rows.map(normalizeRow).filter((r) => Object.keys(r.cells).length > 0);

function readSettings(ic: ImportContext, s0: XlsRow | undefined): XlsFormSettings {
  const problems = ic.problems;
  const settings: XlsFormSettings = {};
  if (s0) {
    const c = s0.cells;
    if (c['form_title']) settings.formTitle = c['form_title'];
    if (c['form_id']) settings.formId = c['form_id'];
    if (c['version']) settings.version = c['version'];
    if (c['default_language']) settings.defaultLanguage = c['default_language'];
    for (const k of Object.keys(c)) {
      if (!SETTINGS_COLUMNS.has(k) && !passthroughProperty(k)) {
        problems.add('settings', s0.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `设置表的 "${k}" 列不受支持,已忽略`, `Settings column "${k}" is not supported and was ignored`, { column: k });
      }
    }
  }
  if (settings.defaultLanguage && !localeOfLanguage(settings.defaultLanguage) && s0) {
    problems.add('settings', s0.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `无法识别默认语言 "${settings.defaultLanguage}"`, `Default language "${settings.defaultLanguage}" is not recognised`, { column: 'default_language' });
  }
  return settings;
}

function readChoices(ic: ImportContext, choiceRows: XlsRow[]): void {
  const problems = ic.problems;
  const lists = ic.lists;
  for (const r of choiceRows) {
    const list = r.cells['list_name'];
    if (!list) {
      problems.add('choices', r.rowNumber, 'MISSING_NAME', 'error', '选项缺少 list_name,已忽略', 'Choice has no list_name and was ignored', { column: 'list_name' });
      continue;
    }
    if (r.cells['name'] === undefined) {
      problems.add('choices', r.rowNumber, 'MISSING_NAME', 'error', `列表 ${list} 中的选项缺少 name,已忽略`, `A choice of list ${list} has no name and was ignored`, { column: 'name' });
      continue;
    }
    for (const k of Object.keys(r.cells)) {
      if (/^(media::|image|audio|video|big-image)/.test(k)) {
        problems.add('choices', r.rowNumber, 'UNSUPPORTED_COLUMN', 'error', `选项的 "${k}" 列(媒体)不受支持,已忽略`, `Choice column "${k}" (media) is not supported and was ignored`, { column: k });
      }
    }
    const arr = lists.get(list) ?? [];
    if (arr.some((x) => x.cells['name'] === r.cells['name'])) {
      problems.add('choices', r.rowNumber, 'DUPLICATE_NAME', 'error', `列表 ${list} 中选项 ${r.cells['name']} 重复,已忽略`, `Duplicate choice ${r.cells['name']} in list ${list} was ignored`, { column: 'name' });
      continue;
    }
    arr.push(r);
    lists.set(list, arr);
  }
}

/**
 * Names every row that will become an element (missing names → `row<N>`, duplicates → `<name>_row<N>`,
 * both reported) and records each name's kind and enclosing repeats: references may point forward.
 */
function collectInfos(ic: ImportContext, surveyRows: XlsRow[]): void {
  const infos = ic.infos;
  const problems = ic.problems;
  const calculations = new Map<string, string>();
  const open: Array<{ kind: 'group' | 'repeat'; name: string }> = [];
  const seenNames = new Map<string, number>();
  for (const r of surveyRows) {
    const t = parseType(r.cells['type'] ?? '');
    if (t.base === 'end_group' || t.base === 'end_repeat') {
      // Mirrors the main pass: an end row closes only a matching begin row.
      if (open[open.length - 1]?.kind === (t.base === 'end_group' ? 'group' : 'repeat')) open.pop();
      continue;
    }
    // Rows that will not become elements are not referable (references to them are reported).
    if (!r.cells['type'] || !SUPPORTED_TYPES.has(t.base) || METADATA_TYPES.has(t.base)) continue;
    const original = r.cells['name'];
    let name = original;
    if (!name) {
      name = `row${r.rowNumber}`;
      if (t.base !== 'begin_group' && t.base !== 'note') {
        problems.add('survey', r.rowNumber, 'MISSING_NAME', 'error', `该行缺少 name,已命名为 ${name}`, `The row has no name; it was named ${name}`, { column: 'name' });
      }
    } else if (!NAME_PATTERN.test(name)) {
      // "." would be read as a path by survey-core and is unsafe as a storage key.
      const fixed = name.replace(/[^\p{L}\p{N}_-]/gu, '_').replace(/^(?=[\p{N}-])/u, '_');
      problems.add('survey', r.rowNumber, 'BAD_NAME', 'warning', `名称 ${name} 含有不能用的字符,已改为 ${fixed}`, `Name ${name} has characters that cannot be used; renamed to ${fixed}`, { column: 'name', question: name });
      name = fixed;
    }
    // survey-core compares names case-insensitively in expressions.
    const firstRow = seenNames.get(name.toLowerCase());
    if (firstRow !== undefined) {
      const renamed = `${name}_row${r.rowNumber}`;
      problems.add('survey', r.rowNumber, 'DUPLICATE_NAME', 'error', `名称 ${name} 与第 ${firstRow} 行重复,已改名为 ${renamed}`, `Name ${name} repeats row ${firstRow}; renamed to ${renamed}`, { column: 'name', question: name });
      name = renamed;
    }
    seenNames.set(name.toLowerCase(), r.rowNumber);
    ic.rowNames.set(r.rowNumber, name);
    const kind: QuestionKind = t.base.startsWith('select_one') ? 'select_one' : t.base.startsWith('select_multiple') ? 'select_multiple'
      : t.base === 'begin_repeat' ? 'repeat' : t.base === 'begin_group' ? 'group' : t.base === 'calculate' ? 'calculate' : 'other';
    const info = { name, kind, repeats: open.filter((o) => o.kind === 'repeat').map((o) => o.name) };
    // ${original} refers to the first row of that name; the element's own (final) name also resolves.
    const key = original ?? name;
    if (!infos.has(key)) infos.set(key, info);
    if (!infos.has(name)) infos.set(name, info);
    if (t.base === 'begin_group' || t.base === 'begin_repeat') open.push({ kind: t.base === 'begin_group' ? 'group' : 'repeat', name });
    if (t.base === 'calculate' && !r.cells[passthroughColumn('expression')]) calculations.set(name, r.cells['calculation'] ?? '');
  }
  // A calculate whose calculation cannot be translated is left out, and so are references to it:
  // drop such calculates until the rest translate (they may refer to one another).
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, src] of calculations) {
      const info = infos.get(name);
      if (!info) continue;
      try {
        translate(parseXls(src), { self: name, lookup: ic.lookup, repeats: info.repeats });
      } catch (e) {
        if (!(e instanceof XlsExprError)) throw e;
        for (const [k, v] of [...infos]) if (v === info) infos.delete(k);
        changed = true;
      }
    }
  }
}

/** Pages: top-level groups marked `surveyjs::page`; other top-level rows fill numbered pages. */
function toPages(elements: Json[]): Json[] {
  const pages: Json[] = [];
  let pending: Json[] = [];
  const flush = (): void => {
    if (pending.length) pages.push({ name: `page${pages.length + 1}`, elements: pending });
    pending = [];
  };
  for (const el of elements) {
    if (el['type'] === 'panel' && el['page'] === true) {
      flush();
      const page: Json = { ...el };
      delete page['type'];
      delete page['page'];
      pages.push(page);
    } else pending.push(el);
  }
  flush();
  return pages.length ? pages : [{ name: 'page1', elements: [] }];
}

export function xlsformToSurvey(workbook: XlsWorkbook): XlsToSurveyResult {
  const ic = new ImportContext();
  const problems = ic.problems;
  const surveyRows = nonEmpty(workbook.survey);
  const s0 = nonEmpty(workbook.settings)[0];
  const settings = readSettings(ic, s0);
  const defaultLocale = settings.defaultLanguage ? localeOfLanguage(settings.defaultLanguage) : undefined;
  readChoices(ic, nonEmpty(workbook.choices));
  collectInfos(ic, surveyRows);

  const root: Container = { kind: 'root', row: 0, elements: [], repeats: [] };
  const stack: Container[] = [root];
  const calculatedValues: Json[] = [];

  for (const row of surveyRows) {
    const c = row.cells;
    const rawType = c['type'] ?? '';
    const t = parseType(rawType);
    const container = stack[stack.length - 1] as Container;

    if (t.base === 'end_group' || t.base === 'end_repeat') {
      const want = t.base === 'end_group' ? 'group' : 'repeat';
      if (container.kind !== want) {
        problems.add('survey', row.rowNumber, 'UNBALANCED_GROUP', 'error', `"${rawType}" 没有对应的开始行,已忽略`, `"${rawType}" has no matching begin row and was ignored`, { column: 'type' });
        continue;
      }
      stack.pop();
      continue;
    }
    if (!rawType) {
      problems.add('survey', row.rowNumber, 'UNKNOWN_TYPE', 'error', '该行没有题型(type),已忽略', 'The row has no type and was ignored', { column: 'type' });
      continue;
    }
    if (METADATA_TYPES.has(t.base)) {
      problems.add('survey', row.rowNumber, 'UNSUPPORTED_TYPE', 'warning', `元数据题型 "${t.base}" 不需要:村问自动记录答题时间`, `Metadata type "${t.base}" is not needed: CunWen records timing itself`, { column: 'type', question: c['name'] });
      continue;
    }
    if (!SUPPORTED_TYPES.has(t.base)) {
      const known = KNOWN_UNSUPPORTED_TYPES.has(t.base);
      problems.add('survey', row.rowNumber, known ? 'UNSUPPORTED_TYPE' : 'UNKNOWN_TYPE', 'error',
        known ? `题型 "${rawType}" 不受支持,该题未导入` : `无法识别的题型 "${rawType}",该题未导入`,
        known ? `Type "${rawType}" is not supported; the question was not imported` : `Unknown type "${rawType}"; the question was not imported`,
        { column: 'type', question: c['name'] });
      continue;
    }

    const name = ic.rowNames.get(row.rowNumber) ?? `row${row.rowNumber}`;
    const ctx: TranslateContext = { self: name, lookup: ic.lookup, repeats: container.repeats };
    const input: RowInput = { row, type: t, rawType, name, container, ctx };
    reportUnknownColumns(ic, input);
    if (t.base === 'begin_group' || t.base === 'begin_repeat') stack.push(buildGroup(ic, input));
    else if (t.base === 'calculate') buildCalculate(ic, input, calculatedValues);
    else if (t.base === 'note') buildNote(ic, input);
    else buildQuestion(ic, input);
  }
  for (let i = stack.length - 1; i > 0; i--) {
    const open = stack[i] as Container;
    problems.add('survey', open.row, 'UNBALANCED_GROUP', 'error', `第 ${open.row} 行开始的分组没有结束行,已在表尾结束`, `The group begun on row ${open.row} has no end row; it was closed at the end of the sheet`, { column: 'type' });
  }

  const definition: SurveyDefinition = {};
  // The form opens in its default language; without one, in Chinese when there are Chinese texts.
  const locale = defaultLocale ?? (ic.usedLocales.has('zh-cn') ? 'zh-cn' : undefined);
  if (locale && locale !== 'en') definition['locale'] = locale;
  if (settings.formTitle) definition['title'] = settings.formTitle;
  definition['pages'] = toPages(root.elements);
  if (calculatedValues.length) definition['calculatedValues'] = calculatedValues;
  if (s0) applyPassthrough(definition, s0.cells);

  // Problems in sheet and row order (names are checked in a first pass).
  const sheetOrder = { survey: 0, choices: 1, settings: 2 } as const;
  const sorted = [...problems.list].sort((x, y) => sheetOrder[x.sheet] - sheetOrder[y.sheet] || x.row - y.row);
  const result: XlsToSurveyResult = { definition, problems: sorted, settings };
  if (settings.formTitle) result.title = { zh: settings.formTitle };
  return result;
}
