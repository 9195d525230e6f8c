/** @jest-environment jsdom */
import { RESPONDENT_KEY_PREFIX, respondentKey, wipeRespondentTraces } from '../../../client/src/offline/privacy';

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  window.name = '';
});

describe('wipeRespondentTraces', () => {
  test('clears sessionStorage, respondent keys in localStorage and window.name; leaves the rest', () => {
    sessionStorage.setItem('survey-progress', '{"q1":"yes"}');
    sessionStorage.setItem('page', '3');
    localStorage.setItem(respondentKey('answers'), '{"q1":"yes"}');
    localStorage.setItem(respondentKey('startedAt'), '2026-03-12T08:00:00Z');
    localStorage.setItem('cunwen:device', 'tab-07');
    localStorage.setItem('cunwen:locale', 'zh-CN');
    window.name = '{"lastRespondent":"王"}';

    const report = wipeRespondentTraces();
    expect(report).toEqual({ sessionKeysCleared: 2, localKeysCleared: 2, complete: true });
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.getItem(respondentKey('answers'))).toBeNull();
    expect(localStorage.getItem(respondentKey('startedAt'))).toBeNull();
    expect(localStorage.getItem('cunwen:device')).toBe('tab-07');
    expect(localStorage.getItem('cunwen:locale')).toBe('zh-CN');
    expect(window.name).toBe('');
    expect(respondentKey('x').startsWith(RESPONDENT_KEY_PREFIX)).toBe(true);
  });

  test('is idempotent', () => {
    localStorage.setItem(respondentKey('a'), '1');
    wipeRespondentTraces();
    expect(wipeRespondentTraces()).toEqual({ sessionKeysCleared: 0, localKeysCleared: 0, complete: true });
  });

  test('a storage that throws is reported as an incomplete wipe, and the rest is still cleared', () => {
    const local = new Map<string, string>([[respondentKey('a'), '1']]);
    const fakeLocal = {
      get length() {
        return local.size;
      },
      key: (i: number) => [...local.keys()][i] ?? null,
      removeItem: (k: string) => void local.delete(k),
    } as unknown as Storage;
    const target = {
      get sessionStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
      localStorage: fakeLocal,
      name: 'x',
    };
    const report = wipeRespondentTraces(target);
    expect(report.complete).toBe(false);
    expect(report.localKeysCleared).toBe(1);
    expect(local.size).toBe(0);
    expect(target.name).toBe('');
  });
});
