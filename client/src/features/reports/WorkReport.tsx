/**
 * The printable work report (工作报告) of an org unit and year: the zh-CN narrative generated
 * from the numbers (narrative.ts), the indicator table, child units, weak questions,
 * satisfaction and work plan, with charts. Published tables suppress small cells (< 5). The
 * print stylesheet (reports.css, `@media print`) gives a clean A4 document without navigation.
 * The report is a zh-CN document whatever the UI language; only the toolbar follows the UI.
 */
import { useMemo } from 'react';
import { ApiError } from '../../api/staff';
import { reportsApi } from '../../api/reports';
import type { Dashboard, IndicatorCard, ItemsView, SatisfactionView } from '../../../../common/api/reports';
import { DEFAULT_MIN_CELL, formatRate } from '../../../../common/stats';
import { dimensionLabel, trendOption } from './chart-options';
import { EChart } from './EChart';
import { publishedRate, publishable, workReportNarrative } from './narrative';
import { LoadState, useAsync } from './parts';
import { headlineOf, statusView, targetText } from './status';
import { reportsStrings, reportsZh } from './strings';
import { fill } from '../../i18n/define';

export interface WorkReportData {
  dashboard: Dashboard;
  items: ItemsView | null;
  satisfaction: SatisfactionView | null;
}

/** Loads the year's dashboard and, when the forms exist, the item and satisfaction views. */
export async function loadWorkReport(unitId: string, year: string): Promise<WorkReportData> {
  const optional = <T,>(p: Promise<T>): Promise<T | null> => p.catch((e: unknown) => {
    if (e instanceof ApiError && (e.code === 'FORM_NOT_FOUND' || e.status === 404)) return null;
    throw e;
  });
  const [dashboard, items, satisfaction] = await Promise.all([
    reportsApi.dashboard(unitId, year), optional(reportsApi.items(unitId, year)), optional(reportsApi.satisfaction(unitId, year)),
  ]);
  return { dashboard, items, satisfaction };
}

const z = reportsZh;
const statusZh = (s: string) => z[statusView(s).labelKey];

function Status({ status }: { status: string }) {
  const v = statusView(status);
  return <span className={v.className} data-status={v.key}><span className="rp-st-icon" aria-hidden="true">{v.icon}</span>{z[v.labelKey]}</span>;
}

