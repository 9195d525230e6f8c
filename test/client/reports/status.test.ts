import { headlineOf, sortChildren, statusView, targetText, countStatuses, normalizeStatus } from '../../../client/src/features/reports/status';
import { card, cell, child, T98 } from './fixtures';

describe('status mapping', () => {
  it('every status has its own label, icon and colour class (never colour alone)', () => {
    const keys = ['met', 'not_met', 'inconclusive', 'no_data'] as const;
    const views = keys.map((k) => statusView(k));
    expect(new Set(views.map((v) => v.icon)).size).toBe(4);
    expect(new Set(views.map((v) => v.className)).size).toBe(4);
    expect(new Set(views.map((v) => v.labelKey)).size).toBe(4);
    expect(statusView('inconclusive')).toMatchObject({ labelKey: 'status_inconclusive', icon: '?', className: 'rp-st rp-st--inconclusive' });
    expect(statusView('something-new').key).toBe('no_data');
    expect(normalizeStatus(undefined)).toBe('no_data');
  });

  it('targets print as people write them', () => {
    expect(targetText({ op: '>=', value: 0.98 })).toBe('≥98%');
    expect(targetText({ op: '<', value: 0.075 })).toBe('<7.5%');
    expect(targetText(null)).toBe('');
  });

  it('the headline is post-stratified when the server weighted, else the pooled cell', () => {
    const c = cell(50, 100, T98);
    expect(headlineOf(card({ cell: c })).method).toBeNull();
    const pooled = headlineOf(card({ cell: c, aggregate: { method: 'pooled', note: { zh: '合并' }, estimate: 0.5 } }));
    expect(pooled).toMatchObject({ method: 'pooled', estimate: 0.5, official: 'not_met', statistical: 'not_met' });
    const post = headlineOf(card({ cell: c, aggregate: { method: 'post-stratified', note: { zh: '加权' }, estimate: 0.99, lower: 0.985, upper: 0.995, text: '99.0%', intervalText: '', official: 'met', statistical: 'met' } }));
    expect(post).toMatchObject({ method: 'post-stratified', estimate: 0.99, official: 'met', statistical: 'met', text: '99.0%' });
  });
});

describe('sorting the child units', () => {
  const rows = [
    child('V1', '一村', 12, 12, T98), // 100%, lower 73.5%
    child('V2', '二村', 290, 300, T98), // 96.7%, lower ~94%, upper < 98%: not met
    child('V3', '三村', 0, 0, T98), // no data
    child('V4', '四村', 5, 10, T98), // 50%
  ];
  const codes = (r: typeof rows) => r.map((x) => x.orgUnit.code);
  it('by rate, both directions, no data last', () => {
    expect(codes(sortChildren(rows, 'rate', 'desc'))).toEqual(['V1', 'V2', 'V4', 'V3']);
    expect(codes(sortChildren(rows, 'rate', 'asc'))).toEqual(['V4', 'V2', 'V1', 'V3']);
  });
  it('by lower bound ranks the big sample above the small perfect one', () => {
    expect(codes(sortChildren(rows, 'lower', 'desc'))).toEqual(['V2', 'V1', 'V4', 'V3']);
  });
  it('by name (code) and does not mutate the input', () => {
    expect(codes(sortChildren(rows, 'name', 'desc'))).toEqual(['V4', 'V3', 'V2', 'V1']);
    expect(codes(rows)).toEqual(['V1', 'V2', 'V3', 'V4']);
  });
  it('counts statuses per column', () => {
    expect(countStatuses(rows, 'statistical')).toMatchObject({ met: 0, not_met: 2, inconclusive: 1, no_data: 1 });
    expect(countStatuses(rows, 'official')).toMatchObject({ met: 1, not_met: 2, no_data: 1 });
  });
});
