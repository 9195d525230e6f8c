/**
 * The indicator editor's model (pure, no React): what the form holds as text, how it becomes an
 * indicator definition for `POST /indicators` / `PUT /indicators/:id`, and the client-side check
 * with the server's own zod schema (`IndicatorDefinitionSchema` from common/scoring), so a person
 * sees the same problems the server would report before anything is sent.
 */
import {
  IndicatorDefinitionSchema,
  MEAN_TRANSFORMS,
  POPULATION_BASES,
  listQuestions,
  ratingQuestions,
  scoredQuestions,
  type IndicatorRule,
  type MeanTransform,
} from '../../../../common/scoring';
import { surveyText } from '../../../../common/localized';
import type { IndicatorDef } from '../../../../common/api/reports';

export type IndicatorKind = 'knowledge' | 'satisfaction';
export type RuleType = IndicatorRule['type'];
export type PopulationBasis = (typeof POPULATION_BASES)[number];
/** '' = the default of the kind (metrics.md §4) */
export type MissingChoice = '' | 'incorrect' | 'excluded';
export const MISSING_KEYS = ['dontKnow', 'skipped', 'notApplicable'] as const;
export type MissingKey = (typeof MISSING_KEYS)[number];

export const RULES_BY_KIND: Record<IndicatorKind, readonly RuleType[]> = {
  knowledge: ['score_threshold', 'n_of_m', 'all_core'],
  satisfaction: ['top_box', 'all_dimensions', 'weighted_index', 'mean_score'],
};

export interface EligibilityDraft {
  question: string;
  /** the allowed answer values, as their string keys */
  values: string[];
}

/** Everything the editor holds; numbers as typed text until they are sent. */
export interface IndicatorDraft {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: IndicatorKind;
  formSlugs: string[];
  ruleType: RuleType;
  /** score_threshold θ in percent */
  theta: string;
  partialCredit: boolean;
  /** n_of_m / all_core core items */
  items: string[];
  n: string;
  /** top_box / all_dimensions / weighted_index cut (1–5) */
  cut: string;
  transform: MeanTransform;
  /** weighted_index: dimension → weight (empty = not weighted) */
  weights: Record<string, string>;
  missing: Record<MissingKey, MissingChoice>;
  /** percent */
  minAnsweredShare: string;
  eligibility: EligibilityDraft[];
  populationBasis: PopulationBasis;
  displayDecimals: string;
  /** top_box / all_dimensions / mean_score: the dimensions in scope, kept as stored (none = all) */
  dimensions?: string[];
  /** fields the editor does not show (answerCodes, minValidRatings), sent back unchanged */
  kept: Record<string, unknown>;
}

export function emptyDraft(kind: IndicatorKind = 'knowledge'): IndicatorDraft {
  return {
    id: '', nameZh: '', nameEn: '', kind, formSlugs: [], ruleType: RULES_BY_KIND[kind][0]!,
    theta: '80', partialCredit: false, items: [], n: '', cut: '4', transform: 'scaled_0_100', weights: {},
    missing: { dontKnow: '', skipped: '', notApplicable: '' }, minAnsweredShare: '80', eligibility: [],
    populationBasis: 'all', displayDecimals: '1', kept: {},
  };
}

