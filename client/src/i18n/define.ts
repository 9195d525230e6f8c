/**
 * Feature string tables on top of the one i18n mechanism: a feature (a console screen, a report)
 * declares its own strings next to its code instead of editing the kiosk's `strings.ts`, and
 * reads them in the language chosen with the same `I18nProvider` / language switch.
 *
 *   const s = defineStrings({
 *     zh: { title: '用户管理', count: '共 {n} 人' },
 *     en: { title: 'Users', count: '{n} users' },   // optional, may be partial: missing keys show zh-CN
 *   });
 *   function Page() { const { t } = s.useStrings(); return <h1>{t('title')}</h1>; }   // t('nope') is a type error
 */
import { useMemo } from 'react';
import { useI18n, type Lang } from './index';

export type Params = Record<string, string | number>;

export interface StringTable<K extends string> {
  /** zh-CN, required: the default and the fallback */
  zh: Readonly<Record<K, string>>;
  /** English, optional and possibly partial */
  en?: Readonly<Partial<Record<K, string>>>;
}

export interface FeatureStrings<K extends string> {
  readonly zh: Readonly<Record<K, string>>;
  readonly en: Readonly<Partial<Record<K, string>>>;
  /** the text of `key` in `lang` (English falls back to zh-CN), `{name}` placeholders filled */
  format(lang: Lang, key: K, params?: Params): string;
  /** React hook: `t(key, params)` in the current UI language, and that language */
  useStrings(): { t: (key: K, params?: Params) => string; lang: Lang };
}

export function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function defineStrings<K extends string>(table: StringTable<K>): FeatureStrings<K> {
  const zh = table.zh;
  const en: Readonly<Partial<Record<K, string>>> = table.en ?? ({} as Partial<Record<K, string>>);
  const format = (lang: Lang, key: K, params?: Params): string => {
    const template = (lang === 'en' ? en[key] : undefined) ?? zh[key] ?? key;
    return fill(template, params);
  };
  return {
    zh,
    en,
    format,
    useStrings() {
      const { lang } = useI18n();
      return useMemo(() => ({ lang, t: (key: K, params?: Params) => format(lang, key, params) }), [lang]);
    },
  };
}
