/** Question titles and choice labels of a SurveyJS definition (for report tables and export headers). */
import { surveyText } from '../../common/localized';

export interface QuestionLabel {
  name: string;
  type: string;
  title: string;
  /** choice value (as a string key) → label */
  choices: Map<string, string>;
  /** for paneldynamic: the questions of one panel */
  inner?: QuestionLabel[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labelOf(e: Record<string, unknown>, locale: 'zh' | 'en'): QuestionLabel | null {
  if (typeof e.name !== 'string' || typeof e.type !== 'string') return null;
  const choices = new Map<string, string>();
  const raw = Array.isArray(e.choices) ? e.choices : [];
  for (const c of raw) {
    if (isRecord(c)) choices.set(String(c.value), surveyText(c.text ?? c.value, locale) || String(c.value));
    else choices.set(String(c), String(c));
  }
  if (e.type === 'boolean') {
    choices.set('true', surveyText(e.labelTrue, locale) || (locale === 'zh' ? '是' : 'Yes'));
    choices.set('false', surveyText(e.labelFalse, locale) || (locale === 'zh' ? '否' : 'No'));
  }
  const title = surveyText(e.title, locale) || e.name;
  const label: QuestionLabel = { name: e.name, type: e.type, title, choices };
  if (e.type === 'paneldynamic' && Array.isArray(e.templateElements)) label.inner = walk(e.templateElements, locale);
  return label;
}

function walk(elements: unknown[], locale: 'zh' | 'en'): QuestionLabel[] {
  const out: QuestionLabel[] = [];
  for (const e of elements) {
    if (!isRecord(e)) continue;
    if (e.type === 'panel' && Array.isArray(e.elements)) { out.push(...walk(e.elements, locale)); continue; }
    if (e.type === 'html' || e.type === 'image') continue;
    const l = labelOf(e, locale);
    if (l) out.push(l);
  }
  return out;
}

/** Every question in document order (panels flattened; dynamic panels keep their inner questions). */
export function questionLabels(definition: Record<string, unknown>, locale: 'zh' | 'en' = 'zh'): QuestionLabel[] {
  const pages = Array.isArray(definition.pages) ? definition.pages : [];
  const out: QuestionLabel[] = [];
  for (const p of pages) if (isRecord(p) && Array.isArray(p.elements)) out.push(...walk(p.elements, locale));
  if (Array.isArray(definition.elements)) out.push(...walk(definition.elements, locale));
  return out;
}

/** An answer as text: choice labels instead of codes, arrays joined with "、". */
export function answerText(q: QuestionLabel | undefined, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => answerText(q, v)).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  const key = String(value);
  return q?.choices.get(key) ?? key;
}
