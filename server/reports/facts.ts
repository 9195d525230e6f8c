/**
 * Scoring at ingestion: the facts of one submission (from its form version, with common/scoring)
 * and the rollup delta they imply. Pure functions: the submission service, the review hook, the
 * rebuild command and the MongoDB repair pass all use these, so every path counts the same way.
 */
import {
  deriveKnowledgeFacts,
  deriveSatisfactionFacts,
  evaluateIndicator,
  IndicatorConfigError,
  listQuestions,
  ratingQuestions,
  scoredQuestions,
  type IndicatorDefinition,
  type RatingQuestion,
  type ScoredQuestion,
} from '../../common/scoring';
import { periodsContaining, PERIOD_TYPES } from '../../common/periods';
import type { FormKind } from '../../common/api/forms';
import type { ReviewState } from '../../common/api/submissions';
import {
  EXCLUDED_KEYS,
  ITEM_COUNT_KEYS,
  type ExcludedKey,
  type ItemCountKey,
  type ItemRollupRow,
  type RollupDelta,
  type RollupRow,
  type SubmissionFacts,
} from '../storage/reports-port';

/** Rollup indicator ids for census member counts per population type (numerator = members, denominator = households). */
export const CENSUS_INDICATOR_PREFIX = 'census:';
export const POPULATION_TYPES = ['registered', 'resident', 'in_migrant', 'out_migrant'] as const;

interface FormShape {
  scored: ScoredQuestion[];
  rating: RatingQuestion[];
  comments: string[];
}
const shapes = new WeakMap<Record<string, unknown>, FormShape>();
function shapeOf(definition: Record<string, unknown>): FormShape {
  let s = shapes.get(definition);
  if (!s) {
    s = {
      scored: scoredQuestions(definition),
      rating: ratingQuestions(definition),
      comments: listQuestions(definition).filter((q) => q.type === 'comment').map((q) => q.name),
    };
    shapes.set(definition, s);
  }
  return s;
}

export interface FactsInput {
  formKind: FormKind;
  formSlug: string;
  definition: Record<string, unknown>;
  answers: Record<string, unknown>;
}

/**
 * Facts of one submission under the given indicator definitions; null when there is nothing to
 * count (a general form no indicator uses). An indicator that does not fit the form version is
 * skipped (`onConfigError` hears about it) rather than counting zeros.
 */
