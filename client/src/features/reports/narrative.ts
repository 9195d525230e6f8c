/**
 * The work report's narrative (工作报告), generated from the numbers, in zh-CN. Pure: the same
 * dashboard in, the same text out.
 *
 * Honesty rules (metrics.md §5, §7):
 * - the point-estimate status (按点估计) and the statistical status (统计上) are both stated; an
 *   inconclusive statistical status is never worded as 达标 — it says the sample cannot prove it;
 * - a rate whose denominator or numerator is a small cell (< 5, `suppressRate` in common/stats)
 *   is not published: the text says so instead of giving the number;
 * - above a village the text says whether the rate is post-stratified (weighted by census
 *   population, naming the population basis: 户籍/常住/流入/全部人口) or pooled (unweighted).
 */
import { DEFAULT_MIN_CELL, formatRate, suppressRate } from '../../../../common/stats';
import type { Dashboard, ChildRow, IndicatorCard, ItemsView, SatisfactionView, WorkPlanView } from '../../../../common/api/reports';
import { POPULATION_BASIS_LABELS } from '../../../../common/scoring/indicator';
import { countStatuses, headlineOf, normalizeStatus, OP_SYMBOL, targetText } from './status';
import { reportsZh } from './strings';

export interface WorkReportInput {
  /** the dashboard of the org unit for the year (period type year) */
  dashboard: Dashboard;
  items?: ItemsView | null;
  satisfaction?: SatisfactionView | null;
  /** smallest count that may be published; default 5 (common/stats DEFAULT_MIN_CELL) */
  minCell?: number;
}

export interface WorkReportNarrative {
  summary: string[];
  indicators: string[];
  children: string[];
  items: string[];
  satisfaction: string[];
  workPlan: string[];
}

const LEVEL_ZH: Record<string, string> = { county: '乡镇', township: '村', village: '村民小组', group: '' };
const CHILD_LEVEL_ZH: Record<string, string> = { county: '县', township: '乡镇', village: '村', group: '村民小组' };

const fmtCount = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Is this rate publishable (no small cells)? */
export function publishable(x: number, n: number, minCell = DEFAULT_MIN_CELL): boolean {
  if (n <= 0) return false;
  return !suppressRate(x, n, { minCount: minCell }).suppressed;
}

/** "94.3%" or "*" when suppressed, "—" when there is no data. */
export function publishedRate(x: number, n: number, estimate: number | null, decimals: number, minCell = DEFAULT_MIN_CELL): string {
  if (n <= 0 || estimate === null) return '—';
  return publishable(x, n, minCell) ? formatRate(estimate, decimals) : reportsZh.suppressed;
}

function statusSentence(official: string, statistical: string): string {
  const off = normalizeStatus(official);
  const stat = normalizeStatus(statistical);
  const first = off === 'met' ? '按点估计达标' : off === 'not_met' ? '按点估计未达标' : '';
  let second = '';
  switch (stat) {
    case 'met':
      second = '统计上(单侧95%置信水平)也可确认达标';
      break;
    case 'not_met':
      second = '统计上(单侧95%置信水平)可确认未达标';
      break;
    case 'inconclusive':
      second = off === 'met'
        ? '但统计上无法判定·样本不足:置信下限低于目标,现有样本还不能证明已经达标'
        : '统计上无法判定·样本不足:置信上限不低于目标,现有样本还不能确认未达标';
      break;
    default:
      second = '';
  }
  return [first, second].filter(Boolean).join(';');
}

/** The census population that weighted the villages, in zh-CN ("户籍人口"); unknown → "符合条件人口". */
export function basisZh(basis: string | undefined): string {
  return basis !== undefined && Object.hasOwn(POPULATION_BASIS_LABELS, basis)
    ? POPULATION_BASIS_LABELS[basis as keyof typeof POPULATION_BASIS_LABELS].zh
    : '符合条件人口';
}

function excludedText(card: IndicatorCard): string {
  const c = card.cell;
  if (c.excludedTotal <= 0) return '';
  const parts = c.excluded.map((e) => `${e.label.zh} ${e.count} 人`).join(';');
  return `(剔除 ${c.excludedTotal} 人:${parts})`;
}

