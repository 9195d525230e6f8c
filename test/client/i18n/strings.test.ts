import { en, zh, type StringKey } from '../../../client/src/i18n/strings';
import { format } from '../../../client/src/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English has every zh-CN key, non-empty, with the same placeholders', () => {
  for (const key of Object.keys(zh) as StringKey[]) {
    expect(en[key]).toBeTruthy();
    expect([key, placeholders(en[key])]).toEqual([key, placeholders(zh[key])]);
  }
  expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
});

test('format fills placeholders and defaults to zh-CN', () => {
  expect(format('zh', 'homeQueued', { n: 3 })).toBe('待上传 3 份');
  expect(format('en', 'homeQueued', { n: 3 })).toBe('3 waiting to upload');
  expect(format('zh', 'idleTitle')).toBe('还在吗?');
  expect(format('en', 'idleTitle')).toBe('Still there?');
});
