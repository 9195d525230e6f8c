/**
 * XLSForm workbook → SurveyJS definition. Every row, column, type and expression that cannot be
 * carried over is reported in `problems` with its sheet and row; questions are still created where
 * they can be, without the untranslatable part.
 */
import type { SurveyDefinition } from '../api/forms';
import {
  joinAnd, parseXls, type QuestionInfo, type QuestionKind, splitAnd, translate, translateLabelText,
  type TranslateContext, XlsExprError, type XExpr,
} from './expression';
import { buildText, localeOfLanguage, type SurveyText } from './languages';
import { decodePassthrough, passthroughColumn, passthroughProperty } from './passthrough';
import type { XlsFormSettings, XlsProblem, XlsProblemCode, XlsRow, XlsSheetName, XlsWorkbook } from './types';

export interface XlsToSurveyResult {
  definition: SurveyDefinition;
  problems: XlsProblem[];
  /** form_title, shaped like CunWen's LocalizedText. */
  title?: { zh: string; en?: string };
  settings: XlsFormSettings;
}

type Json = Record<string, unknown>;

/** The message of the validator that stands for a repeat_count expression. */
export const REPEAT_COUNT_MESSAGE = { default: 'The number of entries does not match', 'zh-cn': '条目数量与要求不符' } as const;

/** A select_one exported from a SurveyJS boolean (marked `surveyjs::type`): back to a boolean. */
function booleanFromChoices(el: Json): void {
  const items = Array.isArray(el['choices']) ? (el['choices'] as Json[]) : [];
  const yes = items.find((i) => i['value'] === 'true');
  const no = items.find((i) => i['value'] === 'false');
  if (yes?.['text'] !== undefined) el['labelTrue'] = yes['text'];
  if (no?.['text'] !== undefined) el['labelFalse'] = no['text'];
  delete el['choices'];
  delete el['showOtherItem'];
}

/** Copy `surveyjs::<property>` cells onto a SurveyJS object. */
function applyPassthrough(target: Json, cells: Record<string, string>): void {
  for (const [k, v] of Object.entries(cells)) {
    const prop = passthroughProperty(k);
    if (prop) target[prop] = decodePassthrough(v);
  }
}

const SURVEY_COLUMNS = new Set([
  'type', 'name', 'label', 'hint', 'required', 'required_message', 'relevant', 'constraint', 'constraint_message',
  'choice_filter', 'default', 'appearance', 'calculation', 'repeat_count', 'read_only',
]);
const LOCALIZED_COLUMNS = new Set(['label', 'hint', 'constraint_message', 'required_message']);
const COLUMN_ALIASES: Record<string, string> = {
  'jr:constraintmsg': 'constraint_message', 'jr:requiredmsg': 'required_message', 'calculate': 'calculation',
  'readonly': 'read_only', 'list name': 'list_name', 'choice filter': 'choice_filter', 'repeat count': 'repeat_count',
};
const CHOICE_RESERVED = new Set(['list_name', 'name', 'label']);
const SETTINGS_COLUMNS = new Set(['form_title', 'form_id', 'version', 'default_language']);

const METADATA_TYPES = new Set([
  'start', 'end', 'today', 'deviceid', 'subscriberid', 'simserial', 'phonenumber', 'username', 'email', 'audit',
  'start-geopoint', 'uri:deviceid', 'uri:email', 'uri:username', 'uri:phonenumber', 'uri:subscriberid', 'uri:simserial',
]);
const KNOWN_UNSUPPORTED_TYPES = new Set([
  'geopoint', 'geotrace', 'geoshape', 'image', 'audio', 'video', 'file', 'barcode', 'range', 'acknowledge', 'trigger',
  'hidden', 'rank', 'background-audio', 'xml-external', 'csv-external', 'select_one_external', 'select_multiple_external',
  'select_one_from_file', 'select_multiple_from_file', 'background-geopoint',
]);
const TRUE_WORDS = new Set(['yes', 'true', '1', 'true()', '是']);
const FALSE_WORDS = new Set(['', 'no', 'false', '0', 'false()', '否']);

