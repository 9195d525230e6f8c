import { basisZh, workReportNarrative, publishedRate } from '../../../client/src/features/reports/narrative';
import { card, cell, child, dashboard, T98, T95 } from './fixtures';
import type { ItemsView, SatisfactionView } from '../../../common/api/reports';

const all = (n: ReturnType<typeof workReportNarrative>) => [...n.summary, ...n.indicators, ...n.children, ...n.items, ...n.satisfaction, ...n.workPlan].join('\n');

describe('work report narrative (zh-CN, honest)', () => {
  it('states N, the rate with its 95% interval, the target and both statuses', () => {
    const c = card({ cell: cell(940, 1000, T98, { excluded: [{ reason: 'too_few_answered', count: 12, zh: '作答题目过少,问卷无效' }] }) });
    const n = workReportNarrative({ dashboard: dashboard([c]) });
    expect(n.summary[0]).toBe('本年度(2026年)红星乡共调查 1012 人次,涉及 1 项考核指标。');
    expect(n.indicators[0]).toContain('共调查 1012 人,有效 1000 人(剔除 12 人:作答题目过少,问卷无效 12 人)');
    expect(n.indicators[0]).toContain('其中知晓 940 人');
    expect(n.indicators[0]).toMatch(/人口计生知识知晓率为 94\.0%.95%置信区间 92\.\d%–95\.\d%./);
    expect(n.indicators[0]).toContain('目标 ≥98%');
    expect(n.indicators[0]).toContain('按点估计未达标');
    expect(n.indicators[0]).toContain('统计上(单侧95%置信水平)可确认未达标');
  });

  it('12/12 against 98%: met by the point estimate, never claimed as met statistically', () => {
    const n = workReportNarrative({ dashboard: dashboard([card({ cell: cell(12, 12, T98) })]) });
    const text = n.indicators[0]!;
    expect(text).toContain('知晓率为 100.0%(95%置信区间 73.5%–100.0%)');
    expect(text).toContain('按点估计达标');
    expect(text).toContain('统计上无法判定·样本不足');
    expect(text).toContain('还不能证明已经达标');
    expect(text).not.toContain('也可确认达标');
    expect(all(n)).not.toContain('经统计检验确认达标');
    expect(n.summary.join('')).toContain('样本不足、尚无法判定是否达标的指标:人口计生知识知晓率');
  });

  it('a large sample above target is confirmed met statistically', () => {
    const n = workReportNarrative({ dashboard: dashboard([card({ cell: cell(300, 300, T98) })]) });
    expect(n.indicators[0]).toContain('按点估计达标;统计上(单侧95%置信水平)也可确认达标');
    expect(n.summary[1]).toBe('经统计检验确认达标的指标:人口计生知识知晓率。');
  });

  it('suppresses small cells: no rate, no status claimed', () => {
    const n = workReportNarrative({ dashboard: dashboard([card({ cell: cell(3, 3, T98) })]) });
    expect(n.indicators[0]).toContain('有效样本不足 5 人,按规定不公布比率');
    expect(n.indicators[0]).not.toMatch(/\d%/);
    expect(n.indicators[0]).not.toContain('按点估计');
    const few = workReportNarrative({ dashboard: dashboard([card({ cell: cell(2, 40, T98) })]) });
    expect(few.indicators[0]).toContain('相关人数少于 5 人');
    expect(publishedRate(3, 3, 1, 1)).toBe('*');
    expect(publishedRate(12, 12, 1, 1)).toBe('100.0%');
    expect(publishedRate(0, 0, null, 1)).toBe('—');
  });

  it('says whether a township rate is post-stratified or pooled', () => {
    const base = cell(50, 100, T95);
    const post = card({
      cell: base,
      aggregate: { method: 'post-stratified', note: { zh: '按各村符合条件人口(普查)加权的事后分层估计' }, estimate: 0.75, lower: 0.68, upper: 0.82, text: '75.0%', intervalText: '[68.0%, 82.0%]', official: 'not_met', statistical: 'not_met' },
    });
    const p = workReportNarrative({ dashboard: dashboard([post]) }).indicators[0]!;
    expect(p).toContain('为 75.0%(95%置信区间 68.0%–82.0%),按各村符合条件人口加权(事后分层)估计');
    const pooled = card({ cell: base, aggregate: { method: 'pooled', note: { zh: '合并' }, estimate: 0.5, lower: 0.4, upper: 0.6 } });
    expect(workReportNarrative({ dashboard: dashboard([pooled]) }).indicators[0]).toContain('为 50.0%(95%置信区间 40.4%–59.6%),按各村样本合并计算(未加权)');
  });

  it('names the population basis that weighted the villages (户籍/常住/…人口)', () => {
    const agg = { method: 'post-stratified' as const, note: { zh: '事后分层' }, estimate: 0.75, lower: 0.68, upper: 0.82, text: '75.0%', intervalText: '[68.0%, 82.0%]', official: 'not_met', statistical: 'not_met' };
    const text = (c: ReturnType<typeof card>) => workReportNarrative({ dashboard: dashboard([c]) }).indicators[0]!;
    const registered = text(card({ cell: cell(50, 100, T95), populationBasis: 'registered', aggregate: { ...agg, populationBasis: 'registered' } }));
    expect(registered).toContain(',按各村户籍人口加权(事后分层)估计');
    expect(registered).not.toContain('符合条件人口');
    // the aggregate's basis (what the server actually used) wins over the indicator's
    expect(text(card({ cell: cell(50, 100, T95), populationBasis: 'registered', aggregate: { ...agg, populationBasis: 'resident' } }))).toContain('按各村常住人口加权');
    // an older server without the aggregate's basis: the indicator's
    expect(text(card({ cell: cell(50, 100, T95), populationBasis: 'in_migrant', aggregate: agg }))).toContain('按各村流入人口加权');
    expect(text(card({ cell: cell(50, 100, T95), aggregate: { ...agg, populationBasis: 'all' } }))).toContain('按各村全部人口加权');
    // unknown basis: no claim about which census count
    expect(text(card({ cell: cell(50, 100, T95), aggregate: { ...agg, populationBasis: 'toString' } }))).toContain('按各村符合条件人口加权');
    expect(basisZh(undefined)).toBe('符合条件人口');
    expect(basisZh('registered')).toBe('户籍人口');
  });

  it('summarises the child units by both statuses and names the inconclusive ones', () => {
    const c = card({
      cell: cell(330, 340, T98),
      children: [child('V1', '东村', 300, 300, T98), child('V2', '西村', 12, 12, T98), child('V3', '南村', 18, 28, T98), child('V4', '北村', 0, 0, T98)],
    });
    const text = workReportNarrative({ dashboard: dashboard([c]) }).children[0]!;
    expect(text).toContain('下辖 4 个村中,有数据的 3 个');
    expect(text).toContain('按点估计达标 2 个、未达标 1 个');
    expect(text).toContain('统计上确认达标 1 个、确认未达标 1 个、无法判定·样本不足 1 个');
    expect(text).toContain('无数据 1 个');
    expect(text).toContain('确认未达标的有:南村');
    expect(text).toContain('需补充调查后才能判定的有:西村');
  });

  it('no data at all, and no target', () => {
    const n = workReportNarrative({ dashboard: dashboard([card({ cell: cell(0, 0, T98) })]) });
    expect(n.summary[0]).toBe('2026年,红星乡尚无调查数据。');
    expect(n.indicators[0]).toContain('本年度无有效数据');
    const nt = workReportNarrative({ dashboard: dashboard([card({ cell: cell(90, 100, null), target: null })]) });
    expect(nt.indicators[0]).toContain('未设置目标,不作达标评价');
    expect(nt.indicators[0]).not.toContain('达标;');
  });

  it('names the weakest questions (suppressing tiny ones), the lowest satisfaction dimension and the work plan', () => {
    const it = (name: string, title: string, correct: number, included: number) => ({
      name, title, correct, incorrect: included - correct, dontKnow: 0, skipped: 0, notApplicable: 0, included, rate: included ? correct / included : null, lower: null, upper: null, text: '',
    });
    const items: ItemsView = {
      orgUnit: { id: 't1', name: { zh: '红星乡' } }, period: { id: '2026', type: 'year', start: '', end: '' },
      form: { id: 'f', slug: 'knowledge-quiz', title: { zh: '知识问答' } },
      items: [it('q1', '法定婚龄', 90, 100), it('q2', '叶酸', 40, 100), it('q3', '艾滋病传播', 60, 100), it('q4', '小题', 1, 3), it('q5', '避孕', 99, 100)],
      meanItemRate: 0.7, meanItemRateText: '70.0%',
    };
    const sat: SatisfactionView = {
      orgUnit: { id: 't1', name: { zh: '红星乡' } }, period: { id: '2026', type: 'year', start: '', end: '' },
      form: { id: 's', slug: 'satisfaction-survey', title: { zh: '满意度' } },
      dimensions: [
        { dimension: 'attitude', distribution: { 1: 0, 2: 0, 3: 2, 4: 3, 5: 15 }, dontKnow: 0, notApplicable: 0, skipped: 0, invalid: 0, valid: 20, topBox: 0.9, topBoxText: '', mean: 4.6 },
        { dimension: 'efficiency', distribution: { 1: 2, 2: 3, 3: 5, 4: 5, 5: 5 }, dontKnow: 0, notApplicable: 0, skipped: 0, invalid: 0, valid: 20, topBox: 0.5, topBoxText: '', mean: 3.4 },
      ],
      suggestions: [{ id: 'a', orgUnitId: 'v1', completedAt: '', text: '希望延长办公时间' }],
    };
    const d = dashboard([card({ cell: cell(70, 100, T98) })], {
      workPlan: [{ orgUnitId: 't1', period: '2026', key: 'visits', name: { zh: '入户走访' }, value: 45, denominator: 50, target: { op: '>=', value: 0.9 }, figure: 0.9, text: '45/50 (90.0%)', official: 'met' }],
    });
    const n = workReportNarrative({ dashboard: d, items, satisfaction: sat });
    expect(n.items[0]).toBe('“知识问答”各题平均答对率 70.0%。');
    expect(n.items[1]).toBe('答对率最低的题目是:“叶酸”(40.0%)、“艾滋病传播”(60.0%)、“法定婚龄”(90.0%),说明这些内容群众掌握得还不够,应作为下一步宣传重点。');
    expect(n.items[2]).toBe('另有 1 道题作答人数过少,不公布答对率。');
    expect(n.satisfaction[0]).toBe('各评价维度中,满意率最低的是“办事效率”(50.0%),最高的是“服务态度”(90.0%)。');
    expect(n.satisfaction[1]).toContain('1 条');
    const flat = { ...sat, dimensions: sat.dimensions.map((x) => ({ ...x, topBox: 0.75 })) };
    expect(workReportNarrative({ dashboard: d, satisfaction: flat }).satisfaction[0]).toBe('各评价维度满意率均为 75.0%。');
    expect(n.workPlan[0]).toBe('入户走访 45/50 (90.0%),目标 ≥90%,达标。');
  });
});
