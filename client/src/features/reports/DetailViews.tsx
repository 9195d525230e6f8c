/**
 * Per-question view of a knowledge form (share correct per item: which messages did not get
 * through), the satisfaction view (rating distribution per dimension, suggestions) and the
 * export links. Each refetches when the report version changes.
 */
import { useMemo, useState } from 'react';
import type { FormSummary, ItemsView, SatisfactionView } from '../../../../common/api/reports';
import { pickText } from '../../i18n';
import { exportUrls, reportsApi } from '../../api/reports';
import { dimensionLabel, itemsOption, satisfactionOption } from './chart-options';
import { EChart } from './EChart';
import { LoadState, useAsync } from './parts';
import { reportsStrings } from './strings';

function FormSelect({ forms, kind, value, onChange, testId }: { forms: readonly FormSummary[]; kind: string; value: string; onChange: (slug: string) => void; testId: string }) {
  const { t, lang } = reportsStrings.useStrings();
  const list = forms.filter((f) => f.kind === kind && f.latestVersion !== null);
  if (list.length <= 1) return null;
  return (
    <label className="cw-field">
      <span>{t('itemsForm')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {list.map((f) => <option key={f.id} value={f.slug}>{pickText(f.title, lang)}</option>)}
      </select>
    </label>
  );
}

/** The three lowest shares (with at least 5 counted answers) are marked as weak messages. */
export function weakItemNames(items: ItemsView['items'], count = 3, minCell = 5): Set<string> {
  return new Set([...items].filter((i) => i.rate !== null && i.included >= minCell).sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0)).slice(0, count).map((i) => i.name));
}

