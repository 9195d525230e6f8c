/**
 * SurveyJS definition → XLSForm workbook (export), the inverse of xlsformToSurvey for the subset it
 * produces. What has no XLSForm equivalent is reported in `problems`, never silently dropped.
 */
import { BinaryOperand, ConditionsParser, UnaryOperand, Variable } from 'survey-core';
import type { SurveyDefinition } from '../api/forms';
import { parseXls, printXls, type QuestionInfo, type QuestionKind, XlsExprError, type XExpr } from './expression';
import { fallbackLocale, languageOfLocale } from './languages';
import { encodePassthrough, passthroughColumn } from './passthrough';
import { REPEAT_COUNT_MESSAGE } from './import-context';
import { type ReverseContext, surveyToXlsExpression } from './reverse-expression';
import type { XlsProblem, XlsProblemCode, XlsRow, XlsWorkbook } from './types';

type Json = Record<string, unknown>;

export interface SurveyToXlsOptions {
  formId?: string;
  version?: string;
}

export interface SurveyToXlsResult {
  workbook: XlsWorkbook;
  problems: XlsProblem[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Properties each element type may carry that the export understands (others are reported). */
const COMMON_PROPS = ['type', 'name', 'title', 'description', 'visibleIf', 'isRequired', 'requiredIf', 'requiredErrorText', 'readOnly', 'defaultValue', 'defaultValueExpression', 'validators'];
const PROPS: Record<string, string[]> = {
  text: [...COMMON_PROPS, 'inputType', 'step'],
  comment: COMMON_PROPS,
  radiogroup: [...COMMON_PROPS, 'choices', 'showOtherItem'],
  dropdown: [...COMMON_PROPS, 'choices', 'showOtherItem'],
  checkbox: [...COMMON_PROPS, 'choices', 'showOtherItem'],
  tagbox: [...COMMON_PROPS, 'choices', 'showOtherItem'],
  html: ['type', 'name', 'html', 'visibleIf'],
  boolean: [...COMMON_PROPS, 'labelTrue', 'labelFalse'],
  expression: ['type', 'name', 'expression', 'visible'],
  panel: ['type', 'name', 'title', 'description', 'visibleIf', 'elements'],
  paneldynamic: ['type', 'name', 'title', 'description', 'visibleIf', 'templateElements', 'panelCount', 'allowAddPanel', 'allowRemovePanel', 'validators'],
};

function kindOf(type: string): QuestionKind {
  if (type === 'radiogroup' || type === 'dropdown') return 'select_one';
  if (type === 'checkbox' || type === 'tagbox') return 'select_multiple';
  if (type === 'paneldynamic') return 'repeat';
  if (type === 'expression') return 'calculate';
  return 'other';
}

function childrenOf(el: Json): unknown[] {
  if (el['type'] === 'paneldynamic') return asArray(el['templateElements']);
  return asArray(el['elements']);
}

export function surveyToXlsformWithProblems(definition: SurveyDefinition, options: SurveyToXlsOptions = {}): SurveyToXlsResult {
  const problems: XlsProblem[] = [];
  const survey: XlsRow[] = [];
  const choices: XlsRow[] = [];
  const report = (row: number, code: XlsProblemCode, severity: 'error' | 'warning', zh: string, en: string, question?: string, sheet: 'survey' | 'choices' = 'survey'): void => {
    const p: XlsProblem = { sheet, row, code, severity, message: zh, messageEn: en };
    if (question !== undefined) p.question = question;
    problems.push(p);
  };

  // ---- top-level elements. Pages other than a lone plain "page1" become groups marked
  // `surveyjs::page` (XLSForm has no pages; ODK shows a field-list group as one screen).
  const pages = asArray(definition['pages']).filter(isObj);
  const topElements: unknown[] = pages.length ? pages.flatMap((p) => asArray(p['elements'])) : asArray(definition['elements']);
  const pagesAsGroups = pages.length > 1 || pages.some((p) => p['name'] !== 'page1' || Object.keys(p).some((k) => k !== 'name' && k !== 'elements'));
  const exportRoots: unknown[] = pagesAsGroups
    ? pages.map((p, i) => ({ ...p, type: 'panel', name: typeof p['name'] === 'string' ? p['name'] : `page${i + 1}`, elements: asArray(p['elements']), page: true }))
    : topElements;

  // ---- pass 1: names, kinds, repeats
  const infos = new Map<string, QuestionInfo>();
  const walk = (els: unknown[], repeats: string[]): void => {
    for (const el of els) {
      if (!isObj(el) || typeof el['name'] !== 'string') continue;
      const type = String(el['type'] ?? '');
      infos.set(el['name'], { name: el['name'], kind: kindOf(type), repeats });
      if (type === 'panel') walk(childrenOf(el), repeats);
      if (type === 'paneldynamic') walk(childrenOf(el), [...repeats, el['name']]);
    }
  };
  walk(topElements, []);
  const calculatedValues = asArray(definition['calculatedValues']).filter(isObj);
  for (const cv of calculatedValues) {
    if (typeof cv['name'] === 'string') infos.set(cv['name'], { name: cv['name'], kind: 'calculate', repeats: [] });
  }
  const lookup = (n: string): QuestionInfo | undefined => infos.get(n);

  // ---- languages: `default` is English (survey-core's default locale) unless it only repeats the fallback
  const putText = (cells: Record<string, string>, base: string, value: unknown, pipe?: boolean): void => {
    const fix = (s: string): string => (pipe ? s.replace(/(?<!\$)\{(?:panel\.|parentPanel\.)?([^{}.\s]+)\}/gi, (_m, n: string) => `\${${n}}`) : s);
    if (typeof value === 'string') { cells[base] = fix(value); return; }
    if (!isObj(value)) return;
    const texts: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') texts[k] = v;
    for (const [k, v] of Object.entries(texts)) {
      if (k === 'default') continue;
      cells[`${base}::${languageOfLocale(k)}`] = fix(v);
    }
    const def = texts['default'];
    const fallback = fallbackLocale(texts);
    if (def !== undefined && texts['en'] === undefined && (fallback === undefined || def !== texts[fallback])) {
      if (fallback === undefined) cells[base] = fix(def);
      else cells[`${base}::${languageOfLocale('en')}`] = fix(def);
    }
  };

  const listsByJson = new Map<string, string>();
  let failedFilter = false;
  const usedLists = new Set<string>();

  const rowNumber = (): number => survey.length + 2;

  /** Report that a SurveyJS property stays verbatim in a `surveyjs::` column. */
  const kept = (row: number, prop: string, question: string, zh: string, en: string): void => {
    const col = passthroughColumn(prop);
    report(row, 'KEPT_AS_SURVEYJS', 'warning', `${zh};原样保存在 ${col} 列(ODK 等工具会忽略该列)`, `${en}; kept verbatim in column ${col} (ODK tools ignore it)`, question);
  };

  /**
   * SurveyJS expression → XLSForm. When it has no XLSForm form and `keep` is given, the original
   * goes to the `surveyjs::<prop>` column so that CunWen loses nothing.
   */
  const expr = (src: unknown, ctx: ReverseContext, row: number, column: string, question: string, keep?: { cells: Record<string, string>; prop: string }): string | undefined => {
    if (typeof src !== 'string' || !src.trim()) return undefined;
    try {
      return surveyToXlsExpression(src, ctx);
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      if (keep) {
        keep.cells[passthroughColumn(keep.prop)] = src;
        kept(row, keep.prop, question, `${column} 无法写成 XLSForm 表达式:${e.zh}`, `${column} cannot be written as an XLSForm expression: ${e.en}`);
      } else {
        report(row, 'EXPRESSION', 'error', `${column} 无法转为 XLSForm,已省略:${e.zh}`, `${column} cannot be written as XLSForm and was left out: ${e.en}`, question);
      }
      return undefined;
    }
  };

  const exportChoices = (el: Json, name: string, ctx: ReverseContext, row: number, cells: Record<string, string>): string => {
    const items = el['type'] === 'boolean'
      ? [{ value: 'true', ...(el['labelTrue'] !== undefined ? { text: el['labelTrue'] } : {}) }, { value: 'false', ...(el['labelFalse'] !== undefined ? { text: el['labelFalse'] } : {}) }]
      : asArray(el['choices']).map((c) => (isObj(c) ? c : { value: c }));
    failedFilter = false;
    const filterResult = choiceFilter(items, ctx, row, name);
    if (failedFilter) cells[passthroughColumn('choices')] = encodePassthrough(el['choices']);
    const listRows: Array<Record<string, string>> = items.map((it, i) => {
      const rc: Record<string, string> = { name: String(it['value'] ?? '') };
      // A number (or other non-string) value keeps its type through a passthrough column.
      if (typeof it['value'] !== 'string') rc[passthroughColumn('value')] = encodePassthrough(it['value']);
      putText(rc, 'label', it['text']);
      Object.assign(rc, filterResult?.columns[i] ?? {});
      for (const k of Object.keys(it)) {
        if (!['value', 'text', 'visibleIf'].includes(k)) rc[passthroughColumn(k)] = encodePassthrough(it[k]);
      }
      return rc;
    });
    if (filterResult) cells['choice_filter'] = filterResult.filter;
    const key = JSON.stringify(listRows);
    const existing = listsByJson.get(key);
    if (existing) return existing;
    let list = name;
    for (let i = 2; usedLists.has(list); i++) list = `${name}_${i}`;
    usedLists.add(list);
    listsByJson.set(key, list);
    for (const rc of listRows) choices.push({ rowNumber: choices.length + 2, cells: { list_name: list, ...rc } });
    return list;
  };

  const choiceFilter = (items: Json[], ctx: ReverseContext, row: number, question: string): { filter: string; columns: Array<Record<string, string>> } | undefined => {
    const withIf = items.filter((i) => typeof i['visibleIf'] === 'string' && i['visibleIf']);
    if (withIf.length === 0) return undefined;
    const fail = (zh: string, en: string): undefined => {
      failedFilter = true;
      kept(row, 'choices', question, `选项的显示条件无法写成 choice_filter:${zh}`, `The choices' visibleIf cannot be written as a choice_filter: ${en}`);
      return undefined;
    };
    if (withIf.length !== items.length) return fail('只有部分选项有显示条件', 'only some choices have a condition');
    let asts: XExpr[];
    try {
      asts = items.map((i) => parseXls(surveyToXlsExpression(String(i['visibleIf']), ctx)));
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      return fail(e.zh, e.en);
    }
    const columns: Array<Record<string, string>> = items.map(() => ({}));
    const taken = new Set(['list_name', 'name', 'label']);
    const unify = (nodes: XExpr[], hint: string | undefined): XExpr => {
      const first = nodes[0] as XExpr;
      if (!nodes.every((n) => n.k === first.k)) throw new XlsExprError('各选项条件的结构不同', 'the conditions differ in shape');
      switch (first.k) {
        case 'str': {
          const values = nodes.map((n) => (n as typeof first).v);
          if (values.every((v) => v === first.v)) return first;
          let col = (hint ?? 'filter').toLowerCase();
          for (let i = 2; taken.has(col); i++) col = `${(hint ?? 'filter').toLowerCase()}_${i}`;
          taken.add(col);
          values.forEach((v, i) => { (columns[i] as Record<string, string>)[col] = v; });
          return { k: 'col', name: col };
        }
        case 'num':
        case 'bool':
          if (!nodes.every((n) => (n as typeof first).v === first.v)) throw new XlsExprError('各选项条件中的数字不同', 'numbers differ between the conditions');
          return first;
        case 'ref':
        case 'col':
          if (!nodes.every((n) => (n as typeof first).name === first.name)) throw new XlsExprError('各选项条件引用的题目不同', 'the conditions reference different questions');
          return first;
        case 'self':
          return first;
        case 'neg':
          return { k: 'neg', e: unify(nodes.map((n) => (n as typeof first).e), hint) };
        case 'call': {
          const calls = nodes as Array<typeof first>;
          if (!calls.every((n) => n.fn === first.fn && n.args.length === first.args.length)) throw new XlsExprError('各选项条件的函数不同', 'the conditions call different functions');
          return { k: 'call', fn: first.fn, args: first.args.map((_a, j) => unify(calls.map((n) => n.args[j] as XExpr), hint)) };
        }
        case 'bin': {
          const bins = nodes as Array<typeof first>;
          if (!bins.every((n) => n.op === first.op)) throw new XlsExprError('各选项条件的运算符不同', 'the conditions use different operators');
          const cmp = first.op === '=' || first.op === '!=';
          const lHint = cmp && first.r.k === 'ref' ? first.r.name : hint;
          const rHint = cmp && first.l.k === 'ref' ? first.l.name : hint;
          return { k: 'bin', op: first.op, l: unify(bins.map((n) => n.l), lHint), r: unify(bins.map((n) => n.r), rHint) };
        }
      }
    };
    try {
      const template = unify(asts, undefined);
      return { filter: printXls(template), columns };
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      return fail(e.zh, e.en);
    }
  };

  /** Validators → constraint + constraint_message; if any cannot be written, all stay verbatim. */
  const constraintOf = (validators: unknown, ctx: ReverseContext, row: number, name: string, cells: Record<string, string>): void => {
    const list = asArray(validators);
    if (list.length === 0) return;
    const parts: string[] = [];
    let message: unknown;
    let failure: [string, string] | undefined;
    let unguarded = false;
    for (const v of list) {
      if (!isObj(v)) continue;
      const type = String(v['type'] ?? '');
      try {
        if (type === 'expression' && typeof v['expression'] === 'string') {
          const inner = stripEmptyGuard(v['expression'], name);
          if (inner === v['expression']) unguarded = true;
          const x = surveyToXlsExpression(inner, ctx);
          parts.push(x);
        } else if (type === 'regex' && typeof v['regex'] === 'string') {
          parts.push(`regex(., ${printXls({ k: 'str', v: v['regex'] })})`);
        } else {
          throw new XlsExprError(`校验类型 ${type} 在 XLSForm 中没有对应`, `validator type ${type} has no XLSForm equivalent`);
        }
        const extra = Object.keys(v).filter((k) => !['type', 'expression', 'regex', 'text'].includes(k));
        if (extra.length) throw new XlsExprError(`校验属性 ${extra.join(', ')} 在 XLSForm 中没有对应`, `validator properties ${extra.join(', ')} have no XLSForm equivalent`);
        // One constraint_message serves every validator, so they must share it (or all have none).
        if (v === list[0]) message = v['text'];
        else if (JSON.stringify(message) !== JSON.stringify(v['text'])) {
          throw new XlsExprError('多个校验的提示不同', 'validators have different messages');
        }
      } catch (e) {
        if (!(e instanceof XlsExprError)) throw e;
        failure = [e.zh, e.en];
        break;
      }
    }
    if (failure) {
      cells[passthroughColumn('validators')] = encodePassthrough(validators);
      kept(row, 'validators', name, `校验无法写成 constraint:${failure[0]}`, `The validators cannot be written as a constraint: ${failure[1]}`);
      return;
    }
    // Joined with "and", which binds tighter than "or": a part with an "or" needs parentheses.
    if (parts.length) cells['constraint'] = parts.length === 1 ? (parts[0] as string) : parts.map((p) => (/\bor\b/.test(p) ? `(${p})` : p)).join(' and ');
    if (message !== undefined) putText(cells, 'constraint_message', message);
    if (unguarded) {
      report(row, 'APPROXIMATED', 'warning', 'XLSForm 的约束不检查空答案;导入后空答案将通过该校验', 'XLSForm constraints skip empty answers; after import an empty answer passes this check', name);
    }
  };

  const exportElements = (els: unknown[], repeats: string[]): void => {
    for (const raw of els) {
      const row = rowNumber();
      if (!isObj(raw)) continue;
      const type = String(raw['type'] ?? '');
      const name = typeof raw['name'] === 'string' ? raw['name'] : `row${row}`;
      const ctx: ReverseContext = { self: name, lookup, repeats };
      const known = PROPS[type];
      if (!known) {
        report(row, 'UNSUPPORTED_ELEMENT', 'error', `题型 ${type} 在 XLSForm 中没有对应,未导出`, `Question type ${type} has no XLSForm equivalent and was not exported`, name);
        continue;
      }
      const cells: Record<string, string> = { name };
      const passthrough = (k: string): void => {
        if (raw[k] !== undefined) cells[passthroughColumn(k)] = encodePassthrough(raw[k]);
      };
      for (const k of Object.keys(raw)) if (!known.includes(k)) passthrough(k);
      const relevant = expr(raw['visibleIf'], ctx, row, 'relevant', name, { cells, prop: 'visibleIf' });

      if (type === 'panel' || type === 'paneldynamic') {
        const repeat = type === 'paneldynamic';
        cells['type'] = repeat ? 'begin_repeat' : 'begin_group';
        putText(cells, 'label', raw['title'], true);
        putText(cells, 'hint', raw['description'], true);
        if (relevant) cells['relevant'] = relevant;
        if (repeat) {
          if (typeof raw['panelCount'] === 'number' && raw['allowAddPanel'] === false && raw['allowRemovePanel'] === false) {
            cells['repeat_count'] = String(raw['panelCount']);
          } else {
            passthrough('panelCount');
            passthrough('allowAddPanel');
            passthrough('allowRemovePanel');
          }
          const validators = asArray(raw['validators']);
          const only = validators[0];
          const rc = validators.length === 1 && isObj(only) && typeof only['expression'] === 'string' && isImportedRepeatCheck(only)
            ? repeatCountOf(only['expression'], name) : undefined;
          let x: string | undefined;
          try {
            x = rc !== undefined ? surveyToXlsExpression(rc, { ...ctx, self: undefined }) : undefined;
          } catch (e) {
            if (!(e instanceof XlsExprError)) throw e;
          }
          if (x !== undefined) cells['repeat_count'] = x;
          else if (validators.length) {
            passthrough('validators');
            kept(row, 'validators', name, '重复组的校验无法写成 repeat_count', 'The repeat\'s validators cannot be written as repeat_count');
          }
        }
        survey.push({ rowNumber: row, cells });
        exportElements(childrenOf(raw), repeat ? [...repeats, name] : repeats);
        survey.push({ rowNumber: rowNumber(), cells: { type: repeat ? 'end_repeat' : 'end_group', name } });
        continue;
      }
      if (type === 'html') {
        cells['type'] = 'note';
        putText(cells, 'label', raw['html'], true);
        if (relevant) cells['relevant'] = relevant;
        survey.push({ rowNumber: row, cells: { type: 'note', ...cells } });
        continue;
      }
      if (type === 'expression') {
        // A calculate; the surveyjs:: columns say it is a question (at top level a calculate would
        // become a calculated value) and whether it is shown.
        cells['type'] = 'calculate';
        const x = expr(raw['expression'], ctx, row, 'calculation', name, { cells, prop: 'expression' });
        if (x !== undefined) cells['calculation'] = x;
        if (repeats.length === 0) cells[passthroughColumn('type')] = 'expression';
        if (raw['visible'] !== false) cells[passthroughColumn('visible')] = encodePassthrough(raw['visible'] ?? true);
        survey.push({ rowNumber: row, cells });
        continue;
      }

      let xlsType: string;
      let appearance: string | undefined;
      if (type === 'text') {
        const it = raw['inputType'];
        if (it === 'number') xlsType = raw['step'] === 1 ? 'integer' : 'decimal';
        else if (it === 'date') xlsType = 'date';
        else if (it === 'time') xlsType = 'time';
        else if (it === 'datetime-local') xlsType = 'datetime';
        else {
          xlsType = 'text';
          if (it !== undefined && it !== 'text') passthrough('inputType');
        }
        if (raw['step'] !== undefined && !(it === 'number' && raw['step'] === 1)) passthrough('step');
      } else if (type === 'comment') {
        xlsType = 'text';
        appearance = 'multiline';
      } else if (type === 'boolean') {
        // XLSForm has no boolean: a select_one true/false, marked so that import restores it.
        const list = exportChoices(raw, name, ctx, row, cells);
        xlsType = `select_one ${list}`;
        cells[passthroughColumn('type')] = 'boolean';
      } else {
        const multiple = type === 'checkbox' || type === 'tagbox';
        if (type === 'dropdown' || type === 'tagbox') appearance = 'minimal';
        const list = exportChoices(raw, name, ctx, row, cells);
        xlsType = `${multiple ? 'select_multiple' : 'select_one'} ${list}${raw['showOtherItem'] === true ? ' or_other' : ''}`;
      }
      cells['type'] = xlsType;
      putText(cells, 'label', raw['title'], true);
      putText(cells, 'hint', raw['description'], true);
      if (appearance) cells['appearance'] = appearance;
      if (relevant) cells['relevant'] = relevant;
      if (raw['isRequired'] === true) cells['required'] = 'yes';
      const requiredIf = expr(raw['requiredIf'], ctx, row, 'required', name, { cells, prop: 'requiredIf' });
      if (requiredIf) cells['required'] = requiredIf;
      if (raw['requiredErrorText'] !== undefined) putText(cells, 'required_message', raw['requiredErrorText']);
      if (raw['readOnly'] === true) cells['read_only'] = 'yes';
      const dv = raw['defaultValue'];
      const numeric = xlsType === 'integer' || xlsType === 'decimal';
      if (Array.isArray(dv) && xlsType.startsWith('select_multiple') && dv.every((v) => typeof v === 'string' && /^\S+$/.test(v))) cells['default'] = dv.join(' ');
      else if (typeof dv === 'string' && !numeric && !xlsType.startsWith('select_multiple') && /^[^$(]*$/.test(dv) && type !== 'boolean') cells['default'] = dv;
      else if (typeof dv === 'number' && numeric) cells['default'] = String(dv);
      else passthrough('defaultValue');
      const dve = expr(raw['defaultValueExpression'], ctx, row, 'default', name, { cells, prop: 'defaultValueExpression' });
      if (dve) cells['default'] = dve;
      constraintOf(raw['validators'], ctx, row, name, cells);
      survey.push({ rowNumber: row, cells });
    }
  };

  exportElements(exportRoots, []);
  for (const cv of calculatedValues) {
    const row = rowNumber();
    const name = String(cv['name'] ?? `row${row}`);
    const cells: Record<string, string> = { type: 'calculate', name };
    const x = expr(cv['expression'], { lookup, repeats: [] }, row, 'calculation', name, { cells, prop: 'expression' });
    if (x !== undefined) cells['calculation'] = x;
    for (const k of Object.keys(cv)) {
      if (!['name', 'expression'].includes(k) && !(k === 'includeIntoResult' && cv[k] === true)) cells[passthroughColumn(k)] = encodePassthrough(cv[k]);
    }
    if (cv['includeIntoResult'] !== true) cells[passthroughColumn('includeIntoResult')] = encodePassthrough(cv['includeIntoResult'] ?? false);
    survey.push({ rowNumber: row, cells });
  }

  const settingsCells: Record<string, string> = {};
  const title = definition['title'];
  if (typeof title === 'string') settingsCells['form_title'] = title;
  else if (isObj(title)) {
    const t = title['zh-cn'] ?? title['default'];
    if (typeof t === 'string') settingsCells['form_title'] = t;
  }
  if (options.formId) settingsCells['form_id'] = options.formId;
  if (options.version) settingsCells['version'] = options.version;
  const locale = definition['locale'];
  if (typeof locale === 'string' && locale) settingsCells['default_language'] = languageOfLocale(locale);
  else if (JSON.stringify(definition).includes('"zh-cn":')) settingsCells['default_language'] = languageOfLocale('en');
  for (const k of Object.keys(definition)) {
    if (!['title', 'pages', 'elements', 'calculatedValues', 'locale'].includes(k)) settingsCells[passthroughColumn(k)] = encodePassthrough(definition[k]);
  }
  if (isObj(title) && typeof settingsCells['form_title'] === 'string' && Object.keys(title).length > 1) settingsCells[passthroughColumn('title')] = encodePassthrough(title);
  const settings: XlsRow[] = Object.keys(settingsCells).length ? [{ rowNumber: 2, cells: settingsCells }] : [];
  return { workbook: { survey, choices, settings }, problems };
}

/** The inverse of xlsformToSurvey for the supported subset. */
export function surveyToXlsform(definition: SurveyDefinition, options: SurveyToXlsOptions = {}): XlsWorkbook {
  return surveyToXlsformWithProblems(definition, options).workbook;
}

function selfVariable(op: unknown, name: string): boolean {
  if (!(op instanceof Variable)) return false;
  const v = op.variable.replace(/^(panel|parentPanel)\./i, '');
  return v === name;
}

/** `{q} empty or X` (how imports guard constraints; the or-chain may be nested either way) → X; anything else unchanged. */
function stripEmptyGuard(expression: string, name: string): string {
  const op: unknown = new ConditionsParser().parseExpression(expression);
  const parts: unknown[] = [];
  const flatten = (o: unknown): void => {
    if (o instanceof BinaryOperand && o.operator === 'or') { flatten(o.leftOperand); flatten(o.rightOperand); } else parts.push(o);
  };
  flatten(op);
  const first = parts[0];
  if (parts.length > 1 && first instanceof UnaryOperand && first.operator === 'empty' && selfVariable(first.expression, name)) {
    return parts.slice(1).map((p) => `(${(p as { toString(): string }).toString()})`).join(' or ');
  }
  return expression;
}

/** `{R.length} = X` (how imports keep repeat_count) → X as SurveyJS text; undefined otherwise. */
function repeatCountOf(expression: string, name: string): string | undefined {
  const op: unknown = new ConditionsParser().parseExpression(expression);
  if (op instanceof BinaryOperand && op.operator === 'equal') {
    const l: unknown = op.leftOperand;
    if (l instanceof Variable && l.variable.replace(/^(panel|parentPanel)\./i, '') === `${name}.length`) {
      return (op.rightOperand as { toString(): string }).toString();
    }
  }
  return undefined;
}

/** The validator xlsformToSurvey makes for repeat_count: only `type`, `expression` and `text`. */
function isImportedRepeatCheck(v: Json): boolean {
  return v['type'] === 'expression' && Object.keys(v).every((k) => ['type', 'expression', 'text'].includes(k))
    && JSON.stringify(v['text']) === JSON.stringify(REPEAT_COUNT_MESSAGE);
}
