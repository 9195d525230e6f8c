/**
 * One survey-sheet row → one SurveyJS element (group, repeat, calculate, note or question).
 * Each builder reports what it cannot carry over and still creates what it can.
 */
import { joinAnd, parseXls, splitAnd, translate, type TranslateContext, XlsExprError, type XExpr } from './expression';
import {
  applyPassthrough, booleanFromChoices, type Container, FALSE_WORDS, type ImportContext, type Json, LOCALIZED_COLUMNS,
  type ParsedType, REPEAT_COUNT_MESSAGE, SURVEY_COLUMNS, TRUE_WORDS,
} from './import-context';
import { passthroughColumn, passthroughProperty } from './passthrough';
import type { XlsRow } from './types';

export interface RowInput {
  row: XlsRow;
  type: ParsedType;
  rawType: string;
  name: string;
  container: Container;
  ctx: TranslateContext;
}

const cellsOf = (input: RowInput): Record<string, string> => input.row.cells;

function report(ic: ImportContext, input: RowInput, code: Parameters<ImportContext['problems']['add']>[2], severity: 'error' | 'warning', column: string, zh: string, en: string): void {
  ic.problems.add('survey', input.row.rowNumber, code, severity, zh, en, { column, question: input.name });
}

/** Columns that no builder understands (per cell, so each is located by row). */
export function reportUnknownColumns(ic: ImportContext, input: RowInput): void {
  for (const k of Object.keys(cellsOf(input))) {
    const base = k.split('::')[0] as string;
    if (SURVEY_COLUMNS.has(base) && (!k.includes('::') || LOCALIZED_COLUMNS.has(base))) continue;
    if (passthroughProperty(k)) continue;
    report(ic, input, 'UNSUPPORTED_COLUMN', 'error', k, `"${k}" 列不受支持,已忽略`, `Column "${k}" is not supported and was ignored`);
  }
}

/** Known columns that mean nothing for this kind of row. */
function reportIgnoredColumns(ic: ImportContext, input: RowInput, meaningful: string[], what: { zh: string; en: string }): void {
  for (const k of Object.keys(cellsOf(input))) {
    const base = k.split('::')[0] as string;
    if (SURVEY_COLUMNS.has(base) && !meaningful.includes(base)) {
      report(ic, input, 'UNSUPPORTED_COLUMN', 'warning', k, `"${k}" 列对${what.zh}无效,已忽略`, `Column "${k}" has no effect on ${what.en} and was ignored`);
    }
  }
}

function setText(ic: ImportContext, input: RowInput, el: Json, base: string, key: string): void {
  const v = ic.text('survey', input.row, base, input.ctx);
  if (v !== undefined) el[key] = v;
}

function setRelevant(ic: ImportContext, input: RowInput, el: Json): void {
  const relevant = cellsOf(input)['relevant'];
  if (!relevant) return;
  const v = ic.expr(input.row, 'relevant', relevant, input.ctx, input.name);
  if (v !== undefined) el['visibleIf'] = v;
}

