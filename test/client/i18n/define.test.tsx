/** @jest-environment jsdom */
import { act, render, screen } from '@testing-library/react';
import { I18nProvider, useI18n } from '../../../client/src/i18n';
import { defineStrings } from '../../../client/src/i18n/define';

const s = defineStrings({
  zh: { title: '用户管理', count: '共 {n} 人', onlyZh: '只有中文' },
  en: { title: 'Users', count: '{n} users' },
});

function Page() {
  const { t, lang } = s.useStrings();
  const { toggle } = useI18n();
  return (
    <div>
      <h1>{t('title')}</h1>
      <p>{t('count', { n: 3 })}</p>
      <p>{t('onlyZh')}</p>
      <span>{lang}</span>
      <button onClick={toggle}>switch</button>
    </div>
  );
}

beforeEach(() => localStorage.clear());

test('a feature table follows the shared language switch; English falls back to zh-CN per key', () => {
  render(<I18nProvider><Page /></I18nProvider>);
  expect(screen.getByRole('heading').textContent).toBe('用户管理');
  expect(screen.getByText('共 3 人')).toBeTruthy();
  act(() => screen.getByText('switch').click());
  expect(screen.getByRole('heading').textContent).toBe('Users');
  expect(screen.getByText('3 users')).toBeTruthy();
  expect(screen.getByText('只有中文')).toBeTruthy();
  expect(screen.getByText('en')).toBeTruthy();
});

test('format outside React; unknown placeholders are kept', () => {
  expect(s.format('zh', 'count', { n: 2 })).toBe('共 2 人');
  expect(s.format('en', 'count')).toBe('{n} users');
  expect(s.format('en', 'onlyZh')).toBe('只有中文');
  // @ts-expect-error — keys are typed
  expect(s.format('zh', 'nope')).toBe('nope');
});
