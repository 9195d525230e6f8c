/**
 * ECharts options for the report charts, built as plain data (pure, unit-testable; the runtime
 * lives in EChart.tsx). Rates are plotted in percent, labels in the UI language.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { DimensionRow, IndicatorCard, ItemRow } from '../../../../common/api/reports';
import { periodLabel } from './periods';
import { reportsText, type ReportsLang } from './strings';

/** Chinese system fonts first, as in the rest of the UI; 13 px is legible on a tablet and on paper. */
const TEXT = { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', fontSize: 13 };

const pct = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10);

/** Colours for the rating bars, from very satisfied (dark green) to very dissatisfied (dark red). */
export const RATING_COLOURS: Record<1 | 2 | 3 | 4 | 5, string> = { 5: '#0b5d1e', 4: '#5aa469', 3: '#c9c9c9', 2: '#e08a3c', 1: '#a10000' };

/** Trend over periods: the rate, its 95% interval as dashed lines, the target as a marked line. */
export function trendOption(card: IndicatorCard, lang: ReportsLang, animation = true): EChartsCoreOption {
  const t = (k: Parameters<typeof reportsText>[1]) => reportsText(lang, k);
  const periods = card.trend.map((p) => periodLabel(p.period, lang));
  const score = card.unit === 'score';
  const data = card.trend.map((p) => (score ? p.estimate : pct(p.estimate)));
  return {
    animation,
    textStyle: TEXT,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? (score ? v.toFixed(1) : `${v.toFixed(1)}%`) : '—') },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: periods },
    yAxis: score ? { type: 'value' } : { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: t('trendRate'), type: 'line', data, connectNulls: false, symbolSize: 8, lineStyle: { width: 3 },
        ...(card.target && !score ? { markLine: { symbol: 'none', label: { position: 'insideEndTop', formatter: `${t('trendTarget')} {c}%` }, lineStyle: { type: 'solid', color: '#a10000' }, data: [{ yAxis: pct(card.target.value) }] } } : {}),
      },
      ...(score ? [] : [
        { name: t('trendLower'), type: 'line', data: card.trend.map((p) => pct(p.lower)), lineStyle: { type: 'dashed', width: 1 }, symbol: 'none' },
        { name: t('trendUpper'), type: 'line', data: card.trend.map((p) => pct(p.upper)), lineStyle: { type: 'dashed', width: 1 }, symbol: 'none' },
      ]),
    ],
  };
}

/** Share correct per question, horizontal bars in questionnaire order (top to bottom). */
export function itemsOption(items: readonly ItemRow[], lang: ReportsLang, animation = true): EChartsCoreOption {
  const rows = [...items].reverse(); // category axes draw bottom-up
  const short = (s: string) => (s.length > 18 ? `${s.slice(0, 17)}…` : s);
  return {
    animation,
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((i) => short(i.title)) },
    series: [{
      name: reportsText(lang, 'colShare'), type: 'bar', data: rows.map((i) => pct(i.rate)),
      label: { show: true, position: 'right', formatter: '{c}%' },
      itemStyle: { color: '#0b5d1e' },
    }],
  };
}

export function dimensionLabel(dim: string, lang: ReportsLang): string {
  const key = `dim_${dim}` as Parameters<typeof reportsText>[1];
  const text = reportsText(lang, key);
  return text === key ? dim : text;
}

/** Rating distribution per dimension: 100% stacked bars, 非常满意 … 非常不满意. */
export function satisfactionOption(dims: readonly DimensionRow[], lang: ReportsLang, animation = true): EChartsCoreOption {
  const ratings = [5, 4, 3, 2, 1] as const;
  const names = dims.map((d) => dimensionLabel(d.dimension, lang));
  return {
    animation,
    textStyle: TEXT,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: names },
    series: ratings.map((r) => ({
      name: reportsText(lang, `rating${r}`),
      type: 'bar',
      stack: 'ratings',
      itemStyle: { color: RATING_COLOURS[r] },
      data: dims.map((d) => (d.valid > 0 ? Math.round((d.distribution[r] / d.valid) * 1000) / 10 : 0)),
    })),
  };
}
