/**
 * Readable answers for reviewers: question titles and choice texts from the form version's
 * SurveyJS definition (plain JSON walk, no survey-core), values flattened to text.
 */
import { surveyText } from '../../../../common/localized';
import { canonicalJson } from '../../../../common/canonical-json';

export interface QuestionInfo {
  title: string;
  choices: Map<string, string>;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** name → title and choice texts, for every question at any depth (panels, dynamic-panel templates, matrices' rows kept by name). */
export function questionIndex(definition: unknown, lang: 'zh' | 'en'): Map<string, QuestionInfo> {
  const out = new Map<string, QuestionInfo>();
  const visit = (el: unknown) => {
    if (!isObj(el)) return;
    const name = typeof el.name === 'string' ? el.name : null;
    if (name && typeof el.type === 'string' && el.type !== 'panel') {
      const choices = new Map<string, string>();
      if (Array.isArray(el.choices)) {
        for (const c of el.choices) {
          if (isObj(c)) choices.set(String(c.value), surveyText(c.text, lang) || String(c.value));
          else if (c !== null && c !== undefined) choices.set(String(c), String(c));
        }
      }
      out.set(name, { title: surveyText(el.title, lang) || name, choices });
    }
    for (const key of ['pages', 'elements', 'templateElements']) {
      const kids = el[key];
      if (Array.isArray(kids)) kids.forEach(visit);
    }
  };
  visit(definition);
  return out;
}

/** One answer as text; dynamic panels become "1. 姓名:张**;…" lines. */
export function answerText(value: unknown, info: QuestionInfo | undefined, index: Map<string, QuestionInfo>, lang: 'zh' | 'en'): string {
  const sep = lang === 'en' ? ', ' : '、';
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'yes' : '是') : (lang === 'en' ? 'no' : '否');
  if (typeof value === 'string' || typeof value === 'number') return info?.choices.get(String(value)) ?? String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => !isObj(v))) return value.map((v) => answerText(v, info, index, lang)).join(sep);
    return value.map((v, i) => `${i + 1}. ${answerText(v, undefined, index, lang)}`).join('\n');
  }
  if (isObj(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${index.get(k)?.title ?? k}${lang === 'en' ? ': ' : ':'}${answerText(v, index.get(k), index, lang)}`)
      .join(lang === 'en' ? '; ' : ';');
  }
  return JSON.stringify(value);
}

/**
 * The answers a correction changes: question name → new value, `null` where an answer was
 * cleared. Compared as canonical JSON (key order does not matter); a dynamic panel that changed
 * anywhere is sent whole (the server's contract). Empty when nothing changed.
 */
export function changedAnswers(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  const out: Record<string, unknown> = {};
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[key];
    const b = after[key];
    if (empty(a) && empty(b)) continue;
    if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) continue;
    out[key] = empty(b) ? null : b;
  }
  return out;
}

/** A diff path of a revision (`members[0].birth_date`) as a reader sees it: "家庭成员 第 1 项 · 出生日期". */
export function diffPathLabel(path: string, index: Map<string, QuestionInfo>, lang: 'zh' | 'en'): string {
  const m = /^([^[]+)\[(\d+)\]\.(.+)$/.exec(path);
  if (!m) return index.get(path)?.title ?? path;
  const n = Number(m[2]) + 1;
  const panel = index.get(m[1]!)?.title ?? m[1]!;
  const field = index.get(m[3]!)?.title ?? m[3]!;
  return lang === 'en' ? `${panel} #${n} · ${field}` : `${panel} 第 ${n} 项 · ${field}`;
}
