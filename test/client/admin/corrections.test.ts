/** @jest-environment jsdom */
/**
 * Pure helpers of the review screens: which answers a correction changes, how a diff path reads,
 * and the queue's state filter from the URL.
 */
// styles are not part of what is tested here (jest has no CSS transform)
jest.mock('../../../client/src/ui/styles.css', () => ({}));
jest.mock('../../../client/src/features/admin/admin.css', () => ({}));

import { changedAnswers, diffPathLabel, questionIndex } from '../../../client/src/features/admin/answers';
import { parseStateFilter } from '../../../client/src/features/admin/ReviewPage';

describe('changedAnswers', () => {
  const before = { code: '1', members: [{ name: '张三', birth: '2010-01-01' }, { name: '李四', birth: '1980-02-02' }], note: 'x' };

  it('is empty when nothing changed, whatever the key order', () => {
    expect(changedAnswers(before, { note: 'x', members: [{ birth: '2010-01-01', name: '张三' }, { name: '李四', birth: '1980-02-02' }], code: '1' })).toEqual({});
  });

  it('sends a changed dynamic panel whole and only the changed questions', () => {
    const members = [{ name: '张三', birth: '2011-01-01' }, { name: '李四', birth: '1980-02-02' }];
    expect(changedAnswers(before, { ...before, members })).toEqual({ members });
  });

  it('marks a cleared answer as null and a new one with its value; empty stays unchanged', () => {
    expect(changedAnswers(before, { code: '1', members: before.members, extra: 3 })).toEqual({ note: null, extra: 3 });
    expect(changedAnswers({ a: '' }, { a: undefined, b: [] })).toEqual({});
  });
});

describe('diffPathLabel', () => {
  const index = questionIndex({
    pages: [{ elements: [{ type: 'text', name: 'head', title: { default: 'Head', 'zh-cn': '户主' } },
      { type: 'paneldynamic', name: 'members', title: { default: 'Members', 'zh-cn': '家庭成员' }, templateElements: [{ type: 'text', name: 'birth', title: { default: 'Birth', 'zh-cn': '出生日期' } }] }] }],
  }, 'zh');

  it('reads a roster path with the member number and titles', () => {
    expect(diffPathLabel('members[1].birth', index, 'zh')).toBe('家庭成员 第 2 项 · 出生日期');
    expect(diffPathLabel('head', index, 'zh')).toBe('户主');
    expect(diffPathLabel('unknown[0].x', index, 'zh')).toBe('unknown 第 1 项 · x');
  });
});

describe('parseStateFilter', () => {
  it('keeps known states in a fixed order, "all", and falls back to received', () => {
    expect(parseStateFilter('has_issues,received')).toEqual(['received', 'has_issues']);
    expect(parseStateFilter('approved,bogus')).toEqual(['approved']);
    expect(parseStateFilter('all')).toBe('all');
    expect(parseStateFilter(null)).toEqual(['received']);
    expect(parseStateFilter('nope')).toEqual(['received']);
  });
});
