/**
 * Version diff of two SurveyJS definitions: questions added / removed / changed, choice lists
 * changed, correct answers changed; and comparability warnings for the indicators computed from
 * the form (reports compare rates across versions of one campaign):
 *
 * | code                        | when                                                                 |
 * |-----------------------------|----------------------------------------------------------------------|
 * | CORRECT_ANSWER_CHANGED      | knowledge: a scored question's correct answer changed                |
 * | SCORED_QUESTION_REMOVED     | knowledge: a scored question was removed                             |
 * | SCORED_QUESTION_ADDED       | knowledge: a new scored question (the rate's denominator changes)    |
 * | SCORING_CHANGED             | knowledge: points or `scored` changed                                |
 * | SCORED_CHOICES_CHANGED      | knowledge: the choices of a scored question changed                  |
 * | SATISFACTION_SCALE_CHANGED  | satisfaction: a rating question's scale (choices/rate values) changed|
 * | SATISFACTION_QUESTION_REMOVED / _ADDED | satisfaction: a rating question removed / added           |
 * | DIMENSION_CHANGED           | satisfaction: a question moved to another service dimension          |
 * | TYPE_CHANGED                | any form: a question kept its name but changed type                  |
 * | CONDITION_CHANGED           | an indicator question's show-if changed (who is asked changes)       |
 *
 * Works on plain JSON (no survey-core), so server and client compute the same diff.
 */
import { canonicalJson } from '../canonical-json';
import type { FormKind, SurveyDefinition } from '../api/forms';
import { scoredQuestions } from '../scoring/knowledge';
import { ratingQuestions } from '../scoring/satisfaction';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface DiffQuestion {
  name: string;
  /** data path: `members[].age` inside a dynamic panel */
  path: string;
  type: string;
  /** zh-CN title (or the default text, or the name) */
  title: string;
}

export interface ChoiceListChange {
  added: unknown[];
  removed: unknown[];
  /** same value, different text */
  relabeled: unknown[];
  /** same values, another order */
  reordered: boolean;
}

export type ChangedAspect =
  | 'type' | 'title' | 'choices' | 'correctAnswer' | 'points' | 'scored' | 'visibleIf' | 'requiredIf' | 'isRequired'
  | 'validators' | 'scale' | 'dimension' | 'rows' | 'columns' | 'moved' | 'other';

export interface QuestionChange extends DiffQuestion {
  aspects: ChangedAspect[];
  choices?: ChoiceListChange;
  before?: { correctAnswer?: unknown; type?: string };
  after?: { correctAnswer?: unknown; type?: string };
}

export type ComparabilityCode =
  | 'CORRECT_ANSWER_CHANGED' | 'SCORED_QUESTION_REMOVED' | 'SCORED_QUESTION_ADDED' | 'SCORING_CHANGED' | 'SCORED_CHOICES_CHANGED'
  | 'SATISFACTION_SCALE_CHANGED' | 'SATISFACTION_QUESTION_REMOVED' | 'SATISFACTION_QUESTION_ADDED' | 'DIMENSION_CHANGED'
  | 'TYPE_CHANGED' | 'CONDITION_CHANGED';

export interface ComparabilityWarning {
  code: ComparabilityCode;
  question: string;
  zh: string;
  en: string;
}

export interface DefinitionDiff {
  added: DiffQuestion[];
  removed: DiffQuestion[];
  changed: QuestionChange[];
  pagesAdded: string[];
  pagesRemoved: string[];
  warnings: ComparabilityWarning[];
  /** nothing a respondent or a report would notice changed */
  identical: boolean;
}

interface Entry extends DiffQuestion {
  json: Json;
  page: string;
  index: number;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isRecord(v)) {
    for (const k of ['zh-cn', 'zh', 'default', 'en']) if (typeof v[k] === 'string') return v[k] as string;
  }
  return '';
}

const CONTAINERS = ['elements', 'templateElements'];

function collect(definition: SurveyDefinition): { entries: Map<string, Entry>; pages: string[] } {
  const entries = new Map<string, Entry>();
  const pages: string[] = [];
  let index = 0;
  const walk = (elements: unknown, page: string, prefix: string) => {
    if (!Array.isArray(elements)) return;
    for (const el of elements) {
      if (!isRecord(el)) continue;
      const type = typeof el.type === 'string' ? el.type : '';
      const name = typeof el.name === 'string' ? el.name : '';
      if (type === 'panel' || type === 'flowpanel') { walk(el.elements, page, prefix); continue; }
      if (name) {
        const key = typeof el.valueName === 'string' && el.valueName ? el.valueName : name;
        const path = `${prefix}${key}`;
        entries.set(path, { name, path, type, title: textOf(el.title) || name, json: el, page, index: index++ });
      }
      if (type === 'paneldynamic') walk(el.templateElements, page, `${prefix}${name}[].`);
    }
  };
  if (Array.isArray(definition.pages)) {
    definition.pages.forEach((p, i) => {
      if (!isRecord(p)) return;
      const pageName = typeof p.name === 'string' ? p.name : `page${i + 1}`;
      pages.push(pageName);
      walk(p.elements, pageName, '');
    });
  }
  walk(definition.elements, '', '');
  return { entries, pages };
}