function indicatorSentence(card: IndicatorCard, minCell: number): string {
  const name = card.name.zh;
  const c = card.cell;
  if (card.unit === 'score') {
    if (c.denominator <= 0) return `${name}:本年度无有效数据。`;
    if (c.denominator < minCell) return `${name}:有效样本不足 ${minCell} 人,按规定不公布。`;
    return `${name}:有效 ${c.denominator} 人,平均 ${c.text} 分(不作达标评价)。`;
  }
  if (c.denominator <= 0) {
    return c.responses > 0
      ? `${name}:共回收问卷 ${c.responses} 份,均不符合统计条件${excludedText(card)},本年度无法计算。`
      : `${name}:本年度无有效数据,无法评价。`;
  }
  const head = `${name}:共调查 ${c.responses} 人,有效 ${c.denominator} 人${excludedText(card)}`;
  if (!publishable(c.numerator, c.denominator, minCell)) {
    const why = c.denominator < minCell ? `有效样本不足 ${minCell} 人` : `相关人数少于 ${minCell} 人`;
    return `${head},${why},按规定不公布比率,也无法据此判定是否达标。`;
  }
  const h = headlineOf(card);
  const decimals = card.displayDecimals;
  const rate = formatRate(h.estimate, decimals);
  const interval = h.lower !== null && h.upper !== null ? `(95%置信区间 ${formatRate(h.lower, decimals)}–${formatRate(h.upper, decimals)})` : '';
  const positives = card.kind === 'knowledge' && Number.isInteger(c.numerator) ? `,其中知晓 ${c.numerator} 人` : '';
  const method = h.method === 'post-stratified'
    ? `,按各村${basisZh(card.aggregate?.populationBasis ?? card.populationBasis)}加权(事后分层)估计`
    : h.method === 'pooled'
      ? ',按各村样本合并计算(未加权)'
      : '';
  const target = card.target ? `,目标 ${targetText(card.target)}` : '';
  const status = card.target ? statusSentence(h.official, h.statistical) : '未设置目标,不作达标评价';
  return `${head}${positives},${name}为 ${rate}${interval}${method}${target}。${status}。`;
}

function namesOf(rows: readonly ChildRow[]): string {
  return rows.map((r) => r.orgUnit.name.zh).join('、');
}

function childrenSentence(card: IndicatorCard, unitLevel: string): string | null {
  const rows = card.children;
  if (rows.length === 0 || card.unit === 'score') return null;
  const level = CHILD_LEVEL_ZH[rows[0]?.orgUnit.level ?? ''] || LEVEL_ZH[unitLevel] || '单位';
  const withData = rows.filter((r) => r.cell.denominator > 0);
  const noData = rows.length - withData.length;
  if (withData.length === 0) return `${card.name.zh}:下辖 ${rows.length} 个${level}本年度均无数据。`;
  const off = countStatuses(withData, 'official');
  const stat = countStatuses(withData, 'statistical');
  const parts: string[] = [`${card.name.zh}:下辖 ${rows.length} 个${level}中,有数据的 ${withData.length} 个`];
  if (withData.some((r) => normalizeStatus(r.cell.official) === 'met' || normalizeStatus(r.cell.official) === 'not_met')) {
    parts.push(`按点估计达标 ${off.met} 个、未达标 ${off.not_met} 个`);
    parts.push(`统计上确认达标 ${stat.met} 个、确认未达标 ${stat.not_met} 个、无法判定·样本不足 ${stat.inconclusive} 个`);
  } else {
    parts.push('未设置目标');
  }
  if (noData > 0) parts.push(`无数据 ${noData} 个`);
  let text = `${parts.join(';')}。`;
  const inconclusive = withData.filter((r) => normalizeStatus(r.cell.statistical) === 'inconclusive');
  const notMet = withData.filter((r) => normalizeStatus(r.cell.statistical) === 'not_met');
  if (notMet.length > 0) text += `确认未达标的有:${namesOf(notMet)}。`;
  if (inconclusive.length > 0) text += `样本不足、需补充调查后才能判定的有:${namesOf(inconclusive)}。`;
  return text;
}

function distinctRespondents(cards: readonly IndicatorCard[]): number {
  // indicators of one kind are usually read from the same questionnaire: count its respondents once
  const byKind = new Map<string, number>();
  for (const c of cards) byKind.set(c.kind, Math.max(byKind.get(c.kind) ?? 0, c.cell.responses));
  return [...byKind.values()].reduce((a, b) => a + b, 0);
}

function workPlanSentence(w: WorkPlanView): string {
  const name = w.name.zh;
  const target = w.target
    ? `,目标 ${w.denominator ? targetText(w.target) : `${OP_SYMBOL[w.target.op] ?? w.target.op}${fmtCount(w.target.value)}`}`
    : '';
  const st = normalizeStatus(w.official);
  const status = st === 'met' ? ',达标' : st === 'not_met' ? ',未达标' : '';
  return `${name} ${w.text}${target}${status}`;
}

