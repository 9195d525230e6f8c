/** XLSForm language names (`label::中文`, `label::English (en)`) ⇄ SurveyJS locales. */

const ZH = new Set(['zh', 'zh-cn', 'zh_cn', 'zh-hans', 'zh-hans-cn', 'chinese', '中文', '汉语', '简体中文', '普通话', '华语']);
const EN = new Set(['en', 'en-us', 'en-gb', 'english', '英文', '英语']);

/** The SurveyJS locale for an XLSForm language name, or undefined when it cannot be told. */
export function localeOfLanguage(language: string): string | undefined {
  const raw = language.trim();
  const withCode = /\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$/.exec(raw);
  const candidates = [withCode?.[1], raw.replace(/\([^)]*\)\s*$/, '').trim(), raw]
    .filter((c): c is string => !!c)
    .map((c) => c.toLowerCase());
  for (const c of candidates) {
    if (ZH.has(c)) return 'zh-cn';
    if (EN.has(c)) return 'en';
  }
  const code = withCode?.[1] ?? (/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?$/.test(raw) ? raw : undefined);
  return code ? code.toLowerCase().replace('_', '-') : undefined;
}

/** The XLSForm column language written on export for a SurveyJS locale. */
export function languageOfLocale(locale: string): string {
  if (locale === 'zh-cn') return '中文 (zh)';
  if (locale === 'en') return 'English (en)';
  return `${locale} (${locale})`;
}

/** Localized SurveyJS text: a plain string or `{ default, "zh-cn", en, … }`. */
export type SurveyText = string | Record<string, string>;

/**
 * Build SurveyJS text from a plain cell and per-locale cells, the way survey-core reads it: `default`
 * is the text of survey-core's default locale, English, so English goes to `default` (never to an
 * `en` key, which survey-core would not tell apart from `default`). Without English, `default` is
 * the plain cell, else zh-cn, else the first language. Only a plain cell gives a plain string.
 */
export function buildText(plain: string | undefined, byLocale: Record<string, string>): SurveyText | undefined {
  const locales = Object.keys(byLocale).sort();
  if (locales.length === 0) return plain === undefined ? undefined : plain;
  const def = byLocale['en'] ?? plain ?? byLocale['zh-cn'] ?? byLocale[locales[0] as string];
  const out: Record<string, string> = {};
  if (def !== undefined) out['default'] = def;
  for (const l of locales) if (l !== 'en') out[l] = byLocale[l] as string;
  return out;
}

/** The locale whose text `buildText` copies into `default` when there is no English. */
export function fallbackLocale(text: Record<string, string>): string | undefined {
  if (text['zh-cn'] !== undefined) return 'zh-cn';
  return Object.keys(text).filter((k) => k !== 'default' && k !== 'en').sort()[0];
}
