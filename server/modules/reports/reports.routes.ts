/**
 * Report, indicator, target, work-plan and export routes. Reading reports and exporting: `analyst`
 * or `admin` on the org unit concerned; changing indicators and targets: a system-wide `admin`.
 */
import { z } from 'zod';
import { defineRoute, RESPONDED, type RouteDef } from '../../http/route';
import { AppError } from '../../http/errors';
import { requireRoleAt, requireUser } from '../../auth/require';
import { isGlobal, scopePaths, type Principal } from '../../auth/principal';
import { IndicatorDefinitionSchema } from '../../../common/scoring';
import { TARGET_OPS } from '../../../common/stats';
import { PERIOD_TYPES, type PeriodType } from '../../../common/periods';
import { LocalizedTextSchema } from '../../../common/localized';
import type { ReportService } from './reports.service';
import type { RollupEngine } from './rollups';
import { CONTENT_TYPES, sinkFor, type makeExports } from './exports';

export const REPORT_READERS = ['admin', 'analyst'] as const;
export const REPORT_ADMINS = ['admin'] as const;

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const PeriodId = z.string().regex(/^\d{4}(?:-(0[1-9]|1[0-2])|Q[1-4]|S[12])?$/, 'period: 2026, 2026S1, 2026Q1 or 2026-03');
const ReportQuery = z.strictObject({ orgUnit: Id, period: PeriodId });
const ItemsQuery = ReportQuery.extend({ form: z.string().min(1).max(100).optional() });
const IndicatorIdParams = z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_-]{1,62}$/) });
const ScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('org_unit'), id: Id }),
  z.strictObject({ kind: z.literal('group'), id: Id }),
  z.strictObject({ kind: z.literal('default') }),
]);
const PeriodTypeSchema = z.enum(PERIOD_TYPES as unknown as [PeriodType, ...PeriodType[]]);
const TargetBody = z.strictObject({
  scope: ScopeSchema,
  periodType: PeriodTypeSchema.nullable().default(null),
  op: z.enum(TARGET_OPS),
  /** a fraction: 0.98 for ≥ 98% */
  value: z.number().min(0).max(1),
});
const TargetDeleteQuery = z.strictObject({
  scopeKind: z.enum(['org_unit', 'group', 'default']),
  scopeId: Id.optional(),
  periodType: PeriodTypeSchema.optional(),
});
const WorkPlanBody = z.strictObject({
  orgUnitId: Id,
  period: PeriodId,
  key: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/),
  name: LocalizedTextSchema,
  value: z.number().min(0).finite(),
  denominator: z.number().positive().finite().nullable().default(null),
  target: z.strictObject({ op: z.enum(TARGET_OPS), value: z.number().min(0).finite() }).nullable().default(null),
}).refine((b) => !(b.denominator !== null && b.target && b.target.value > 1), { message: 'with a denominator the target is a fraction (0–1)', path: ['target', 'value'] });
const FormatQuery = z.enum(['csv', 'xlsx']).default('csv');

function requireGlobalAdmin(p: Principal | null) {
  const u = requireUser(p);
  if (!isGlobal(u, REPORT_ADMINS)) throw new AppError('FORBIDDEN', { requires: 'admin (system-wide) / 全局管理员' });
  return u;
}

