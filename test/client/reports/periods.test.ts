import { composePeriod, convertPeriod, currentPeriod, periodLabel, periodParts, periodsOfYear, shiftPeriod } from '../../../client/src/features/reports/periods';

describe('report periods', () => {
  it('composes and parses the server ids', () => {
    expect(composePeriod('year', 2026)).toBe('2026');
    expect(composePeriod('half', 2026, 2)).toBe('2026S2');
    expect(composePeriod('quarter', 2026, 1)).toBe('2026Q1');
    expect(composePeriod('month', 2026, 3)).toBe('2026-03');
    expect(composePeriod('month', 2026, 13)).toBe('2026-12');
    expect(periodParts('2026Q3')).toEqual({ type: 'quarter', year: 2026, index: 3 });
    expect(periodParts('2026-3')).toBeNull();
    expect(periodsOfYear('quarter', 2025)).toEqual(['2025Q1', '2025Q2', '2025Q3', '2025Q4']);
    expect(periodsOfYear('month', 2025)).toHaveLength(12);
  });
  it('steps across year boundaries', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('2025-12', 1)).toBe('2026-01');
    expect(shiftPeriod('2026Q1', -1)).toBe('2025Q4');
    expect(shiftPeriod('2026S2', 1)).toBe('2027S1');
    expect(shiftPeriod('2026', -1)).toBe('2025');
  });
  it('keeps the time in place when the type changes', () => {
    expect(convertPeriod('2026Q3', 'month')).toBe('2026-07');
    expect(convertPeriod('2026Q3', 'half')).toBe('2026S2');
    expect(convertPeriod('2026-11', 'quarter')).toBe('2026Q4');
    expect(convertPeriod('2026-06', 'half')).toBe('2026S1');
    expect(convertPeriod('2026S2', 'year')).toBe('2026');
  });
  it('uses China time for the current period', () => {
    const t = new Date('2026-03-31T16:30:00.000Z'); // 00:30 on 1 April in China
    expect(currentPeriod('month', t)).toBe('2026-04');
    expect(currentPeriod('quarter', t)).toBe('2026Q2');
    expect(currentPeriod('year', new Date('2026-12-31T16:00:00.000Z'))).toBe('2027');
  });
  it('labels in zh-CN and English', () => {
    expect(periodLabel('2026')).toBe('2026年');
    expect(periodLabel('2026S1')).toBe('2026年上半年');
    expect(periodLabel('2026Q1')).toBe('2026年第1季度');
    expect(periodLabel('2026-03')).toBe('2026年3月');
    expect(periodLabel('2026-03', 'en')).toBe('2026-03');
    expect(periodLabel('2026S2', 'en')).toBe('2026 H2');
  });
});