/** begin_group → panel, begin_repeat → paneldynamic. Returns the container its rows go into. */
export function buildGroup(ic: ImportContext, input: RowInput): Container {
  const { name, container, ctx } = input;
  const c = cellsOf(input);
  const isRepeat = input.type.base === 'begin_repeat';
  const el: Json = { type: isRepeat ? 'paneldynamic' : 'panel', name };
  setText(ic, input, el, 'label', 'title');
  setText(ic, input, el, 'hint', 'description');
  setRelevant(ic, input, el);
  const appearance = c['appearance'];
  if (appearance && appearance !== 'field-list') {
    report(ic, input, 'UNSUPPORTED_APPEARANCE', 'warning', 'appearance', `外观 "${appearance}" 不受支持,已忽略`, `Appearance "${appearance}" is not supported and was ignored`);
  }
  const children: Json[] = [];
  if (isRepeat) {
    el['templateElements'] = children;
    const rc = c['repeat_count'];
    if (rc && /^\d+$/.test(rc)) {
      el['panelCount'] = Number(rc);
      el['allowAddPanel'] = false;
      el['allowRemovePanel'] = false;
    } else if (rc) {
      const v = ic.expr(input.row, 'repeat_count', rc, ctx, name);
      if (v !== undefined) {
        // SurveyJS has no panel count expression: a validator reports a mismatch instead.
        el['validators'] = [{
          type: 'expression',
          expression: `${ctx.repeats.length ? `{panel.${name}.length}` : `{${name}.length}`} = ${v.includes(' ') ? `(${v})` : v}`,
          text: REPEAT_COUNT_MESSAGE,
        }];
        report(ic, input, 'APPROXIMATED', 'warning', 'repeat_count', 'repeat_count 表达式转为校验:SurveyJS 不会自动增减条目,由校验提示数量不符', 'repeat_count expression became a check: SurveyJS does not add entries automatically; a validator reports a mismatch');
      }
    }
  } else {
    el['elements'] = children;
  }
  reportIgnoredColumns(ic, input, ['type', 'name', 'label', 'hint', 'relevant', 'appearance', ...(isRepeat ? ['repeat_count'] : [])], { zh: '分组', en: 'a group' });
  applyPassthrough(el, c);
  container.elements.push(el);
  return { kind: isRepeat ? 'repeat' : 'group', row: input.row.rowNumber, elements: children, repeats: isRepeat ? [...container.repeats, name] : container.repeats };
}

/** calculate → a calculated value (top level) or a hidden expression question (inside a repeat). */
export function buildCalculate(ic: ImportContext, input: RowInput, calculatedValues: Json[]): void {
  const { name, container } = input;
  const c = cellsOf(input);
  const calc = c['calculation'];
  const keptExpression = c[passthroughColumn('expression')];
  if (!calc && !keptExpression) {
    report(ic, input, 'EXPRESSION', 'error', 'calculation', 'calculate 缺少 calculation 列,已忽略', 'calculate has no calculation and was ignored');
    return;
  }
  // An exact SurveyJS expression kept by an export wins over the translated calculation.
  const v = keptExpression || !calc ? undefined : ic.expr(input.row, 'calculation', calc, input.ctx, name);
  if (v === undefined && !keptExpression) return;
  const asQuestion = container.repeats.length > 0 || c[passthroughColumn('type')] === 'expression';
  const json: Json = asQuestion ? { type: 'expression', name } : { name };
  if (v !== undefined) json['expression'] = v;
  if (asQuestion) json['visible'] = false;
  else json['includeIntoResult'] = true;
  applyPassthrough(json, c);
  (asQuestion ? container.elements : calculatedValues).push(json);
  reportIgnoredColumns(ic, input, ['type', 'name', 'calculation', 'label', 'hint'], { zh: ' calculate ', en: 'calculate' });
}

/** note → html. */
export function buildNote(ic: ImportContext, input: RowInput): void {
  const c = cellsOf(input);
  const el: Json = { type: 'html', name: input.name };
  setText(ic, input, el, 'label', 'html');
  setRelevant(ic, input, el);
  if (Object.keys(c).some((k) => k === 'hint' || k.startsWith('hint::'))) {
    report(ic, input, 'UNSUPPORTED_COLUMN', 'warning', 'hint', '说明(note)的 hint 已忽略', 'The hint of a note was ignored');
  }
  applyPassthrough(el, c);
  input.container.elements.push(el);
}

