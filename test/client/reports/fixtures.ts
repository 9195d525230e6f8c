/** Report replies shaped like the server's, built from counts with the real common/stats maths. */
import { summarizeRate, type Target } from '../../../common/stats';
import type { Cell, ChildRow, Dashboard, IndicatorCard } from '../../../common/api/reports';

export function cell(x: number, n: number, target: Target | null, opts: { responses?: number; excluded?: { reason: string; count: number; zh: string }[] } = {}): Cell {
  const excluded = (opts.excluded ?? []).map((e) => ({ reason: e.reason, count: e.count, label: { zh: e.zh } }));
  const excludedTotal = excluded.reduce((a, e) => a + e.count, 0);
  const s = summarizeRate({ numerator: x, denominator: n, excluded: excludedTotal, ...(target ? { target } : {}) });
  const official = s.status?.official ?? (n === 0 ? 'no_data' : 'no_target');
  const statistical = s.status?.statistical ?? (n === 0 ? 'no_data' : 'no_target');
  return {
    numerator: x, denominator: n, responses: opts.responses ?? n + excludedTotal, excluded, excludedTotal,
    estimate: s.estimate, lower: s.lower, upper: s.upper, method: s.method, text: s.text, intervalText: s.intervalText,
    official, statistical, statusLabel: null,
  };
}

export function child(code: string, name: string, x: number, n: number, target: Target | null, level = 'village'): ChildRow {
  return { orgUnit: { id: `id-${code}`, code, name: { zh: name }, level }, cell: cell(x, n, target) };
}

export const T98: Target = { op: '>=', value: 0.98 };
export const T95: Target = { op: '>=', value: 0.95 };

export function card(over: Partial<IndicatorCard> & { cell: Cell }): IndicatorCard {
  return {
    id: 'awareness', name: { zh: '人口计生知识知晓率' }, kind: 'knowledge', rule: { type: 'score_threshold' }, unit: 'rate', displayDecimals: 1,
    target: { op: '>=', value: 0.98, scope: { kind: 'default' }, text: '>= 98.0%' }, aggregate: null, children: [], trend: [],
    ...over,
  };
}

export function dashboard(cards: IndicatorCard[], over: Partial<Dashboard> = {}): Dashboard {
  return {
    orgUnit: { id: 't1', code: 'T1', name: { zh: '红星乡' }, level: 'township', path: '/c1/t1/' },
    period: { id: '2026', type: 'year', start: '2025-12-31T16:00:00.000Z', end: '2026-12-31T16:00:00.000Z' },
    version: 1, indicators: cards, workPlan: [], ...over,
  };
}
