/**
 * The dashboard of one org unit and period: a card per indicator (rate, 95% interval, target,
 * both statuses, n and exclusions, post-stratified or pooled), the child units sortable by rate
 * or lower bound (click a row to drill down), a trend chart and the work plan. Refetches when
 * the server's report version changes (SSE, else polling).
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { ChildRow, Dashboard, IndicatorCard, OrgUnitDto } from '../../../../common/api/reports';
import { POPULATION_BASIS_LABELS } from '../../../../common/scoring/indicator';
import { pickText } from '../../i18n';
import { reportsApi } from '../../api/reports';
import { trendOption } from './chart-options';
import { EChart } from './EChart';
import type { LiveState } from './live';
import { Breadcrumb, LoadState, StatusBadge, useAsync } from './parts';
import { periodLabel } from './periods';
import { headlineOf, sortChildren, statusView, targetText, type SortDir, type SortKey } from './status';
import { reportsStrings } from './strings';

export interface DashboardProps {
  unitId: string;
  period: string;
  units: ReadonlyMap<string, OrgUnitDto>;
  onUnit: (id: string) => void;
  /** injected in tests */
  load?: (unit: string, period: string) => Promise<Dashboard>;
  /** the report version (SSE / polling, one subscription for the whole page) and its state */
  live: { version: number | null; state: LiveState };
}

/** The census population that weighted the villages, in words (the id itself when unknown). */
export function basisLabel(basis: string | undefined, lang: 'zh' | 'en'): string {
  const b = (basis ?? 'all') as keyof typeof POPULATION_BASIS_LABELS;
  return b in POPULATION_BASIS_LABELS ? pickText(POPULATION_BASIS_LABELS[b], lang) : String(basis);
}

function LiveBadge({ state }: { state: LiveState }) {
  const { t } = reportsStrings.useStrings();
  const on = state === 'live' || state === 'polling';
  return <span className={`rp-live ${on ? 'rp-live--on' : 'rp-live--off'} rp-noprint`} data-testid="live-state" data-state={state}>{on ? `● ${t('live')}` : `○ ${t('liveOffline')}`}</span>;
}