export function deriveFacts(input: FactsInput, indicators: readonly IndicatorDefinition[], onConfigError?: (err: IndicatorConfigError) => void): SubmissionFacts | null {
  const facts: SubmissionFacts = { v: 1, indicators: [] };
  for (const def of indicators) {
    if (!def.formSlugs.includes(input.formSlug)) continue;
    try {
      const e = evaluateIndicator(def, input.definition, input.answers);
      facts.indicators.push(e.counted
        ? { id: def.id, counted: true, num: e.numeratorValue, den: e.denominatorValue }
        : { id: def.id, counted: false, num: 0, den: 0, reason: e.excludedReason ?? 'too_few_answered' });
    } catch (err) {
      if (err instanceof IndicatorConfigError) { onConfigError?.(err); continue; }
      throw err;
    }
  }
  const shape = shapeOf(input.definition);
  if (input.formKind === 'knowledge' && shape.scored.length > 0) {
    const k = deriveKnowledgeFacts(shape.scored, input.answers);
    facts.knowledge = {
      score: k.score, max: k.maxScore, correct: k.itemsCorrect, answered: k.itemsAnswered, total: k.itemsTotal,
      items: Object.fromEntries(k.items.map((i) => [i.name, i.status])),
    };
  }
  if (input.formKind === 'satisfaction' && shape.rating.length > 0) {
    const sf = deriveSatisfactionFacts(shape.rating, input.answers);
    facts.satisfaction = { ratings: sf.ratings.map((r) => ({ q: r.name, d: r.dimension, s: r.status, r: r.rating })) };
    const text = shape.comments.map((c) => input.answers[c]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').join('\n').trim();
    if (text) facts.satisfaction.suggestion = text.slice(0, 2000);
  }
  if (input.formKind === 'census') {
    const members = Array.isArray(input.answers.members) ? (input.answers.members as unknown[]) : [];
    const counts: Record<string, number> = { all: members.length };
    for (const t of POPULATION_TYPES) counts[t] = 0;
    for (const m of members) {
      const t = (m as { population_type?: unknown } | null)?.population_type;
      if (typeof t === 'string' && t in counts) counts[t] = (counts[t] ?? 0) + 1;
    }
    facts.census = { members: counts };
  }
  if (facts.indicators.length === 0 && !facts.knowledge && !facts.satisfaction && !facts.census) return null;
  return facts;
}

/** The org unit ids on a path "/c/t/v/g/", root first. */
export function ancestorsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export interface DeltaSource {
  formId: string;
  orgUnitPath: string;
  completedAt: string;
  reviewState: ReviewState;
  facts?: SubmissionFacts | null | undefined;
}

/**
 * What one submission adds to the rollups (sign −1 removes it): for the org unit and every
 * ancestor, for month, quarter, half-year and year (China time); item counts for every ancestor
 * by month. A submission whose review state does not count is kept in `responses` and shown as
 * excluded for reason `review`, and adds no item counts.
 */
export function deltaOf(s: DeltaSource, countedStates: readonly ReviewState[], sign: 1 | -1 = 1): RollupDelta {
  const delta: RollupDelta = { rows: [], items: [] };
  const facts = s.facts;
  if (!facts) return delta;
  const units = ancestorsOf(s.orgUnitPath);
  const pc = periodsContaining(s.completedAt);
  const periods = PERIOD_TYPES.map((t) => pc[t]);
  const counts = countedStates.includes(s.reviewState);
  const contributions: { indicatorId: string; numerator: number; numeratorSq: number; denominator: number; excluded?: ExcludedKey }[] = [];
  for (const f of facts.indicators) {
    if (!counts) contributions.push({ indicatorId: f.id, numerator: 0, numeratorSq: 0, denominator: 0, excluded: 'review' });
    else if (f.counted) contributions.push({ indicatorId: f.id, numerator: f.num, numeratorSq: f.num * f.num, denominator: f.den });
    else contributions.push({ indicatorId: f.id, numerator: 0, numeratorSq: 0, denominator: 0, excluded: f.reason ?? 'too_few_answered' });
  }
  if (facts.census) {
    for (const [type, n] of Object.entries(facts.census.members)) {
      const id = `${CENSUS_INDICATOR_PREFIX}${type}`;
      contributions.push(counts ? { indicatorId: id, numerator: n, numeratorSq: n * n, denominator: 1 } : { indicatorId: id, numerator: 0, numeratorSq: 0, denominator: 0, excluded: 'review' });
    }
  }
  for (const c of contributions) {
    for (const orgUnitId of units) {
      for (const period of periods) {
        delta.rows.push({
          indicatorId: c.indicatorId, orgUnitId, period,
          numerator: sign * c.numerator, numeratorSq: sign * c.numeratorSq, denominator: sign * c.denominator, responses: sign,
          ...(c.excluded ? { excluded: { [c.excluded]: sign } } : {}),
        });
      }
    }
  }
  if (!counts) return delta;
  const itemCounts: { item: string; key: ItemCountKey }[] = [];
  if (facts.knowledge) for (const [name, status] of Object.entries(facts.knowledge.items)) itemCounts.push({ item: `q:${name}`, key: status });
  if (facts.satisfaction) {
    for (const r of facts.satisfaction.ratings) {
      const key: ItemCountKey = r.s === 'rated' && r.r !== null ? (`r${r.r}` as ItemCountKey) : r.s === 'rated' ? 'invalid' : r.s;
      itemCounts.push({ item: `d:${r.d}`, key });
    }
  }
  // group per item so one row carries all of an item's counts
  const perItem = new Map<string, Partial<Record<ItemCountKey, number>>>();
  for (const ic of itemCounts) {
    const c = perItem.get(ic.item) ?? {};
    c[ic.key] = (c[ic.key] ?? 0) + sign;
    perItem.set(ic.item, c);
  }
  for (const orgUnitId of units.slice(0, ITEM_ROLLUP_DEPTH)) {
    for (const [item, c] of perItem) delta.items.push({ formId: s.formId, item, orgUnitId, period: pc.month, counts: { ...c } });
  }
  return delta;
}

/**
 * Item rollups are kept for the top three levels of the tree (county, township, village), by
 * month: a group's per-item view is computed from its few submissions' facts instead, which keeps
 * the item table (and ingestion) several times smaller.
 */
export const ITEM_ROLLUP_DEPTH = 3;

/**
 * The rebuild's fast path: deltas summed at (leaf org unit × month) first, then spread to every
 * ancestor and to quarter, half-year and year in one pass — the same sums as adding each
 * submission's full delta, with far fewer map operations.
 */
export class LeafMonthAccumulator {
  private readonly leaf = new RollupAccumulator();
  private readonly paths = new Map<string, string>();

  add(s: DeltaSource & { orgUnitId: string }, countedStates: readonly ReviewState[]): void {
    this.paths.set(s.orgUnitId, s.orgUnitPath);
    const d = deltaOf({ ...s, orgUnitPath: `/${s.orgUnitId}/` }, countedStates);
    const month = periodsContaining(s.completedAt).month;
    this.leaf.add({ rows: d.rows.filter((r) => r.period === month), items: d.items });
  }

  /** The full rollups. */
  expand(): RollupAccumulator {
    const out = new RollupAccumulator();
    const periodsOf = new Map<string, string[]>();
    const periods = (month: string) => {
      let p = periodsOf.get(month);
      if (!p) {
        const pc = periodsContaining(new Date(Date.parse(`${month}-15T00:00:00Z`)));
        p = PERIOD_TYPES.map((t) => pc[t]);
        periodsOf.set(month, p);
      }
      return p;
    };
    for (const r of this.leaf.rows.values()) {
      const units = ancestorsOf(this.paths.get(r.orgUnitId) ?? `/${r.orgUnitId}/`);
      const rows = [];
      for (const orgUnitId of units) for (const period of periods(r.period)) rows.push({ ...r, orgUnitId, period, excluded: { ...r.excluded } });
      out.add({ rows, items: [] });
    }
    for (const i of this.leaf.items.values()) {
      const units = ancestorsOf(this.paths.get(i.orgUnitId) ?? `/${i.orgUnitId}/`).slice(0, ITEM_ROLLUP_DEPTH);
      out.add({ rows: [], items: units.map((orgUnitId) => ({ ...i, orgUnitId, counts: { ...i.counts } })) });
    }
    return out;
  }
}

export const emptyExcluded = (): Record<ExcludedKey, number> => Object.fromEntries(EXCLUDED_KEYS.map((k) => [k, 0])) as Record<ExcludedKey, number>;
export const emptyItemCounts = (): Record<ItemCountKey, number> => Object.fromEntries(ITEM_COUNT_KEYS.map((k) => [k, 0])) as Record<ItemCountKey, number>;

/** Sums deltas into complete rows (used by the rebuild and by adapters that merge a batch before writing). */
export class RollupAccumulator {
  readonly rows = new Map<string, RollupRow>();
  readonly items = new Map<string, ItemRollupRow>();

  add(delta: RollupDelta): void {
    for (const r of delta.rows) {
      const k = `${r.indicatorId}\u0000${r.orgUnitId}\u0000${r.period}`;
      let row = this.rows.get(k);
      if (!row) {
        row = { indicatorId: r.indicatorId, orgUnitId: r.orgUnitId, period: r.period, numerator: 0, numeratorSq: 0, denominator: 0, responses: 0, excluded: emptyExcluded() };
        this.rows.set(k, row);
      }
      row.numerator += r.numerator ?? 0;
      row.numeratorSq += r.numeratorSq ?? 0;
      row.denominator += r.denominator ?? 0;
      row.responses += r.responses ?? 0;
      if (r.excluded) for (const [key, v] of Object.entries(r.excluded) as [ExcludedKey, number][]) row.excluded[key] += v;
    }
    for (const i of delta.items) {
      const k = `${i.formId}\u0000${i.item}\u0000${i.orgUnitId}\u0000${i.period}`;
      let row = this.items.get(k);
      if (!row) {
        row = { formId: i.formId, item: i.item, orgUnitId: i.orgUnitId, period: i.period, counts: emptyItemCounts() };
        this.items.set(k, row);
      }
      for (const [key, v] of Object.entries(i.counts) as [ItemCountKey, number][]) row.counts[key] += v;
    }
  }

  /** As one delta (merged rows), e.g. to write a batch with fewer statements. */
  toDelta(): RollupDelta {
    return {
      rows: [...this.rows.values()].map((r) => ({ ...r, excluded: { ...r.excluded } })),
      items: [...this.items.values()].map((i) => ({ ...i, counts: { ...i.counts } })),
    };
  }
}
