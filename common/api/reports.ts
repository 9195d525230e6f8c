/**
 * Reply shapes of the report endpoints (server/modules/reports/reports.routes.ts and
 * reports.service.ts) as the staff console reads them. Unknown fields are dropped; a missing or
 * mistyped field fails loudly (BAD_RESPONSE) instead of rendering nonsense. The request bodies
 * are declared by the routes themselves.
 */
import { z } from 'zod';
import { TARGET_OPS } from '../stats';

export const Localized = z.object({ zh: z.string(), en: z.string().optional() });
export type LocalizedDto = z.infer<typeof Localized>;

const Num = z.number();
const NumOrNull = z.number().nullable();
const Op = z.enum(TARGET_OPS);

export const CellSchema = z.object({
  numerator: Num,
  denominator: Num,
  responses: Num,
  excluded: z.array(z.object({ reason: z.string(), count: Num, label: Localized })),
  excludedTotal: Num,
  estimate: NumOrNull,
  lower: NumOrNull,
  upper: NumOrNull,
  method: z.string().nullable(),
  text: z.string(),
  intervalText: z.string(),
  /** met | not_met | no_data | no_target | not_applicable */
  official: z.string(),
  /** met | not_met | inconclusive | no_data | no_target | not_applicable */
  statistical: z.string(),
  statusLabel: Localized.nullable(),
});
export type Cell = z.infer<typeof CellSchema>;

export const AggregateSchema = z.object({
  method: z.enum(['post-stratified', 'pooled', 'none']),
  /** which census population weighted the villages (the indicator's population basis) */
  populationBasis: z.string().optional(),
  note: Localized,
  estimate: Num.optional(),
  lower: Num.optional(),
  upper: Num.optional(),
  text: z.string().optional(),
  intervalText: z.string().optional(),
  official: z.string().optional(),
  statistical: z.string().optional(),
  effectiveN: Num.optional(),
  populationCoveredShare: Num.optional(),
  warnings: z.array(z.string()).optional(),
}).nullable();
export type Aggregate = z.infer<typeof AggregateSchema>;

export const ScopeSchema = z.union([
  z.object({ kind: z.literal('org_unit'), id: z.string() }),
  z.object({ kind: z.literal('group'), id: z.string() }),
  z.object({ kind: z.literal('default') }),
]);
export type TargetScopeDto = z.infer<typeof ScopeSchema>;

export const OrgUnitRef = z.object({ id: z.string(), code: z.string(), name: Localized, level: z.string() });
export type OrgUnitRefDto = z.infer<typeof OrgUnitRef>;

export const IndicatorCardSchema = z.object({
  id: z.string(),
  name: Localized,
  kind: z.enum(['knowledge', 'satisfaction']),
  rule: z.object({ type: z.string() }).passthrough(),
  unit: z.enum(['rate', 'score']),
  displayDecimals: z.number().int(),
  populationBasis: z.string().optional(),
  target: z.object({ op: Op, value: Num, scope: ScopeSchema, text: z.string() }).nullable(),
  cell: CellSchema,
  aggregate: AggregateSchema,
  children: z.array(z.object({ orgUnit: OrgUnitRef, cell: CellSchema })),
  trend: z.array(z.object({ period: z.string(), numerator: Num, denominator: Num, estimate: NumOrNull, lower: NumOrNull, upper: NumOrNull })),
});
export type IndicatorCard = z.infer<typeof IndicatorCardSchema>;
export type ChildRow = IndicatorCard['children'][number];

export const WorkPlanViewSchema = z.object({
  orgUnitId: z.string(),
  period: z.string(),
  key: z.string(),
  name: Localized,
  value: Num,
  denominator: NumOrNull,
  target: z.object({ op: Op, value: Num }).nullable(),
  figure: Num,
  text: z.string(),
  official: z.string(),
});
export type WorkPlanView = z.infer<typeof WorkPlanViewSchema>;

export const PeriodSchema = z.object({ id: z.string(), type: z.enum(['month', 'quarter', 'half', 'year']), start: z.string(), end: z.string() });

export const DashboardSchema = z.object({
  orgUnit: OrgUnitRef.extend({ path: z.string() }),
  period: PeriodSchema,
  version: Num,
  indicators: z.array(IndicatorCardSchema),
  workPlan: z.array(WorkPlanViewSchema),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const ItemsSchema = z.object({
  orgUnit: z.object({ id: z.string(), name: Localized }),
  period: PeriodSchema,
  form: z.object({ id: z.string(), slug: z.string(), title: Localized }),
  items: z.array(z.object({
    name: z.string(),
    title: z.string(),
    correct: Num,
    incorrect: Num,
    dontKnow: Num,
    skipped: Num,
    notApplicable: Num,
    included: Num,
    rate: NumOrNull,
    lower: NumOrNull,
    upper: NumOrNull,
    text: z.string(),
  })),
  meanItemRate: NumOrNull,
  meanItemRateText: z.string(),
});
export type ItemsView = z.infer<typeof ItemsSchema>;
export type ItemRow = ItemsView['items'][number];

export const SatisfactionSchema = z.object({
  orgUnit: z.object({ id: z.string(), name: Localized }),
  period: PeriodSchema,
  form: z.object({ id: z.string(), slug: z.string(), title: Localized }),
  dimensions: z.array(z.object({
    dimension: z.string(),
    distribution: z.object({ 1: Num, 2: Num, 3: Num, 4: Num, 5: Num }),
    dontKnow: Num,
    notApplicable: Num,
    skipped: Num,
    invalid: Num,
    valid: Num,
    topBox: NumOrNull,
    topBoxText: z.string(),
    mean: NumOrNull,
  })),
  suggestions: z.array(z.object({ id: z.string(), orgUnitId: z.string(), completedAt: z.string(), text: z.string() })),
});
export type SatisfactionView = z.infer<typeof SatisfactionSchema>;
export type DimensionRow = SatisfactionView['dimensions'][number];

export const IndicatorDefSchema = z.object({
  id: z.string(),
  name: Localized,
  formSlugs: z.array(z.string()),
  kind: z.enum(['knowledge', 'satisfaction']),
  rule: z.object({ type: z.string() }).passthrough(),
  displayDecimals: z.number().int(),
  builtIn: z.boolean(),
}).passthrough();
export type IndicatorDef = z.infer<typeof IndicatorDefSchema>;

export const StoredTargetSchema = z.object({
  indicatorId: z.string(),
  scope: ScopeSchema,
  periodType: z.enum(['month', 'quarter', 'half', 'year']).nullable(),
  target: z.object({ op: Op, value: Num }),
  updatedAt: z.string(),
});
export type StoredTargetDto = z.infer<typeof StoredTargetSchema>;

export const OrgUnitSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: Localized,
  level: z.enum(['county', 'township', 'village', 'group']),
  parentId: z.string().nullable(),
  path: z.string(),
});
export type OrgUnitDto = z.infer<typeof OrgUnitSchema>;

export const OrgUnitGroupSchema = z.object({ id: z.string(), code: z.string(), name: Localized, memberIds: z.array(z.string()) });
export type OrgUnitGroupDto = z.infer<typeof OrgUnitGroupSchema>;

export const FormSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  kind: z.string(),
  title: Localized,
  latestVersion: z.number().int().nullable(),
});
export type FormSummary = z.infer<typeof FormSummarySchema>;

export const MeSchema = z.object({
  user: z.object({ id: z.string(), username: z.string(), roles: z.array(z.object({ role: z.string(), orgUnitId: z.string().nullable() })) }),
});
export type MeDto = z.infer<typeof MeSchema>;
