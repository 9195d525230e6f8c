/**
 * The built-in form templates (one JSON file each): parsed and typed once at load time.
 */
import { z } from 'zod';
import { FormKindSchema, FormSlugSchema, SurveyDefinitionSchema, type FormKind, type SurveyDefinition } from '../common/api/forms';
import { LocalizedTextSchema, type LocalizedText } from '../common/localized';
import householdCensus from './household-census.json';
import knowledgeQuiz from './knowledge-quiz.json';
import satisfactionSurvey from './satisfaction-survey.json';

export interface Template {
  /** Slug, e.g. `knowledge-quiz`. */
  id: string;
  kind: FormKind;
  title: LocalizedText;
  /** SurveyJS JSON (locale zh-cn, strings as `{ default: English, "zh-cn": 中文 }`). */
  definition: SurveyDefinition;
}

export const TemplateSchema = z.strictObject({
  id: FormSlugSchema,
  kind: FormKindSchema,
  title: LocalizedTextSchema,
  definition: SurveyDefinitionSchema,
});

export const TEMPLATE_IDS = ['knowledge-quiz', 'satisfaction-survey', 'household-census'] as const;

/** All templates, validated. Returns fresh copies: callers may mutate them. */
export function loadTemplates(): Template[] {
  return [knowledgeQuiz, satisfactionSurvey, householdCensus].map((raw) => {
    const parsed: Template = TemplateSchema.parse(raw);
    return structuredClone(parsed);
  });
}

/** One template by id, or undefined. */
export function loadTemplate(id: string): Template | undefined {
  return loadTemplates().find((t) => t.id === id);
}