const TYPE_MAP: Record<string, Json> = {
  text: { type: 'text' },
  integer: { type: 'text', inputType: 'number', step: 1 },
  decimal: { type: 'text', inputType: 'number' },
  date: { type: 'text', inputType: 'date' },
  time: { type: 'text', inputType: 'time' },
  datetime: { type: 'text', inputType: 'datetime-local' },
  select_one: { type: 'radiogroup' },
  select_one_from_file: { type: 'radiogroup' },
  select_multiple: { type: 'checkbox' },
  select_multiple_from_file: { type: 'checkbox' },
};
/** Appearances that change the SurveyJS type. */
const APPEARANCE_TYPES: Record<string, Record<string, string>> = {
  text: { multiline: 'comment' },
  select_one: { minimal: 'dropdown' },
  select_one_from_file: { minimal: 'dropdown' },
  select_multiple: { minimal: 'tagbox' },
  select_multiple_from_file: { minimal: 'tagbox' },
};

function setRequired(ic: ImportContext, input: RowInput, el: Json): void {
  const c = cellsOf(input);
  const req = c['required'];
  if (req) {
    const lower = req.toLowerCase();
    if (TRUE_WORDS.has(lower)) el['isRequired'] = true;
    else if (!FALSE_WORDS.has(lower)) {
      const v = ic.expr(input.row, 'required', req, input.ctx, input.name);
      if (v !== undefined) el['requiredIf'] = v;
    }
    const msg = ic.text('survey', input.row, 'required_message');
    if (msg !== undefined) el['requiredErrorText'] = msg;
  }
  const ro = c['read_only'];
  if (ro) {
    const lower = ro.toLowerCase();
    if (TRUE_WORDS.has(lower)) el['readOnly'] = true;
    else if (!FALSE_WORDS.has(lower)) {
      report(ic, input, 'EXPRESSION', 'error', 'read_only', 'read_only 只支持 yes/no,表达式已省略', 'read_only only supports yes/no; the expression was left out');
    }
  }
}

function setChoices(ic: ImportContext, input: RowInput, el: Json): void {
  const { type: t, rawType } = input;
  const c = cellsOf(input);
  if (t.base === 'select_one_from_file' || t.base === 'select_multiple_from_file') {
    el['choices'] = [];
    report(ic, input, 'UNSUPPORTED_TYPE', 'error', 'type', `"${rawType}" 的选项来自外部文件,无法导入;已建空选项题,请手工添加选项`, `"${rawType}" takes its choices from an external file, which cannot be imported; the question was created without choices`);
    return;
  }
  if (t.base !== 'select_one' && t.base !== 'select_multiple') {
    if (c['choice_filter']) report(ic, input, 'UNSUPPORTED_COLUMN', 'warning', 'choice_filter', 'choice_filter 只对选择题有效,已忽略', 'choice_filter only applies to select questions and was ignored');
    return;
  }
  if (t.orOther) {
    el['showOtherItem'] = true;
    report(ic, input, 'APPROXIMATED', 'warning', 'type', 'or_other 转为"其他"选项,答案存为 other 加补充说明', 'or_other became an "Other" item; the answer is stored as "other" plus a comment');
  }
  const list = ic.lists.get(t.list ?? '');
  if (!list) report(ic, input, 'MISSING_LIST', 'error', 'type', `选项表中没有列表 "${t.list}"`, `The choices sheet has no list "${t.list}"`);
  const items = (list ?? []).map((cr) => {
    const item: Json = { value: cr.cells['name'] };
    const label = ic.text('choices', cr, 'label');
    if (label !== undefined) item['text'] = label;
    applyPassthrough(item, cr.cells);
    return { item, cells: cr.cells };
  });
  // choice_filter: evaluated per choice with that choice's columns as literals → the item's visibleIf.
  const filterSrc = c['choice_filter'];
  if (filterSrc) {
    try {
      const filter = parseXls(filterSrc);
      const conditions = items.map((it) => translate(filter, { ...input.ctx, choiceRow: it.cells }));
      items.forEach((it, i) => { it.item['visibleIf'] = conditions[i]; });
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      report(ic, input, 'EXPRESSION', 'error', 'choice_filter', `choice_filter 表达式无法转换,已省略:${e.zh}`, `The choice_filter expression cannot be translated and was left out: ${e.en}`);
    }
  }
  el['choices'] = items.map((i) => i.item);
}

