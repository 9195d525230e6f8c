import { ConditionRunner } from 'survey-core';
import {
  answerProblem,
  dedupeProblems,
  isEmptyAnswer,
  isIsoDate,
  isPlainObject,
  type AnswerProblem,
  type AnswerProblemCode,
  type AnswerValidator,
} from './answer-validator';
import { createReferenceValidator } from './reference-validator';
import './survey-functions';

/**
 * Compiles one (immutable) form version into a plain-JavaScript answer validator.
 *
 * It applies exactly the rules of the reference validator (`reference-validator.ts`: survey-core
 * plus gap checks) for the subset of SurveyJS it understands; conditions and expression validators
 * are survey-core `ConditionRunner`s built once per expression. A definition that uses anything
 * else — any property not listed below, any unknown question or validator type — is NOT compiled:
 * `compileAnswerValidator` then returns the reference validator for that version (never a validator
 * that silently accepts what it does not understand). `analyzeDefinition` tells which feature
 * triggers the fallback.
 *
 * Compiled: pages and panels (visibleIf / enableIf / visible / readOnly); question types in
 * COMPILED_QUESTION_TYPES with isRequired, requiredIf, visibleIf, enableIf, readOnly; text input
 * types text/number/range/date/email/tel/url/password/color/time/datetime-local/month/week with
 * min/max/step (number, range) and maxLength (own or survey maxTextLength); static choices (strings,
 * "value|text", { value, text }) with other / none / refused / dontknow items; min/maxSelectedChoices;
 * rating scales (rateValues or rateMin/rateMax/rateStep/rateCount); boolean valueTrue/valueFalse;
 * matrix rows/columns/isAllRowRequired; dynamic panels (nested too) with panelCount,
 * min/maxPanelCount and {panel.x}; validators numeric, text, answercount, regex, email, expression;
 * expression functions in PURE_FUNCTIONS (incl. CunWen's idCardValid).
 *
 * Falls back on, for example: other question types (matrixdropdown, matrixdynamic, multipletext,
 * file, signaturepad, ranking, expression, custom components…); choicesByUrl, choicesFromQuestion,
 * choicesVisibleIf and choice-level visibleIf/enableIf; defaultValue(Expression), setValueIf,
 * resetValueIf; calculatedValues, triggers, survey variables; min/maxValueExpression; masks;
 * {panelIndex}, {parentPanel.x}, {row.x}; functions that need the survey; panel isRequired;
 * duplicate names; any property not in the allow-lists below.
 */

type Values = Record<string, unknown>;
type Cond = (values: Values) => boolean;

/** Properties with no effect on which answers are valid (layout, text, scoring metadata). */
const INERT_ELEMENT_PROPERTIES = new Set([
  'type', 'name', 'title', 'description', 'descriptionLocation', 'titleLocation', 'hideNumber', 'showNumber',
  'startWithNewLine', 'width', 'minWidth', 'maxWidth', 'indent', 'innerIndent', 'colCount', 'placeholder', 'placeHolder',
  'requiredErrorText', 'otherText', 'otherPlaceholder', 'otherPlaceHolder', 'otherErrorText', 'noneText', 'refuseText',
  'dontKnowText', 'commentText', 'commentPlaceholder', 'choicesOrder', 'separateSpecialChoices', 'searchEnabled',
  'allowClear', 'textWrapEnabled', 'autoGrow', 'allowResize', 'autocomplete', 'size', 'inputSize', 'minErrorText',
  'maxErrorText', 'textUpdateMode', 'rateType', 'rateDisplayMode', 'minRateDescription', 'maxRateDescription',
  'displayRateDescriptionsAsExtremeItems', 'scaleColorMode', 'rateColorMode', 'autoGenerate', 'label', 'labelTrue',
  'labelFalse', 'swapOrder', 'renderAs', 'imageHeight', 'imageWidth', 'imageFit', 'contentMode', 'showLabel',
  'templateTitle', 'templateDescription', 'templateTabTitle', 'addPanelText', 'removePanelText', 'panelAddText',
  'panelRemoveText', 'displayMode', 'renderMode', 'allowAddPanel', 'allowRemovePanel', 'confirmDelete',
  'confirmDeleteText', 'showQuestionNumbers', 'tabAlign', 'noEntriesText', 'panelsState', 'state',
  'questionTitleLocation', 'questionTitleWidth', 'questionErrorLocation', 'errorLocation', 'correctAnswer',
  'navigationTitle', 'navigationDescription', 'html', 'imageLink', 'altText', 'showTitle', 'alternateRows',
  'columnMinWidth', 'rowTitleWidth', 'verticalAlign', 'cellComponent', 'itemComponent', 'selectAllText',
  'showSelectAllItem', 'hasSelectAll', 'isExclusive', 'shortcutText', 'tooltip',
  // CunWen's own question metadata (common/forms/survey-properties.ts): scoring and reporting only.
  'sensitive', 'scored', 'points', 'dimension', 'notApplicableValue',
]);

