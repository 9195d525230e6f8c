/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import { WorkReportDocument } from '../../../client/src/features/reports/WorkReport';
import { editedDefinition, parsePercent } from '../../../client/src/features/reports/TargetsPage';
import { card, cell, child, dashboard, T98 } from './fixtures';

jest.mock('../../../client/src/features/reports/EChart', () => ({ EChart: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

describe('WorkReportDocument', () => {
  const data = {
    dashboard: dashboard([card({
      cell: cell(175, 175, T98),
      children: [child('V1', '东村', 160, 160, T98), child('V2', '西村', 12, 12, T98), child('V3', '南村', 3, 3, T98)],
    })], {
      workPlan: [{ orgUnitId: 't1', period: '2026', key: 'reports', name: { zh: '上报信息' }, value: 0, denominator: null, target: { op: '>=', value: 1 }, figure: 0, text: '0', official: 'not_met' }],
    }),
    items: null,
    satisfaction: null,
  };

  it('renders the title, the narrative, the tables with both statuses, and suppresses small cells', () => {
    render(<WorkReportDocument data={data} generatedAt={new Date(2026, 10, 29)} />);
    expect(screen.getByTestId('wr-title').textContent).toBe('红星乡2026年人口计生工作报告');
    expect(screen.getByTestId('work-report').getAttribute('lang')).toBe('zh-CN');
    const narrative = screen.getByTestId('wr-narrative').textContent ?? '';
    expect(narrative).toContain('本年度(2026年)红星乡共调查 175 人次');
    expect(narrative).toContain('人口计生知识知晓率为 100.0%');
    expect(narrative).toContain('统计上(单侧95%置信水平)也可确认达标');
    const ind = screen.getByTestId('wr-ind-awareness');
    expect(within(ind).getAllByRole('cell').map((c) => c.textContent)).toEqual(['175', '175', '0', '100.0%', '97.9%–100.0%', '≥98%', '✔达标', '✔达标', '直接计算']);
    expect(screen.getByTestId('wr-child-V2').textContent).toContain('?无法判定·样本不足');
    const v3 = within(screen.getByTestId('wr-child-V3')).getAllByRole('cell').map((c) => c.textContent);
    expect(v3.slice(0, 3)).toEqual(['3', '*', '—']); // n, suppressed rate, no interval
    expect(screen.getByTestId('wr-workplan').textContent).toContain('≥1');
    expect(screen.getByText(/样本少于 5 人/)).toBeTruthy();
    expect(screen.getByTestId('wr-trend-awareness')).toBeTruthy();
  });
});

describe('target input', () => {
  it('reads percent as typed into a fraction', () => {
    expect(parsePercent('98')).toBe(0.98);
    expect(parsePercent('95.5%')).toBe(0.955);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('101')).toBeNull();
    expect(parsePercent('abc')).toBeNull();
  });
});

describe('indicator parameters', () => {
  it('sends back the stored definition with the changed parameters and without bookkeeping fields', () => {
    const def = {
      id: 'awareness', name: { zh: '人口计生知识知晓率', en: 'Awareness' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge' as const,
      rule: { type: 'score_threshold', theta: 0.8, partialCredit: false }, displayDecimals: 1, builtIn: true,
      createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', missing: {}, minAnsweredShare: 0.8,
    };
    expect(editedDefinition(def, { nameZh: '知晓率', theta: 0.6, displayDecimals: 2 })).toEqual({
      name: { zh: '知晓率', en: 'Awareness' }, formSlugs: ['knowledge-quiz'], kind: 'knowledge',
      rule: { type: 'score_threshold', theta: 0.6, partialCredit: false }, displayDecimals: 2, missing: {}, minAnsweredShare: 0.8,
    });
    const sat = { ...def, id: 'satisfaction', kind: 'satisfaction' as const, rule: { type: 'top_box', cut: 4 } };
    expect(editedDefinition(sat, { nameZh: '满意率', cut: 5, theta: 0.5, displayDecimals: 1 }).rule).toEqual({ type: 'top_box', cut: 5 });
  });
});