function IndicatorTable({ cards }: { cards: IndicatorCard[] }) {
  return (
    <table className="rp-ptable" data-testid="wr-indicators">
      <thead>
        <tr><th>指标</th><th>调查人数</th><th>有效样本</th><th>剔除</th><th>比率</th><th>95%置信区间</th><th>目标</th><th>按点估计</th><th>统计判定</th><th>估计方法</th></tr>
      </thead>
      <tbody>
        {cards.map((c) => {
          const h = headlineOf(c);
          const ok = c.unit === 'score' ? c.cell.denominator >= DEFAULT_MIN_CELL : publishable(c.cell.numerator, c.cell.denominator);
          const rate = c.cell.denominator <= 0 ? '—' : ok ? h.text : z.suppressed;
          return (
            <tr key={c.id} data-testid={`wr-ind-${c.id}`}>
              <th scope="row">{c.name.zh}</th>
              <td>{c.cell.responses}</td>
              <td>{c.cell.denominator}</td>
              <td>{c.cell.excludedTotal}</td>
              <td>{rate}</td>
              <td>{ok && h.lower !== null && h.upper !== null ? `${formatRate(h.lower, c.displayDecimals)}–${formatRate(h.upper, c.displayDecimals)}` : '—'}</td>
              <td>{c.target ? targetText(c.target) : '—'}</td>
              <td>{ok && c.unit === 'rate' ? <Status status={h.official} /> : '—'}</td>
              <td>{ok && c.unit === 'rate' ? <Status status={h.statistical} /> : '—'}</td>
              <td>{h.method === 'post-stratified' ? '事后分层(人口加权)' : h.method === 'pooled' ? '合并样本(未加权)' : '直接计算'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ChildrenTable({ card }: { card: IndicatorCard }) {
  if (card.children.length === 0 || card.unit === 'score') return null;
  return (
    <>
      <h3>{card.name.zh}</h3>
      <table className="rp-ptable" data-testid={`wr-children-${card.id}`}>
        <thead><tr><th>单位</th><th>有效样本</th><th>比率</th><th>95%置信区间</th><th>按点估计</th><th>统计判定</th></tr></thead>
        <tbody>
          {card.children.map((r) => {
            const ok = publishable(r.cell.numerator, r.cell.denominator);
            return (
              <tr key={r.orgUnit.id} data-testid={`wr-child-${r.orgUnit.code}`}>
                <th scope="row">{r.orgUnit.name.zh}</th>
                <td>{r.cell.denominator}</td>
                <td>{publishedRate(r.cell.numerator, r.cell.denominator, r.cell.estimate, card.displayDecimals)}</td>
                <td>{ok && r.cell.lower !== null && r.cell.upper !== null ? `${formatRate(r.cell.lower, card.displayDecimals)}–${formatRate(r.cell.upper, card.displayDecimals)}` : '—'}</td>
                <td>{ok ? <Status status={r.cell.official} /> : r.cell.denominator > 0 ? z.suppressed : <Status status="no_data" />}</td>
                <td>{ok ? <Status status={r.cell.statistical} /> : r.cell.denominator > 0 ? <Status status="inconclusive" /> : <Status status="no_data" />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function WorkReportDocument({ data, generatedAt }: { data: WorkReportData; generatedAt: Date }) {
  const d = data.dashboard;
  const year = d.period.id.slice(0, 4);
  const narrative = useMemo(() => workReportNarrative({ dashboard: d, items: data.items, satisfaction: data.satisfaction }), [d, data.items, data.satisfaction]);
  const rateCards = d.indicators.filter((c) => c.unit === 'rate');
  const trendOptions = useMemo(() => rateCards.map((c) => ({ id: c.id, name: c.name.zh, option: trendOption(c, 'zh', false) })), [rateCards]);
  const stamp = `${generatedAt.getFullYear()}年${generatedAt.getMonth() + 1}月${generatedAt.getDate()}日`;
  return (
    <article className="rp-paper" lang="zh-CN" data-testid="work-report">
      <h1 className="rp-doc-title" data-testid="wr-title">{fill(z.workReportTitle, { unit: d.orgUnit.name.zh, year })}</h1>
      <p className="rp-doc-meta">统计期间:{year}年1月1日至12月31日(北京时间) · {fill(z.workReportGenerated, { time: stamp })}</p>

      <section className="rp-sec">
        <h2>{z.workReportSummary}</h2>
        <div data-testid="wr-narrative">
          {narrative.summary.map((p, i) => <p key={`s${i}`}>{p}</p>)}
          {narrative.indicators.map((p, i) => <p key={`i${i}`}>{p}</p>)}
        </div>
      </section>

      <section className="rp-sec">
        <h2>{z.workReportIndicators}</h2>
        <IndicatorTable cards={d.indicators} />
        {trendOptions.map((t) => (
          <figure key={t.id} className="rp-figure">
            <EChart option={t.option} height={220} label={`${t.name}趋势`} lang="zh" testId={`wr-trend-${t.id}`} />
            <figcaption>图:{t.name}近年趋势(虚线为95%置信区间)</figcaption>
          </figure>
        ))}
      </section>

      {narrative.children.length > 0 ? (
        <section className="rp-sec rp-pagebreak">
          <h2>{z.workReportChildren}</h2>
          {narrative.children.map((p, i) => <p key={i}>{p}</p>)}
          {d.indicators.map((c) => <ChildrenTable key={c.id} card={c} />)}
        </section>
      ) : null}

      {data.items && data.items.items.length > 0 ? (
        <section className="rp-sec">
          <h2>{z.workReportItems}</h2>
          {narrative.items.map((p, i) => <p key={i}>{p}</p>)}
          <table className="rp-ptable" data-testid="wr-items">
            <thead><tr><th>题目</th><th>计入人数</th><th>答对率</th></tr></thead>
            <tbody>
              {data.items.items.map((i) => (
                <tr key={i.name}><th scope="row">{i.title}</th><td>{i.included}</td><td>{publishedRate(i.correct, i.included, i.rate, 1)}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {data.satisfaction && (data.satisfaction.dimensions.length > 0 || data.satisfaction.suggestions.length > 0) ? (
        <section className="rp-sec">
          <h2>{z.workReportSatisfaction}</h2>
          {narrative.satisfaction.map((p, i) => <p key={i}>{p}</p>)}
          {data.satisfaction.dimensions.length > 0 ? (
            <table className="rp-ptable" data-testid="wr-satisfaction">
              <thead><tr><th>维度</th><th>有效评价</th><th>满意率(满意+非常满意)</th></tr></thead>
              <tbody>
                {data.satisfaction.dimensions.map((x) => (
                  <tr key={x.dimension}><th scope="row">{dimensionLabel(x.dimension, 'zh')}</th><td>{x.valid}</td><td>{x.valid >= DEFAULT_MIN_CELL ? formatRate(x.topBox, 1) : z.suppressed}</td></tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {data.satisfaction.suggestions.length > 0 ? (
            <>
              <h3>{z.satSuggestions}</h3>
              <ol className="rp-suggestions">{data.satisfaction.suggestions.slice(0, 30).map((s) => <li key={s.id}>{s.text}</li>)}</ol>
            </>
          ) : null}
        </section>
      ) : null}

      <section className="rp-sec">
        <h2>{z.workReportWorkPlan}</h2>
        {narrative.workPlan.length > 0 ? narrative.workPlan.map((p, i) => <p key={i}>{p}</p>) : <p>{z.workPlanNone}</p>}
        {d.workPlan.length > 0 ? (
          <table className="rp-ptable" data-testid="wr-workplan">
            <thead><tr><th>工作指标</th><th>完成情况</th><th>目标</th><th>完成评价</th></tr></thead>
            <tbody>
              {d.workPlan.map((w) => (
                <tr key={w.key}><th scope="row">{w.name.zh}</th><td>{w.text}</td><td>{w.target ? (w.denominator ? targetText(w.target) : `${w.target.op.replace('>=', '≥').replace('<=', '≤')}${w.target.value}`) : '—'}</td><td>{statusZh(w.official)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section className="rp-sec rp-notes">
        <h2>{z.workReportNotes}</h2>
        <p>{z.workReportNoteStats}</p>
        <p>{z.workReportNoteSuppress.replace(/\{min\}/g, String(DEFAULT_MIN_CELL))}</p>
      </section>
    </article>
  );
}

export function WorkReportPage({ unitId, year, years, onYear }: { unitId: string; year: string; years: readonly number[]; onYear: (y: string) => void }) {
  const { t, lang } = reportsStrings.useStrings();
  const state = useAsync(() => loadWorkReport(unitId, year), [unitId, year], lang);
  const generatedAt = useMemo(() => new Date(), []);
  return (
    <section className="rp-workreport">
      <div className="cwc-filters rp-noprint">
        <label className="cw-field">
          <span>{t('periodYear')}</span>
          <select value={year} onChange={(e) => onYear(e.target.value)} data-testid="wr-year">
            {[...new Set([...years, Number(year)])].sort().map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </label>
        <button type="button" className="cw-btn" onClick={() => window.print()} data-testid="wr-print">{t('workReportPrint')}</button>
      </div>
      <LoadState state={state}>{state.data ? <WorkReportDocument data={state.data} generatedAt={generatedAt} /> : null}</LoadState>
    </section>
  );
}
