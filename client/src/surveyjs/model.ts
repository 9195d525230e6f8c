/**
 * The ONLY place that builds SurveyJS models for the kiosk (the offline core and features never
 * import survey-core UI). One fresh model per respondent; `disposeSurvey` when they are done.
 */
import { Model, surveyLocalization, type Question, type ItemValue } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import '../../../common/forms/survey-properties';
import '../../../common/forms/survey-functions';
import type { SurveyDefinition } from '../../../common/api/forms';
import { attachReadAloud } from './read-aloud';

/** Wrong or machine-translated strings of the bundled zh-cn locale, corrected once at start-up. */
export const ZH_CN_OVERRIDES: Record<string, string> = {
  // rendered literally as "面板 {面板索引}": the placeholder itself was translated
  panelDynamicTabTextFormat: '第 {panelIndex} 项',
  // "{0}{1}" shows "12" for "1 of 2"
  panelDynamicProgressText: '第 {0} 项,共 {1} 项',
  // "ok" became "还行" ("so-so")
  ok: '确定',
  tagboxDoneButtonCaption: '完成',
  ratingOptionsCaption: '请选择…',
  buttongroupOptionsCaption: '请选择…',
  completingSurveyBefore: '您已完成过这份问卷。',
  commentText: '请填写',
  requiredErrorInPanel: '请至少回答一题。',
  invalidExpression: '表达式 {0} 无效。',
};

let localeFixed = false;
export function fixChineseLocale(): void {
  if (localeFixed) return;
  const zh = (surveyLocalization.locales as Record<string, Record<string, string> | undefined>)['zh-cn'];
  if (zh) Object.assign(zh, ZH_CN_OVERRIDES);
  localeFixed = true;
}

type Json = Record<string, unknown>;

/**
 * Villager-friendly rewrite of a definition copy: short dropdowns become radio groups (dropdowns
 * have touch bugs on Android/iPad tablets). The stored definition is not changed.
 */
export function villagerFriendly(definition: SurveyDefinition): SurveyDefinition {
  const walk = (el: unknown): unknown => {
    if (Array.isArray(el)) return el.map(walk);
    if (!el || typeof el !== 'object') return el;
    const copy: Json = { ...(el as Json) };
    if (copy.type === 'dropdown' && Array.isArray(copy.choices) && copy.choices.length <= 12 && !copy.choicesByUrl) {
      copy.type = 'radiogroup';
      delete copy.placeholder;
    }
    for (const key of ['pages', 'elements', 'templateElements']) {
      if (Array.isArray(copy[key])) copy[key] = walk(copy[key]);
    }
    return copy;
  };
  return walk(definition) as SurveyDefinition;
}

export interface CreateSurveyOptions {
  kind: 'knowledge' | 'satisfaction' | 'census' | 'general';
  /** label of the read-aloud title action (UI language) */
  readAloudLabel: string;
  /** census drafts: the answers so far */
  data?: Record<string, unknown>;
}

export function createSurveyModel(definition: SurveyDefinition, options: CreateSurveyOptions): Model {
  fixChineseLocale();
  const model = new Model(villagerFriendly(definition));
  if (!model.locale) model.locale = 'zh-cn';
  model.showCompletePage = false; // the kiosk shows its own results / thank-you screens
  model.showCompletedPage = false;
  model.autoGrowComment = true;
  model.textUpdateMode = 'onTyping';
  if (options.kind === 'census') {
    // Rosters: one member at a time (carousel) and lazy rendering keep a 15-member household fast.
    model.lazyRenderEnabled = true;
    for (const q of model.getAllQuestions(false, true, true)) {
      if (q.getType() === 'paneldynamic') (q as unknown as { displayMode: string }).displayMode = 'carousel';
    }
  }
  if (options.data) model.mergeData(options.data);
  attachReadAloud(model, options.readAloudLabel);
  return model;
}

/** Drops a respondent's model: clears its answers, then frees it. Safe to call twice. */
export function disposeSurvey(model: Model | null | undefined): void {
  if (!model || model.isDisposed) return;
  try {
    model.clear(true, true);
  } catch {
    /* a half-built model: dispose anyway */
  }
  model.dispose();
}

export interface QuizReviewItem {
  name: string;
  title: string;
  correct: boolean;
  /** the correct answer as the respondent reads it (choice texts) */
  correctText: string;
}

export interface QuizReview {
  total: number;
  correct: number;
  items: QuizReviewItem[];
}

function choiceText(q: Question, value: unknown): string {
  const choices = (q as unknown as { choices?: ItemValue[] }).choices;
  const found = Array.isArray(choices) ? choices.find((c) => c.value === value) : undefined;
  return found ? found.text : String(value);
}

/** The quiz outcome as plain strings, computed before the model is disposed. */
export function quizReview(model: Model): QuizReview {
  const items: QuizReviewItem[] = [];
  for (const q of model.getAllQuestions(true)) {
    const answer: unknown = q.correctAnswer;
    if (answer === undefined || answer === null || answer === '' || (Array.isArray(answer) && answer.length === 0)) continue;
    const values: unknown[] = Array.isArray(answer) ? answer : [answer];
    items.push({
      name: q.name,
      title: q.processedTitle,
      correct: q.isAnswerCorrect(),
      correctText: values.map((v) => choiceText(q, v)).join('、'),
    });
  }
  return { total: items.length, correct: items.filter((i) => i.correct).length, items };
}

export type { Model as SurveyModel } from 'survey-core';
