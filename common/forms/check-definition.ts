/**
 * Static checks of a SurveyJS form definition before it is saved or published.
 *
 * Problem codes:
 * - JSON_ERROR: survey-core `jsonErrors` (unknown property, unknown question type, …).
 * - EXPRESSION_ERROR: `validateExpressions()` (syntax errors, unknown variables or functions,
 *   expressions that always give the same result).
 * - DUPLICATE_NAME: two questions storing their value under the same key (name, or valueName
 *   when set; compared case-insensitively because survey-core expressions are) in the same data
 *   scope. Scopes: the survey (top level and static panels) and each dynamic-panel template
 *   (`members[].name` does not clash with a top-level `name`).
 * - BAD_NAME: a question name/valueName (or matrix column / multiple-text item name) that does
 *   not match `^[\p{L}_][\p{L}\p{N}_-]*$` — such names are safe as MongoDB keys (no `$`, no `.`).
 * - EMPTY: no question at all (html and image elements do not count).
 * - MISSING_CORRECT_ANSWER / BAD_CORRECT_ANSWER (knowledge forms): every scored question needs a
 *   `correctAnswer` that is one of its choices (checkbox: a non-empty array of distinct choices;
 *   boolean: true/false or valueTrue/valueFalse). Scored = a choice question (radiogroup, checkbox,
 *   dropdown, tagbox, imagepicker, boolean) whose custom `scored` property is not `false`. Convention:
 *   respondent-profile questions (`age_band`, `sex`) carry `"scored": false`. The answer is read
 *   through survey-core, which normalises it (a one-element array on a single choice becomes the
 *   scalar; a scalar on a checkbox becomes an array), so scorers should read it the same way.
 * - IDENTIFYING_FIELD_IN_ANONYMOUS_FORM (knowledge and satisfaction forms, anonymous by law): a
 *   question marked `sensitive`, a text input of type tel/email or with an email validator, a
 *   signature pad, a question whose name looks like a name/phone/ID/address field, or a free-text
 *   question whose title asks for one.
 */
import {
  Model,
  Question,
  QuestionBooleanModel,
  QuestionCheckboxModel,
  QuestionPanelDynamicModel,
  QuestionSelectBase,
  QuestionTextModel,
  type Base,
  type JsonError,
} from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import './survey-properties';
import './survey-functions';
import type { DefinitionProblem, FormKind, SurveyDefinition } from '../api/forms';
import { surveyText } from '../localized';

export const DEFINITION_PROBLEM_CODES = [
  'JSON_ERROR',
  'EXPRESSION_ERROR',
  'DUPLICATE_NAME',
  'BAD_NAME',
  'EMPTY',
  'MISSING_CORRECT_ANSWER',
  'BAD_CORRECT_ANSWER',
  'IDENTIFYING_FIELD_IN_ANONYMOUS_FORM',
] as const;
export type DefinitionProblemCode = (typeof DEFINITION_PROBLEM_CODES)[number];

/** A question name that is safe as a MongoDB key and in survey-core expressions. */
export const QUESTION_NAME_PATTERN = /^[\p{L}_][\p{L}\p{N}_-]*$/u;

/** Question types that can be quiz items in knowledge forms. */
export const SCORED_QUESTION_TYPES: ReadonlySet<string> = new Set([
  'radiogroup', 'checkbox', 'dropdown', 'tagbox', 'imagepicker', 'boolean',
]);

/** Elements that are questions in survey-core but collect nothing. */
const NON_INPUT_TYPES: ReadonlySet<string> = new Set(['html', 'image']);

export interface QuestionInfo {
  /** The question's `name`. */
  name: string;
  /** survey-core type, e.g. `radiogroup`, `paneldynamic`. */
  type: string;
  /** Data path: `valueName ?? name`, prefixed by enclosing dynamic panels, e.g. `members[].name`. */
  path: string;
  /** Title in zh-CN (falls back to the default text, then the name). */
  title: string;
  /** Title in English (the `default` text, falls back to zh-CN, then the name). */
  titleEn: string;
}

interface Entry {
  question: Question;
  /** Value key within its scope. */
  key: string;
  path: string;
  /** '' for the survey, `members[].` for a dynamic panel template, … */
  scope: string;
}