const pct = (f: number) => String(Number((f * 100).toPrecision(10)));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The draft of a stored definition (for editing). */
export function draftFromDefinition(def: IndicatorDef): IndicatorDraft {
  const d = emptyDraft(def.kind);
  const raw = def as Record<string, unknown>;
  const rule = def.rule as Record<string, unknown> & { type: string };
  const missing = (raw.missing ?? {}) as Partial<Record<MissingKey, MissingChoice>>;
  const eligibility = Array.isArray(raw.eligibility) ? (raw.eligibility as { question: string; values: unknown[] }[]) : [];
  return {
    ...d,
    id: def.id,
    nameZh: def.name.zh,
    nameEn: def.name.en ?? '',
    formSlugs: [...def.formSlugs],
    ruleType: (rule.type as RuleType) ?? d.ruleType,
    theta: num(rule.theta) !== undefined ? pct(num(rule.theta)!) : d.theta,
    partialCredit: rule.partialCredit === true,
    items: Array.isArray(rule.items) ? rule.items.map(String) : [],
    n: num(rule.n) !== undefined ? String(rule.n) : '',
    cut: num(rule.cut) !== undefined ? String(rule.cut) : d.cut,
    transform: (MEAN_TRANSFORMS as readonly string[]).includes(String(rule.transform)) ? (rule.transform as MeanTransform) : d.transform,
    weights: rule.weights && typeof rule.weights === 'object' ? Object.fromEntries(Object.entries(rule.weights as Record<string, number>).map(([k, v]) => [k, String(v)])) : {},
    missing: { dontKnow: missing.dontKnow ?? '', skipped: missing.skipped ?? '', notApplicable: missing.notApplicable ?? '' },
    minAnsweredShare: num(raw.minAnsweredShare) !== undefined ? pct(num(raw.minAnsweredShare)!) : d.minAnsweredShare,
    eligibility: eligibility.map((e) => ({ question: e.question, values: e.values.map((v) => String(v)) })),
    populationBasis: (POPULATION_BASES as readonly string[]).includes(String(raw.populationBasis)) ? (raw.populationBasis as PopulationBasis) : 'all',
    displayDecimals: String(def.displayDecimals),
    ...(Array.isArray(rule.dimensions) ? { dimensions: rule.dimensions.map(String) } : {}),
    kept: Object.fromEntries((['answerCodes', 'minValidRatings'] as const).filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]])),
  };
}

/** A number as typed ('' or junk → NaN, which the schema refuses with its own message). */
function parseNumber(text: string): number {
  const t = text.trim().replace('%', '');
  return t === '' ? Number.NaN : Number(t);
}
const fromPercent = (text: string) => {
  const v = parseNumber(text);
  return Number.isFinite(v) ? Number((v / 100).toPrecision(12)) : v;
};

/** What a form offers the editor: scored questions, rating dimensions, questions for eligibility. */
export interface QuestionInfo {
  name: string;
  title: string;
  type: string;
  /** choice values with their labels (booleans as 'true' / 'false') */
  choices: { value: unknown; key: string; label: string }[];
}
export interface FormInfo {
  scored: QuestionInfo[];
  dimensions: string[];
  questions: QuestionInfo[];
}

function titlesOf(definition: Record<string, unknown>, lang: 'zh' | 'en'): Map<string, { title: string; choices: Map<string, string> }> {
  const out = new Map<string, { title: string; choices: Map<string, string> }>();
  const visit = (els: unknown) => {
    if (!Array.isArray(els)) return;
    for (const e of els) {
      if (!e || typeof e !== 'object') continue;
      const el = e as Record<string, unknown>;
      if (Array.isArray(el.elements)) visit(el.elements);
      if (typeof el.name !== 'string') continue;
      const choices = new Map<string, string>();
      if (Array.isArray(el.choices)) {
        for (const c of el.choices) {
          if (c && typeof c === 'object' && 'value' in c) choices.set(String((c as { value: unknown }).value), surveyText((c as { text?: unknown }).text, lang) || String((c as { value: unknown }).value));
          else choices.set(String(c), String(c));
        }
      }
      out.set(el.name, { title: surveyText(el.title, lang) || el.name, choices });
    }
  };
  if (Array.isArray(definition.pages)) for (const p of definition.pages) if (p && typeof p === 'object') visit((p as Record<string, unknown>).elements);
  visit(definition.elements);
  return out;
}

/** Read the forms' latest published definitions: the union over the chosen forms, in document order. */
export function formInfo(definitions: readonly Record<string, unknown>[], lang: 'zh' | 'en'): FormInfo {
  const scored = new Map<string, QuestionInfo>();
  const questions = new Map<string, QuestionInfo>();
  const dimensions: string[] = [];
  for (const def of definitions) {
    const titles = titlesOf(def, lang);
    const info = (name: string, type: string, values: unknown[]): QuestionInfo => {
      const t = titles.get(name);
      const vals = type === 'boolean' ? [true, false] : values;
      return {
        name, type, title: t?.title ?? name,
        choices: vals.map((v) => ({
          value: v, key: String(v),
          label: type === 'boolean' ? (v ? (lang === 'zh' ? '是' : 'Yes') : lang === 'zh' ? '否' : 'No') : (t?.choices.get(String(v)) ?? String(v)),
        })),
      };
    };
    for (const q of listQuestions(def)) if (!questions.has(q.name)) questions.set(q.name, info(q.name, q.type, q.choiceValues));
    for (const q of scoredQuestions(def)) if (!scored.has(q.name)) scored.set(q.name, questions.get(q.name) ?? info(q.name, q.type, []));
    for (const r of ratingQuestions(def)) if (!dimensions.includes(r.dimension)) dimensions.push(r.dimension);
  }
  return { scored: [...scored.values()], dimensions, questions: [...questions.values()] };
}