export function IndicatorCardView({ card, selected, onSelect }: { card: IndicatorCard; selected: boolean; onSelect: () => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const h = headlineOf(card);
  const c = card.cell;
  const score = card.unit === 'score';
  return (
    <article className={`rp-card${selected ? ' rp-card--selected' : ''} rp-card--${statusView(h.statistical).key}`} data-testid={`card-${card.id}`} aria-labelledby={`card-title-${card.id}`}>
      <h3 id={`card-title-${card.id}`}>{pickText(card.name, lang)}</h3>
      <div className="rp-card-rate">
        <b data-testid={`card-rate-${card.id}`}>{h.text}</b>
        {h.intervalText ? <span className="rp-card-ci" data-testid={`card-ci-${card.id}`}>{t('interval95')} {h.intervalText}</span> : null}
      </div>
      <p className="rp-card-target" data-testid={`card-target-${card.id}`}>
        {card.target ? `${t('target')} ${targetText(card.target)}` : score ? t('meanScore') : t('noTarget')}
      </p>
      {!score ? (
        <div className="rp-card-status">
          <StatusBadge status={h.official} prefix={t('officialStatus')} testId={`card-official-${card.id}`} />
          <StatusBadge status={h.statistical} prefix={t('statisticalStatus')} testId={`card-statistical-${card.id}`} />
        </div>
      ) : null}
      <p className="rp-card-counts" data-testid={`card-counts-${card.id}`}>
        <span>{t('countsLabel')} {Number.isInteger(c.numerator) ? c.numerator : c.numerator.toFixed(1)} / {c.denominator}</span>
        {' · '}<span>{t('responses', { r: c.responses })}</span>
        {' · '}<span>{c.excludedTotal > 0 ? t('excluded', { e: c.excludedTotal }) : t('excludedNone')}</span>
      </p>
      {c.excluded.length > 0 ? (
        <ul className="rp-card-excluded" data-testid={`card-excluded-${card.id}`}>
          {c.excluded.map((e) => <li key={e.reason}>{pickText(e.label, lang)}:{e.count}</li>)}
        </ul>
      ) : null}
      {h.method ? (
        <p className="rp-card-method" data-testid={`card-method-${card.id}`} data-method={h.method}>
          {t('methodLabel')}:{t(h.method === 'post-stratified' ? 'method_post' : 'method_pooled')}
          {h.note ? <small> — {pickText(h.note, lang)}</small> : null}
        </p>
      ) : null}
      {card.aggregate && card.aggregate.method !== 'none' ? (
        <p className="rp-card-basis" data-testid={`card-basis-${card.id}`} data-basis={card.aggregate.populationBasis ?? card.populationBasis ?? ''}>
          {t('basisUsed')}:{basisLabel(card.aggregate.populationBasis ?? card.populationBasis, lang)}
        </p>
      ) : null}
      <button type="button" className="cw-btn cw-btn--secondary rp-noprint" aria-pressed={selected} onClick={onSelect} data-testid={`card-select-${card.id}`}>
        {t('childrenTitle')} / {t('trendTitle')}
      </button>
    </article>
  );
}

export function ChildTable({ card, onDrill }: { card: IndicatorCard; onDrill: (id: string) => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const [key, setKey] = useState<SortKey>('rate');
  const [dir, setDir] = useState<SortDir>('desc');
  const rows = useMemo(() => sortChildren(card.children, key, dir), [card.children, key, dir]);
  if (card.children.length === 0) return <p className="cw-note" data-testid="children-empty">{t('noChildren')}</p>;
  const sortHeader = (k: SortKey, label: string) => (
    <th scope="col" aria-sort={key === k ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="rp-linkbtn" data-testid={`sort-${k}`} onClick={() => { if (key === k) setDir(dir === 'asc' ? 'desc' : 'asc'); else { setKey(k); setDir(k === 'name' ? 'asc' : 'desc'); } }}>
        {label}{key === k ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const onKey = (e: KeyboardEvent, r: ChildRow) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onDrill(r.orgUnit.id); }
  };
  return (
    <div className="rp-table-wrap">
      <p className="cw-note rp-noprint">{t('drillHint')}</p>
      <table className="cwc-table rp-children" data-testid="children-table">
        <thead>
          <tr>
            {sortHeader('name', t('colUnit'))}
            {sortHeader('rate', t('colRate'))}
            <th scope="col">{t('colInterval')}</th>
            {sortHeader('lower', t('colLower'))}
            <th scope="col">{t('colN')}</th>
            <th scope="col">{t('colOfficial')}</th>
            <th scope="col">{t('colStatistical')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const st = statusView(r.cell.statistical);
            return (
              <tr key={r.orgUnit.id} className={`cwc-row-link rp-row rp-row--${st.key}`} tabIndex={0} onClick={() => onDrill(r.orgUnit.id)} onKeyDown={(e) => onKey(e, r)}
                data-testid={`child-${r.orgUnit.code}`} data-status={st.key}>
                <th scope="row"><span className="rp-unit-link">{pickText(r.orgUnit.name, lang)}</span></th>
                <td data-testid={`child-rate-${r.orgUnit.code}`}>{r.cell.text}</td>
                <td>{r.cell.intervalText}</td>
                <td>{r.cell.lower === null ? '—' : `${(r.cell.lower * 100).toFixed(1)}%`}</td>
                <td>{r.cell.denominator}</td>
                <td><StatusBadge status={r.cell.official} /></td>
                <td><StatusBadge status={r.cell.statistical} testId={`child-status-${r.orgUnit.code}`} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function WorkPlanTable({ dashboard }: { dashboard: Dashboard }) {
  const { t, lang } = reportsStrings.useStrings();
  if (dashboard.workPlan.length === 0) return <p className="cw-note">{t('workPlanNone')}</p>;
  return (
    <table className="cwc-table" data-testid="work-plan-table">
      <thead><tr><th scope="col">{t('wpName')}</th><th scope="col">{t('wpValue')}</th><th scope="col">{t('target')}</th><th scope="col">{t('colOfficial')}</th></tr></thead>
      <tbody>
        {dashboard.workPlan.map((w) => (
          <tr key={w.key}>
            <th scope="row">{pickText(w.name, lang)}</th>
            <td>{w.text}</td>
            <td>{w.target ? (w.denominator ? targetText(w.target) : `${w.target.op.replace('>=', '≥').replace('<=', '≤')}${w.target.value}`) : t('noTarget')}</td>
            <td><StatusBadge status={w.official} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DashboardView({ unitId, period, units, onUnit, load, live: lv }: DashboardProps) {
  const { t, lang } = reportsStrings.useStrings();
  const fetcher = load ?? reportsApi.dashboard;
  const state = useAsync(() => fetcher(unitId, period), [unitId, period, lv.version], lang);
  const [selected, setSelected] = useState<string | null>(null);
  const d = state.data;
  const card = d ? (d.indicators.find((c) => c.id === selected) ?? d.indicators[0] ?? null) : null;
  const trend = useMemo(() => (card ? trendOption(card, lang) : null), [card, lang]);
  return (
    <LoadState state={state}>
      {d ? (
        <section className="rp-dashboard" data-testid="dashboard" data-version={d.version} data-unit={d.orgUnit.id}>
          <div className="rp-dash-head">
            <Breadcrumb path={d.orgUnit.path} units={units} current={d.orgUnit} onGo={onUnit} />
            <LiveBadge state={lv.state} />
          </div>
          <h2 data-testid="dashboard-title">{pickText(d.orgUnit.name, lang)} · {periodLabel(d.period.id, lang)}</h2>
          <div className="rp-cards">
            {d.indicators.map((c) => <IndicatorCardView key={c.id} card={c} selected={card?.id === c.id} onSelect={() => setSelected(c.id)} />)}
          </div>
          {card ? (
            <>
              <h3>{t('childrenTitle')} — {pickText(card.name, lang)}</h3>
              <ChildTable card={card} onDrill={onUnit} />
              <h3>{t('trendTitle')} — {pickText(card.name, lang)}</h3>
              {trend ? <EChart option={trend} height={280} label={`${t('trendTitle')} ${pickText(card.name, lang)}`} testId="trend-chart" lang={lang} /> : null}
            </>
          ) : null}
          <h3>{t('workPlanTitle')}</h3>
          <WorkPlanTable dashboard={d} />
        </section>
      ) : null}
    </LoadState>
  );
}