function collect(questions: readonly Question[], scope: string, out: Entry[]): void {
  for (const question of questions) {
    const key = question.valueName || question.name;
    const path = scope + key;
    out.push({ question, key, path, scope });
    if (question instanceof QuestionPanelDynamicModel) {
      collect(question.template.questions, `${path}[].`, out);
    }
  }
}

function collectAll(model: Model): Entry[] {
  const out: Entry[] = [];
  // visibleOnly=false, includeDesignTime=false, includeNested=false; questions that live inside a
  // dynamic panel (template or runtime copy) have a parentQuestion and are reached through it.
  collect(model.getAllQuestions(false, false, false).filter((q) => !q.parentQuestion), '', out);
  return out;
}

function newModel(definition: SurveyDefinition): Model {
  const model = new Model(definition);
  model.locale = 'zh-cn';
  return model;
}

function titleOf(question: Question, locale: 'zh' | 'en'): string {
  return surveyText(question.locTitle.getJson(), locale) || question.name;
}

/** All questions of a definition, including those inside dynamic panel templates (nested too). */
export function listQuestions(definition: SurveyDefinition): QuestionInfo[] {
  const model = newModel(definition);
  try {
    return collectAll(model).map(({ question, path }) => ({
      name: question.name,
      type: question.getType(),
      path,
      title: titleOf(question, 'zh'),
      titleEn: titleOf(question, 'en'),
    }));
  } finally {
    model.dispose();
  }
}

function problem(code: DefinitionProblemCode, zh: string, en: string, question?: string): DefinitionProblem {
  return question === undefined ? { code, message: `${zh} / ${en}` } : { code, message: `${zh} / ${en}`, question };
}

/** Reads a property of a survey-core object that its typings do not declare. */
function prop(obj: unknown, name: string): unknown {
  return obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[name] : undefined;
}

function jsonErrorProblem(error: JsonError): DefinitionProblem {
  const jsonObj = prop(error, 'jsonObj');
  const elementName = prop(prop(error, 'element'), 'name');
  const objName = prop(jsonObj, 'name');
  const name = typeof elementName === 'string' && elementName ? elementName
    : typeof objName === 'string' && objName ? objName : undefined;
  const at = name ? `（${name}）` : '';
  const atEn = name ? ` (${name})` : '';
  if (error.type === 'unknownproperty') {
    const propertyName = String(prop(error, 'propertyName') ?? '');
    const className = String(prop(error, 'className') ?? '');
    return problem('JSON_ERROR', `未知属性「${propertyName}」（${className}）${at}`,
      `Unknown property '${propertyName}' in '${className}'${atEn}`, name);
  }
  const type = prop(jsonObj, 'type');
  if ((error.type === 'incorrecttypeproperty' || error.type === 'missingtypeproperty') && typeof type === 'string') {
    return problem('JSON_ERROR', `未知题型「${type}」${at}`, `Unknown question type '${type}'${atEn}`, name);
  }
  return problem('JSON_ERROR', `定义有误${at}：${error.message}`, `Invalid definition${atEn}: ${error.message}`, name);
}

/** The name of the question an expression belongs to (itself, a validator's or a choice's owner…). */
function ownerQuestionName(obj: Base): string | undefined {
  if (obj instanceof Question) return obj.name;
  for (const ownerProp of ['errorOwner', 'locOwner', 'colOwner']) {
    const owner = prop(obj, ownerProp);
    if (owner instanceof Question) return owner.name;
  }
  return undefined;
}

const EXPRESSION_ERROR_TEXT: Record<number, [string, string]> = {
  0: ['语法错误', 'syntax error'],
  3: ['结果恒定，没有意义', 'always gives the same result'],
};

function expressionProblems(model: Model): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  for (const result of model.validateExpressions()) {
    const questionName = ownerQuestionName(result.obj);
    const objName = prop(result.obj, 'name');
    const where = `${result.obj.getType()}${typeof objName === 'string' && objName ? ` ${objName}` : ''}.${result.propertyName}`;
    const expression = String(prop(result.obj, result.propertyName) ?? '');
    for (const error of result.errors) {
      let zh: string;
      let en: string;
      if (error.errorType === 1) {
        zh = `未知函数 ${error.functionName ?? ''}()`;
        en = `unknown function ${error.functionName ?? ''}()`;
      } else if (error.errorType === 2) {
        zh = `未知变量 {${error.variableName ?? ''}}`;
        en = `unknown variable {${error.variableName ?? ''}}`;
      } else {
        [zh, en] = EXPRESSION_ERROR_TEXT[error.errorType] ?? ['表达式错误', 'invalid expression'];
      }
      out.push(problem('EXPRESSION_ERROR', `表达式「${expression}」（${where}）：${zh}`,
        `Expression '${expression}' (${where}): ${en}`, questionName));
    }
  }
  return out;
}