function ruleOf(d: IndicatorDraft): Record<string, unknown> {
  switch (d.ruleType) {
    case 'score_threshold':
      return { type: d.ruleType, theta: fromPercent(d.theta), partialCredit: d.partialCredit };
    case 'n_of_m':
      return { type: d.ruleType, items: d.items, n: parseNumber(d.n) };
    case 'all_core':
      return { type: d.ruleType, items: d.items };
    case 'top_box':
    case 'all_dimensions':
      return { type: d.ruleType, cut: parseNumber(d.cut), ...(d.dimensions ? { dimensions: d.dimensions } : {}) };
    case 'mean_score':
      return { type: d.ruleType, transform: d.transform, ...(d.dimensions ? { dimensions: d.dimensions } : {}) };
    case 'weighted_index':
      return {
        type: d.ruleType, cut: parseNumber(d.cut),
        weights: Object.fromEntries(Object.entries(d.weights).filter(([, w]) => w.trim() !== '').map(([k, w]) => [k, parseNumber(w)])),
      };
  }
}

/**
 * The definition to send. Eligibility values are sent as the form's own choice values (a number
 * stays a number, a boolean a boolean) when the question is known.
 */
export function draftToInput(d: IndicatorDraft, info?: FormInfo): Record<string, unknown> {
  const missing = Object.fromEntries(MISSING_KEYS.filter((k) => d.missing[k] !== '').map((k) => [k, d.missing[k]]));
  const byName = new Map((info?.questions ?? []).map((q) => [q.name, q]));
  return {
    id: d.id.trim(),
    name: { zh: d.nameZh.trim(), ...(d.nameEn.trim() ? { en: d.nameEn.trim() } : {}) },
    formSlugs: d.formSlugs,
    kind: d.kind,
    rule: ruleOf(d),
    missing,
    minAnsweredShare: fromPercent(d.minAnsweredShare),
    eligibility: d.eligibility.filter((e) => e.question !== '').map((e) => {
      const q = byName.get(e.question);
      return { question: e.question, values: e.values.map((k) => q?.choices.find((c) => c.key === k)?.value ?? k) };
    }),
    populationBasis: d.populationBasis,
    displayDecimals: parseNumber(d.displayDecimals),
    ...d.kept,
  };
}

export interface DraftProblem {
  /** dotted path, e.g. 'rule.n' or 'formSlugs' */
  path: string;
  message: string;
}

/** The same check the server runs (IndicatorDefinitionSchema), plus "the core items are in the form". */
export function validateDraft(d: IndicatorDraft, info?: FormInfo): { ok: true; input: Record<string, unknown> } | { ok: false; problems: DraftProblem[] } {
  const input = draftToInput(d, info);
  const parsed = IndicatorDefinitionSchema.safeParse(input);
  const problems: DraftProblem[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  if (info && (d.ruleType === 'n_of_m' || d.ruleType === 'all_core')) {
    const names = new Set(info.scored.map((q) => q.name));
    for (const item of d.items) if (!names.has(item)) problems.push({ path: 'rule.items', message: `"${item}" is not a scored question of the chosen form(s)` });
  }
  return problems.length === 0 ? { ok: true, input } : { ok: false, problems };
}

/** The field a problem belongs to, for the label shown next to it. */
export function problemField(path: string): 'id' | 'name' | 'formSlugs' | 'rule' | 'missing' | 'minAnsweredShare' | 'eligibility' | 'populationBasis' | 'displayDecimals' | 'other' {
  const head = path.split('.')[0] ?? '';
  return (['id', 'name', 'formSlugs', 'rule', 'missing', 'minAnsweredShare', 'eligibility', 'populationBasis', 'displayDecimals'] as const).find((f) => f === head) ?? 'other';
}
