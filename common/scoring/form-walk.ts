/**
 * Reading a SurveyJS JSON definition as plain data (no survey-core): the questions in document
 * order, with the few properties scoring needs. Pages, panels and nested panels are walked;
 * dynamic panels (rosters) and matrices are not scored, so their inner questions are skipped.
 */

export type Answers = Record<string, unknown>;

export interface FormQuestion {
  name: string;
  type: string;
  /** SurveyJS `correctAnswer`, if any. */
  correctAnswer?: unknown;
  /** Custom `points` property (overrides the default points of a scored question). */
  points?: number;
  /** Custom `scored` property: `false` takes a question with a correctAnswer out of scoring. */
  scored?: boolean;
  /** Custom `dimension` property of a satisfaction question. */
  dimension?: string;
  /** Choice values (the `value` of `{ value, text }` items, or the plain items). */
  choiceValues: unknown[];
  /** The question has a `visibleIf` condition (it may not have been shown). */
  conditional: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Element types that hold no answer of their own. */
const NON_QUESTION_TYPES = new Set(['html', 'image', 'panel', 'paneldynamic', 'flowpanel']);

function readQuestion(el: Record<string, unknown>): FormQuestion | null {
  const type = typeof el['type'] === 'string' ? el['type'] : '';
  const name = typeof el['name'] === 'string' ? el['name'] : '';
  if (!name || !type || NON_QUESTION_TYPES.has(type)) return null;
  const q: FormQuestion = {
    name,
    type,
    choiceValues: Array.isArray(el['choices']) ? el['choices'].map((c) => (isRecord(c) && 'value' in c ? c['value'] : c)) : [],
    conditional: typeof el['visibleIf'] === 'string' && el['visibleIf'].trim() !== '',
  };
  if ('correctAnswer' in el && el['correctAnswer'] !== undefined && el['correctAnswer'] !== null) q.correctAnswer = el['correctAnswer'];
  if (typeof el['points'] === 'number' && Number.isFinite(el['points']) && el['points'] >= 0) q.points = el['points'];
  if (typeof el['scored'] === 'boolean') q.scored = el['scored'];
  if (typeof el['dimension'] === 'string' && el['dimension'].trim() !== '') q.dimension = el['dimension'].trim();
  return q;
}

function walk(elements: unknown, out: FormQuestion[]): void {
  if (!Array.isArray(elements)) return;
  for (const el of elements) {
    if (!isRecord(el)) continue;
    if (el['type'] === 'panel' || el['type'] === 'flowpanel') {
      walk(el['elements'], out);
      continue;
    }
    const q = readQuestion(el);
    if (q) out.push(q);
  }
}

/** All answerable questions of a SurveyJS definition, in document order. */
export function listQuestions(definition: Record<string, unknown>): FormQuestion[] {
  const out: FormQuestion[] = [];
  if (Array.isArray(definition['pages'])) {
    for (const page of definition['pages']) if (isRecord(page)) walk(page['elements'], out);
  }
  walk(definition['elements'], out);
  return out;
}
