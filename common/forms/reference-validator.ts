import { ItemValue, Model, Question, SurveyError, SurveyValidator } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import './survey-properties';
import './survey-functions';
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

/**
 * The reference validator: one reused headless survey-core model per form version.
 *
 * For each call:
 * 1. structural checks on the raw answers close survey-core's gaps (unknown keys, JSON types,
 *    numbers, dates, choice lists, maxLength, maxSelectedChoices, dynamic panel counts). An answer
 *    with such a problem is NOT given to the model, and every survey-core error on or under it is
 *    suppressed (so "not in choices" is not followed by "required");
 * 2. the remaining answers are set as the model's data and `validate(true)` runs; each
 *    `question.errors` entry becomes a problem with a stable code;
 * 3. answers to questions that are not visible (visibleIf, hidden panel or page) are rejected
 *    with HIDDEN_ANSWER (unless the form sets clearInvisibleValues: "none", i.e. keeps them).
 *
 * Slow (≈ 1 ms per submission) but trustworthy: the compiled validator is tested against it.
 */

// ---------------------------------------------------------------------------------------------
// Which validator produced a custom error: survey-core creates validator errors with the question
// as their owner, so the validator itself is recorded here (idempotent prototype wrap; it only
// records, never changes behaviour).
const validatorOfError = new WeakMap<object, SurveyValidator>();
const WRAPPED = Symbol.for('cunwen.validatorErrorTag');
interface CreateCustomErrorHost {
  createCustomError(name: string): SurveyError;
  [WRAPPED]?: boolean;
}
(function tagValidatorErrors(): void {
  // createCustomError is protected in the typings; reached through a structural view.
  const proto = SurveyValidator.prototype as unknown as CreateCustomErrorHost;
  if (proto[WRAPPED]) return;
  const original = proto.createCustomError;
  proto.createCustomError = function (this: SurveyValidator, name: string): SurveyError {
    const err = original.call(this, name);
    validatorOfError.set(err, this);
    return err;
  };
  proto[WRAPPED] = true;
})();

const NO_VALUE_TYPES = new Set(['html', 'image', 'empty']);
const CHOICE_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'imagepicker']);
const NUMBER_INPUTS = new Set(['number', 'range']);

/** The structural view of survey-core questions used below (properties vary by question type). */
interface QuestionView {
  name: string;
  getType(): string;
  getValueName(): string;
  isVisible: boolean;
  isParentVisible: boolean;
  errors: SurveyError[];
  validators: SurveyValidator[];
  value: unknown;
  inputType?: string;
  maxLength?: number;
  getMaxLength?: () => number | null;
  choices?: ItemValue[];
  showOtherItem?: boolean;
  showNoneItem?: boolean;
  showRefuseItem?: boolean;
  showDontKnowItem?: boolean;
  showCommentArea?: boolean;
  otherItem?: ItemValue;
  noneItem?: ItemValue;
  refuseItem?: ItemValue;
  dontKnowItem?: ItemValue;
  multiSelect?: boolean;
  maxSelectedChoices?: number;
  rateValues?: ItemValue[];
  visibleRateValues?: ItemValue[];
  valueTrue?: unknown;
  valueFalse?: unknown;
  rows?: ItemValue[];
  columns?: ItemValue[];
  minPanelCount?: number;
  maxPanelCount?: number;
  panelCount?: number;
  panels?: Array<{ questions: Question[] }>;
  templateElements?: unknown;
  template?: { questions: Question[] };
  choicesMin?: number;
  choicesMax?: number;
  choicesStep?: number;
  choicesFromQuestion?: string;
  choicesByUrl?: { url?: string };
  minLength?: number;
}

function view(q: Question): QuestionView {
  return q as unknown as QuestionView;
}

function itemValues(items: ItemValue[] | undefined): unknown[] {
  return (items ?? []).map((i) => i.value);
}

