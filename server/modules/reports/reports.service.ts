/**
 * Reports (issue 5): indicator definitions, targets, work-plan counts, and the report views —
 * dashboard cards with x/n, rate, interval and both statuses, child org units, trend, the
 * per-item view and the satisfaction distribution — all served from rollups.
 */
import type { OrgUnit, Storage, StoredTarget, Submission, TargetScope, WorkPlanEntry, RollupRow } from '../../storage/port';
import { AppError } from '../../http/errors';
import {
  EXCLUSION_REASON_LABELS,
  IndicatorDefinitionSchema,
  POPULATION_BASIS_LABELS,
  indicatorProblems,
  type IndicatorDefinition,
  type IndicatorDefinitionInput,
} from '../../../common/scoring';
import {
  STATUS_LABELS,
  compare,
  postStratifiedEstimate,
  pooledEstimate,
  rateInterval,
  statisticalStatusFromBounds,
  summarizeRate,
  formatRate,
  type Target,
  type Stratum,
} from '../../../common/stats';
import { childPeriods, parsePeriod, periodsContaining, type Period, type PeriodType } from '../../../common/periods';
import { ancestorsOf, CENSUS_INDICATOR_PREFIX, deltaOf, ITEM_ROLLUP_DEPTH, RollupAccumulator } from '../../reports/facts';
import { questionLabels } from '../../reports/form-labels';
import type { RollupEngine } from './rollups';
import type { ExcludedKey, ItemRollupRow } from '../../storage/reports-port';

export interface ReportServiceDeps {
  storage: Storage;
  now: () => Date;
  engine: RollupEngine;
}

const EXCLUDED_LABELS: Record<ExcludedKey, { zh: string; en: string }> = {
  ...EXCLUSION_REASON_LABELS,
  review: { zh: '审核未通过(不计入)', en: 'Rejected in review (not counted)' },
};

const SUBTREE_TTL_MS = 5_000;
const TREND_LENGTH: Record<PeriodType, number> = { month: 12, quarter: 8, half: 6, year: 5 };

export function mustPeriod(id: string): Period {
  const p = parsePeriod(id);
  if (!p) throw new AppError('PERIOD_INVALID', { period: id });
  return p;
}

/** The `count` periods of the same type ending with `p`, oldest first. */
export function previousPeriods(p: Period, count: number): string[] {
  const out = [p.id];
  let cur = p;
  while (out.length < count) {
    const prevId = periodsContaining(new Date(new Date(cur.start).getTime() - 1))[cur.type];
    const prev = parsePeriod(prevId);
    if (!prev) break;
    out.push(prev.id);
    cur = prev;
  }
  return out.reverse();
}

export interface Cell {
  numerator: number;
  denominator: number;
  responses: number;
  excluded: { reason: ExcludedKey; count: number; label: { zh: string; en: string } }[];
  excludedTotal: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  method: string | null;
  text: string;
  intervalText: string;
  official: string;
  statistical: string;
  statusLabel: { zh: string; en: string } | null;
}

function emptyRow(indicatorId: string, orgUnitId: string, period: string): RollupRow {
  return { indicatorId, orgUnitId, period, numerator: 0, numeratorSq: 0, denominator: 0, responses: 0, excluded: { not_eligible: 0, too_few_answered: 0, no_scored_items: 0, too_few_applicable_items: 0, no_valid_rating: 0, review: 0 } };
}

