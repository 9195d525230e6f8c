/**
 * The reports console page (`/console/reports/...`, lazily loaded with ECharts in its own chunk):
 * org unit and period in the URL (`?unit=…&period=2026Q1`), sub-pages by path —
 * dashboard (default), items, satisfaction, targets, exports, work-report.
 */
import { useMemo } from 'react';
import type { ConsolePageProps } from '../console/registry';
import { Link } from '../console/Link';
import type { OrgUnitDto } from '../../../../common/api/reports';
import { reportsApi, REPORTS_STREAM_URL } from '../../api/reports';
import { DashboardView } from './Dashboard';
import { ExportsPage, ItemsPage, SatisfactionPage } from './DetailViews';
import { useReportVersion } from './live';
import { LoadState, PeriodPicker, UnitSelect, useAsync } from './parts';
import { currentPeriod, periodParts } from './periods';
import { reportsStrings, type ReportsKey } from './strings';
import { TargetsPage } from './TargetsPage';
import { WorkReportPage } from './WorkReport';
import './reports.css';

export const REPORTS_PATH = '/console/reports';
const SUBPAGES = [
  ['', 'tabDashboard'],
  ['items', 'tabItems'],
  ['satisfaction', 'tabSatisfaction'],
  ['targets', 'tabTargets'],
  ['exports', 'tabExports'],
  ['work-report', 'tabWorkReport'],
] as const satisfies readonly (readonly [string, ReportsKey])[];

const READER_ROLES = ['admin', 'analyst'];

/** The unit a user starts on: the first root of the tree for a system-wide reader, else their own unit. */
export function defaultUnit(units: readonly OrgUnitDto[], roles: readonly { role: string; orgUnitId: string | null }[]): string | null {
  const readable = roles.filter((r) => READER_ROLES.includes(r.role));
  const ids = new Set(units.map((u) => u.id));
  if (readable.some((r) => r.orgUnitId === null) || readable.length === 0) {
    const roots = units.filter((u) => u.parentId === null || !ids.has(u.parentId)).sort((a, b) => a.path.localeCompare(b.path));
    return roots[0]?.id ?? null;
  }
  const own = readable.find((r) => r.orgUnitId !== null && ids.has(r.orgUnitId));
  return own?.orgUnitId ?? units[0]?.id ?? null;
}

export default function ReportsPage({ me, rest, query, navigate }: ConsolePageProps) {
  const { t, lang } = reportsStrings.useStrings();
  const units = useAsync(() => reportsApi.orgUnits(), [], lang);
  const forms = useAsync(() => reportsApi.forms().catch(() => []), [], lang);
  const live = useReportVersion({ streamUrl: REPORTS_STREAM_URL, poll: reportsApi.version });
  const unitMap = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const sub = rest[0] ?? '';
  const unitId = query.get('unit') ?? (units.data ? defaultUnit(units.data, me.user.roles) : null);
  const period = query.get('period') && periodParts(query.get('period')!) ? query.get('period')! : currentPeriod('year');
  const thisYear = Number(currentPeriod('year'));
  const years = Array.from({ length: 6 }, (_, k) => thisYear - 5 + k);
  const isGlobalAdmin = me.user.roles.some((r) => r.role === 'admin' && r.orgUnitId === null);
  const isAdmin = me.user.roles.some((r) => r.role === 'admin');

  const href = (page: string, changes: Record<string, string> = {}) => {
    const q = new URLSearchParams(query);
    if (unitId && !q.get('unit')) q.set('unit', unitId);
    for (const [k, v] of Object.entries(changes)) q.set(k, v);
    const s = q.toString();
    return `${REPORTS_PATH}${page ? `/${page}` : ''}${s ? `?${s}` : ''}`;
  };
  const setUnit = (id: string) => navigate(href(sub, { unit: id }));
  const setPeriod = (p: string) => navigate(href(sub, { period: p }), { replace: true });

  let body = null;
  if (unitId) {
    switch (sub) {
      case '':
        body = <DashboardView unitId={unitId} period={period} units={unitMap} onUnit={setUnit} live={live} />;
        break;
      case 'items':
        body = <ItemsPage unitId={unitId} period={period} forms={forms.data ?? []} version={live.version} />;
        break;
      case 'satisfaction':
        body = <SatisfactionPage unitId={unitId} period={period} forms={forms.data ?? []} version={live.version} />;
        break;
      case 'targets':
        body = <TargetsPage units={units.data ?? []} unitId={unitId} period={period} isGlobalAdmin={isGlobalAdmin} isAdmin={isAdmin} />;
        break;
      case 'exports':
        body = <ExportsPage unitId={unitId} period={period} forms={forms.data ?? []} />;
        break;
      case 'work-report':
        body = <WorkReportPage unitId={unitId} year={period.slice(0, 4)} years={years} onYear={(y) => setPeriod(y)} />;
        break;
      default:
        body = <p className="cw-error">404</p>;
    }
  }

  return (
    <div className="rp" data-testid="reports-page">
      <nav className="rp-tabs rp-noprint" aria-label={t('title')}>
        {SUBPAGES.map(([page, label]) => (
          <Link key={page} to={href(page)} aria-current={sub === page ? 'page' : undefined} data-testid={`tab-${page || 'dashboard'}`}>{t(label)}</Link>
        ))}
      </nav>
      <LoadState state={units}>
        <div className="cwc-filters rp-noprint">
          {units.data && unitId ? <UnitSelect units={units.data} value={unitId} onChange={setUnit} label={t('orgUnit')} testId="unit-select" /> : null}
          {sub !== 'work-report' ? <PeriodPicker period={period} onChange={setPeriod} years={years} /> : null}
        </div>
        {body}
      </LoadState>
    </div>
  );
}