interface ParsedType {
  base: string;
  list?: string;
  orOther?: boolean;
}

function parseType(raw: string): ParsedType {
  const t = raw.trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  for (const g of ['begin group', 'end group', 'begin repeat', 'end repeat']) {
    if (lower === g || lower === g.replace(' ', '_')) return { base: g.replace(' ', '_') };
  }
  const sel = /^(select_one|select_multiple|select one|select multiple)\s+(\S+)(\s+or_other)?$/i.exec(t);
  if (sel) {
    const base = (sel[1] as string).toLowerCase().replace(' ', '_');
    return { base, list: sel[2] as string, orOther: !!sel[3] };
  }
  const first = lower.split(' ')[0] ?? '';
  return { base: first === 'int' ? 'integer' : first };
}

/** Canonical column key: lower-cased, trimmed, aliases resolved, "::" language suffix kept. */
function canonicalColumn(key: string): string {
  const k = key.trim().toLowerCase();
  const [base, ...rest] = k.split('::');
  const b = COLUMN_ALIASES[(base ?? '').trim()] ?? (base ?? '').trim();
  return rest.length ? `${b}::${rest.join('::').trim()}` : b;
}

function normalizeRow(row: XlsRow): XlsRow {
  const cells: Record<string, string> = {};
  for (const [k, v] of Object.entries(row.cells)) {
    const value = typeof v === 'string' ? v.trim() : String(v ?? '').trim();
    if (value === '') continue;
    cells[canonicalColumn(k)] = value;
  }
  return { rowNumber: row.rowNumber, cells };
}

class Problems {
  readonly list: XlsProblem[] = [];
  add(sheet: XlsSheetName, row: number, code: XlsProblemCode, severity: 'error' | 'warning', zh: string, en: string, extra: { column?: string; question?: string } = {}): void {
    const p: XlsProblem = { sheet, row, code, severity, message: zh, messageEn: en };
    if (extra.column !== undefined) p.column = extra.column;
    if (extra.question !== undefined) p.question = extra.question;
    this.list.push(p);
  }
}

interface Container {
  kind: 'root' | 'group' | 'repeat';
  row: number;
  json: Json;
  elements: Json[];
  repeats: string[];
}

