/**
 * Period picking for reports: the server's period ids (China time, see common/periods.ts) —
 * `2026` (year), `2026S1` (half), `2026Q1` (quarter), `2026-03` (month).
 */
import { parsePeriod, periodsContaining, type PeriodType } from '../../../../common/periods';
import { reportsText, type ReportsLang } from './strings';

export type { PeriodType };
export const PICKER_TYPES: readonly PeriodType[] = ['year', 'half', 'quarter', 'month'];

/** How many sub-periods a year has for each type. */
const PER_YEAR: Record<PeriodType, number> = { year: 1, half: 2, quarter: 4, month: 12 };

export interface PeriodParts {
  type: PeriodType;
  year: number;
  /** 1-based index inside the year (1 for a year). */
  index: number;
}

export function periodParts(id: string): PeriodParts | null {
  const p = parsePeriod(id);
  if (!p) return null;
  const year = Number(id.slice(0, 4));
  let index = 1;
  if (p.type === 'month') index = Number(id.slice(5, 7));
  else if (p.type === 'quarter' || p.type === 'half') index = Number(id.slice(5, 6));
  return { type: p.type, year, index };
}

export function composePeriod(type: PeriodType, year: number, index = 1): string {
  const max = PER_YEAR[type];
  const i = Math.min(Math.max(1, Math.trunc(index)), max);
  switch (type) {
    case 'year':
      return String(year);
    case 'half':
      return `${year}S${i}`;
    case 'quarter':
      return `${year}Q${i}`;
    case 'month':
      return `${year}-${String(i).padStart(2, '0')}`;
  }
}

/** The periods of one type inside a year, in order. */
export function periodsOfYear(type: PeriodType, year: number): string[] {
  return Array.from({ length: PER_YEAR[type] }, (_, k) => composePeriod(type, year, k + 1));
}

/** The period of a type that contains `now` in China time. */
export function currentPeriod(type: PeriodType, now: Date = new Date()): string {
  return periodsContaining(now)[type];
}

/** The previous (-1) or next (+1) period of the same type. */
export function shiftPeriod(id: string, step: number): string {
  const parts = periodParts(id);
  if (!parts) return id;
  const per = PER_YEAR[parts.type];
  const flat = parts.year * per + (parts.index - 1) + step;
  return composePeriod(parts.type, Math.floor(flat / per), (flat % per) + 1);
}

/**
 * Switching the period type keeps the time roughly in place: 2026Q3 → month 2026-07, half 2026S2,
 * year 2026 (the first sub-period of the old one when going finer).
 */
export function convertPeriod(id: string, type: PeriodType): string {
  const parts = periodParts(id);
  if (!parts) return id;
  const startMonth = (parts.index - 1) * (12 / PER_YEAR[parts.type]) + 1; // 1-based
  const months = 12 / PER_YEAR[type];
  return composePeriod(type, parts.year, Math.floor((startMonth - 1) / months) + 1);
}

/** A readable label: 2026年第一季度 → "2026年第1季度", 2026-03 → "2026年3月". */
export function periodLabel(id: string, lang: ReportsLang = 'zh'): string {
  const parts = periodParts(id);
  if (!parts) return id;
  const y = parts.year;
  switch (parts.type) {
    case 'year':
      return reportsText(lang, 'period_year', { y });
    case 'half':
      return reportsText(lang, parts.index === 1 ? 'period_half1' : 'period_half2', { y });
    case 'quarter':
      return reportsText(lang, 'period_quarter', { y, q: parts.index });
    case 'month':
      return reportsText(lang, 'period_month', { y, m: lang === 'en' ? String(parts.index).padStart(2, '0') : parts.index });
  }
}
