/**
 * Status display and the child-unit table's ordering (pure). A status is never shown by colour
 * alone: each has a text label and an icon as well, and the colours differ in lightness too.
 */
import type { Cell, ChildRow, IndicatorCard, LocalizedDto } from '../../../../common/api/reports';
import type { ReportsKey } from './strings';

export type StatusKey = 'met' | 'not_met' | 'inconclusive' | 'no_data' | 'no_target' | 'not_applicable';

const KNOWN: readonly StatusKey[] = ['met', 'not_met', 'inconclusive', 'no_data', 'no_target', 'not_applicable'];

export function normalizeStatus(s: string | null | undefined): StatusKey {
  return KNOWN.includes(s as StatusKey) ? (s as StatusKey) : 'no_data';
}

export interface StatusView {
  key: StatusKey;
  labelKey: ReportsKey;
  /** a glyph that carries the meaning without colour */
  icon: string;
  /** CSS class with the colour (background + border + text), see reports.css */
  className: string;
}

const VIEWS: Record<StatusKey, Omit<StatusView, 'key'>> = {
  met: { labelKey: 'status_met', icon: '✔', className: 'rp-st rp-st--met' },
  not_met: { labelKey: 'status_not_met', icon: '✘', className: 'rp-st rp-st--not-met' },
  inconclusive: { labelKey: 'status_inconclusive', icon: '?', className: 'rp-st rp-st--inconclusive' },
  no_data: { labelKey: 'status_no_data', icon: '—', className: 'rp-st rp-st--no-data' },
  no_target: { labelKey: 'status_no_target', icon: '·', className: 'rp-st rp-st--no-data' },
  not_applicable: { labelKey: 'status_not_applicable', icon: '·', className: 'rp-st rp-st--no-data' },
};

export function statusView(status: string | null | undefined): StatusView {
  const key = normalizeStatus(status);
  return { key, ...VIEWS[key] };
}

/**
 * The figures a card leads with. Above a village the server may give a post-stratified
 * estimate (villages weighted by census population): then that is the headline, with its own
 * statuses. Otherwise (pooled, or a village/group) the unit's own cell, which is Σx/Σn.
 */
export interface Headline {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  text: string;
  intervalText: string;
  official: StatusKey;
  statistical: StatusKey;
  /** 'post-stratified' | 'pooled' above a village, null at a village or group */
  method: 'post-stratified' | 'pooled' | null;
  note: LocalizedDto | null;
}

export function headlineOf(card: Pick<IndicatorCard, 'cell' | 'aggregate'>): Headline {
  const a = card.aggregate;
  const c: Cell = card.cell;
  if (a && a.method === 'post-stratified' && a.estimate !== undefined) {
    return {
      estimate: a.estimate,
      lower: a.lower ?? null,
      upper: a.upper ?? null,
      text: a.text ?? c.text,
      intervalText: a.intervalText ?? '',
      official: normalizeStatus(a.official ?? c.official),
      statistical: normalizeStatus(a.statistical ?? c.statistical),
      method: 'post-stratified',
      note: a.note,
    };
  }
  return {
    estimate: c.estimate,
    lower: c.lower,
    upper: c.upper,
    text: c.text,
    intervalText: c.intervalText,
    official: normalizeStatus(c.official),
    statistical: normalizeStatus(c.statistical),
    method: a && a.method === 'pooled' ? 'pooled' : null,
    note: a && a.method === 'pooled' ? a.note : null,
  };
}

export type SortKey = 'rate' | 'lower' | 'name';
export type SortDir = 'asc' | 'desc';

/**
 * Order child rows by rate, by the interval's lower bound, or by code. Rows without data go
 * last in either direction (a missing rate is not "lowest"); ties keep code order.
 */
export function sortChildren(rows: readonly ChildRow[], key: SortKey, dir: SortDir): ChildRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byCode = (a: ChildRow, b: ChildRow) => a.orgUnit.code.localeCompare(b.orgUnit.code, 'zh-CN');
  if (key === 'name') return [...rows].sort((a, b) => sign * byCode(a, b));
  const value = (r: ChildRow): number | null => (key === 'rate' ? r.cell.estimate : r.cell.lower);
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return byCode(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return va === vb ? byCode(a, b) : sign * (va - vb);
  });
}

/** Counts per statistical status (for summaries: "3 met, 1 inconclusive …"). */
export function countStatuses(rows: readonly { cell: Cell }[], column: 'official' | 'statistical'): Record<StatusKey, number> {
  const out: Record<StatusKey, number> = { met: 0, not_met: 0, inconclusive: 0, no_data: 0, no_target: 0, not_applicable: 0 };
  for (const r of rows) out[normalizeStatus(r.cell[column])] += 1;
  return out;
}

export const OP_SYMBOL: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** "≥ 98%" — the target as people write it (no trailing zeros). */
export function targetText(t: { op: string; value: number } | null | undefined): string {
  if (!t) return '';
  const pct = Number((t.value * 100).toPrecision(10));
  return `${OP_SYMBOL[t.op] ?? t.op}${String(pct)}%`;
}