function nameProblems(entries: readonly Entry[]): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const seen = new Map<string, string>();
  for (const { question, key, path, scope } of entries) {
    const names = [question.name];
    if (question.valueName) names.push(question.valueName);
    const type = question.getType();
    // Sub-field names that also become keys of the stored answer.
    const columns = prop(question, 'columns');
    if ((type === 'matrixdropdown' || type === 'matrixdynamic') && Array.isArray(columns)) {
      for (const column of columns) names.push(String(prop(column, 'name') ?? ''));
    }
    const items = prop(question, 'items');
    if (type === 'multipletext' && Array.isArray(items)) {
      for (const item of items) names.push(String(prop(item, 'name') ?? ''));
    }
    for (const name of names) {
      if (!QUESTION_NAME_PATTERN.test(name)) {
        out.push(problem('BAD_NAME',
          `名称「${name}」不合规：须以字母或下划线开头，只能包含字母、数字、_ 和 -（不能有 $ 和 .）`,
          `Bad name '${name}': must start with a letter or _, and contain only letters, digits, _ and - (no $ or .)`,
          path));
      }
    }
    if (NON_INPUT_TYPES.has(type)) continue;
    const scopedKey = `${scope}\u0000${key.toLowerCase()}`;
    const first = seen.get(scopedKey);
    if (first === undefined) {
      seen.set(scopedKey, path);
    } else {
      out.push(problem('DUPLICATE_NAME', `题目名称「${path}」重复（与「${first}」）`,
        `Duplicate question name '${path}' (same as '${first}')`, path));
    }
  }
  return out;
}

function isEmptyAnswer(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function allowedChoiceValues(question: QuestionSelectBase): unknown[] | undefined {
  if (question.choicesFromQuestion || question.choicesByUrl?.url) return undefined; // dynamic choices: cannot check
  const values: unknown[] = question.choices.map((choice) => choice.value);
  if (question.showNoneItem) values.push(question.noneItem.value);
  if (question.showOtherItem) values.push(question.otherItem.value);
  if (question.showRefuseItem) values.push(question.refuseItem.value);
  if (question.showDontKnowItem) values.push(question.dontKnowItem.value);
  return values;
}

function fmt(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function correctAnswerProblems(entries: readonly Entry[]): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  for (const { question, path } of entries) {
    const type = question.getType();
    if (!SCORED_QUESTION_TYPES.has(type) || prop(question, 'scored') === false) continue;
    const answer: unknown = question.correctAnswer;
    if (isEmptyAnswer(answer)) {
      out.push(problem('MISSING_CORRECT_ANSWER',
        `计分题「${path}」没有正确答案（correctAnswer）；个人信息题请设 "scored": false`,
        `Scored question '${path}' has no correctAnswer; mark profile questions "scored": false`, path));
      continue;
    }
    let bad: string | undefined;
    if (question instanceof QuestionBooleanModel) {
      const allowed = [question.valueTrue ?? true, question.valueFalse ?? false];
      if (!allowed.some((v) => v === answer)) bad = fmt(allowed);
    } else if (question instanceof QuestionSelectBase) {
      const allowed = allowedChoiceValues(question);
      if (allowed) {
        const multi = question instanceof QuestionCheckboxModel || type === 'tagbox'
          || (type === 'imagepicker' && prop(question, 'multiSelect') === true);
        if (multi) {
          const ok = Array.isArray(answer)
            && new Set(answer).size === answer.length
            && answer.every((v: unknown) => allowed.includes(v));
          if (!ok) bad = `${fmt(allowed)}（数组 / array）`;
        } else if (!allowed.includes(answer)) {
          bad = fmt(allowed);
        }
      }
    }
    if (bad !== undefined) {
      out.push(problem('BAD_CORRECT_ANSWER',
        `题目「${path}」的正确答案 ${fmt(answer)} 不在选项中：${bad}`,
        `correctAnswer ${fmt(answer)} of '${path}' is not among its choices: ${bad}`, path));
    }
  }
  return out;
}

const IDENTIFYING_NAME_TOKENS: ReadonlySet<string> = new Set([
  'name', 'fullname', 'realname', 'surname', 'firstname', 'lastname',
  'phone', 'mobile', 'tel', 'telephone', 'cellphone', 'email', 'mail',
  'idcard', 'idno', 'idnumber', 'passport', 'sfz', 'sfzh',
  'address', 'addr', 'wechat', 'weixin', 'qq',
]);
const IDENTIFYING_TOKEN_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'number'], ['id', 'no'], ['id', 'card'], ['national', 'id'], ['identity', 'card'], ['identity', 'number'],
];
const IDENTIFYING_ZH = /姓名|名字|电话|手机|身份证|证件号|住址|地址|微信|护照|邮箱|门牌/;
const IDENTIFYING_TITLE_EN = /\b(full\s*name|your\s+name|name|phone|mobile|e-?mail|id\s*(card|number|no)|address|wechat)\b/i;

