/** @jest-environment jsdom */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { DashboardView, IndicatorCardView } from '../../../client/src/features/reports/Dashboard';
import { PeriodPicker } from '../../../client/src/features/reports/parts';
import type { Dashboard, OrgUnitDto } from '../../../common/api/reports';
import { card, cell, child, dashboard, T98 } from './fixtures';

// ECharts needs a real layout engine; the chart options are tested on their own
jest.mock('../../../client/src/features/reports/EChart', () => ({ EChart: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

const unit = (id: string, code: string, zh: string, level: OrgUnitDto['level'], parentId: string | null, path: string): OrgUnitDto => ({ id, code, name: { zh }, level, parentId, path });
const units = new Map([
  ['c1', unit('c1', 'C1', '和平县', 'county', null, '/c1/')],
  ['t1', unit('t1', 'T1', '红星乡', 'township', 'c1', '/c1/t1/')],
]);

function township(v3: [number, number]): Dashboard {
  return dashboard([card({
    cell: cell(182, 192, T98, { excluded: [{ reason: 'too_few_answered', count: 3, zh: '作答题目过少,问卷无效' }] }),
    aggregate: { method: 'pooled', note: { zh: '缺少村人口数据,按合并样本计算(Σx/Σn,未加权)' }, estimate: 182 / 192 },
    children: [child('V1', '东村', 160, 160, T98), child('V2', '西村', 12, 12, T98), child('V3', '南村', v3[0], v3[1], T98), child('V4', '北村', 0, 0, T98)],
  })]);
}

describe('DashboardView', () => {
  it('shows the card with rate, interval, target, both statuses, counts, exclusions and method', async () => {
    const load = jest.fn(async () => township([10, 20]));
    render(<DashboardView unitId="t1" period="2026" units={units} onUnit={() => undefined} load={load} live={{ version: 1, state: 'live' }} />);
    await screen.findByTestId('dashboard');
    expect(load).toHaveBeenCalledWith('t1', '2026');
    expect(screen.getByTestId('card-rate-awareness').textContent).toBe('94.8%');
    expect(screen.getByTestId('card-ci-awareness').textContent).toMatch(/^95%置信区间 \[90\.\d%, 97\.\d%\]$/);
    expect(screen.getByTestId('card-target-awareness').textContent).toBe('目标 ≥98%');
    const official = screen.getByTestId('card-official-awareness');
    expect(official.getAttribute('data-status')).toBe('not_met');
    expect(official.textContent).toBe('✘按点估计:未达标');
    expect(official.className).toContain('rp-st--not-met');
    expect(screen.getByTestId('card-statistical-awareness').textContent).toBe('✘统计判定:未达标');
    expect(screen.getByTestId('card-counts-awareness').textContent).toBe('符合 / 有效 182 / 192 · 回收 195 份 · 剔除 3 份');
    expect(screen.getByTestId('card-excluded-awareness').textContent).toContain('作答题目过少,问卷无效:3');
    expect(screen.getByTestId('card-method-awareness').textContent).toContain('估计方法:合并样本(未加权)');
    expect(screen.getByTestId('breadcrumb').textContent).toBe('和平县 › 红星乡');
    expect(screen.getByTestId('live-state').getAttribute('data-state')).toBe('live');
  });

  it('colours, icons and text per child; sorts by rate and by lower bound; a row drills down', async () => {
    const onUnit = jest.fn();
    render(<DashboardView unitId="t1" period="2026" units={units} onUnit={onUnit} load={async () => township([10, 20])} live={{ version: 1, state: 'live' }} />);
    const table = await screen.findByTestId('children-table');
    const order = () => within(table).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-testid'));
    expect(order()).toEqual(['child-V1', 'child-V2', 'child-V3', 'child-V4']);
    const v2 = screen.getByTestId('child-V2');
    expect(v2.className).toContain('rp-row--inconclusive');
    expect(screen.getByTestId('child-status-V2').textContent).toBe('?无法判定·样本不足');
    expect(screen.getByTestId('child-status-V4').textContent).toBe('—无数据');
    expect(screen.getByTestId('child-status-V1').textContent).toBe('✔达标');
    fireEvent.click(screen.getByTestId('sort-rate'));
    expect(order()).toEqual(['child-V3', 'child-V1', 'child-V2', 'child-V4']); // ascending; no data stays last
    fireEvent.click(screen.getByTestId('sort-lower'));
    expect(order()).toEqual(['child-V1', 'child-V2', 'child-V3', 'child-V4']);
    expect(screen.getByTestId('sort-lower').closest('th')?.getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByTestId('child-V3'));
    expect(onUnit).toHaveBeenCalledWith('id-V3');
    fireEvent.keyDown(screen.getByTestId('child-V2'), { key: 'Enter' });
    expect(onUnit).toHaveBeenLastCalledWith('id-V2');
    fireEvent.click(screen.getByTestId('crumb-C1'));
    expect(onUnit).toHaveBeenLastCalledWith('c1');
  });

  it('refetches when the live version changes, without unmounting', async () => {
    const load = jest.fn().mockResolvedValueOnce(township([10, 20])).mockResolvedValueOnce(township([15, 25]));
    const { rerender } = render(<DashboardView unitId="t1" period="2026" units={units} onUnit={() => undefined} load={load} live={{ version: 1, state: 'live' }} />);
    await screen.findByTestId('dashboard');
    expect(screen.getByTestId('child-rate-V3').textContent).toBe('50.0%');
    const table = screen.getByTestId('children-table');
    rerender(<DashboardView unitId="t1" period="2026" units={units} onUnit={() => undefined} load={load} live={{ version: 2, state: 'live' }} />);
    await act(async () => { await Promise.resolve(); });
    expect(load).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('child-rate-V3').textContent).toBe('60.0%');
    expect(screen.getByTestId('children-table')).toBe(table);
  });

  it('shows the server error with a retry', async () => {
    const load = jest.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(township([10, 20]));
    render(<DashboardView unitId="t1" period="2026" units={units} onUnit={() => undefined} load={load} live={{ version: 1, state: 'offline' }} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('加载失败');
    fireEvent.click(within(alert).getByRole('button'));
    await screen.findByTestId('dashboard');
    expect(screen.getByTestId('live-state').textContent).toContain('实时连接中断');
  });
});

describe('PeriodPicker', () => {
  it('switches type keeping the time, picks the year and the period, steps back and forth', () => {
    const onChange = jest.fn();
    const { rerender } = render(<PeriodPicker period="2026Q3" onChange={onChange} years={[2025, 2026]} />);
    expect(screen.getByTestId('period-label').textContent).toBe('2026年第3季度');
    fireEvent.change(screen.getByTestId('period-type'), { target: { value: 'month' } });
    expect(onChange).toHaveBeenLastCalledWith('2026-07');
    fireEvent.change(screen.getByTestId('period-year'), { target: { value: '2025' } });
    expect(onChange).toHaveBeenLastCalledWith('2025Q3');
    fireEvent.change(screen.getByTestId('period-which'), { target: { value: '2026Q1' } });
    expect(onChange).toHaveBeenLastCalledWith('2026Q1');
    fireEvent.click(screen.getByTestId('period-prev'));
    expect(onChange).toHaveBeenLastCalledWith('2026Q2');
    rerender(<PeriodPicker period="2026" onChange={onChange} years={[2025, 2026]} />);
    expect(screen.queryByTestId('period-which')).toBeNull();
    fireEvent.click(screen.getByTestId('period-next'));
    expect(onChange).toHaveBeenLastCalledWith('2027');
    expect(within(screen.getByTestId('period-type')).getAllByRole('option').map((o) => o.textContent)).toEqual(['年度', '半年', '季度', '月度']);
  });
});

describe('IndicatorCardView: the population basis that weighted the villages', () => {
  it('names the basis of a township aggregate; a village card (no aggregate) has no basis line', () => {
    const weighted = card({
      cell: cell(10, 20, T98), populationBasis: 'registered',
      aggregate: { method: 'post-stratified', populationBasis: 'registered', note: { zh: '按各村符合条件人口(普查户籍人口)加权的事后分层估计' }, estimate: 0.75, lower: 0.6, upper: 0.86, text: '75.0%', intervalText: '[60.0%, 86.0%]', official: 'not_met', statistical: 'not_met' },
    });
    const { unmount } = render(<IndicatorCardView card={weighted} selected={false} onSelect={() => undefined} />);
    expect(screen.getByTestId('card-basis-awareness').getAttribute('data-basis')).toBe('registered');
    expect(screen.getByTestId('card-basis-awareness').textContent).toBe('加权人口口径:户籍人口');
    unmount();
    render(<IndicatorCardView card={card({ cell: cell(10, 20, T98), populationBasis: 'resident' })} selected={false} onSelect={() => undefined} />);
    expect(screen.queryByTestId('card-basis-awareness')).toBeNull();
  });
});