export function ItemsPanel({ data }: { data: ItemsView }) {
  const { t, lang } = reportsStrings.useStrings();
  const option = useMemo(() => itemsOption(data.items, lang), [data.items, lang]);
  const weak = weakItemNames(data.items);
  if (data.items.length === 0) return <p className="cw-note" data-testid="items-empty">{t('itemsNone')}</p>;
  return (
    <div data-testid="items-view">
      <p><strong>{pickText(data.form.title, lang)}</strong> · {t('itemsMean', { rate: data.meanItemRateText })}</p>
      <p className="cw-note">{t('weakHint')}</p>
      <EChart option={option} height={Math.max(200, data.items.length * 32 + 40)} label={t('itemsTitle')} testId="items-chart" lang={lang} />
      <table className="cwc-table" data-testid="items-table">
        <thead>
          <tr>
            <th scope="col">{t('colItem')}</th><th scope="col">{t('colShare')}</th><th scope="col">{t('colCorrect')}</th><th scope="col">{t('colIncorrect')}</th>
            <th scope="col">{t('colDontKnow')}</th><th scope="col">{t('colSkipped')}</th><th scope="col">{t('colIncluded')}</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((i) => (
            <tr key={i.name} data-testid={`item-${i.name}`} className={weak.has(i.name) ? 'rp-row--weak' : undefined}>
              <th scope="row">{weak.has(i.name) ? <span className="rp-weak" aria-hidden="true">▼ </span> : null}{i.title}</th>
              <td>{i.text}</td><td>{i.correct}</td><td>{i.incorrect}</td><td>{i.dontKnow}</td><td>{i.skipped}</td><td>{i.included}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ItemsPage({ unitId, period, forms, version }: { unitId: string; period: string; forms: readonly FormSummary[]; version: number | null }) {
  const { t, lang } = reportsStrings.useStrings();
  const [form, setForm] = useState('');
  const state = useAsync(() => reportsApi.items(unitId, period, form || undefined), [unitId, period, form, version], lang);
  return (
    <section>
      <h2>{t('itemsTitle')}</h2>
      <FormSelect forms={forms} kind="knowledge" value={form || (state.data?.form.slug ?? '')} onChange={setForm} testId="items-form" />
      <LoadState state={state}>{state.data ? <ItemsPanel data={state.data} /> : null}</LoadState>
    </section>
  );
}

export function SatisfactionPanel({ data }: { data: SatisfactionView }) {
  const { t, lang } = reportsStrings.useStrings();
  const option = useMemo(() => satisfactionOption(data.dimensions, lang), [data.dimensions, lang]);
  return (
    <div data-testid="satisfaction-view">
      {data.dimensions.length === 0 ? <p className="cw-note">{t('satNone')}</p> : (
        <>
          <EChart option={option} height={Math.max(220, data.dimensions.length * 44 + 60)} label={t('satTitle')} testId="satisfaction-chart" lang={lang} />
          <table className="cwc-table" data-testid="satisfaction-table">
            <thead>
              <tr>
                <th scope="col">{t('satDimension')}</th>
                {([5, 4, 3, 2, 1] as const).map((r) => <th scope="col" key={r}>{t(`rating${r}`)}</th>)}
                <th scope="col">{t('satTopBox')}</th>
              </tr>
            </thead>
            <tbody>
              {data.dimensions.map((d) => (
                <tr key={d.dimension} data-testid={`dim-${d.dimension}`}>
                  <th scope="row">{dimensionLabel(d.dimension, lang)}</th>
                  {([5, 4, 3, 2, 1] as const).map((r) => <td key={r}>{d.distribution[r]}</td>)}
                  <td>{d.topBoxText}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{t('satSuggestions')}</h3>
      {data.suggestions.length === 0 ? <p className="cw-note">{t('satNoSuggestions')}</p> : (
        <ul className="cw-list rp-suggestions" data-testid="suggestions">
          {data.suggestions.map((s) => <li key={s.id}>{s.text}<small className="cw-note"> — {s.completedAt.slice(0, 10)}</small></li>)}
        </ul>
      )}
    </div>
  );
}

export function SatisfactionPage({ unitId, period, forms, version }: { unitId: string; period: string; forms: readonly FormSummary[]; version: number | null }) {
  const { t, lang } = reportsStrings.useStrings();
  const [form, setForm] = useState('');
  const state = useAsync(() => reportsApi.satisfaction(unitId, period, form || undefined), [unitId, period, form, version], lang);
  return (
    <section>
      <h2>{t('satTitle')}</h2>
      <FormSelect forms={forms} kind="satisfaction" value={form || (state.data?.form.slug ?? '')} onChange={setForm} testId="satisfaction-form" />
      <LoadState state={state}>{state.data ? <SatisfactionPanel data={state.data} /> : null}</LoadState>
    </section>
  );
}

export function ExportsPage({ unitId, period, forms }: { unitId: string; period: string; forms: readonly FormSummary[] }) {
  const { t, lang } = reportsStrings.useStrings();
  const published = forms.filter((f) => f.latestVersion !== null);
  const census = published.filter((f) => f.kind === 'census');
  const [form, setForm] = useState('');
  const chosen = form || published.find((f) => f.kind !== 'census')?.slug || published[0]?.slug || '';
  const [censusForm, setCensusForm] = useState('');
  const chosenCensus = censusForm || census[0]?.slug || '';
  const both = (href: (f: 'csv' | 'xlsx') => string, testId: string) => (
    <span className="cw-row">
      <a className="cw-btn cw-btn--secondary" href={href('csv')} download data-testid={`${testId}-csv`}>CSV</a>
      <a className="cw-btn cw-btn--secondary" href={href('xlsx')} download data-testid={`${testId}-xlsx`}>XLSX</a>
    </span>
  );
  return (
    <section data-testid="exports">
      <h2>{t('exportsTitle')}</h2>
      <p className="cw-note">{t('exportNote')}</p>
      <div className="cwc-card">
        <h3>{t('exportIndicators')}</h3>
        {both((f) => exportUrls.indicators(unitId, period, f), 'export-indicators')}
      </div>
      <div className="cwc-card">
        <h3>{t('exportSubmissions')}</h3>
        {published.length > 0 ? (
          <>
            <label className="cw-field">
              <span>{t('exportForm')}</span>
              <select value={chosen} onChange={(e) => setForm(e.target.value)} data-testid="export-form">
                {published.map((f) => <option key={f.id} value={f.slug}>{pickText(f.title, lang)}</option>)}
              </select>
            </label>
            {both((f) => exportUrls.submissions(chosen, unitId, period, f), 'export-submissions')}
          </>
        ) : <p className="cw-note">—</p>}
      </div>
      <div className="cwc-card">
        <h3>{t('exportCensus')}</h3>
        {census.length > 1 ? (
          <label className="cw-field">
            <span>{t('exportForm')}</span>
            <select value={chosenCensus} onChange={(e) => setCensusForm(e.target.value)}>
              {census.map((f) => <option key={f.id} value={f.slug}>{pickText(f.title, lang)}</option>)}
            </select>
          </label>
        ) : null}
        {(['households', 'members', 'joined'] as const).map((layout) => (
          <div key={layout} className="cw-row">
            <strong>{t(`census_${layout}`)}</strong>
            {both((f) => exportUrls.census(layout, unitId, f, chosenCensus || undefined), `export-census-${layout}`)}
          </div>
        ))}
      </div>
    </section>
  );
}