export function reportRoutes(svc: ReportService, engine: RollupEngine, exports: ReturnType<typeof makeExports>): RouteDef[] {
  const readAt = async (p: Principal | null, orgUnitId: string) => {
    const u = requireUser(p);
    const unit = await svc.unitOrThrow(orgUnitId);
    requireRoleAt(u, REPORT_READERS, unit.path);
    return unit;
  };
  /** The subtree an export covers: the named org unit (checked), else the caller's only readable subtree. */
  const exportScope = async (p: Principal | null, orgUnitId: string | undefined): Promise<string> => {
    const u = requireUser(p);
    if (orgUnitId) {
      await readAt(u, orgUnitId);
      return '/';
    }
    const scopes = scopePaths(u, REPORT_READERS);
    if (scopes.length !== 1) throw new AppError('ORG_UNIT_REQUIRED', { subtrees: scopes.length });
    return scopes[0]!;
  };
  const readers = { kind: 'staff', roles: REPORT_READERS } as const;
  const admins = { kind: 'staff', roles: REPORT_ADMINS } as const;
  return [
    // ---- indicators ----
    defineRoute({
      method: 'get', path: '/indicators', tag: 'reports', summary: 'Indicator definitions (built-in and configured)', access: readers,
      handler: () => svc.listIndicators(),
    }),
    defineRoute({
      method: 'get', path: '/indicators/:id', tag: 'reports', summary: 'One indicator definition', access: readers, params: IndicatorIdParams,
      handler: ({ params }) => svc.getIndicator(params.id),
    }),
    defineRoute({
      method: 'post', path: '/indicators', tag: 'reports', summary: 'Create an indicator (rollups are recomputed)', access: admins, status: 201,
      body: IndicatorDefinitionSchema,
      handler: ({ body, principal }) => { requireGlobalAdmin(principal); return svc.createIndicator(body); },
    }),
    defineRoute({
      method: 'put', path: '/indicators/:id', tag: 'reports', summary: 'Replace an indicator definition (rollups are recomputed)', access: admins,
      params: IndicatorIdParams, body: z.record(z.string(), z.unknown()),
      handler: ({ params, body, principal }) => {
        requireGlobalAdmin(principal);
        const { id: _ignored, ...rest } = body;
        return svc.updateIndicator(params.id, rest as Parameters<ReportService['updateIndicator']>[1]);
      },
    }),
    defineRoute({
      method: 'delete', path: '/indicators/:id', tag: 'reports', summary: 'Delete a configured (not built-in) indicator', access: admins, status: 204,
      params: IndicatorIdParams,
      handler: async ({ params, principal, res }) => { requireGlobalAdmin(principal); await svc.deleteIndicator(params.id); res.status(204).end(); return RESPONDED; },
    }),
    // ---- targets ----
    defineRoute({
      method: 'get', path: '/indicators/:id/targets', tag: 'reports', summary: 'Targets of an indicator (org unit, group, default × period type)', access: readers,
      params: IndicatorIdParams, handler: ({ params }) => svc.listTargets(params.id),
    }),
    defineRoute({
      method: 'put', path: '/indicators/:id/targets', tag: 'reports', summary: 'Set a target (stored counts never change)', access: admins,
      params: IndicatorIdParams, body: TargetBody,
      handler: ({ params, body, principal }) => { requireGlobalAdmin(principal); return svc.putTarget(params.id, body); },
    }),
    defineRoute({
      method: 'delete', path: '/indicators/:id/targets', tag: 'reports', summary: 'Remove a target', access: admins, status: 204,
      params: IndicatorIdParams, query: TargetDeleteQuery,
      handler: async ({ params, query, principal, res }) => {
        requireGlobalAdmin(principal);
        if (query.scopeKind !== 'default' && !query.scopeId) throw new AppError('VALIDATION_FAILED', { issues: [{ in: 'query', path: 'scopeId', message: 'required for org_unit and group scopes' }] });
        const scope = query.scopeKind === 'default' ? { kind: 'default' as const } : { kind: query.scopeKind, id: query.scopeId! };
        await svc.deleteTarget(params.id, scope, query.periodType ?? null);
        res.status(204).end();
        return RESPONDED;
      },
    }),
    // ---- work plan ----
    defineRoute({
      method: 'get', path: '/work-plan', tag: 'reports', summary: 'Work-plan counts of an org unit for a period', access: readers, query: ReportQuery,
      handler: async ({ query, principal }) => { await readAt(principal, query.orgUnit); return svc.listWorkPlan(query.orgUnit, query.period); },
    }),
    defineRoute({
      method: 'put', path: '/work-plan', tag: 'reports', summary: 'Enter a work-plan count (e.g. reports sent ≥ 1; households visited / on roster)', access: admins,
      body: WorkPlanBody,
      handler: async ({ body, principal }) => {
        const u = requireUser(principal);
        const unit = await svc.unitOrThrow(body.orgUnitId);
        requireRoleAt(u, REPORT_ADMINS, unit.path);
        return svc.putWorkPlan(body);
      },
    }),
    defineRoute({
      method: 'delete', path: '/work-plan', tag: 'reports', summary: 'Remove a work-plan count', access: admins, status: 204,
      query: ReportQuery.extend({ key: z.string().min(1).max(63) }),
      handler: async ({ query, principal, res }) => {
        const u = requireUser(principal);
        const unit = await svc.unitOrThrow(query.orgUnit);
        requireRoleAt(u, REPORT_ADMINS, unit.path);
        await svc.deleteWorkPlan(query.orgUnit, query.period, query.key);
        res.status(204).end();
        return RESPONDED;
      },
    }),
    // ---- report views ----
    defineRoute({
      method: 'get', path: '/reports/dashboard', tag: 'reports', summary: 'Dashboard of an org unit and period: indicator cards, child org units, trend, work plan', access: readers,
      query: ReportQuery,
      handler: async ({ query, principal }) => { await readAt(principal, query.orgUnit); return svc.dashboard(query.orgUnit, query.period); },
    }),
    defineRoute({
      method: 'get', path: '/reports/items', tag: 'reports', summary: 'Per-question correct rates of a knowledge form (单题知晓率)', access: readers,
      query: ItemsQuery,
      handler: async ({ query, principal }) => { await readAt(principal, query.orgUnit); return svc.items(query.orgUnit, query.period, query.form); },
    }),
    defineRoute({
      method: 'get', path: '/reports/satisfaction', tag: 'reports', summary: 'Satisfaction: rating distribution per dimension and the suggestions', access: readers,
      query: ItemsQuery,
      handler: async ({ query, principal }) => { await readAt(principal, query.orgUnit); return svc.satisfaction(query.orgUnit, query.period, query.form); },
    }),
    defineRoute({
      method: 'get', path: '/reports/version', tag: 'reports', summary: 'A counter that changes whenever report figures may have changed (cheap polling)', access: readers,
      handler: async () => ({ version: engine.version() }),
    }),
    defineRoute({
      method: 'get', path: '/reports/stream', tag: 'reports', summary: 'Server-sent events: `changed` with the version whenever report figures may have changed', access: readers,
      handler: async ({ req, res }) => {
        res.status(200);
        res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
        res.write(`event: changed\ndata: ${JSON.stringify({ version: engine.version() })}\n\n`);
        // coalesce bursts (a batch of inserts) into one event per second at most
        let pending: NodeJS.Timeout | null = null;
        const onChange = () => {
          if (pending) return;
          pending = setTimeout(() => { pending = null; res.write(`event: changed\ndata: ${JSON.stringify({ version: engine.version() })}\n\n`); }, 250);
        };
        const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
        engine.events.on('changed', onChange);
        req.on('close', () => { engine.events.off('changed', onChange); clearInterval(ping); if (pending) clearTimeout(pending); });
        return RESPONDED;
      },
    }),
    defineRoute({
      method: 'post', path: '/reports/rollups/rebuild', tag: 'reports', summary: 'Recompute all facts and rollups from the submissions', access: admins,
      handler: ({ principal }) => { requireGlobalAdmin(principal); return engine.rebuild(); },
    }),
    // ---- exports ----
    defineRoute({
      method: 'get', path: '/exports/submissions', tag: 'exports', summary: 'Submissions of a form as CSV or XLSX (question titles, choice labels, org-unit names; streamed)', access: readers,
      query: z.strictObject({ form: z.string().min(1).max(100), orgUnit: Id.optional(), period: PeriodId.optional(), format: FormatQuery }),
      handler: async ({ query, principal, res }) => {
        const scopePath = await exportScope(principal, query.orgUnit);
        res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
        res.setHeader('Content-Disposition', `attachment; filename="submissions.${query.format}"`);
        await exports.submissions(sinkFor(query.format, res, '答卷'), { form: query.form, scopePath, ...(query.orgUnit ? { orgUnit: query.orgUnit } : {}), ...(query.period ? { period: query.period } : {}) });
        return RESPONDED;
      },
    }),
    defineRoute({
      method: 'get', path: '/exports/indicators', tag: 'exports', summary: 'The indicator table of an org unit and its children for a period, as CSV or XLSX', access: readers,
      query: ReportQuery.extend({ format: FormatQuery }),
      handler: async ({ query, principal, res }) => {
        await readAt(principal, query.orgUnit);
        // computed before the first byte, so an error is still a JSON error response
        const rows: (string | number | null)[][] = [];
        await exports.indicatorTable({ async row(v) { rows.push(v); }, async end() {} }, query);
        res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
        res.setHeader('Content-Disposition', `attachment; filename="indicators-${query.period}.${query.format}"`);
        const sink = sinkFor(query.format, res, '指标');
        for (const r of rows) await sink.row(r);
        await sink.end();
        return RESPONDED;
      },
    }),
    defineRoute({
      method: 'get', path: '/exports/census', tag: 'exports', summary: 'Census data as CSV or XLSX: households, members, or joined household × member rows (personal data masked)', access: readers,
      query: z.strictObject({ form: z.string().min(1).max(100).default('household-census'), layout: z.enum(['households', 'members', 'joined']), orgUnit: Id.optional(), period: PeriodId.optional(), format: FormatQuery }),
      handler: async ({ query, principal, res }) => {
        const scopePath = await exportScope(principal, query.orgUnit);
        const form = query.form;
        // validate the form before the first byte
        await exports.census({ async row() {}, async end() {} }, { form, layout: query.layout, scopePath: '/__none__/' });
        res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
        res.setHeader('Content-Disposition', `attachment; filename="census-${query.layout}.${query.format}"`);
        await exports.census(sinkFor(query.format, res, '普查'), { form, layout: query.layout, scopePath, ...(query.orgUnit ? { orgUnit: query.orgUnit } : {}), ...(query.period ? { period: query.period } : {}) });
        return RESPONDED;
      },
    }),
  ];
}