function nameLooksIdentifying(name: string): boolean {
  if (IDENTIFYING_ZH.test(name)) return true;
  const tokens = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (tokens.some((t) => IDENTIFYING_NAME_TOKENS.has(t))) return true;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (IDENTIFYING_TOKEN_PAIRS.some(([a, b]) => tokens[i] === a && tokens[i + 1] === b)) return true;
  }
  return false;
}

function identifyingReason(question: Question): [string, string] | undefined {
  const type = question.getType();
  if (prop(question, 'sensitive') === true) return ['标记为敏感字段（sensitive）', 'it is marked sensitive'];
  if (question instanceof QuestionTextModel) {
    if (question.inputType === 'tel' || question.inputType === 'email') {
      return [`输入类型为 ${question.inputType}`, `its input type is ${question.inputType}`];
    }
    if (question.validators.some((v) => v.getType() === 'emailvalidator')) return ['带有邮箱校验', 'it has an email validator'];
  }
  if (type === 'signaturepad') return ['签名题', 'it is a signature'];
  for (const name of [question.name, question.valueName]) {
    if (name && nameLooksIdentifying(name)) return [`名称「${name}」像是身份信息`, `its name '${name}' looks identifying`];
  }
  if (type === 'text' || type === 'comment' || type === 'multipletext') {
    const zh = surveyText(question.locTitle.getJson(), 'zh');
    const en = surveyText(question.locTitle.getJson(), 'en');
    if (IDENTIFYING_ZH.test(zh) || IDENTIFYING_TITLE_EN.test(en)) {
      return ['填空题的标题索取身份信息', 'its free-text title asks for identifying data'];
    }
  }
  return undefined;
}

function anonymityProblems(entries: readonly Entry[]): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  for (const { question, path } of entries) {
    const reason = identifyingReason(question);
    if (reason) {
      out.push(problem('IDENTIFYING_FIELD_IN_ANONYMOUS_FORM',
        `匿名问卷不得收集身份信息：题目「${path}」${reason[0]}`,
        `Anonymous forms must not identify people: question '${path}' — ${reason[1]}`, path));
    }
  }
  return out;
}

/** Checks a definition for the given form kind. An empty array means it can be published. */
export function checkDefinition(kind: FormKind, definition: SurveyDefinition): DefinitionProblem[] {
  let model: Model;
  try {
    model = newModel(definition);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [problem('JSON_ERROR', `无法解析问卷定义：${message}`, `Cannot load the definition: ${message}`)];
  }
  try {
    const problems: DefinitionProblem[] = [];
    for (const error of model.jsonErrors ?? []) problems.push(jsonErrorProblem(error));
    problems.push(...expressionProblems(model));
    const entries = collectAll(model);
    if (!entries.some((e) => !NON_INPUT_TYPES.has(e.question.getType()))) {
      problems.push(problem('EMPTY', '问卷没有任何题目', 'The form has no questions'));
    }
    problems.push(...nameProblems(entries));
    if (kind === 'knowledge') problems.push(...correctAnswerProblems(entries));
    if (kind === 'knowledge' || kind === 'satisfaction') problems.push(...anonymityProblems(entries));
    return problems;
  } finally {
    model.dispose();
  }
}