/** One report cell from a rollup row (metrics.md §5): Wilson / Clopper–Pearson at the ends, both status columns. */
export function cellOf(row: RollupRow, def: IndicatorDefinition, target: Target | null): Cell {
  const excluded = (Object.entries(row.excluded) as [ExcludedKey, number][]).filter(([, n]) => n > 0).map(([reason, count]) => ({ reason, count, label: EXCLUDED_LABELS[reason] }));
  const excludedTotal = excluded.reduce((a, e) => a + e.count, 0);
  const base = { numerator: row.numerator, denominator: row.denominator, responses: row.responses, excluded, excludedTotal };
  if (def.rule.type === 'mean_score') {
    const est = row.denominator > 0 ? row.numerator / row.denominator : null;
    return { ...base, estimate: est, lower: null, upper: null, method: null, text: est === null ? '—' : est.toFixed(def.displayDecimals), intervalText: '', official: est === null ? 'no_data' : 'not_applicable', statistical: est === null ? 'no_data' : 'not_applicable', statusLabel: null };
  }
  // guard against float noise from fractional numerators
  const x = Math.min(Math.max(row.numerator, 0), row.denominator);
  const s = summarizeRate({ numerator: x, denominator: row.denominator, excluded: excludedTotal, decimals: def.displayDecimals, ...(target ? { target } : {}) });
  const statistical = s.status?.statistical ?? (row.denominator === 0 ? 'no_data' : 'no_target');
  return {
    ...base, estimate: s.estimate, lower: s.lower, upper: s.upper, method: s.method, text: s.text, intervalText: s.intervalText,
    official: s.status?.official ?? (row.denominator === 0 ? 'no_data' : 'no_target'), statistical,
    statusLabel: statistical in STATUS_LABELS ? STATUS_LABELS[statistical as keyof typeof STATUS_LABELS] : null,
  };
}

export const IndicatorInput = IndicatorDefinitionSchema;