function setDefault(ic: ImportContext, input: RowInput, el: Json): void {
  const def = cellsOf(input)['default'];
  if (!def) return;
  const base = input.type.base;
  if (def.includes('${') || /[a-z-]+\(/i.test(def)) {
    const v = ic.expr(input.row, 'default', def, input.ctx, input.name);
    if (v !== undefined) el['defaultValueExpression'] = v;
  } else if (base === 'select_multiple') el['defaultValue'] = def.split(/\s+/);
  else if ((base === 'integer' || base === 'decimal') && Number.isFinite(Number(def))) el['defaultValue'] = Number(def);
  else el['defaultValue'] = def;
}

/** constraint → an expression validator (empty answers pass, as in ODK) plus regex validators. */
function setConstraint(ic: ImportContext, input: RowInput, el: Json): void {
  const constraint = cellsOf(input)['constraint'];
  if (!constraint) return;
  const { ctx, name } = input;
  const message = ic.text('survey', input.row, 'constraint_message');
  const validators: Json[] = [];
  try {
    const regexParts: string[] = [];
    const rest: XExpr[] = [];
    for (const p of splitAnd(parseXls(constraint))) {
      if (p.k === 'call' && p.fn === 'regex') {
        const [subject, pattern] = p.args;
        const isSelf = subject?.k === 'self' || (subject?.k === 'ref' && subject.name === name);
        if (p.args.length === 2 && isSelf && pattern?.k === 'str') { regexParts.push(pattern.v); continue; }
        throw new XlsExprError('regex() 只支持 regex(., \'模式\')', "regex() is only supported as regex(., 'pattern')");
      }
      rest.push(p);
    }
    const joined = joinAnd(rest);
    if (joined) validators.push({ type: 'expression', expression: `${translate({ k: 'self' }, ctx)} empty or (${translate(joined, ctx)})` });
    for (const re of regexParts) validators.push({ type: 'regex', regex: re });
  } catch (e) {
    if (!(e instanceof XlsExprError)) throw e;
    report(ic, input, 'EXPRESSION', 'error', 'constraint', `constraint 表达式无法转换,已省略:${e.zh}`, `The constraint expression cannot be translated and was left out: ${e.en}`);
    return;
  }
  if (message !== undefined) for (const v of validators) v['text'] = message;
  if (validators.length) el['validators'] = validators;
}

/** text / integer / decimal / date / time / datetime / select_one / select_multiple → a question. */
export function buildQuestion(ic: ImportContext, input: RowInput): void {
  const c = cellsOf(input);
  const base = input.type.base;
  const el: Json = { ...(TYPE_MAP[base] ?? { type: 'text' }) };
  const appearance = c['appearance'];
  if (appearance) {
    const mapped = APPEARANCE_TYPES[base]?.[appearance];
    if (mapped) el['type'] = mapped;
    else report(ic, input, 'UNSUPPORTED_APPEARANCE', 'warning', 'appearance', `外观 "${appearance}" 不受支持,已忽略`, `Appearance "${appearance}" is not supported and was ignored`);
  }
  el['name'] = input.name;
  setText(ic, input, el, 'label', 'title');
  setText(ic, input, el, 'hint', 'description');
  setRelevant(ic, input, el);
  setRequired(ic, input, el);
  setChoices(ic, input, el);
  setDefault(ic, input, el);
  setConstraint(ic, input, el);
  for (const k of ['calculation', 'repeat_count']) {
    if (c[k]) report(ic, input, 'UNSUPPORTED_COLUMN', 'warning', k, `"${k}" 列对该题型无效,已忽略`, `Column "${k}" has no effect on this type and was ignored`);
  }
  applyPassthrough(el, c);
  if (el['type'] === 'boolean') booleanFromChoices(el);
  input.container.elements.push(el);
}