/** The narrative paragraphs of the work report, section by section. */
export function workReportNarrative(input: WorkReportInput): WorkReportNarrative {
  const minCell = input.minCell ?? DEFAULT_MIN_CELL;
  const d = input.dashboard;
  const unit = d.orgUnit.name.zh;
  const year = d.period.id.slice(0, 4);
  const cards = d.indicators;
  const total = distinctRespondents(cards);
  const summary: string[] = [];
  if (total === 0) summary.push(`${year}年,${unit}尚无调查数据。`);
  else summary.push(`本年度(${year}年)${unit}共调查 ${total} 人次,涉及 ${cards.length} 项考核指标。`);
  const rated = cards.filter((c) => c.unit === 'rate' && c.target && c.cell.denominator > 0 && publishable(c.cell.numerator, c.cell.denominator, minCell));
  if (rated.length > 0) {
    const h = rated.map((c) => ({ c, h: headlineOf(c) }));
    const metBoth = h.filter((x) => x.h.statistical === 'met').map((x) => x.c.name.zh);
    const notMet = h.filter((x) => x.h.statistical === 'not_met').map((x) => x.c.name.zh);
    const open = h.filter((x) => x.h.statistical === 'inconclusive').map((x) => x.c.name.zh);
    const bits: string[] = [];
    if (metBoth.length) bits.push(`经统计检验确认达标的指标:${metBoth.join('、')}`);
    if (notMet.length) bits.push(`确认未达标的指标:${notMet.join('、')}`);
    if (open.length) bits.push(`样本不足、尚无法判定是否达标的指标:${open.join('、')}`);
    if (bits.length) summary.push(`${bits.join(';')}。`);
  }
  const indicators = cards.map((c) => indicatorSentence(c, minCell));
  const children = cards.map((c) => childrenSentence(c, d.orgUnit.level)).filter((s): s is string => s !== null);

  const items: string[] = [];
  if (input.items && input.items.items.length > 0) {
    const iv = input.items;
    const usable = iv.items.filter((i) => i.rate !== null && publishable(i.correct, i.included, minCell));
    const totalIncluded = iv.items.reduce((a, i) => a + i.included, 0);
    if (iv.meanItemRate !== null && totalIncluded >= minCell) items.push(`“${iv.form.title.zh}”各题平均答对率 ${formatRate(iv.meanItemRate, 1)}。`);
    const weakest = [...usable].sort((a, b) => (a.rate ?? 0) - (b.rate ?? 0) || a.name.localeCompare(b.name)).slice(0, 3);
    if (weakest.length > 0) {
      items.push(`答对率最低的题目是:${weakest.map((i) => `“${i.title}”(${formatRate(i.rate, 1)})`).join('、')},说明这些内容群众掌握得还不够,应作为下一步宣传重点。`);
    }
    const hidden = iv.items.length - usable.length;
    if (hidden > 0) items.push(`另有 ${hidden} 道题作答人数过少,不公布答对率。`);
  }

  const satisfaction: string[] = [];
  if (input.satisfaction) {
    const sv = input.satisfaction;
    const dims = sv.dimensions.filter((x) => x.topBox !== null && x.valid >= minCell);
    const label = (dim: string) => (reportsZh as Record<string, string>)[`dim_${dim}`] ?? dim;
    if (dims.length > 0) {
      const sorted = [...dims].sort((a, b) => (a.topBox ?? 0) - (b.topBox ?? 0));
      const low = sorted[0]!;
      const high = sorted[sorted.length - 1]!;
      satisfaction.push(sorted.length > 1 && low.topBox === high.topBox
        ? `各评价维度满意率均为 ${formatRate(low.topBox, 1)}。`
        : sorted.length > 1
        ? `各评价维度中,满意率最低的是“${label(low.dimension)}”(${formatRate(low.topBox, 1)}),最高的是“${label(high.dimension)}”(${formatRate(high.topBox, 1)})。`
        : `“${label(low.dimension)}”满意率 ${formatRate(low.topBox, 1)}。`);
    }
    satisfaction.push(sv.suggestions.length > 0 ? `本年度共收到群众意见和建议 ${sv.suggestions.length} 条,见附表。` : '本年度没有收到群众意见和建议。');
  }

  const workPlan = d.workPlan.length > 0 ? [`${d.workPlan.map(workPlanSentence).join(';')}。`] : [];
  return { summary, indicators, children, items, satisfaction, workPlan };
}