const INERT_SURVEY_PROPERTIES = new Set([
  'title', 'description', 'logo', 'logoPosition', 'logoWidth', 'logoHeight', 'logoFit', 'locale', 'pages', 'elements',
  'questions', 'showQuestionNumbers', 'showProgressBar', 'progressBarType', 'progressBarLocation', 'completedHtml',
  'completeText', 'pagePrevText', 'pageNextText', 'widthMode', 'width', 'questionTitleLocation',
  'questionErrorLocation', 'checkErrorsMode', 'textUpdateMode', 'showPreviewBeforeComplete', 'showTitle',
  'showPageTitles', 'showCompletedPage', 'focusFirstQuestionAutomatic', 'questionsOnPageMode', 'headerView',
  'requiredText', 'questionStartIndex', 'showPageNumbers', 'completedBeforeHtml', 'loadingHtml', 'previewText',
  'editText', 'clearInvisibleValues', 'showNavigationButtons', 'navigationButtonsLocation', 'showTOC', 'tocLocation',
  'autoAdvanceEnabled', 'goNextPageAutomatic', 'allowCompleteSurveyAutomatic', 'questionDescriptionLocation',
  'questionsOrder', 'maxTextLength', 'showPrevButton', 'showCompleteButton', 'showBrandInfo', 'backgroundImage',
  'backgroundOpacity', 'storeOthersAsComment', 'mode', 'cookieName', 'showInvisibleElements', 'showTimer',
]);

