import { surveyText } from '../localized';

/**
 * Shared contract for validating submitted answers against one immutable form version.
 *
 * Two implementations exist:
 * - `reference-validator.ts`: one reused headless survey-core model plus checks for the gaps
 *   survey-core leaves open (slow, trustworthy);
 * - `compiled-validator.ts`: the form version compiled once into plain JavaScript (fast), tested
 *   against the reference on random answer sets.
 */

/** One problem found in a submission (shape-compatible with `AnswerProblemSchema` in `common/api/submissions.ts`). */
export interface AnswerProblem {
  /** Question name; inside dynamic panels `members[2].national_id`; absent for form-wide problems. */
  question?: string;
  code: string;
  message: string;
}

export interface AnswerValidator {
  /** Returns every problem found; an empty array means the answers may be stored. */
  validate(answers: Record<string, unknown>): AnswerProblem[];
  /** Releases the resources held (the survey-core model, for the reference validator). */
  dispose(): void;
}

/** Stable problem codes with their zh-CN and English messages. A code, once shipped, keeps its meaning. */
export const ANSWER_PROBLEM_CODES = {
  REQUIRED: { zh: '此题必须回答', en: 'An answer is required' },
  NOT_A_NUMBER: { zh: '请输入数字', en: 'The answer must be a number' },
  TOO_LONG: { zh: '回答过长', en: 'The answer is too long' },
  TOO_SHORT: { zh: '回答过短', en: 'The answer is too short' },
  NOT_IN_CHOICES: { zh: '答案不在选项之中', en: 'The answer is not one of the choices' },
  WRONG_TYPE: { zh: '答案的数据类型不正确', en: 'The answer has the wrong data type' },
  UNKNOWN_QUESTION: { zh: '问卷中没有这道题', en: 'The form has no such question' },
  HIDDEN_ANSWER: { zh: '此题在当前条件下不显示,不应有答案', en: 'The question is hidden under the given answers and must not be answered' },
  OUT_OF_RANGE: { zh: '数值超出允许范围', en: 'The value is out of the allowed range' },
  PATTERN: { zh: '答案格式不正确', en: 'The answer does not have the required format' },
  INVALID_DATE: { zh: '日期格式不正确(应为 YYYY-MM-DD)', en: 'The date is not valid (expected YYYY-MM-DD)' },
  EXPRESSION: { zh: '答案不满足校验条件', en: 'The answer fails a validation rule' },
  ANSWER_COUNT: { zh: '所选答案的数量不符合要求', en: 'The number of selected answers is not allowed' },
  PANEL_COUNT: { zh: '条目数量不符合要求', en: 'The number of entries is not allowed' },
  OTHER_EMPTY: { zh: '请填写“其他”的具体内容', en: 'Please describe the “other” answer' },
  INVALID: { zh: '答案无效', en: 'The answer is not valid' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AnswerProblemCode = keyof typeof ANSWER_PROBLEM_CODES;

/**
 * Builds a problem with the catalogue's bilingual message ("中文 / English"). `customText` is the
 * form's own validator text (a SurveyJS string or `{ default, "zh-cn", en }`), appended when given.
 */
export function answerProblem(code: AnswerProblemCode, question: string | undefined, customText?: unknown): AnswerProblem {
  const info = ANSWER_PROBLEM_CODES[code];
  const zhCustom = customText === undefined ? '' : surveyText(customText, 'zh');
  const enCustom = customText === undefined ? '' : surveyText(customText, 'en');
  const zh = zhCustom ? `${info.zh}:${zhCustom}` : info.zh;
  const en = enCustom ? `${info.en}: ${enCustom}` : info.en;
  const message = `${zh} / ${en}`;
  return question === undefined ? { code, message } : { question, code, message };
}

/** Removes repeated (question, code) pairs, keeping the first occurrence. */
export function dedupeProblems(problems: AnswerProblem[]): AnswerProblem[] {
  if (problems.length < 2) return problems;
  const seen = new Set<string>();
  const out: AnswerProblem[] = [];
  for (const p of problems) {
    const key = `${p.question ?? ''}\u0000${p.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * survey-core's notion of an empty answer (Helpers.isValueEmpty with strings trimmed):
 * undefined, null, '', whitespace, [], and objects whose values are all empty. 0 and false are answers.
 */
export function isEmptyAnswer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) {
    for (const k in value as Record<string, unknown>) {
      if (!isEmptyAnswer((value as Record<string, unknown>)[k])) return false;
    }
    return true;
  }
  return false;
}

/** A JSON object: `{}` from any realm (or with a null prototype); not an array, Date, Map… */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Strict YYYY-MM-DD calendar date. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

export interface ValidatorCache {
  /** Returns the cached validator for `${formId}@${version}`, building it with `build` on a miss. */
  get(formId: string, version: number, build: () => AnswerValidator): AnswerValidator;
  /** Disposes and forgets every cached validator. */
  clear(): void;
  readonly size: number;
}

/**
 * A small LRU cache of validators keyed by `${formId}@${version}`. Form versions are immutable, so a
 * validator can be shared by every request for as long as it stays in the cache. Evicted validators
 * are disposed.
 */
export function createValidatorCache(max = 200): ValidatorCache {
  const entries = new Map<string, AnswerValidator>();
  return {
    get(formId, version, build) {
      const key = `${formId}@${version}`;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const created = build();
      entries.set(key, created);
      while (entries.size > Math.max(1, max)) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        const v = entries.get(oldest.value);
        entries.delete(oldest.value);
        v?.dispose();
      }
      return created;
    },
    clear() {
      for (const v of entries.values()) v.dispose();
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
