/**
 * Reporting periods, DHIS2-style ids: monthly `2026-03`, quarterly `2026Q1`, six-monthly `2026S1`
 * (the twice-yearly household round), yearly `2026`. Boundaries are in China Standard Time
 * (UTC+8, no daylight saving): a quiz answered at 00:30 on 1 April in a village belongs to April,
 * although it is still 31 March in UTC.
 */
export type PeriodType = 'month' | 'quarter' | 'half' | 'year';
export const PERIOD_TYPES: readonly PeriodType[] = ['month', 'quarter', 'half', 'year'];

export interface Period {
  id: string;
  type: PeriodType;
  /** inclusive, ISO UTC */
  start: string;
  /** exclusive, ISO UTC */
  end: string;
}

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const PERIOD_RE = /^(\d{4})(?:-(0[1-9]|1[0-2])|Q([1-4])|S([12]))?$/;

function cstMonthStartUtc(year: number, month0: number): string {
  return new Date(Date.UTC(year, month0, 1) - CST_OFFSET_MS).toISOString();
}

export function isPeriodId(id: string): boolean {
  return PERIOD_RE.test(id);
}

export function parsePeriod(id: string): Period | null {
  const m = PERIOD_RE.exec(id);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1970 || year > 2200) return null;
  let type: PeriodType = 'year';
  let firstMonth = 0;
  let months = 12;
  if (m[2]) { type = 'month'; firstMonth = Number(m[2]) - 1; months = 1; }
  else if (m[3]) { type = 'quarter'; firstMonth = (Number(m[3]) - 1) * 3; months = 3; }
  else if (m[4]) { type = 'half'; firstMonth = (Number(m[4]) - 1) * 6; months = 6; }
  const endMonth = firstMonth + months;
  return {
    id,
    type,
    start: cstMonthStartUtc(year, firstMonth),
    end: cstMonthStartUtc(year + Math.floor(endMonth / 12), endMonth % 12),
  };
}

/** The period of each type that contains an instant (ISO string or Date). */
export function periodsContaining(instant: string | Date): Record<PeriodType, string> {
  const t = (typeof instant === 'string' ? new Date(instant) : instant).getTime() + CST_OFFSET_MS;
  const d = new Date(t);
  const y = d.getUTCFullYear();
  const m0 = d.getUTCMonth();
  return {
    month: `${y}-${String(m0 + 1).padStart(2, '0')}`,
    quarter: `${y}Q${Math.floor(m0 / 3) + 1}`,
    half: `${y}S${m0 < 6 ? 1 : 2}`,
    year: `${y}`,
  };
}

/** Finer periods that make up a coarser one, e.g. `2026Q1` → months `2026-01`..`2026-03`. */
export function childPeriods(id: string, type: PeriodType): string[] {
  const p = parsePeriod(id);
  if (!p) return [];
  const out: string[] = [];
  let t = new Date(p.start).getTime();
  const end = new Date(p.end).getTime();
  while (t < end) {
    const ids = periodsContaining(new Date(t));
    const childId = ids[type];
    if (out[out.length - 1] !== childId) out.push(childId);
    const next = parsePeriod(childId);
    if (!next) break;
    t = new Date(next.end).getTime();
  }
  return out;
}