export function makeReportService(deps: ReportServiceDeps) {
  const { storage, engine } = deps;

  /** Subtrees change rarely (org units are edited by hand): a few seconds of caching keeps a county dashboard cheap. */
  const subtreeCache = new Map<string, { at: number; units: Promise<OrgUnit[]> }>();
  function subtreeOf(path: string): Promise<OrgUnit[]> {
    const t = Date.now();
    const hit = subtreeCache.get(path);
    if (hit && t - hit.at < SUBTREE_TTL_MS) return hit.units;
    if (subtreeCache.size > 1000) subtreeCache.clear();
    const units = storage.orgUnits.listSubtree(path);
    subtreeCache.set(path, { at: t, units });
    units.catch(() => subtreeCache.delete(path));
    return units;
  }

  async function unitOrThrow(id: string): Promise<OrgUnit> {
    const u = await storage.orgUnits.get(id);
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { id });
    return u;
  }

  async function indicatorOrThrow(id: string) {
    await engine.ensureReady();
    const i = await storage.reports.getIndicator(id);
    if (!i) throw new AppError('INDICATOR_NOT_FOUND', { id });
    return i;
  }

  /** An indicator must fit the latest published version of each of its forms that exists. */
  async function checkFits(def: IndicatorDefinition): Promise<void> {
    const problems: string[] = [];
    for (const slug of def.formSlugs) {
      const form = await storage.forms.getBySlug(slug);
      if (!form || form.latestVersion === null) continue;
      const v = await storage.forms.getVersion(form.id, form.latestVersion);
      if (!v) continue;
      if ((def.kind === 'knowledge') !== (form.kind === 'knowledge') && form.kind !== 'general') problems.push(`form ${slug} is a ${form.kind} form`);
      else problems.push(...indicatorProblems(def, v.definition as Record<string, unknown>).map((p) => `${slug}: ${p}`));
    }
    if (problems.length) throw new AppError('INDICATOR_DOES_NOT_FIT', { problems });
  }

  /** Target resolution: org unit, else one of its groups, else the default; a period-type match beats "any". */
  function resolveTarget(targets: StoredTarget[], unit: OrgUnit, groupIds: string[], periodType: PeriodType): (Target & { scope: TargetScope }) | null {
    const scoped = (pred: (s: TargetScope) => boolean) => {
      const hits = targets.filter((t) => pred(t.scope));
      return hits.find((t) => t.periodType === periodType) ?? hits.find((t) => t.periodType === null) ?? null;
    };
    const t = scoped((s) => s.kind === 'org_unit' && s.id === unit.id)
      ?? scoped((s) => s.kind === 'group' && groupIds.includes(s.id))
      ?? scoped((s) => s.kind === 'default');
    return t ? { ...t.target, scope: t.scope } : null;
  }

  async function groupIdsOf(unitId: string): Promise<string[]> {
    return (await storage.orgUnitGroups.groupsOf(unitId)).map((g) => g.id);
  }

  /** Township / county estimate: post-stratified by village population when the census has it, else pooled. */
  async function aggregateOf(def: IndicatorDefinition, unit: OrgUnit, period: Period, target: Target | null) {
    if (unit.level !== 'county' && unit.level !== 'township') return null;
    if (def.rule.type === 'mean_score') return null;
    const villages = (await subtreeOf(unit.path)).filter((u) => u.level === 'village');
    if (villages.length === 0) return null;
    const ids = villages.map((v) => v.id);
    const rows = await storage.reports.rollups({ indicatorIds: [def.id], orgUnitIds: ids, periods: [period.id] });
    const byUnit = new Map(rows.map((r) => [r.orgUnitId, r]));
    // eligible population from the census: the latest year up to the report's year with figures
    const year = Number(period.id.slice(0, 4));
    const years = [0, 1, 2, 3, 4].map((k) => String(year - k));
    // the indicator's population basis picks the census count that weights the villages
    // (census:registered / census:resident / census:in_migrant, or census:all = every member)
    const basis = def.populationBasis;
    const basisLabel = POPULATION_BASIS_LABELS[basis];
    const pop = await storage.reports.rollups({ indicatorIds: [`${CENSUS_INDICATOR_PREFIX}${basis}`], orgUnitIds: ids, periods: years });
    const popOf = new Map<string, number>();
    for (const y of [...years].reverse()) for (const r of pop) if (r.period === y && r.numerator > 0) popOf.set(r.orgUnitId, r.numerator);
    const strata: Stratum[] = villages.map((v) => {
      const r = byUnit.get(v.id);
      const n = r?.denominator ?? 0;
      return { id: v.code, x: Math.min(Math.max(r?.numerator ?? 0, 0), n), n, N: popOf.get(v.id) ?? 0 };
    });
    const sampled = strata.filter((s) => s.n > 0);
    if (sampled.length === 0) return { method: 'none' as const, populationBasis: basis, note: { zh: '无数据', en: 'No data' } };
    const withPop = sampled.filter((s) => s.N > 0);
    if (withPop.length === sampled.length) {
      const est = postStratifiedEstimate(strata, 0.95);
      const oneSided = postStratifiedEstimate(strata, 0.90);
      if (est && oneSided) {
        const statistical = target ? statisticalStatusFromBounds(oneSided.lower, oneSided.upper, target) : 'no_target';
        return {
          method: 'post-stratified' as const, populationBasis: basis,
          note: { zh: `按各村符合条件人口(普查${basisLabel.zh})加权的事后分层估计`, en: `Post-stratified: villages weighted by their eligible population from the census (${basisLabel.en.toLowerCase()})` },
          estimate: est.estimate, lower: est.lower, upper: est.upper, text: formatRate(est.estimate, def.displayDecimals),
          intervalText: `[${formatRate(est.lower, def.displayDecimals)}, ${formatRate(est.upper, def.displayDecimals)}]`,
          official: target ? (compare(target.op, est.estimate, target.value) ? 'met' : 'not_met') : 'no_target',
          statistical, statusLabel: statistical in STATUS_LABELS ? STATUS_LABELS[statistical as keyof typeof STATUS_LABELS] : null,
          effectiveN: est.effectiveN, populationCoveredShare: est.populationCoveredShare, warnings: est.warnings, strataUsed: est.strataUsed,
        };
      }
    }
    const pooled = pooledEstimate(sampled);
    if (!pooled) return { method: 'none' as const, populationBasis: basis, note: { zh: '无数据', en: 'No data' } };
    return {
      method: 'pooled' as const, populationBasis: basis,
      note: withPop.length === 0
        ? { zh: `缺少村人口数据(${basisLabel.zh}),按合并样本计算(Σx/Σn,未加权)`, en: `Pooled Σx/Σn (unweighted): no village populations in the census (${basisLabel.en.toLowerCase()})` }
        : { zh: `部分村缺少人口数据(${basisLabel.zh}),按合并样本计算(Σx/Σn,未加权)`, en: `Pooled Σx/Σn (unweighted): some villages have no census population (${basisLabel.en.toLowerCase()})` },
      estimate: pooled.estimate, lower: pooled.interval.lower, upper: pooled.interval.upper,
      text: formatRate(pooled.estimate, def.displayDecimals),
      intervalText: `[${formatRate(pooled.interval.lower, def.displayDecimals)}, ${formatRate(pooled.interval.upper, def.displayDecimals)}]`,
    };
  }

  async function dashboard(orgUnitId: string, periodId: string, opts: { children?: boolean; trend?: boolean } = {}) {
    const period = mustPeriod(periodId);
    const unit = await unitOrThrow(orgUnitId);
    const defs = await engine.activeIndicators();
    const allTargets = await storage.reports.listTargets();
    const children = (await subtreeOf(unit.path)).filter((u) => u.parentId === unit.id);
    const unitGroups = await groupIdsOf(unit.id);
    const childGroups = new Map<string, string[]>();
    if (opts.children !== false) for (const c of children) childGroups.set(c.id, await groupIdsOf(c.id));
    const trendPeriods = previousPeriods(period, TREND_LENGTH[period.type]);
    const ids = defs.map((d) => d.id);
    const [own, kids, trend] = await Promise.all([
      storage.reports.rollups({ indicatorIds: ids, orgUnitIds: [unit.id], periods: [period.id] }),
      opts.children === false ? Promise.resolve([]) : storage.reports.rollups({ indicatorIds: ids, orgUnitIds: children.map((c) => c.id), periods: [period.id] }),
      opts.trend === false ? Promise.resolve([]) : storage.reports.rollups({ indicatorIds: ids, orgUnitIds: [unit.id], periods: trendPeriods }),
    ]);
    const key = (r: { indicatorId: string; orgUnitId: string; period: string }) => `${r.indicatorId}|${r.orgUnitId}|${r.period}`;
    const rows = new Map([...own, ...kids, ...trend].map((r) => [key(r), r]));
    const get = (i: string, o: string, p: string) => rows.get(`${i}|${o}|${p}`) ?? emptyRow(i, o, p);
    const cards = [];
    for (const def of defs) {
      const targets = allTargets.filter((t) => t.indicatorId === def.id);
      const target = resolveTarget(targets, unit, unitGroups, period.type);
      const tgt = target ? { op: target.op, value: target.value } : null;
      cards.push({
        id: def.id, name: def.name, kind: def.kind, rule: def.rule, unit: def.rule.type === 'mean_score' ? 'score' : 'rate',
        populationBasis: def.populationBasis, displayDecimals: def.displayDecimals,
        target: target ? { op: target.op, value: target.value, scope: target.scope, text: `${target.op} ${formatRate(target.value, def.displayDecimals)}` } : null,
        cell: cellOf(get(def.id, unit.id, period.id), def, tgt),
        aggregate: await aggregateOf(def, unit, period, tgt),
        children: opts.children === false ? [] : children.map((c) => {
          const ct = resolveTarget(targets, c, childGroups.get(c.id) ?? [], period.type);
          return { orgUnit: { id: c.id, code: c.code, name: c.name, level: c.level }, cell: cellOf(get(def.id, c.id, period.id), def, ct ? { op: ct.op, value: ct.value } : null) };
        }),
        trend: trendPeriods.map((p) => {
          const c = cellOf(get(def.id, unit.id, p), def, null);
          return { period: p, numerator: c.numerator, denominator: c.denominator, estimate: c.estimate, lower: c.lower, upper: c.upper };
        }),
      });
    }
    const workPlan = (await storage.reports.listWorkPlan([unit.id], [period.id])).map(workPlanView);
    return {
      orgUnit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level, path: unit.path },
      period, countedReviewStates: engine.countedStates, version: engine.version(), indicators: cards, workPlan,
    };
  }

  function workPlanView(e: WorkPlanEntry) {
    const figure = e.denominator ? e.value / e.denominator : e.value;
    const official = e.target ? (compare(e.target.op, figure, e.target.value) ? 'met' : 'not_met') : 'no_target';
    return {
      ...e, figure,
      text: e.denominator ? `${e.value}/${e.denominator} (${formatRate(Math.min(1, Math.max(0, figure)), 1)})` : String(e.value),
      official, statusLabel: official === 'met' || official === 'not_met' ? STATUS_LABELS[official] : null,
    };
  }

  async function formForReport(formRef: string | undefined, kind: 'knowledge' | 'satisfaction') {
    let form = formRef ? (await storage.forms.get(formRef)) ?? (await storage.forms.getBySlug(formRef)) : null;
    if (formRef && !form) throw new AppError('FORM_NOT_FOUND', { id: formRef });
    if (!form) form = (await storage.forms.list({ kind })).find((f) => f.latestVersion !== null) ?? null;
    if (!form) throw new AppError('FORM_NOT_FOUND', { kind });
    if (form.kind !== kind) throw new AppError('VALIDATION_FAILED', { issues: [{ in: 'query', path: 'form', message: `not a ${kind} form` }] });
    const v = form.latestVersion !== null ? await storage.forms.getVersion(form.id, form.latestVersion) : null;
    return { form, definition: (v?.definition ?? form.draft ?? {}) as Record<string, unknown> };
  }

  /**
   * Item counts of a form for an org unit and period: from the item rollups down to villages; for
   * a group (below ITEM_ROLLUP_DEPTH) summed from its submissions' stored facts.
   */
  async function itemRows(formId: string, unit: OrgUnit, period: Period): Promise<ItemRollupRow[]> {
    if (ancestorsOf(unit.path).length <= ITEM_ROLLUP_DEPTH) {
      const months = period.type === 'month' ? [period.id] : childPeriods(period.id, 'month');
      return storage.reports.itemRollups({ formIds: [formId], orgUnitIds: [unit.id], periods: months });
    }
    const acc = new RollupAccumulator();
    let cursor: string | null = null;
    for (;;) {
      const page: { items: Submission[]; next: string | null } = await storage.reports.scan({ formId, orgUnitPath: unit.path, completedFrom: period.start, completedTo: period.end }, cursor, 1000);
      for (const s of page.items) acc.add({ rows: [], items: deltaOf({ ...s, orgUnitPath: `/${unit.id}/` }, engine.countedStates).items });
      if (!page.next) break;
      cursor = page.next;
    }
    return [...acc.items.values()];
  }

  /** Per-item correct rates (单题知晓率) and the mean item rate (平均知晓率) of a knowledge form. */
  async function items(orgUnitId: string, periodId: string, formRef?: string) {
    const period = mustPeriod(periodId);
    const unit = await unitOrThrow(orgUnitId);
    const { form, definition } = await formForReport(formRef, 'knowledge');
    const rows = await itemRows(form.id, unit, period);
    const labels = new Map(questionLabels(definition).map((q) => [q.name, q]));
    const sums = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const s = sums.get(r.item) ?? {};
      for (const [k, v] of Object.entries(r.counts)) s[k] = (s[k] ?? 0) + v;
      sums.set(r.item, s);
    }
    let totalCorrect = 0;
    let totalIncluded = 0;
    const order = [...labels.keys()];
    const list = [...sums.entries()].filter(([item]) => item.startsWith('q:')).map(([item, c]) => {
      const name = item.slice(2);
      const correct = c.correct ?? 0;
      // metrics.md §4 defaults: don't know and skipped count as incorrect, not applicable is excluded
      const included = correct + (c.incorrect ?? 0) + (c.dont_know ?? 0) + (c.skipped ?? 0);
      totalCorrect += correct;
      totalIncluded += included;
      const ci = included > 0 ? rateInterval(correct, included) : null;
      return {
        name, title: labels.get(name)?.title ?? name, correct, incorrect: c.incorrect ?? 0, dontKnow: c.dont_know ?? 0, skipped: c.skipped ?? 0,
        notApplicable: c.not_applicable ?? 0, included, rate: included > 0 ? correct / included : null,
        lower: ci?.lower ?? null, upper: ci?.upper ?? null, text: formatRate(included > 0 ? correct / included : null, 1),
      };
    }).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    return {
      orgUnit: { id: unit.id, name: unit.name }, period, form: { id: form.id, slug: form.slug, title: form.title },
      items: list, meanItemRate: totalIncluded > 0 ? totalCorrect / totalIncluded : null,
      meanItemRateText: formatRate(totalIncluded > 0 ? totalCorrect / totalIncluded : null, 1),
    };
  }

  /** Satisfaction: rating distribution per dimension and the free-text suggestions. */
  async function satisfaction(orgUnitId: string, periodId: string, formRef?: string, suggestionLimit = 100) {
    const period = mustPeriod(periodId);
    const unit = await unitOrThrow(orgUnitId);
    const { form } = await formForReport(formRef, 'satisfaction');
    const rows = await itemRows(form.id, unit, period);
    const sums = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const s = sums.get(r.item) ?? {};
      for (const [k, v] of Object.entries(r.counts)) s[k] = (s[k] ?? 0) + v;
      sums.set(r.item, s);
    }
    const dimensions = [...sums.entries()].filter(([k]) => k.startsWith('d:')).map(([k, c]) => {
      const ratings = [1, 2, 3, 4, 5].map((r) => c[`r${r}`] ?? 0);
      const valid = ratings.reduce((a, b) => a + b, 0);
      const top2 = (c.r4 ?? 0) + (c.r5 ?? 0);
      return {
        dimension: k.slice(2),
        distribution: { 5: c.r5 ?? 0, 4: c.r4 ?? 0, 3: c.r3 ?? 0, 2: c.r2 ?? 0, 1: c.r1 ?? 0 },
        dontKnow: c.dont_know ?? 0, notApplicable: c.not_applicable ?? 0, skipped: c.skipped ?? 0, invalid: c.invalid ?? 0,
        valid, topBox: valid > 0 ? top2 / valid : null, topBoxText: formatRate(valid > 0 ? top2 / valid : null, 1),
        mean: valid > 0 ? ratings.reduce((a, n, i) => a + n * (i + 1), 0) / valid : null,
      };
    });
    const suggestions = await storage.reports.suggestions({ formIds: [form.id], orgUnitPath: unit.path, from: period.start, to: period.end, limit: suggestionLimit, countedStates: engine.countedStates });
    return { orgUnit: { id: unit.id, name: unit.name }, period, form: { id: form.id, slug: form.slug, title: form.title }, dimensions, suggestions };
  }

  async function afterIndicatorChange() {
    engine.invalidate();
    // stored counts follow the definition in force: recompute facts and rollups
    await engine.rebuild();
  }

  return {
    dashboard,
    items,
    satisfaction,
    workPlanView,
    async listIndicators() {
      await engine.ensureReady();
      return (await storage.reports.listIndicators()).map((i) => ({ ...i.definition, builtIn: i.builtIn, createdAt: i.createdAt, updatedAt: i.updatedAt }));
    },
    async getIndicator(id: string) {
      const i = await indicatorOrThrow(id);
      return { ...i.definition, builtIn: i.builtIn, createdAt: i.createdAt, updatedAt: i.updatedAt };
    },
    async createIndicator(def: IndicatorDefinition) {
      await engine.ensureReady();
      if (await storage.reports.getIndicator(def.id)) throw new AppError('INDICATOR_EXISTS', { id: def.id });
      await checkFits(def);
      const at = deps.now().toISOString();
      await storage.reports.putIndicator({ definition: def, builtIn: false, createdAt: at, updatedAt: at });
      await afterIndicatorChange();
      return { ...def, builtIn: false, createdAt: at, updatedAt: at };
    },
    async updateIndicator(id: string, input: Omit<IndicatorDefinitionInput, 'id'>) {
      const existing = await indicatorOrThrow(id);
      const parsed = IndicatorDefinitionSchema.safeParse({ ...input, id });
      if (!parsed.success) throw new AppError('VALIDATION_FAILED', { issues: parsed.error.issues.map((i) => ({ in: 'body', path: i.path.join('.'), message: i.message })) });
      await checkFits(parsed.data);
      const at = deps.now().toISOString();
      await storage.reports.putIndicator({ definition: parsed.data, builtIn: existing.builtIn, createdAt: existing.createdAt, updatedAt: at });
      await afterIndicatorChange();
      return { ...parsed.data, builtIn: existing.builtIn, createdAt: existing.createdAt, updatedAt: at };
    },
    async deleteIndicator(id: string) {
      const existing = await indicatorOrThrow(id);
      if (existing.builtIn) throw new AppError('INDICATOR_BUILT_IN', { id });
      await storage.reports.deleteIndicator(id);
      engine.invalidate();
      engine.changed();
    },
    async listTargets(indicatorId: string) {
      await indicatorOrThrow(indicatorId);
      return storage.reports.listTargets(indicatorId);
    },
    /** Changing a target never touches stored counts: only the status columns change. */
    async putTarget(indicatorId: string, input: { scope: TargetScope; periodType: PeriodType | null; op: Target['op']; value: number }) {
      await indicatorOrThrow(indicatorId);
      if (input.scope.kind === 'org_unit') await unitOrThrow(input.scope.id);
      if (input.scope.kind === 'group' && !(await storage.orgUnitGroups.get(input.scope.id))) throw new AppError('ORG_UNIT_GROUP_NOT_FOUND', { id: input.scope.id });
      const t: StoredTarget = { indicatorId, scope: input.scope, periodType: input.periodType, target: { op: input.op, value: input.value }, updatedAt: deps.now().toISOString() };
      await storage.reports.putTarget(t);
      engine.changed();
      return t;
    },
    async deleteTarget(indicatorId: string, scope: TargetScope, periodType: PeriodType | null) {
      await indicatorOrThrow(indicatorId);
      if (!(await storage.reports.deleteTarget(indicatorId, scope, periodType))) throw new AppError('TARGET_NOT_FOUND');
      engine.changed();
    },
    async listWorkPlan(orgUnitId: string, periodId: string) {
      mustPeriod(periodId);
      await unitOrThrow(orgUnitId);
      return (await storage.reports.listWorkPlan([orgUnitId], [periodId])).map(workPlanView);
    },
    async putWorkPlan(input: Omit<WorkPlanEntry, 'updatedAt'>) {
      mustPeriod(input.period);
      await unitOrThrow(input.orgUnitId);
      const e: WorkPlanEntry = { ...input, updatedAt: deps.now().toISOString() };
      await storage.reports.putWorkPlan(e);
      engine.changed();
      return workPlanView(e);
    },
    async deleteWorkPlan(orgUnitId: string, period: string, key: string) {
      if (!(await storage.reports.deleteWorkPlan(orgUnitId, period, key))) throw new AppError('WORK_PLAN_NOT_FOUND');
      engine.changed();
    },
    unitOrThrow,
  };
}

export type ReportService = ReturnType<typeof makeReportService>;
