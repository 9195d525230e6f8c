/**
 * The kiosk's one i18n mechanism: zh-CN by default, English on one tap. The choice is a device
 * preference (localStorage `cunwen:lang`), not respondent data.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type StringKey } from './strings';

export type Lang = 'zh' | 'en';
export type { StringKey } from './strings';
export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

const LANG_KEY = 'cunwen:lang';

export function format(lang: Lang, key: StringKey, params?: Record<string, string | number>): string {
  const template = (lang === 'en' ? en[key] : undefined) ?? zh[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

function initialLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

interface I18n {
  lang: Lang;
  t: Translate;
  toggle(): void;
}

const I18nContext = createContext<I18n>({ lang: 'zh', t: (k, p) => format('zh', k, p), toggle: () => undefined });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const toggle = useCallback(() => {
    setLang((l) => {
      const next: Lang = l === 'zh' ? 'en' : 'zh';
      try {
        localStorage.setItem(LANG_KEY, next);
      } catch {
        /* a preference only */
      }
      document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
      return next;
    });
  }, []);
  const value = useMemo<I18n>(() => ({ lang, toggle, t: (k, p) => format(lang, k, p) }), [lang, toggle]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Localized text from the API ({ zh, en? }). */
export function pickText(text: { zh: string; en?: string | undefined } | undefined, lang: Lang): string {
  if (!text) return '';
  return lang === 'en' && text.en ? text.en : text.zh;
}

// Feature string tables: `defineStrings` in ./define — imported from there (not re-exported here)
// so it stays out of the kiosk's first load when only lazy chunks use it.