function choiceItems(v: unknown): Array<{ value: unknown; text: string }> {
  if (!Array.isArray(v)) return [];
  return v.map((c) => (isRecord(c) && 'value' in c ? { value: c.value, text: canonicalJson(c.text ?? null) } : { value: c, text: canonicalJson(null) }));
}

function compareChoices(a: unknown, b: unknown): ChoiceListChange | null {
  const before = choiceItems(a);
  const after = choiceItems(b);
  const key = (v: unknown) => canonicalJson(v);
  const bMap = new Map(before.map((c) => [key(c.value), c]));
  const aMap = new Map(after.map((c) => [key(c.value), c]));
  const added = after.filter((c) => !bMap.has(key(c.value))).map((c) => c.value);
  const removed = before.filter((c) => !aMap.has(key(c.value))).map((c) => c.value);
  const relabeled = after.filter((c) => { const old = bMap.get(key(c.value)); return old !== undefined && old.text !== c.text; }).map((c) => c.value);
  const common = (xs: typeof before, other: Map<string, unknown>) => xs.map((c) => key(c.value)).filter((k) => other.has(k));
  const reordered = canonicalJson(common(before, aMap)) !== canonicalJson(common(after, bMap));
  if (!added.length && !removed.length && !relabeled.length && !reordered) return null;
  return { added, removed, relabeled, reordered };
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

const ASPECT_KEYS: Array<[ChangedAspect, string[]]> = [
  ['type', ['type', 'inputType']],
  ['title', ['title', 'description']],
  ['correctAnswer', ['correctAnswer']],
  ['points', ['points']],
  ['scored', ['scored']],
  ['visibleIf', ['visibleIf']],
  ['requiredIf', ['requiredIf']],
  ['isRequired', ['isRequired']],
  ['validators', ['validators', 'min', 'max', 'maxLength', 'minSelectedChoices', 'maxSelectedChoices']],
  ['scale', ['rateMin', 'rateMax', 'rateStep', 'rateValues', 'rateCount', 'minRateDescription', 'maxRateDescription']],
  ['dimension', ['dimension', 'notApplicableValue']],
  ['rows', ['rows']],
  ['columns', ['columns']],
];
const KNOWN = new Set(['name', 'elements', 'templateElements', 'choices', ...ASPECT_KEYS.flatMap(([, ks]) => ks)]);

/**
 * What changed from `from` (e.g. the last published version) to `to` (the draft to publish), and
 * which changes break the comparability of the form's indicators.
 */
export function diffDefinitions(kind: FormKind, from: SurveyDefinition | null, to: SurveyDefinition): DefinitionDiff {
  const before = from ? collect(from) : { entries: new Map<string, Entry>(), pages: [] as string[] };
  const after = collect(to);
  const strip = ({ json: _j, page: _p, index: _i, ...q }: Entry): DiffQuestion => q;
  const added = [...after.entries.values()].filter((e) => !before.entries.has(e.path)).map(strip);
  const removed = [...before.entries.values()].filter((e) => !after.entries.has(e.path)).map(strip);
  const changed: QuestionChange[] = [];
  const beforeOrder = [...before.entries.keys()].filter((k) => after.entries.has(k));
  const afterOrder = [...after.entries.keys()].filter((k) => before.entries.has(k));
  for (const [path, b] of after.entries) {
    const a = before.entries.get(path);
    if (!a) continue;
    const aspects: ChangedAspect[] = [];
    for (const [aspect, keys] of ASPECT_KEYS) if (keys.some((k) => !same(a.json[k], b.json[k]))) aspects.push(aspect);
    const choices = compareChoices(a.json.choices, b.json.choices);
    if (choices) aspects.push('choices');
    if (a.page !== b.page || beforeOrder.indexOf(path) !== afterOrder.indexOf(path)) aspects.push('moved');
    const otherKeys = new Set([...Object.keys(a.json), ...Object.keys(b.json)].filter((k) => !KNOWN.has(k)));
    if ([...otherKeys].some((k) => !same(a.json[k], b.json[k]))) aspects.push('other');
    if (!aspects.length) continue;
    const change: QuestionChange = { ...strip(b), aspects };
    if (choices) change.choices = choices;
    if (aspects.includes('correctAnswer') || aspects.includes('type')) {
      change.before = { correctAnswer: a.json.correctAnswer, type: a.type };
      change.after = { correctAnswer: b.json.correctAnswer, type: b.type };
    }
    changed.push(change);
  }
  const pagesAdded = after.pages.filter((p) => !before.pages.includes(p));
  const pagesRemoved = before.pages.filter((p) => !after.pages.includes(p));
  const warnings = from ? comparability(kind, from, to, changed) : [];
  const identical = !added.length && !removed.length && !changed.length && !pagesAdded.length && !pagesRemoved.length;
  return { added, removed, changed, pagesAdded, pagesRemoved, warnings, identical };
}

function comparability(kind: FormKind, from: SurveyDefinition, to: SurveyDefinition, changed: QuestionChange[]): ComparabilityWarning[] {
  const out: ComparabilityWarning[] = [];
  const byName = new Map(changed.map((c) => [c.name, c]));
  const warn = (code: ComparabilityCode, question: string, zh: string, en: string) => out.push({ code, question, zh, en });
  if (kind === 'knowledge') {
    const a = new Map(scoredQuestions(from).map((q) => [q.name, q]));
    const b = new Map(scoredQuestions(to).map((q) => [q.name, q]));
    for (const [name, q] of a) {
      if (!b.has(name)) {
        warn('SCORED_QUESTION_REMOVED', name, `计分题 ${name} 被删除或不再计分:知晓率与之前的版本不可直接比较`, `Scored question ${name} was removed or is no longer scored: awareness rates are not comparable with earlier versions`);
        continue;
      }
      const nq = b.get(name);
      if (nq && !same(q.correctAnswer, nq.correctAnswer)) {
        warn('CORRECT_ANSWER_CHANGED', name, `题目 ${name} 的正确答案改变了:活动中途修改会使知晓率前后不可比`, `The correct answer of ${name} changed: awareness rates before and after are not comparable`);
      }
      if (nq && q.points !== nq.points) warn('SCORING_CHANGED', name, `题目 ${name} 的分值改变了`, `The points of ${name} changed`);
      const c = byName.get(name);
      if (c?.choices && (c.choices.added.length || c.choices.removed.length)) {
        warn('SCORED_CHOICES_CHANGED', name, `计分题 ${name} 的选项增减了:答题难度改变`, `The choices of scored question ${name} changed: the item's difficulty changes`);
      }
    }
    for (const name of b.keys()) {
      if (!a.has(name)) warn('SCORED_QUESTION_ADDED', name, `新增计分题 ${name}:知晓率的分母改变`, `New scored question ${name}: the awareness rate's denominator changes`);
    }
  }
  if (kind === 'satisfaction') {
    const a = new Map(ratingQuestions(from).map((q) => [q.name, q]));
    const b = new Map(ratingQuestions(to).map((q) => [q.name, q]));
    for (const [name, q] of a) {
      const nq = b.get(name);
      if (!nq) {
        warn('SATISFACTION_QUESTION_REMOVED', name, `满意度题 ${name} 被删除:满意率与之前的版本不可直接比较`, `Rating question ${name} was removed: satisfaction rates are not comparable with earlier versions`);
        continue;
      }
      if (nq.dimension !== q.dimension) warn('DIMENSION_CHANGED', name, `题目 ${name} 的服务维度由 ${q.dimension} 改为 ${nq.dimension}`, `Question ${name} moved from dimension ${q.dimension} to ${nq.dimension}`);
      const c = byName.get(name);
      if (c && (c.aspects.includes('scale') || (c.choices && (c.choices.added.length || c.choices.removed.length || c.choices.relabeled.length)) || c.aspects.includes('type'))) {
        warn('SATISFACTION_SCALE_CHANGED', name, `满意度题 ${name} 的评分量表改变了:满意率前后不可比`, `The rating scale of ${name} changed: satisfaction rates before and after are not comparable`);
      }
    }
    for (const name of b.keys()) {
      if (!a.has(name)) warn('SATISFACTION_QUESTION_ADDED', name, `新增满意度题 ${name}`, `New rating question ${name}`);
    }
  }
  const indicator = new Set<string>([
    ...(kind === 'knowledge' ? scoredQuestions(to).map((q) => q.name) : []),
    ...(kind === 'satisfaction' ? ratingQuestions(to).map((q) => q.name) : []),
  ]);
  for (const c of changed) {
    if (c.aspects.includes('type') && !out.some((w) => w.question === c.name && w.code === 'SATISFACTION_SCALE_CHANGED')) {
      warn('TYPE_CHANGED', c.name, `题目 ${c.name} 的题型改变了(${c.before?.type ?? ''} → ${c.after?.type ?? ''}):旧数据与新数据含义可能不同`, `Question ${c.name} changed type (${c.before?.type ?? ''} → ${c.after?.type ?? ''}): old and new answers may mean different things`);
    }
    if (indicator.has(c.name) && c.aspects.includes('visibleIf')) {
      warn('CONDITION_CHANGED', c.name, `指标题 ${c.name} 的显示条件改变了:回答人群改变`, `The show-if of indicator question ${c.name} changed: who answers it changes`);
    }
  }
  return out;
}
