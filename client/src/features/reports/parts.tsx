/** Small building blocks of the report screens: async loading, status badges, period picker, breadcrumb. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { describeError } from '../../api/staff';
import type { OrgUnitDto } from '../../../../common/api/reports';
import { pickText } from '../../i18n';
import { composePeriod, convertPeriod, periodLabel, periodParts, periodsOfYear, PICKER_TYPES, shiftPeriod, type PeriodType } from './periods';
import { statusView } from './status';
import { reportsStrings, type ReportsLang } from './strings';

export interface Async<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `deps` change; keeps the previous data while reloading (live updates do not
 * flash), drops answers that arrive after a newer request started.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[], lang: ReportsLang): Async<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    load().then(
      (d) => { if (mine === seq.current) { setData(d); setError(null); setLoading(false); } },
      (e: unknown) => { if (mine === seq.current) { setError(describeError(e, lang)); setLoading(false); } },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what the load depends on
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function LoadState({ state, children }: { state: Async<unknown>; children: ReactNode }) {
  const { t } = reportsStrings.useStrings();
  if (state.error && !state.data) {
    return (
      <div className="rp-error" role="alert">
        <p className="cw-error">{t('error', { message: state.error })}</p>
        <button type="button" className="cw-btn cw-btn--secondary" onClick={state.reload}>{t('retry')}</button>
      </div>
    );
  }
  if (!state.data) return <p role="status">{t('loading')}</p>;
  return <>{children}</>;
}

/** A status as colour AND icon AND text. */
export function StatusBadge({ status, testId, prefix }: { status: string; testId?: string; prefix?: string }) {
  const { t } = reportsStrings.useStrings();
  const v = statusView(status);
  return (
    <span className={v.className} data-status={v.key} data-testid={testId}>
      <span className="rp-st-icon" aria-hidden="true">{v.icon}</span>
      {prefix ? <span className="rp-st-prefix">{prefix}:</span> : null}
      {t(v.labelKey)}
    </span>
  );
}

export function PeriodPicker({ period, onChange, years }: { period: string; onChange: (p: string) => void; years: readonly number[] }) {
  const { t, lang } = reportsStrings.useStrings();
  const parts = periodParts(period) ?? { type: 'year' as PeriodType, year: years[years.length - 1] ?? 2026, index: 1 };
  const yearList = years.includes(parts.year) ? years : [...years, parts.year].sort();
  return (
    <div className="rp-period" data-testid="period-picker">
      <label className="cw-field">
        <span>{t('periodType')}</span>
        <select value={parts.type} onChange={(e) => onChange(convertPeriod(period, e.target.value as PeriodType))} data-testid="period-type">
          {PICKER_TYPES.map((ty) => <option key={ty} value={ty}>{t(`periodType_${ty}`)}</option>)}
        </select>
      </label>
      <label className="cw-field">
        <span>{t('periodYear')}</span>
        <select value={parts.year} onChange={(e) => onChange(composePeriod(parts.type, Number(e.target.value), parts.index))} data-testid="period-year">
          {yearList.map((y) => <option key={y} value={y}>{y}</option>)}
        </select>
      </label>
      {parts.type !== 'year' ? (
        <label className="cw-field">
          <span>{t('periodWhich')}</span>
          <select value={period} onChange={(e) => onChange(e.target.value)} data-testid="period-which">
            {periodsOfYear(parts.type, parts.year).map((p) => <option key={p} value={p}>{periodLabel(p, lang)}</option>)}
          </select>
        </label>
      ) : null}
      <div className="rp-period-steps">
        <button type="button" className="cw-btn cw-btn--secondary" onClick={() => onChange(shiftPeriod(period, -1))} aria-label={t('periodPrev')} data-testid="period-prev">‹</button>
        <strong data-testid="period-label">{periodLabel(period, lang)}</strong>
        <button type="button" className="cw-btn cw-btn--secondary" onClick={() => onChange(shiftPeriod(period, 1))} aria-label={t('periodNext')} data-testid="period-next">›</button>
      </div>
    </div>
  );
}

/** county › township › village: each ancestor is a button back up. */
export function Breadcrumb({ path, units, current, onGo }: { path: string; units: ReadonlyMap<string, OrgUnitDto>; current: { id: string; name: { zh: string; en?: string | undefined } }; onGo: (id: string) => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const ids = path.split('/').filter(Boolean);
  const ancestors = ids.slice(0, -1).map((id) => units.get(id)).filter((u): u is OrgUnitDto => !!u);
  return (
    <nav className="rp-breadcrumb" aria-label={t('breadcrumb')} data-testid="breadcrumb">
      <ol>
        {ancestors.map((u) => (
          <li key={u.id}>
            <button type="button" className="rp-linkbtn" onClick={() => onGo(u.id)} data-testid={`crumb-${u.code}`}>{pickText(u.name, lang)}</button>
            <span aria-hidden="true"> › </span>
          </li>
        ))}
        <li aria-current="page"><strong>{pickText(current.name, lang)}</strong></li>
      </ol>
    </nav>
  );
}

/** The org-unit chooser (indented by depth). */
export function UnitSelect({ units, value, onChange, testId, label }: { units: readonly OrgUnitDto[]; value: string; onChange: (id: string) => void; testId?: string; label: string }) {
  const { lang } = reportsStrings.useStrings();
  const depth = (u: OrgUnitDto) => Math.max(0, u.path.split('/').filter(Boolean).length - 1);
  const sorted = [...units].sort((a, b) => a.path.localeCompare(b.path));
  return (
    <label className="cw-field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {sorted.map((u) => <option key={u.id} value={u.id}>{`${'\u3000'.repeat(depth(u))}${pickText(u.name, lang)}`}</option>)}
      </select>
    </label>
  );
}
