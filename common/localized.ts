import { z } from 'zod';

/** Text in zh-CN (required: the people we serve read Chinese) and optionally English. */
export const LocalizedTextSchema = z.strictObject({
  zh: z.string().trim().min(1).max(500),
  en: z.string().trim().max(500).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** SurveyJS stores localized strings as { default, "zh-cn", en } or a plain string. */
export function surveyText(value: unknown, locale: 'zh' | 'en' = 'zh'): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    const pick = locale === 'zh' ? (v['zh-cn'] ?? v['default'] ?? v['en']) : (v['en'] ?? v['default'] ?? v['zh-cn']);
    return typeof pick === 'string' ? pick : '';
  }
  return '';
}
