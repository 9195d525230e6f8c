/**
 * Typed staff API for reports (issue 5): one function per endpoint, on `staffFetch` (session
 * cookie, X-CSRF-Token on writes, 401 → console login), replies checked with common/api/reports.
 * Exports are plain download links (GET needs no CSRF token).
 */
import { z } from 'zod';
import { staffFetch } from './staff';
import { API_BASE } from './index';
import {
  DashboardSchema, FormSummarySchema, IndicatorDefSchema, ItemsSchema, OrgUnitGroupSchema, OrgUnitSchema, SatisfactionSchema,
  StoredTargetSchema, WorkPlanViewSchema,
  type Dashboard, type FormSummary, type IndicatorDef, type ItemsView, type OrgUnitDto, type OrgUnitGroupDto, type SatisfactionView,
  type StoredTargetDto, type TargetScopeDto, type WorkPlanView,
} from '../../../common/api/reports';
import { FormVersionSchema, type FormVersionDto } from '../../../common/api/forms';
import type { PeriodType } from '../../../common/periods';
import type { TargetOp } from '../../../common/stats';

export interface TargetInput {
  scope: TargetScopeDto;
  periodType: PeriodType | null;
  op: TargetOp;
  /** a fraction: 0.98 for ≥ 98% */
  value: number;
}

export interface WorkPlanInput {
  orgUnitId: string;
  period: string;
  key: string;
  name: { zh: string; en?: string };
  value: number;
  denominator: number | null;
  target: { op: TargetOp; value: number } | null;
}

export const reportsApi = {
  orgUnits: (): Promise<OrgUnitDto[]> => staffFetch('/org-units', { schema: z.array(OrgUnitSchema) }),
  orgUnitGroups: (): Promise<OrgUnitGroupDto[]> => staffFetch('/org-unit-groups', { schema: z.array(OrgUnitGroupSchema) }),
  forms: (): Promise<FormSummary[]> => staffFetch('/forms', { schema: z.array(FormSummarySchema) }),
  dashboard: (orgUnit: string, period: string, signal?: AbortSignal): Promise<Dashboard> =>
    staffFetch('/reports/dashboard', { query: { orgUnit, period }, schema: DashboardSchema, ...(signal ? { signal } : {}) }),
  items: (orgUnit: string, period: string, form?: string): Promise<ItemsView> =>
    staffFetch('/reports/items', { query: { orgUnit, period, form }, schema: ItemsSchema }),
  satisfaction: (orgUnit: string, period: string, form?: string): Promise<SatisfactionView> =>
    staffFetch('/reports/satisfaction', { query: { orgUnit, period, form }, schema: SatisfactionSchema }),
  version: (): Promise<{ version: number }> => staffFetch('/reports/version', { schema: z.object({ version: z.number() }) }),
  indicators: (): Promise<IndicatorDef[]> => staffFetch('/indicators', { schema: z.array(IndicatorDefSchema) }),
  /** Replace an indicator definition (the server recomputes the rollups). */
  putIndicator: (id: string, definition: Record<string, unknown>): Promise<IndicatorDef> =>
    staffFetch(`/indicators/${encodeURIComponent(id)}`, { method: 'PUT', body: definition, schema: IndicatorDefSchema }),
  /** Create an indicator (201; the server recomputes the rollups). */
  createIndicator: (definition: Record<string, unknown>): Promise<IndicatorDef> =>
    staffFetch('/indicators', { method: 'POST', body: definition, schema: IndicatorDefSchema }),
  /** Delete a configured indicator (built-in ones cannot be deleted: 409 INDICATOR_BUILT_IN). */
  deleteIndicator: async (id: string): Promise<void> => {
    await staffFetch(`/indicators/${encodeURIComponent(id)}`, { method: 'DELETE' });
  },
  /** One published version of a form with its SurveyJS definition (the editor reads its questions). */
  formVersion: (formId: string, version: number): Promise<FormVersionDto> =>
    staffFetch(`/forms/${encodeURIComponent(formId)}/versions/${version}`, { schema: FormVersionSchema }),
  targets: (indicatorId: string): Promise<StoredTargetDto[]> =>
    staffFetch(`/indicators/${encodeURIComponent(indicatorId)}/targets`, { schema: z.array(StoredTargetSchema) }),
  putTarget: (indicatorId: string, t: TargetInput): Promise<StoredTargetDto> =>
    staffFetch(`/indicators/${encodeURIComponent(indicatorId)}/targets`, { method: 'PUT', body: t, schema: StoredTargetSchema }),
  deleteTarget: async (indicatorId: string, scope: TargetScopeDto, periodType: PeriodType | null): Promise<void> => {
    await staffFetch(`/indicators/${encodeURIComponent(indicatorId)}/targets`, {
      method: 'DELETE', query: { scopeKind: scope.kind, scopeId: scope.kind === 'default' ? undefined : scope.id, periodType: periodType ?? undefined },
    });
  },
  workPlan: (orgUnit: string, period: string): Promise<WorkPlanView[]> =>
    staffFetch('/work-plan', { query: { orgUnit, period }, schema: z.array(WorkPlanViewSchema) }),
  putWorkPlan: (w: WorkPlanInput): Promise<WorkPlanView> => staffFetch('/work-plan', { method: 'PUT', body: w, schema: WorkPlanViewSchema }),
  deleteWorkPlan: async (orgUnit: string, period: string, key: string): Promise<void> => {
    await staffFetch('/work-plan', { method: 'DELETE', query: { orgUnit, period, key } });
  },
};
export type ReportsApi = typeof reportsApi;

function link(path: string, params: Record<string, string | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  return `${API_BASE}${path}?${u.toString()}`;
}

/** Download links for the streamed CSV/XLSX exports. */
export const exportUrls = {
  submissions: (form: string, orgUnit: string, period: string | undefined, format: 'csv' | 'xlsx') => link('/exports/submissions', { form, orgUnit, period, format }),
  indicators: (orgUnit: string, period: string, format: 'csv' | 'xlsx') => link('/exports/indicators', { orgUnit, period, format }),
  census: (layout: 'households' | 'members' | 'joined', orgUnit: string, format: 'csv' | 'xlsx', form?: string) => link('/exports/census', { form, layout, orgUnit, format }),
};

/** Server-sent events: `changed` with `{ version }` whenever report figures may have changed. */
export const REPORTS_STREAM_URL = `${API_BASE}/reports/stream`;