export function xlsformToSurvey(workbook: XlsWorkbook): XlsToSurveyResult {
  const problems = new Problems();
  const surveyRows = workbook.survey.map(normalizeRow).filter((r) => Object.keys(r.cells).length > 0);
  const choiceRows = workbook.choices.map(normalizeRow).filter((r) => Object.keys(r.cells).length > 0);
  const settingsRows = workbook.settings.map(normalizeRow).filter((r) => Object.keys(r.cells).length > 0);

  // ---- settings
  const settings: XlsFormSettings = {};
  const s0 = settingsRows[0];
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
  const defaultLocale = settings.defaultLanguage ? localeOfLanguage(settings.defaultLanguage) : undefined;
  if (settings.defaultLanguage && !defaultLocale && s0) {
    problems.add('settings', s0.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `无法识别默认语言 "${settings.defaultLanguage}"`, `Default language "${settings.defaultLanguage}" is not recognised`, { column: 'default_language' });
  }

  // ---- localized text helper (reports unknown languages once per sheet and column)
  const reportedLang = new Set<string>();
  const usedLocales = new Set<string>();
  const text = (sheet: XlsSheetName, row: XlsRow, base: string, pipe?: TranslateContext): SurveyText | undefined => {
    const byLocale: Record<string, string> = {};
    let plain = row.cells[base];
    for (const [k, v] of Object.entries(row.cells)) {
      if (!k.startsWith(`${base}::`)) continue;
      const lang = k.slice(base.length + 2);
      const loc = localeOfLanguage(lang);
      if (!loc) {
        if (!reportedLang.has(`${sheet}:${k}`)) {
          reportedLang.add(`${sheet}:${k}`);
          problems.add(sheet, 1, 'UNSUPPORTED_COLUMN', 'error', `无法识别 "${k}" 列的语言,该列已忽略`, `The language of column "${k}" is not recognised; the column was ignored`, { column: k });
        }
        continue;
      }
      byLocale[loc] = v;
    }
    if (pipe) {
      const fix = (s: string): string => {
        const r = translateLabelText(s, pipe);
        for (const u of r.unknown) {
          problems.add(sheet, row.rowNumber, 'EXPRESSION', 'error', `文字中引用的 \${${u}} 无法转换`, `The reference \${${u}} in the text cannot be translated`, { column: base, question: pipe.self });
        }
        return r.text;
      };
      if (plain !== undefined) plain = fix(plain);
      for (const l of Object.keys(byLocale)) byLocale[l] = fix(byLocale[l] as string);
    }
    if (plain !== undefined && byLocale['en'] !== undefined && !reportedLang.has(`${sheet}:plain:${base}`)) {
      reportedLang.add(`${sheet}:plain:${base}`);
      problems.add(sheet, 1, 'UNSUPPORTED_COLUMN', 'warning', `同时有 "${base}" 列和英文列:SurveyJS 的默认文字即英文,"${base}" 列已忽略`, `Both "${base}" and an English column: SurveyJS's default text is English, so "${base}" was ignored`, { column: base });
    }
    for (const l of Object.keys(byLocale)) usedLocales.add(l);
    return buildText(plain, byLocale);
  };

  // ---- choices
  const lists = new Map<string, XlsRow[]>();
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

  // ---- pre-pass: every named element, its kind and its enclosing repeats
  const infos = new Map<string, QuestionInfo>();
  {
    const stack: string[] = [];
    const repeatFlags: boolean[] = [];
    for (const r of surveyRows) {
      const t = parseType(r.cells['type'] ?? '');
      const name = r.cells['name'];
      if (t.base === 'end_group' || t.base === 'end_repeat') {
        const wasRepeat = repeatFlags.pop();
        if (wasRepeat) stack.pop();
        continue;
      }
      const kind: QuestionKind = t.base === 'select_one' ? 'select_one' : t.base === 'select_multiple' ? 'select_multiple'
        : t.base === 'begin_repeat' ? 'repeat' : t.base === 'calculate' ? 'calculate' : 'other';
      if (name && !infos.has(name)) infos.set(name, { name, kind, repeats: [...stack] });
      if (t.base === 'begin_group') repeatFlags.push(false);
      if (t.base === 'begin_repeat') { repeatFlags.push(true); if (name) stack.push(name); }
    }
  }
  const lookup = (n: string): QuestionInfo | undefined => infos.get(n);

  // ---- main pass
  const root: Container = { kind: 'root', row: 0, json: {}, elements: [], repeats: [] };
  const stack: Container[] = [root];
  const calculatedValues: Json[] = [];
  const seenNames = new Map<string, number>();
  const top = (): Container => stack[stack.length - 1] as Container;

  const expr = (row: XlsRow, column: string, src: string, ctx: TranslateContext, question?: string): string | undefined => {
    try {
      return translate(parseXls(src), ctx);
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', `${column} 表达式无法转换,已省略:${e.zh}`, `The ${column} expression cannot be translated and was left out: ${e.en}`, { column, question });
      return undefined;
    }
  };

  for (const row of surveyRows) {
    const c = row.cells;
    const rawType = c['type'] ?? '';
    const t = parseType(rawType);
    const container = top();

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
    const supported = ['text', 'integer', 'decimal', 'date', 'time', 'datetime', 'note', 'calculate', 'select_one', 'select_multiple', 'begin_group', 'begin_repeat'];
    const fromFile = t.base === 'select_one_from_file' || t.base === 'select_multiple_from_file';
    if (!supported.includes(t.base) && !fromFile) {
      const known = KNOWN_UNSUPPORTED_TYPES.has(t.base);
      problems.add('survey', row.rowNumber, known ? 'UNSUPPORTED_TYPE' : 'UNKNOWN_TYPE', 'error',
        known ? `题型 "${rawType}" 不受支持,该题未导入` : `无法识别的题型 "${rawType}",该题未导入`,
        known ? `Type "${rawType}" is not supported; the question was not imported` : `Unknown type "${rawType}"; the question was not imported`,
        { column: 'type', question: c['name'] });
      continue;
    }

    // name
    let name = c['name'];
    if (!name) {
      if (t.base === 'begin_group' || t.base === 'note') name = `row${row.rowNumber}`;
      else {
        name = `row${row.rowNumber}`;
        problems.add('survey', row.rowNumber, 'MISSING_NAME', 'error', `该行缺少 name,已命名为 ${name}`, `The row has no name; it was named ${name}`, { column: 'name' });
      }
    }
    const firstRow = seenNames.get(name);
    if (firstRow !== undefined) {
      const renamed = `${name}_row${row.rowNumber}`;
      problems.add('survey', row.rowNumber, 'DUPLICATE_NAME', 'error', `名称 ${name} 与第 ${firstRow} 行重复,已改名为 ${renamed}`, `Name ${name} repeats row ${firstRow}; renamed to ${renamed}`, { column: 'name', question: name });
      name = renamed;
    }
    seenNames.set(name, row.rowNumber);

    const ctx: TranslateContext = { self: name, lookup, repeats: container.repeats };
    const el: Json = {};
    const used = new Set<string>(['type', 'name']);
    const useText = (base: string, key: string, pipe = true): void => {
      const v = text('survey', row, base, pipe ? ctx : undefined);
      if (v !== undefined) el[key] = v;
      used.add(base);
    };

    // unsupported columns of this row
    for (const k of Object.keys(c)) {
      const base = k.split('::')[0] as string;
      if (SURVEY_COLUMNS.has(base) && (!k.includes('::') || LOCALIZED_COLUMNS.has(base))) continue;
      if (passthroughProperty(k)) continue;
      problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'error', `"${k}" 列不受支持,已忽略`, `Column "${k}" is not supported and was ignored`, { column: k, question: name });
    }

    const relevant = c['relevant'];
    const applyRelevant = (): void => {
      used.add('relevant');
      if (relevant) {
        const v = expr(row, 'relevant', relevant, ctx, name);
        if (v !== undefined) el['visibleIf'] = v;
      }
    };

    if (t.base === 'begin_group' || t.base === 'begin_repeat') {
      const isRepeat = t.base === 'begin_repeat';
      el['type'] = isRepeat ? 'paneldynamic' : 'panel';
      el['name'] = name;
      useText('label', 'title');
      useText('hint', 'description');
      applyRelevant();
      const appearance = c['appearance'];
      used.add('appearance');
      if (appearance && appearance !== 'field-list') {
        problems.add('survey', row.rowNumber, 'UNSUPPORTED_APPEARANCE', 'warning', `外观 "${appearance}" 不受支持,已忽略`, `Appearance "${appearance}" is not supported and was ignored`, { column: 'appearance', question: name });
      }
      const children: Json[] = [];
      if (isRepeat) {
        el['templateElements'] = children;
        const rc = c['repeat_count'];
        used.add('repeat_count');
        if (rc) {
          if (/^\d+$/.test(rc)) {
            el['panelCount'] = Number(rc);
            el['allowAddPanel'] = false;
            el['allowRemovePanel'] = false;
          } else {
            const v = expr(row, 'repeat_count', rc, ctx, name);
            if (v !== undefined) {
              el['validators'] = [{
                type: 'expression',
                expression: `${ctx.repeats.length ? `{panel.${name}.length}` : `{${name}.length}`} = ${v.includes(' ') ? `(${v})` : v}`,
                text: REPEAT_COUNT_MESSAGE,
              }];
              problems.add('survey', row.rowNumber, 'APPROXIMATED', 'warning', 'repeat_count 表达式转为校验:SurveyJS 不会自动增减条目,由校验提示数量不符', 'repeat_count expression became a check: SurveyJS does not add entries automatically; a validator reports a mismatch', { column: 'repeat_count', question: name });
            }
          }
        }
      } else {
        el['elements'] = children;
      }
      for (const k of Object.keys(c)) {
        const base = k.split('::')[0] as string;
        if (SURVEY_COLUMNS.has(base) && !used.has(base) && !['label', 'hint'].includes(base)) {
          problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `"${k}" 列对分组无效,已忽略`, `Column "${k}" has no effect on a group and was ignored`, { column: k, question: name });
        }
      }
      applyPassthrough(el, c);
      container.elements.push(el);
      stack.push({ kind: isRepeat ? 'repeat' : 'group', row: row.rowNumber, json: el, elements: children, repeats: isRepeat ? [...container.repeats, name] : container.repeats });
      continue;
    }

    if (t.base === 'calculate') {
      used.add('calculation');
      const calc = c['calculation'];
      const keptExpression = c[passthroughColumn('expression')];
      if (!calc && !keptExpression) {
        problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', 'calculate 缺少 calculation 列,已忽略', 'calculate has no calculation and was ignored', { column: 'calculation', question: name });
        continue;
      }
      // An exact SurveyJS expression kept by an export wins over the translated calculation.
      const v = keptExpression ? undefined : expr(row, 'calculation', calc as string, ctx, name);
      if (v === undefined && !keptExpression) continue;
      // Inside a repeat (or when an export says so) a calculate is a hidden expression question.
      const asQuestion = container.repeats.length > 0 || c[passthroughColumn('type')] === 'expression';
      const calcJson: Json = asQuestion
        ? { type: 'expression', name, expression: v, visible: false }
        : { name, expression: v, includeIntoResult: true };
      applyPassthrough(calcJson, c);
      (asQuestion ? container.elements : calculatedValues).push(calcJson);
      for (const k of Object.keys(c)) {
        const base = k.split('::')[0] as string;
        if (SURVEY_COLUMNS.has(base) && !['type', 'name', 'calculation', 'label', 'hint'].includes(base)) {
          problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `"${k}" 列对 calculate 无效,已忽略`, `Column "${k}" has no effect on calculate and was ignored`, { column: k, question: name });
        }
      }
      continue;
    }

    if (t.base === 'note') {
      el['type'] = 'html';
      el['name'] = name;
      const v = text('survey', row, 'label', ctx);
      if (v !== undefined) el['html'] = v;
      used.add('label');
      applyRelevant();
      if (Object.keys(c).some((k) => k === 'hint' || k.startsWith('hint::'))) {
        problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', '说明(note)的 hint 已忽略', 'The hint of a note was ignored', { column: 'hint', question: name });
      }
      applyPassthrough(el, c);
      container.elements.push(el);
      continue;
    }

    // ---- questions
    const appearance = c['appearance'];
    used.add('appearance');
    let appearanceUsed = !appearance;
    switch (t.base) {
      case 'text':
        el['type'] = appearance === 'multiline' ? 'comment' : 'text';
        if (appearance === 'multiline') appearanceUsed = true;
        break;
      case 'integer': el['type'] = 'text'; el['inputType'] = 'number'; el['step'] = 1; break;
      case 'decimal': el['type'] = 'text'; el['inputType'] = 'number'; break;
      case 'date': el['type'] = 'text'; el['inputType'] = 'date'; break;
      case 'time': el['type'] = 'text'; el['inputType'] = 'time'; break;
      case 'datetime': el['type'] = 'text'; el['inputType'] = 'datetime-local'; break;
      case 'select_one':
      case 'select_one_from_file':
        el['type'] = appearance === 'minimal' ? 'dropdown' : 'radiogroup';
        if (appearance === 'minimal') appearanceUsed = true;
        break;
      case 'select_multiple':
      case 'select_multiple_from_file':
        el['type'] = appearance === 'minimal' ? 'tagbox' : 'checkbox';
        if (appearance === 'minimal') appearanceUsed = true;
        break;
    }
    el['name'] = name;
    if (!appearanceUsed) {
      problems.add('survey', row.rowNumber, 'UNSUPPORTED_APPEARANCE', 'warning', `外观 "${appearance}" 不受支持,已忽略`, `Appearance "${appearance}" is not supported and was ignored`, { column: 'appearance', question: name });
    }
    useText('label', 'title');
    useText('hint', 'description');
    applyRelevant();

    // required
    const req = c['required'];
    used.add('required');
    if (req) {
      const lower = req.toLowerCase();
      if (TRUE_WORDS.has(lower)) el['isRequired'] = true;
      else if (!FALSE_WORDS.has(lower)) {
        const v = expr(row, 'required', req, ctx, name);
        if (v !== undefined) el['requiredIf'] = v;
      }
      const msg = text('survey', row, 'required_message');
      if (msg !== undefined) el['requiredErrorText'] = msg;
    }
    used.add('required_message');

    const ro = c['read_only'];
    used.add('read_only');
    if (ro) {
      const lower = ro.toLowerCase();
      if (TRUE_WORDS.has(lower)) el['readOnly'] = true;
      else if (!FALSE_WORDS.has(lower)) {
        problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', 'read_only 只支持 yes/no,表达式已省略', 'read_only only supports yes/no; the expression was left out', { column: 'read_only', question: name });
      }
    }

    // choices
    if (t.base === 'select_one' || t.base === 'select_multiple') {
      if (t.orOther) {
        el['showOtherItem'] = true;
        problems.add('survey', row.rowNumber, 'APPROXIMATED', 'warning', 'or_other 转为"其他"选项,答案存为 other 加补充说明', 'or_other became an "Other" item; the answer is stored as "other" plus a comment', { column: 'type', question: name });
      }
      const list = lists.get(t.list ?? '');
      if (!list) {
        problems.add('survey', row.rowNumber, 'MISSING_LIST', 'error', `选项表中没有列表 "${t.list}"`, `The choices sheet has no list "${t.list}"`, { column: 'type', question: name });
      }
      const filterSrc = c['choice_filter'];
      used.add('choice_filter');
      let filter: XExpr | undefined;
      if (filterSrc) {
        try {
          filter = parseXls(filterSrc);
        } catch (e) {
          if (!(e instanceof XlsExprError)) throw e;
          problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', `choice_filter 表达式无法转换,已省略:${e.zh}`, `The choice_filter expression cannot be translated and was left out: ${e.en}`, { column: 'choice_filter', question: name });
        }
      }
      const items = (list ?? []).map((cr) => {
        const item: Json = { value: cr.cells['name'] };
        const label = text('choices', cr, 'label');
        if (label !== undefined) item['text'] = label;
        applyPassthrough(item, cr.cells);
        return { item, cells: cr.cells };
      });
      if (filter) {
        try {
          for (const it of items) it.item['visibleIf'] = translate(filter, { ...ctx, choiceRow: it.cells });
        } catch (e) {
          if (!(e instanceof XlsExprError)) throw e;
          for (const it of items) delete it.item['visibleIf'];
          problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', `choice_filter 表达式无法转换,已省略:${e.zh}`, `The choice_filter expression cannot be translated and was left out: ${e.en}`, { column: 'choice_filter', question: name });
        }
      }
      el['choices'] = items.map((i) => i.item);
    } else if (fromFile) {
      el['choices'] = [];
      problems.add('survey', row.rowNumber, 'UNSUPPORTED_TYPE', 'error', `"${rawType}" 的选项来自外部文件,无法导入;已建空选项题,请手工添加选项`, `"${rawType}" takes its choices from an external file, which cannot be imported; the question was created without choices`, { column: 'type', question: name });
    } else if (c['choice_filter']) {
      used.add('choice_filter');
      problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', 'choice_filter 只对选择题有效,已忽略', 'choice_filter only applies to select questions and was ignored', { column: 'choice_filter', question: name });
    }

    // default
    const def = c['default'];
    used.add('default');
    if (def) {
      if (def.includes('${') || /[a-z-]+\(/i.test(def)) {
        const v = expr(row, 'default', def, ctx, name);
        if (v !== undefined) el['defaultValueExpression'] = v;
      } else if (t.base === 'select_multiple') el['defaultValue'] = def.split(/\s+/);
      else if ((t.base === 'integer' || t.base === 'decimal') && Number.isFinite(Number(def))) el['defaultValue'] = Number(def);
      else el['defaultValue'] = def;
    }

    // constraint
    const constraint = c['constraint'];
    used.add('constraint');
    used.add('constraint_message');
    if (constraint) {
      const message = text('survey', row, 'constraint_message');
      const validators: Json[] = [];
      try {
        const parts = splitAnd(parseXls(constraint));
        const regexParts: string[] = [];
        const rest: XExpr[] = [];
        for (const p of parts) {
          if (p.k === 'call' && p.fn === 'regex') {
            const [subject, pattern] = p.args;
            const isSelf = subject?.k === 'self' || (subject?.k === 'ref' && subject.name === name);
            if (p.args.length === 2 && isSelf && pattern?.k === 'str') { regexParts.push(pattern.v); continue; }
            throw new XlsExprError('regex() 只支持 regex(., \'模式\')', "regex() is only supported as regex(., 'pattern')");
          }
          rest.push(p);
        }
        const joined = joinAnd(rest);
        if (joined) {
          const self = translate({ k: 'self' }, ctx);
          const inner = translate(joined, ctx);
          validators.push({ type: 'expression', expression: `${self} empty or (${inner})` });
        }
        for (const re of regexParts) validators.push({ type: 'regex', regex: re });
      } catch (e) {
        if (!(e instanceof XlsExprError)) throw e;
        problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', `constraint 表达式无法转换,已省略:${e.zh}`, `The constraint expression cannot be translated and was left out: ${e.en}`, { column: 'constraint', question: name });
      }
      if (message !== undefined) for (const v of validators) v['text'] = message;
      if (validators.length) el['validators'] = validators;
    }

    for (const k of ['calculation', 'repeat_count']) {
      if (c[k]) problems.add('survey', row.rowNumber, 'UNSUPPORTED_COLUMN', 'warning', `"${k}" 列对该题型无效,已忽略`, `Column "${k}" has no effect on this type and was ignored`, { column: k, question: name });
    }
    applyPassthrough(el, c);
    if (el['type'] === 'boolean') booleanFromChoices(el);
    container.elements.push(el);
  }
  for (let i = stack.length - 1; i > 0; i--) {
    const open = stack[i] as Container;
    problems.add('survey', open.row, 'UNBALANCED_GROUP', 'error', `第 ${open.row} 行开始的分组没有结束行,已在表尾结束`, `The group begun on row ${open.row} has no end row; it was closed at the end of the sheet`, { column: 'type' });
  }

  const definition: SurveyDefinition = {};
  // The form opens in its default language; without one, in Chinese when there are Chinese texts.
  const locale = defaultLocale ?? (usedLocales.has('zh-cn') ? 'zh-cn' : undefined);
  if (locale && locale !== 'en') definition['locale'] = locale;
  if (settings.formTitle) definition['title'] = settings.formTitle;
  // Top-level groups marked `surveyjs::page` are pages; other top-level rows fill numbered pages.
  const pages: Json[] = [];
  let pending: Json[] = [];
  const flush = (): void => {
    if (pending.length) pages.push({ name: `page${pages.length + 1}`, elements: pending });
    pending = [];
  };
  for (const el of root.elements) {
    if (el['type'] === 'panel' && el['page'] === true) {
      flush();
      const page: Json = { ...el };
      delete page['type'];
      delete page['page'];
      pages.push(page);
    } else pending.push(el);
  }
  flush();
  definition['pages'] = pages.length ? pages : [{ name: 'page1', elements: [] }];
  if (calculatedValues.length) definition['calculatedValues'] = calculatedValues;
  if (s0) applyPassthrough(definition, s0.cells);

  const result: XlsToSurveyResult = { definition, problems: problems.list, settings };
  if (settings.formTitle) result.title = { zh: settings.formTitle };
  return result;
}