/** Values a choice question accepts: its choices and the special items that are switched on. */
function choiceValuesOf(q: QuestionView): unknown[] | null {
  if (q.choicesFromQuestion || q.choicesByUrl?.url) return null; // dynamic choices: not checkable here
  const values = itemValues(q.choices);
  if (q.getType() === 'dropdown' && typeof q.choicesMin === 'number' && typeof q.choicesMax === 'number' && q.choicesMax > q.choicesMin) {
    const step = q.choicesStep && q.choicesStep > 0 ? q.choicesStep : 1;
    for (let v = q.choicesMin; v <= q.choicesMax; v += step) values.push(v);
  }
  if (q.showOtherItem && q.otherItem) values.push(q.otherItem.value);
  if (q.showNoneItem && q.noneItem) values.push(q.noneItem.value);
  if (q.showRefuseItem && q.refuseItem) values.push(q.refuseItem.value);
  if (q.showDontKnowItem && q.dontKnowItem) values.push(q.dontKnowItem.value);
  return values;
}

function supportsComment(q: QuestionView): boolean {
  return !!q.showOtherItem || !!q.showCommentArea;
}

function isPrimitiveChoice(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

interface Collector {
  problems: AnswerProblem[];
  blocked: string[];
}

function block(c: Collector, path: string, code: AnswerProblemCode): void {
  c.problems.push(answerProblem(code, path));
  c.blocked.push(path);
}

/**
 * Structural check of one answer. Returns the value to give to the model, or undefined when the
 * answer was rejected (the reason is pushed into `c`).
 */
function checkValue(q: QuestionView, value: unknown, path: string, c: Collector): unknown {
  const type = q.getType();
  if (type === 'text') {
    const inputType = q.inputType ?? 'text';
    if (NUMBER_INPUTS.has(inputType)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return block(c, path, 'NOT_A_NUMBER');
      return value;
    }
    if (typeof value !== 'string') return block(c, path, 'WRONG_TYPE');
    if (inputType === 'date' && value.trim() !== '' && !isIsoDate(value)) return block(c, path, 'INVALID_DATE');
    const max = q.getMaxLength ? q.getMaxLength() : null;
    if (typeof max === 'number' && max > 0 && value.length > max) return block(c, path, 'TOO_LONG');
    return value;
  }
  if (type === 'comment') {
    if (typeof value !== 'string') return block(c, path, 'WRONG_TYPE');
    const max = q.getMaxLength ? q.getMaxLength() : null;
    if (typeof max === 'number' && max > 0 && value.length > max) return block(c, path, 'TOO_LONG');
    return value;
  }
  if (type === 'boolean') {
    const hasCustom = q.valueTrue !== undefined || q.valueFalse !== undefined;
    if (hasCustom) {
      const t = q.valueTrue !== undefined ? q.valueTrue : true;
      const f = q.valueFalse !== undefined ? q.valueFalse : false;
      if (value !== t && value !== f) return block(c, path, 'NOT_IN_CHOICES');
      return value;
    }
    if (typeof value !== 'boolean') return block(c, path, 'WRONG_TYPE');
    return value;
  }
  if (type === 'rating') {
    const generated = (q.rateValues ?? []).length === 0;
    if (generated && (typeof value !== 'number' || !Number.isFinite(value))) return block(c, path, 'NOT_A_NUMBER');
    if (!isPrimitiveChoice(value)) return block(c, path, 'WRONG_TYPE');
    const allowed = itemValues(q.visibleRateValues);
    if (!allowed.includes(value)) return block(c, path, 'NOT_IN_CHOICES');
    return value;
  }
  if (CHOICE_TYPES.has(type)) {
    const multi = type === 'checkbox' || type === 'tagbox' || (type === 'imagepicker' && !!q.multiSelect);
    const allowed = choiceValuesOf(q);
    if (multi) {
      if (!Array.isArray(value)) return block(c, path, 'WRONG_TYPE');
      if (!value.every(isPrimitiveChoice)) return block(c, path, 'WRONG_TYPE');
      if (allowed && !value.every((v) => allowed.includes(v))) return block(c, path, 'NOT_IN_CHOICES');
      if (typeof q.maxSelectedChoices === 'number' && q.maxSelectedChoices > 0 && value.length > q.maxSelectedChoices) {
        return block(c, path, 'ANSWER_COUNT');
      }
      return value;
    }
    if (!isPrimitiveChoice(value)) return block(c, path, 'WRONG_TYPE');
    if (allowed && !allowed.includes(value)) return block(c, path, 'NOT_IN_CHOICES');
    return value;
  }
  if (type === 'matrix') {
    if (!isPlainObject(value)) return block(c, path, 'WRONG_TYPE');
    const rows = new Set(itemValues(q.rows).map((v) => String(v)));
    const cols = itemValues(q.columns);
    for (const [rowKey, cell] of Object.entries(value)) {
      if (!rows.has(rowKey)) return block(c, path, 'NOT_IN_CHOICES');
      if (cell === undefined || cell === null) continue;
      if (!isPrimitiveChoice(cell)) return block(c, path, 'WRONG_TYPE');
      if (!cols.includes(cell)) return block(c, path, 'NOT_IN_CHOICES');
    }
    return value;
  }
  // Types without gap checks (survey-core validates them, or they are rare): kept as given.
  return value;
}

/** Questions of a dynamic panel's template, by value name. */
function templateQuestions(q: QuestionView): Map<string, QuestionView> {
  const out = new Map<string, QuestionView>();
  for (const t of q.template?.questions ?? []) {
    const tv = view(t);
    if (!NO_VALUE_TYPES.has(tv.getType())) out.set(tv.getValueName(), tv);
  }
  return out;
}

function checkScope(
  questions: Map<string, QuestionView>,
  answers: Record<string, unknown>,
  prefix: string,
  c: Collector,
): Record<string, unknown> {
  const fed: Record<string, unknown> = {};
  for (const key of Object.keys(answers)) {
    const value = answers[key];
    const path = prefix + key;
    const q = questions.get(key);
    if (!q) {
      if (key.endsWith('-Comment')) {
        const base = questions.get(key.slice(0, -'-Comment'.length));
        if (base && supportsComment(base)) {
          if (value === undefined || value === null) continue;
          if (typeof value !== 'string') block(c, path, 'WRONG_TYPE');
          else fed[key] = value;
          continue;
        }
      }
      c.problems.push(answerProblem('UNKNOWN_QUESTION', path));
      continue;
    }
    if (value === undefined || value === null) continue;
    if (q.getType() === 'paneldynamic') {
      if (!Array.isArray(value)) {
        block(c, path, 'WRONG_TYPE');
        continue;
      }
      if (value.length === 0) continue;
      const min = q.minPanelCount ?? 0;
      const max = q.maxPanelCount ?? 0;
      if (value.length < min || (max > 0 && value.length > max)) {
        block(c, path, 'PANEL_COUNT');
        continue;
      }
      const inner = templateQuestions(q);
      fed[key] = value.map((item, i) => {
        const itemPath = `${path}[${i}]`;
        if (!isPlainObject(item)) {
          block(c, itemPath, 'WRONG_TYPE');
          return {};
        }
        return checkScope(inner, item, `${itemPath}.`, c);
      });
      continue;
    }
    const checked = checkValue(q, value, path, c);
    if (checked !== undefined && !isEmptyAnswer(checked)) fed[key] = checked;
  }
  return fed;
}

function codeOfError(q: QuestionView, err: SurveyError): AnswerProblemCode {
  const type = err.getErrorType();
  switch (type) {
    case 'required':
    case 'requiredinallrowserror':
      return 'REQUIRED';
    case 'requirenumeric':
      return 'NOT_A_NUMBER';
    case 'otherempty':
      return 'OTHER_EMPTY';
    case 'minrowcounterror':
      return 'PANEL_COUNT';
    case 'custom':
      break;
    default:
      return 'INVALID';
  }
  const validator = validatorOfError.get(err)?.getType();
  switch (validator) {
    case 'numericvalidator':
      return 'OUT_OF_RANGE';
    case 'regexvalidator':
    case 'emailvalidator':
      return 'PATTERN';
    case 'expressionvalidator':
      return 'EXPRESSION';
    case 'answercountvalidator':
      return 'ANSWER_COUNT';
    case 'textvalidator': {
      const v = q.value;
      const tv = q.validators.find((x) => x.getType() === 'textvalidator') as unknown as
        | { allowDigits?: boolean; minLength?: number }
        | undefined;
      if (typeof v === 'string' && tv && tv.allowDigits === false && /\d+$/.test(v)) return 'PATTERN';
      if (typeof v === 'string' && tv && (tv.minLength ?? 0) > 0 && v.length < (tv.minLength ?? 0)) return 'TOO_SHORT';
      return 'TOO_LONG';
    }
    default:
      break;
  }
  const qType = q.getType();
  if (qType === 'checkbox' || qType === 'tagbox' || qType === 'imagepicker') return 'ANSWER_COUNT';
  if (qType === 'text') return 'OUT_OF_RANGE';
  return 'INVALID';
}

/** The form's own text of the validator behind an error (as written in the definition), if any. */
function customTextOf(err: SurveyError): unknown {
  const validator = validatorOfError.get(err);
  if (!validator) return undefined;
  const json = validator.toJSON() as Record<string, unknown>;
  return json['text'];
}

function isBlocked(path: string, blocked: string[]): boolean {
  for (const b of blocked) {
    if (path === b || path.startsWith(`${b}.`) || path.startsWith(`${b}[`)) return true;
  }
  return false;
}

export function createReferenceValidator(definition: Record<string, unknown>): AnswerValidator {
  let survey: Model | null = new Model(definition);
  survey.locale = 'zh-cn';
  const topLevel = new Map<string, QuestionView>();
  for (const q of survey.getAllQuestions(false)) {
    const qv = view(q);
    if (!NO_VALUE_TYPES.has(qv.getType())) topLevel.set(qv.getValueName(), qv);
  }
  // Values of hidden questions are cleared by survey-core on completion unless the form keeps them.
  const rejectHidden = survey.clearInvisibleValues !== 'none';
  // Dynamic panels of the reused model keep their panels (and nested state) from the previous
  // submission when the new value is empty, and clear() does not reset them either. So every
  // top-level dynamic panel is emptied before the data is set (its panels are then rebuilt from the
  // template), and one without an answer gets the panel count a fresh model would have.
  const dynamicPanels = survey
    .getAllQuestions(false)
    .filter((q) => q.getType() === 'paneldynamic')
    .map((q) => ({ q: view(q), initialCount: view(q).panelCount ?? 0 }));

  function collect(
    qs: QuestionView[],
    prefix: string,
    fedScope: Record<string, unknown>,
    c: Collector,
    parentVisible: boolean,
  ): void {
    for (const q of qs) {
      const valueName = q.getValueName();
      const path = prefix + q.name;
      const visible = parentVisible && q.isVisible && q.isParentVisible;
      const fedValue = Object.prototype.hasOwnProperty.call(fedScope, valueName) ? fedScope[valueName] : undefined;
      if (!visible) {
        if (rejectHidden && !isEmptyAnswer(fedValue) && !isBlocked(path, c.blocked)) {
          c.problems.push(answerProblem('HIDDEN_ANSWER', path));
        }
        continue;
      }
      if (!isBlocked(path, c.blocked)) {
        for (const err of q.errors) c.problems.push(answerProblem(codeOfError(q, err), path, customTextOf(err)));
      }
      if (q.getType() === 'paneldynamic') {
        const items = Array.isArray(fedValue) ? (fedValue as unknown[]) : [];
        (q.panels ?? []).forEach((panel, i) => {
          const item = items[i];
          collect(panel.questions.map(view), `${path}[${i}].`, isPlainObject(item) ? item : {}, c, true);
        });
      }
    }
  }

  return {
    validate(answers) {
      if (!survey) throw new Error('validator disposed');
      const c: Collector = { problems: [], blocked: [] };
      const fed = checkScope(topLevel, answers, '', c);
      for (const d of dynamicPanels) d.q.panelCount = 0;
      survey.data = fed;
      for (const d of dynamicPanels) {
        if (isEmptyAnswer(fed[d.q.getValueName()])) d.q.panelCount = d.initialCount;
      }
      survey.validate(true);
      const roots = survey.getAllQuestions(false).map(view);
      collect(roots, '', fed, c, true);
      return dedupeProblems(c.problems);
    },
    dispose() {
      survey?.dispose();
      survey = null;
    },
  };
}