const CONTAINER_PROPERTIES = new Set(['elements', 'visibleIf', 'enableIf', 'visible', 'readOnly']);
const QUESTION_PROPERTIES = new Set(['visibleIf', 'enableIf', 'requiredIf', 'isRequired', 'visible', 'readOnly', 'validators']);
const TYPE_PROPERTIES: Record<string, Set<string>> = {
  text: new Set(['inputType', 'min', 'max', 'step', 'maxLength']),
  comment: new Set(['maxLength', 'rows']),
  radiogroup: new Set(['choices', 'showOtherItem', 'hasOther', 'showNoneItem', 'hasNone', 'showRefuseItem', 'showDontKnowItem', 'showCommentArea', 'hasComment']),
  dropdown: new Set(['choices', 'showOtherItem', 'hasOther', 'showNoneItem', 'hasNone', 'showRefuseItem', 'showDontKnowItem', 'showCommentArea', 'hasComment']),
  checkbox: new Set(['choices', 'showOtherItem', 'hasOther', 'showNoneItem', 'hasNone', 'showRefuseItem', 'showDontKnowItem', 'showCommentArea', 'hasComment', 'minSelectedChoices', 'maxSelectedChoices']),
  tagbox: new Set(['choices', 'showOtherItem', 'hasOther', 'showNoneItem', 'hasNone', 'showRefuseItem', 'showDontKnowItem', 'showCommentArea', 'hasComment', 'minSelectedChoices', 'maxSelectedChoices']),
  imagepicker: new Set(['choices', 'multiSelect', 'showOtherItem', 'hasOther', 'showNoneItem', 'hasNone', 'showCommentArea', 'hasComment', 'minSelectedChoices', 'maxSelectedChoices']),
  rating: new Set(['rateValues', 'rateMin', 'rateMax', 'rateStep', 'rateCount', 'showCommentArea', 'hasComment']),
  boolean: new Set(['valueTrue', 'valueFalse', 'showCommentArea', 'hasComment']),
  matrix: new Set(['rows', 'columns', 'isAllRowRequired', 'eachRowRequired', 'showCommentArea', 'hasComment']),
  paneldynamic: new Set(['templateElements', 'panelCount', 'minPanelCount', 'maxPanelCount']),
  html: new Set([]),
  image: new Set([]),
};
/** Question types the compiler understands (plus `panel` containers and pages); any other type falls back. */
export const COMPILED_QUESTION_TYPES: readonly string[] = Object.keys(TYPE_PROPERTIES);
const NO_VALUE_TYPES = new Set(['html', 'image']);
const TEXT_INPUT_TYPES = new Set(['text', 'number', 'range', 'date', 'email', 'tel', 'url', 'password', 'color', 'time', 'datetime-local', 'month', 'week']);
const CHOICE_ITEM_PROPERTIES = new Set(['value', 'text', 'imageLink', 'isExclusive']);
const VALIDATOR_PROPERTIES: Record<string, Set<string>> = {
  numeric: new Set(['type', 'text', 'minValue', 'maxValue']),
  text: new Set(['type', 'text', 'minLength', 'maxLength', 'allowDigits']),
  answercount: new Set(['type', 'text', 'minCount', 'maxCount']),
  regex: new Set(['type', 'text', 'regex', 'caseInsensitive', 'insensitive']),
  email: new Set(['type', 'text']),
  expression: new Set(['type', 'text', 'expression']),
};
/** Functions whose result depends only on their arguments (no survey state needed). */
const PURE_FUNCTIONS = new Set([
  'iif', 'age', 'dateDiff', 'dateAdd', 'today', 'currentDate', 'currentYear', 'year', 'month', 'day', 'weekday',
  'getDate', 'sum', 'max', 'min', 'avg', 'count', 'round', 'trunc', 'contains', 'notContains', 'sumInArray',
  'maxInArray', 'minInArray', 'avgInArray', 'countInArray', 'isLeapYear', 'diffDays',
  // CunWen (common/forms/survey-functions.ts)
  'idCardValid',
]);
const EMAIL_RE = /^(([^<>()\[\]\.,;:\s@\"]+(\.[^<>()\[\]\.,;:\s@\"]+)*)|(\".+\"))@(([^<>()=[\]\.,;:\s@\"]+\.)+[^<>()=[\]\.,;:\s@\"]{2,})$/i;

/** Why a definition cannot be compiled (and uses the reference validator instead). */
export interface FallbackReason {
  /** Element path (`members.national_id`) or `survey`. */
  where: string;
  feature: string;
}

class Unsupported extends Error {
  constructor(readonly reason: FallbackReason) {
    super(`${reason.where}: ${reason.feature}`);
  }
}

function unsupported(where: string, feature: string): never {
  throw new Unsupported({ where, feature });
}

// ---------------------------------------------------------------------------------------------
// Compiled tree

interface ElementBase {
  visible: boolean;
  readOnly: boolean;
  visibleIf: Cond | null;
  enableIf: Cond | null;
}

interface ContainerNode extends ElementBase {
  kind: 'container';
  children: ElementNode[];
}

type Structural = (value: unknown, path: string, out: Problems) => unknown;

interface ValidatorNode {
  run: (value: unknown, values: Values) => AnswerProblemCode | null;
  /** The form's own error text for this validator, if any. */
  text?: unknown;
}

interface QuestionNode extends ElementBase {
  kind: 'question';
  name: string;
  type: string;
  isRequired: boolean;
  requiredIf: Cond | null;
  commentAllowed: boolean;
  otherValue: unknown;
  /** Structural check: returns the value to keep, or undefined after recording a problem. */
  structural: Structural;
  /** survey-core's onCheckForErrors (besides required / other) */
  ownChecks: Array<(value: unknown) => AnswerProblemCode | null>;
  validators: ValidatorNode[];
  noneValues: unknown[];
  panel: ScopeNode | null;
  minPanelCount: number;
  maxPanelCount: number;
  panelCount: number;
}

type ElementNode = ContainerNode | QuestionNode;

interface ScopeNode {
  byName: Map<string, QuestionNode>;
  roots: ElementNode[];
}

interface Problems {
  list: AnswerProblem[];
  /** Paths rejected by the structural pass: no further problem is reported on or under them. */
  blocked: Set<string> | null;
}

/** Records a structural problem: the answer is dropped and the path blocked. */
function push(out: Problems, code: AnswerProblemCode, path: string): undefined {
  out.list.push(answerProblem(code, path));
  (out.blocked ??= new Set()).add(path);
  return undefined;
}

/** Records a problem found by the semantic pass. */
function report(out: Problems, code: AnswerProblemCode, path: string, customText?: unknown): void {
  out.list.push(answerProblem(code, path, customText));
}

// ---------------------------------------------------------------------------------------------
// Compilation

interface CompileContext {
  /** Nesting depth of dynamic panels (0 = survey level). */
  panelDepth: number;
  maxTextLength: number;
  /** One condition per distinct expression text (templates repeat the same visibleIf on many questions). */
  conditions: Map<string, Cond>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function compileCondition(expr: unknown, where: string, prop: string, ctx: CompileContext): Cond | null {
  if (expr === undefined || expr === null || expr === '') return null;
  if (typeof expr !== 'string') unsupported(where, `${prop} is not a string`);
  const runner = new ConditionRunner(expr);
  if (!runner.canRun()) unsupported(where, `${prop}: expression does not parse`);
  if (runner.isAsync) unsupported(where, `${prop}: asynchronous function`);
  checkVariables(runner.getVariables(), expr, where, prop, ctx);
  const shared = ctx.conditions.get(expr);
  if (shared) return shared;
  // Values objects are built fresh for each validation (and each panel item) and never mutated
  // afterwards, so the result for the last values object seen can be reused.
  let lastValues: Values | null = null;
  let lastResult = false;
  const cond: Cond = (values) => {
    if (values === lastValues) return lastResult;
    lastResult = runner.runValues(values) === true;
    lastValues = values;
    return lastResult;
  };
  ctx.conditions.set(expr, cond);
  return cond;
}

function checkVariables(vars: string[], expr: string, where: string, prop: string, ctx: CompileContext): void {
  for (const v of vars) {
    const lower = v.toLowerCase();
    if (lower.startsWith('panel.') || lower === 'panel') {
      if (ctx.panelDepth === 0) unsupported(where, `${prop}: {panel.…} outside a dynamic panel`);
      continue;
    }
    if (lower.startsWith('panelindex') || lower.startsWith('parentpanel') || lower.startsWith('row') || lower.startsWith('$') ||
      lower.startsWith('visiblepanelindex') || lower === 'locale') {
      unsupported(where, `${prop}: variable {${v}}`);
    }
  }
  const fnRe = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
  let m: RegExpExecArray | null;
  const stripped = expr.replace(/'[^']*'|"[^"]*"/g, "''");
  while ((m = fnRe.exec(stripped)) !== null) {
    const fn = m[1] ?? '';
    if (['and', 'or', 'not', 'anyof', 'allof', 'contains', 'notcontains', 'empty', 'notempty'].includes(fn.toLowerCase())) continue;
    if (!PURE_FUNCTIONS.has(fn)) unsupported(where, `${prop}: function ${fn}()`);
  }
}

function checkProps(el: Record<string, unknown>, allowed: Set<string>[], where: string): void {
  for (const key of Object.keys(el)) {
    if (INERT_ELEMENT_PROPERTIES.has(key)) continue;
    if (allowed.some((s) => s.has(key))) continue;
    unsupported(where, `property ${key}`);
  }
}

function isPrimitiveChoice(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** ItemValue semantics: `"a|Label"` has value "a"; `{ value }` objects; numbers stay numbers. */
function compileItems(items: unknown, where: string, prop: string): unknown[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) unsupported(where, `${prop} is not an array`);
  return items.map((item) => {
    if (typeof item === 'string') {
      const bar = item.indexOf('|');
      return bar > -1 ? item.slice(0, bar) : item;
    }
    if (typeof item === 'number' || typeof item === 'boolean') return item;
    if (isPlainObject(item)) {
      for (const k of Object.keys(item)) if (!CHOICE_ITEM_PROPERTIES.has(k)) unsupported(where, `${prop} item property ${k}`);
      if (!('value' in item)) unsupported(where, `${prop} item without value`);
      return item['value'];
    }
    return unsupported(where, `${prop} item of unexpected type`);
  });
}

function numberProp(el: Record<string, unknown>, key: string, where: string): number | undefined {
  const v = el[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) unsupported(where, `${key} is not a number`);
  return v;
}

function boolProp(el: Record<string, unknown>, key: string, where: string): boolean {
  const v = el[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') unsupported(where, `${key} is not a boolean`);
  return v;
}

function compileValidators(el: Record<string, unknown>, where: string, ctx: CompileContext, type: string): ValidatorNode[] {
  const list = el['validators'];
  if (list === undefined) return [];
  if (!Array.isArray(list)) unsupported(where, 'validators is not an array');
  return list.map((raw): ValidatorNode => {
    if (!isPlainObject(raw)) return unsupported(where, 'validator is not an object');
    const node = compileValidator(raw, el, where, ctx, type);
    if (raw['text'] !== undefined && raw['text'] !== '') node.text = raw['text'];
    return node;
  });
}

function compileValidator(raw: Record<string, unknown>, el: Record<string, unknown>, where: string, ctx: CompileContext, type: string): ValidatorNode {
  {
    const vtype = str(raw['type']) ?? '';
    const allowed = VALIDATOR_PROPERTIES[vtype];
    if (!allowed) return unsupported(where, `validator type ${vtype}`);
    for (const k of Object.keys(raw)) if (!allowed.has(k)) unsupported(where, `validator property ${k}`);
    switch (vtype) {
      case 'numeric': {
        if (type !== 'text' || !['number', 'range'].includes(str(el['inputType']) ?? 'text')) unsupported(where, 'numeric validator on a non-number input');
        const min = numberProp(raw, 'minValue', where);
        const max = numberProp(raw, 'maxValue', where);
        return {
          run: (value) => {
            if (typeof value !== 'number') return null;
            if (min !== undefined && min > value) return 'OUT_OF_RANGE';
            if (max !== undefined && max < value) return 'OUT_OF_RANGE';
            return null;
          },
        };
      }
      case 'text': {
        if (type !== 'text' && type !== 'comment') unsupported(where, 'text validator on a non-text question');
        if (type === 'text' && ['number', 'range'].includes(str(el['inputType']) ?? 'text')) unsupported(where, 'text validator on a number input');
        const minLength = numberProp(raw, 'minLength', where) ?? 0;
        const maxLength = numberProp(raw, 'maxLength', where) ?? 0;
        const allowDigits = raw['allowDigits'] === undefined ? true : boolProp(raw, 'allowDigits', where);
        return {
          run: (value) => {
            if (typeof value !== 'string' || isEmptyAnswer(value)) return null;
            if (!allowDigits && /\d+$/.test(value)) return 'PATTERN';
            if (minLength > 0 && value.length < minLength) return 'TOO_SHORT';
            if (maxLength > 0 && value.length > maxLength) return 'TOO_LONG';
            return null;
          },
        };
      }
      case 'answercount': {
        const minCount = numberProp(raw, 'minCount', where) ?? 0;
        const maxCount = numberProp(raw, 'maxCount', where) ?? 0;
        return {
          run: (value) => {
            if (!Array.isArray(value) || value.length === 0) return null;
            if (minCount && value.length < minCount) return 'ANSWER_COUNT';
            if (maxCount && value.length > maxCount) return 'ANSWER_COUNT';
            return null;
          },
        };
      }
      case 'regex': {
        const source = raw['regex'];
        if (source === undefined || source === '') return { run: () => null };
        if (typeof source !== 'string') return unsupported(where, 'regex is not a string');
        const insensitive = raw['caseInsensitive'] === true || raw['insensitive'] === true;
        let re: RegExp;
        try {
          re = new RegExp(source, insensitive ? 'i' : '');
        } catch {
          return unsupported(where, 'regex does not compile');
        }
        const test = (v: unknown): boolean => re.test(String(v));
        return {
          run: (value) => {
            if (isEmptyAnswer(value)) return null;
            if (Array.isArray(value)) {
              for (const v of value) if (!test(v)) return 'PATTERN';
            }
            return test(value) ? null : 'PATTERN';
          },
        };
      }
      case 'email':
        return { run: (value) => (!value || EMAIL_RE.test(String(value)) ? null : 'PATTERN') };
      case 'expression': {
        const cond = compileCondition(raw['expression'], where, 'expression validator', ctx);
        if (!cond) return { run: () => null };
        return { run: (_value, values) => (cond(values) ? null : 'EXPRESSION') };
      }
      default:
        return unsupported(where, `validator type ${vtype}`);
    }
  }
}

function compileElement(raw: unknown, prefix: string, ctx: CompileContext, scope: ScopeNode): ElementNode {
  if (!isPlainObject(raw)) return unsupported(prefix || 'survey', 'element is not an object');
  const type = str(raw['type']);
  const name = str(raw['name']) ?? '';
  const where = prefix + (name || `(${type ?? 'element'})`);
  if (!type) return unsupported(where, 'element without type');
  const base: ElementBase = {
    visible: raw['visible'] === undefined ? true : boolProp(raw, 'visible', where),
    readOnly: boolProp(raw, 'readOnly', where),
    visibleIf: compileCondition(raw['visibleIf'], where, 'visibleIf', ctx),
    enableIf: compileCondition(raw['enableIf'], where, 'enableIf', ctx),
  };
  if (type === 'panel') {
    checkProps(raw, [CONTAINER_PROPERTIES], where);
    return { ...base, kind: 'container', children: compileElements(raw['elements'], prefix, ctx, scope) };
  }
  const typeProps = TYPE_PROPERTIES[type];
  if (!typeProps) return unsupported(where, `question type ${type}`);
  checkProps(raw, [QUESTION_PROPERTIES, typeProps], where);
  if (!name) return unsupported(where, 'question without name');
  if (name.includes('.') || name.includes('[') || name.endsWith('-Comment')) unsupported(where, 'question name with . [ or -Comment');
  if (name in Object.prototype || name === '__proto__') unsupported(where, `question name ${name}`);
  const q: QuestionNode = {
    ...base,
    kind: 'question',
    name,
    type,
    isRequired: boolProp(raw, 'isRequired', where),
    requiredIf: compileCondition(raw['requiredIf'], where, 'requiredIf', ctx),
    commentAllowed: false,
    otherValue: undefined,
    structural: (v) => v,
    ownChecks: [],
    validators: compileValidators(raw, where, ctx, type),
    noneValues: [],
    panel: null,
    minPanelCount: 0,
    maxPanelCount: 0,
    panelCount: 0,
  };
  compileQuestionType(q, raw, where, ctx);
  if (!NO_VALUE_TYPES.has(type)) {
    if (scope.byName.has(name)) unsupported(where, 'duplicate question name');
    scope.byName.set(name, q);
  }
  return q;
}

function compileElements(list: unknown, prefix: string, ctx: CompileContext, scope: ScopeNode): ElementNode[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return unsupported(prefix || 'survey', 'elements is not an array');
  return list.map((el) => compileElement(el, prefix, ctx, scope));
}

function maxLengthOf(raw: Record<string, unknown>, where: string, ctx: CompileContext): number {
  const own = numberProp(raw, 'maxLength', where);
  // survey-core: maxLength -1 (default) = the survey's maxTextLength; 0 = unlimited.
  if (own === undefined || own < 0) return ctx.maxTextLength > 0 ? ctx.maxTextLength : 0;
  return own;
}

function compileQuestionType(q: QuestionNode, raw: Record<string, unknown>, where: string, ctx: CompileContext): void {
  const t = q.type;
  if (t === 'text') {
    const inputType = str(raw['inputType']) ?? 'text';
    if (!TEXT_INPUT_TYPES.has(inputType)) unsupported(where, `inputType ${inputType}`);
    if (inputType === 'number' || inputType === 'range') {
      const min = numberProp(raw, 'min', where);
      const max = numberProp(raw, 'max', where);
      const step = numberProp(raw, 'step', where);
      q.structural = (v, path, out) => (typeof v === 'number' && Number.isFinite(v) ? v : push(out, 'NOT_A_NUMBER', path));
      if (min !== undefined) q.ownChecks.push((v) => (typeof v === 'number' && v < min ? 'OUT_OF_RANGE' : null));
      if (max !== undefined) q.ownChecks.push((v) => (typeof v === 'number' && v > max ? 'OUT_OF_RANGE' : null));
      if (step !== undefined && inputType === 'number') q.ownChecks.push((v) => (typeof v === 'number' && stepIncorrect(v, step) ? 'OUT_OF_RANGE' : null));
      return;
    }
    if (raw['min'] !== undefined || raw['max'] !== undefined) unsupported(where, `min/max on inputType ${inputType}`);
    if (raw['step'] !== undefined) unsupported(where, `step on inputType ${inputType}`);
    const maxLength = maxLengthOf(raw, where, ctx);
    const isDate = inputType === 'date';
    q.structural = (v, path, out) => {
      if (typeof v !== 'string') return push(out, 'WRONG_TYPE', path);
      if (isDate && v.trim() !== '' && !isIsoDate(v)) return push(out, 'INVALID_DATE', path);
      if (maxLength > 0 && v.length > maxLength) return push(out, 'TOO_LONG', path);
      return v;
    };
    if (inputType === 'email' && !(Array.isArray(raw['validators']) && raw['validators'].some((x) => isPlainObject(x) && x['type'] === 'email'))) {
      q.ownChecks.push((v) => (!v || EMAIL_RE.test(String(v)) ? null : 'PATTERN'));
    }
    return;
  }
  if (t === 'comment') {
    const maxLength = maxLengthOf(raw, where, ctx);
    q.structural = (v, path, out) => {
      if (typeof v !== 'string') return push(out, 'WRONG_TYPE', path);
      if (maxLength > 0 && v.length > maxLength) return push(out, 'TOO_LONG', path);
      return v;
    };
    return;
  }
  if (t === 'boolean') {
    q.commentAllowed = boolProp(raw, 'showCommentArea', where) || boolProp(raw, 'hasComment', where);
    if ('valueTrue' in raw || 'valueFalse' in raw) {
      const tv = raw['valueTrue'] !== undefined ? raw['valueTrue'] : true;
      const fv = raw['valueFalse'] !== undefined ? raw['valueFalse'] : false;
      q.structural = (v, path, out) => (v === tv || v === fv ? v : push(out, 'NOT_IN_CHOICES', path));
    } else {
      q.structural = (v, path, out) => (typeof v === 'boolean' ? v : push(out, 'WRONG_TYPE', path));
    }
    return;
  }
  if (t === 'rating') {
    q.commentAllowed = boolProp(raw, 'showCommentArea', where) || boolProp(raw, 'hasComment', where);
    const explicit = compileItems(raw['rateValues'], where, 'rateValues');
    if (explicit.length > 0) {
      const allowed = new Set(explicit);
      q.structural = (v, path, out) => {
        if (!isPrimitiveChoice(v)) return push(out, 'WRONG_TYPE', path);
        return allowed.has(v) ? v : push(out, 'NOT_IN_CHOICES', path);
      };
      return;
    }
    const rateMin = numberProp(raw, 'rateMin', where) ?? 1;
    const rateStep = numberProp(raw, 'rateStep', where) ?? 1;
    const rateCount = numberProp(raw, 'rateCount', where);
    let rateMax = numberProp(raw, 'rateMax', where);
    if (rateMax === undefined) rateMax = rateCount !== undefined ? rateMin + (rateCount - 1) * rateStep : 5;
    if (rateCount !== undefined && raw['rateMax'] !== undefined) unsupported(where, 'both rateCount and rateMax');
    if (rateStep <= 0 || !Number.isInteger(rateMin) || !Number.isInteger(rateStep)) unsupported(where, 'fractional rating scale');
    const allowed = new Set<number>();
    for (let v = rateMin; v <= rateMax; v += rateStep) allowed.add(v);
    q.structural = (v, path, out) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return push(out, 'NOT_A_NUMBER', path);
      return allowed.has(v) ? v : push(out, 'NOT_IN_CHOICES', path);
    };
    return;
  }
  if (t === 'radiogroup' || t === 'dropdown' || t === 'checkbox' || t === 'tagbox' || t === 'imagepicker') {
    if (raw['storeOthersAsComment'] !== undefined) unsupported(where, 'storeOthersAsComment');
    const values = compileItems(raw['choices'], where, 'choices');
    // survey-core treats exclusive choices like "none" (e.g. for minSelectedChoices).
    if (Array.isArray(raw['choices'])) {
      for (const c of raw['choices']) if (isPlainObject(c) && c['isExclusive'] === true) q.noneValues.push(c['value']);
    }
    const other = boolProp(raw, 'showOtherItem', where) || boolProp(raw, 'hasOther', where);
    const none = boolProp(raw, 'showNoneItem', where) || boolProp(raw, 'hasNone', where);
    const refuse = boolProp(raw, 'showRefuseItem', where);
    const dontKnow = boolProp(raw, 'showDontKnowItem', where);
    if (other) values.push('other');
    if (none) {
      values.push('none');
      q.noneValues.push('none');
    }
    if (refuse) {
      values.push('refused');
      q.noneValues.push('refused');
    }
    if (dontKnow) {
      values.push('dontknow');
      q.noneValues.push('dontknow');
    }
    q.commentAllowed = other || boolProp(raw, 'showCommentArea', where) || boolProp(raw, 'hasComment', where);
    q.otherValue = other ? 'other' : undefined;
    const allowed = new Set(values);
    const multi = t === 'checkbox' || t === 'tagbox' || (t === 'imagepicker' && boolProp(raw, 'multiSelect', where));
    if (multi) {
      const maxSel = numberProp(raw, 'maxSelectedChoices', where) ?? 0;
      const minSel = numberProp(raw, 'minSelectedChoices', where) ?? 0;
      q.structural = (v, path, out) => {
        if (!Array.isArray(v) || !v.every(isPrimitiveChoice)) return push(out, 'WRONG_TYPE', path);
        for (const x of v) if (!allowed.has(x)) return push(out, 'NOT_IN_CHOICES', path);
        if (maxSel > 0 && v.length > maxSel) return push(out, 'ANSWER_COUNT', path);
        return v;
      };
      if (minSel >= 1) {
        const noneValues = q.noneValues;
        q.ownChecks.push((v) => {
          const len = Array.isArray(v) ? v.length : 0;
          if (len === 1 && Array.isArray(v) && noneValues.includes(v[0])) return null;
          return len < minSel ? 'ANSWER_COUNT' : null;
        });
      }
    } else {
      if (raw['minSelectedChoices'] !== undefined || raw['maxSelectedChoices'] !== undefined) unsupported(where, 'min/maxSelectedChoices on single choice');
      q.structural = (v, path, out) => {
        if (!isPrimitiveChoice(v)) return push(out, 'WRONG_TYPE', path);
        return allowed.has(v) ? v : push(out, 'NOT_IN_CHOICES', path);
      };
    }
    return;
  }
  if (t === 'matrix') {
    q.commentAllowed = boolProp(raw, 'showCommentArea', where) || boolProp(raw, 'hasComment', where);
    const rows = compileItems(raw['rows'], where, 'rows');
    const cols = new Set(compileItems(raw['columns'], where, 'columns'));
    const rowKeys = new Set(rows.map((r) => String(r)));
    const allRows = boolProp(raw, 'isAllRowRequired', where) || boolProp(raw, 'eachRowRequired', where);
    q.structural = (v, path, out) => {
      if (!isPlainObject(v)) return push(out, 'WRONG_TYPE', path);
      for (const key of Object.keys(v)) {
        const cell = v[key];
        if (!rowKeys.has(key)) return push(out, 'NOT_IN_CHOICES', path);
        if (cell === undefined || cell === null) continue;
        if (!isPrimitiveChoice(cell)) return push(out, 'WRONG_TYPE', path);
        if (!cols.has(cell)) return push(out, 'NOT_IN_CHOICES', path);
      }
      return v;
    };
    if (allRows) {
      q.ownChecks.push((v) => {
        const obj = isPlainObject(v) ? v : {};
        for (const r of rowKeys) if (isEmptyAnswer(obj[r])) return 'REQUIRED';
        return null;
      });
    }
    return;
  }
  if (t === 'paneldynamic') {
    q.minPanelCount = numberProp(raw, 'minPanelCount', where) ?? 0;
    q.maxPanelCount = numberProp(raw, 'maxPanelCount', where) ?? 0;
    q.panelCount = numberProp(raw, 'panelCount', where) ?? 0;
    const inner: ScopeNode = { byName: new Map(), roots: [] };
    inner.roots = compileElements(raw['templateElements'], `${where}.`, { ...ctx, panelDepth: ctx.panelDepth + 1 }, inner);
    q.panel = inner;
    return;
  }
  // html, image: no value
}

function stepIncorrect(value: number, stepValue: number): boolean {
  let val = value;
  let step = stepValue;
  let pw = 1;
  while ((Math.round(step * pw) / pw !== step || Math.round(val * pw) / pw !== val) && pw < 1000000) pw *= 10;
  val = Math.round(val * pw);
  step = Math.round(step * pw);
  return step > 0 && val % step !== 0;
}

function compileSurvey(definition: Record<string, unknown>): ScopeNode {
  for (const key of Object.keys(definition)) {
    if (!INERT_SURVEY_PROPERTIES.has(key)) unsupported('survey', `survey property ${key}`);
  }
  if (definition['storeOthersAsComment'] === false) unsupported('survey', 'storeOthersAsComment: false');
  if (definition['mode'] !== undefined && definition['mode'] !== 'edit') unsupported('survey', `mode ${String(definition['mode'])}`);
  const maxTextLength = typeof definition['maxTextLength'] === 'number' ? definition['maxTextLength'] : 0;
  const ctx: CompileContext = { panelDepth: 0, maxTextLength, conditions: new Map() };
  const scope: ScopeNode = { byName: new Map(), roots: [] };
  const pages = definition['pages'];
  if (pages !== undefined) {
    if (!Array.isArray(pages)) unsupported('survey', 'pages is not an array');
    for (const page of pages) {
      if (!isPlainObject(page)) unsupported('survey', 'page is not an object');
      const where = `page ${str(page['name']) ?? ''}`;
      for (const key of Object.keys(page)) {
        if (!['name', 'title', 'description', 'navigationTitle', 'navigationDescription', 'elements', 'questions', 'visibleIf', 'enableIf', 'visible', 'readOnly', 'questionTitleLocation', 'state'].includes(key)) {
          unsupported(where, `page property ${key}`);
        }
      }
      scope.roots.push({
        kind: 'container',
        visible: page['visible'] === undefined ? true : boolProp(page, 'visible', where),
        readOnly: boolProp(page, 'readOnly', where),
        visibleIf: compileCondition(page['visibleIf'], where, 'visibleIf', ctx),
        enableIf: compileCondition(page['enableIf'], where, 'enableIf', ctx),
        children: compileElements(page['elements'] ?? page['questions'], '', ctx, scope),
      });
    }
  }
  for (const key of ['elements', 'questions']) {
    if (definition[key] !== undefined) scope.roots.push(...compileElements(definition[key], '', ctx, scope));
  }
  return scope;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Structural pass: checks JSON types, choices, lengths, counts; returns the answers kept. */
function structuralScope(scope: ScopeNode, answers: Values, prefix: string, out: Problems): Values {
  const fed: Values = {};
  for (const key in answers) {
    if (!Object.prototype.hasOwnProperty.call(answers, key)) continue;
    const value = answers[key];
    const path = prefix + key;
    const q = scope.byName.get(key);
    if (!q) {
      if (key.endsWith('-Comment')) {
        const base = scope.byName.get(key.slice(0, -8));
        if (base && base.commentAllowed) {
          if (value === undefined || value === null) continue;
          if (typeof value !== 'string') push(out, 'WRONG_TYPE', path);
          else fed[key] = value;
          continue;
        }
      }
      push(out, 'UNKNOWN_QUESTION', path);
      continue;
    }
    if (value === undefined || value === null) continue;
    if (q.panel) {
      if (!Array.isArray(value)) {
        push(out, 'WRONG_TYPE', path);
        continue;
      }
      if (value.length === 0) continue;
      if (value.length < q.minPanelCount || (q.maxPanelCount > 0 && value.length > q.maxPanelCount)) {
        push(out, 'PANEL_COUNT', path);
        continue;
      }
      const panel = q.panel;
      const items: Values[] = new Array<Values>(value.length);
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (!isPlainObject(item)) {
          push(out, 'WRONG_TYPE', `${path}[${i}]`);
          items[i] = {};
          continue;
        }
        items[i] = structuralScope(panel, item, `${path}[${i}].`, out);
      }
      fed[key] = items;
      continue;
    }
    const kept = q.structural(value, path, out);
    if (kept !== undefined && !isEmptyAnswer(kept)) fed[key] = kept;
  }
  return fed;
}

interface Walk {
  /** false when the form keeps values of hidden questions (clearInvisibleValues: "none"). */
  rejectHidden: boolean;
  /** Values conditions are evaluated against (survey values, plus `panel` inside dynamic panels). */
  condValues: Values;
  /** Answers of the current scope (survey level or one panel item). */
  scopeValues: Values;
  prefix: string;
  out: Problems;
}

function semanticElements(nodes: ElementNode[], w: Walk, parentReadOnly: boolean): void {
  for (const node of nodes) {
    const visible = node.visible && (!node.visibleIf || node.visibleIf(w.condValues));
    if (node.kind === 'container') {
      if (!visible) {
        reportHidden(node.children, w);
        continue;
      }
      const readOnly = parentReadOnly || node.readOnly || (node.enableIf !== null && !node.enableIf(w.condValues));
      semanticElements(node.children, w, readOnly);
      continue;
    }
    const value = w.scopeValues[node.name];
    const path = w.prefix + node.name;
    if (!visible) {
      if (w.rejectHidden && !isEmptyAnswer(value)) report(w.out, 'HIDDEN_ANSWER', path);
      continue;
    }
    const readOnly = parentReadOnly || node.readOnly || (node.enableIf !== null && !node.enableIf(w.condValues));
    const blocked = w.out.blocked !== null && w.out.blocked.has(path);
    if (blocked) continue;
    if (!readOnly) checkQuestion(node, value, path, w);
    if (node.panel) {
      const panel = node.panel;
      let items: Values[];
      if (Array.isArray(value) && value.length > 0) items = value as Values[];
      else {
        const n = Math.max(node.panelCount, node.minPanelCount);
        items = [];
        for (let i = 0; i < n; i++) items.push({});
      }
      for (let i = 0; i < items.length; i++) {
        const item = items[i] ?? {};
        if (w.out.blocked !== null && w.out.blocked.has(`${path}[${i}]`)) continue;
        semanticElements(panel.roots, {
          rejectHidden: w.rejectHidden,
          condValues: { ...w.condValues, panel: item },
          scopeValues: item,
          prefix: `${path}[${i}].`,
          out: w.out,
        }, readOnly);
      }
    }
  }
}

function reportHidden(nodes: ElementNode[], w: Walk): void {
  if (!w.rejectHidden) return;
  for (const node of nodes) {
    if (node.kind === 'container') reportHidden(node.children, w);
    else if (!isEmptyAnswer(w.scopeValues[node.name])) report(w.out, 'HIDDEN_ANSWER', w.prefix + node.name);
  }
}

function checkQuestion(q: QuestionNode, value: unknown, path: string, w: Walk): void {
  const before = w.out.list.length;
  const required = q.requiredIf ? q.requiredIf(w.condValues) : q.isRequired;
  if (required && (q.panel ? !Array.isArray(value) || value.every(isEmptyAnswer) : isEmptyAnswer(value))) report(w.out, 'REQUIRED', path);
  if (q.otherValue !== undefined && (value === q.otherValue || (Array.isArray(value) && value.includes(q.otherValue)))) {
    if (isEmptyAnswer(w.scopeValues[`${q.name}-Comment`])) report(w.out, 'OTHER_EMPTY', path);
  }
  for (const check of q.ownChecks) {
    const code = check(value);
    if (code) report(w.out, code, path);
  }
  if (w.out.list.length > before) return;
  for (const v of q.validators) {
    const code = v.run(value, w.condValues);
    if (code) report(w.out, code, path, v.text);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

export interface DefinitionAnalysis {
  compilable: boolean;
  /** The first feature found that the compiler does not support (the definition then uses the reference validator). */
  fallback: FallbackReason | null;
}

/** Tells whether `compileAnswerValidator` can compile a definition, or which feature makes it fall back. */
export function analyzeDefinition(definition: Record<string, unknown>): DefinitionAnalysis {
  try {
    compileSurvey(definition);
    return { compilable: true, fallback: null };
  } catch (err) {
    if (err instanceof Unsupported) return { compilable: false, fallback: err.reason };
    throw err;
  }
}

export interface CompiledAnswerValidator extends AnswerValidator {
  /** 'compiled', or 'reference' when the definition used an unsupported feature. */
  readonly engine: 'compiled' | 'reference';
  readonly fallback: FallbackReason | null;
}

/** Compiles a form version once; falls back to the survey-core reference validator for unsupported features. */
export function compileAnswerValidator(definition: Record<string, unknown>): CompiledAnswerValidator {
  let scope: ScopeNode;
  try {
    scope = compileSurvey(definition);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    const ref = createReferenceValidator(definition);
    return { engine: 'reference', fallback: err.reason, validate: (a) => ref.validate(a), dispose: () => ref.dispose() };
  }
  // survey-core clears the values of hidden questions when a respondent completes the survey
  // (clearInvisibleValues "onComplete", the default), so a hidden answer in a submission means a
  // tampered or buggy client, unless the form keeps them ("none").
  const rejectHidden = definition['clearInvisibleValues'] !== 'none';
  return {
    engine: 'compiled',
    fallback: null,
    validate(answers) {
      const out: Problems = { list: [], blocked: null };
      const fed = structuralScope(scope, answers, '', out);
      semanticElements(scope.roots, { rejectHidden, condValues: fed, scopeValues: fed, prefix: '', out }, false);
      return dedupeProblems(out.list);
    },
    dispose() {
      /* nothing held */
    },
  };
}
