import { itemsOption, satisfactionOption, trendOption } from '../../../client/src/features/reports/chart-options';
import { card, cell, T98 } from './fixtures';

type Series = { name: string; data: (number | null)[]; markLine?: { data: { yAxis: number }[] }; stack?: string };

describe('chart options', () => {
  it('trend: percent values, interval lines and the target as a marked line, zh-CN labels', () => {
    const c = card({ cell: cell(12, 12, T98), trend: [
      { period: '2025', numerator: 0, denominator: 0, estimate: null, lower: null, upper: null },
      { period: '2026', numerator: 12, denominator: 12, estimate: 1, lower: 0.7354, upper: 1 },
    ] });
    const o = trendOption(c, 'zh') as { xAxis: { data: string[] }; series: Series[] };
    expect(o.xAxis.data).toEqual(['2025年', '2026年']);
    expect(o.series.map((s) => s.name)).toEqual(['比率', '95%下限', '95%上限']);
    expect(o.series[0]!.data).toEqual([null, 100]);
    expect(o.series[1]!.data).toEqual([null, 73.5]);
    expect(o.series[0]!.markLine!.data[0]!.yAxis).toBe(98);
  });

  it('items: bars in questionnaire order from the top', () => {
    const mk = (name: string, rate: number | null) => ({ name, title: `题${name}`, correct: 0, incorrect: 0, dontKnow: 0, skipped: 0, notApplicable: 0, included: 10, rate, lower: null, upper: null, text: '' });
    const o = itemsOption([mk('a', 0.9), mk('b', 0.456)], 'zh') as { yAxis: { data: string[] }; series: Series[] };
    expect(o.yAxis.data).toEqual(['题b', '题a']);
    expect(o.series[0]!.data).toEqual([45.6, 90]);
  });

  it('satisfaction: 100% stacked bars per dimension, very satisfied first', () => {
    const o = satisfactionOption([
      { dimension: 'attitude', distribution: { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4 }, dontKnow: 0, notApplicable: 0, skipped: 0, invalid: 0, valid: 10, topBox: 0.6, topBoxText: '60.0%', mean: 3.7 },
      { dimension: 'custom_dim', distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, dontKnow: 0, notApplicable: 0, skipped: 0, invalid: 0, valid: 0, topBox: null, topBoxText: '—', mean: null },
    ], 'zh') as { yAxis: { data: string[] }; series: Series[] };
    expect(o.yAxis.data).toEqual(['服务态度', 'custom_dim']);
    expect(o.series.map((s) => s.name)).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意']);
    expect(o.series.every((s) => s.stack === 'ratings')).toBe(true);
    expect(o.series.reduce((a, s) => a + (s.data[0] ?? 0), 0)).toBeCloseTo(100, 9);
    expect(o.series.map((s) => s.data[1])).toEqual([0, 0, 0, 0, 0]);
  });
});
