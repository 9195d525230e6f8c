/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

// styles are not part of what is tested here (jest has no CSS transform)
jest.mock('../../../client/src/ui/styles.css', () => ({}));
jest.mock('../../../client/src/features/console/console.css', () => ({}));

import { I18nProvider } from '../../../client/src/i18n';
import ConsoleApp from '../../../client/src/features/console/ConsoleApp';
import { staffFetch } from '../../../client/src/api/staff';

const ME = (roles: Array<{ role: string; orgUnitId: string | null }>) => ({
  user: { id: 'u1', username: 'li', displayName: '李四', roles, disabled: false, createdAt: 'x', updatedAt: 'x' },
  csrfToken: 'csrf-1', expiresAt: '2030-01-01T00:00:00.000Z',
});

type Handler = (url: string, init: RequestInit) => { status: number; body: unknown };
let handler: Handler;
const calls: Array<{ url: string; init: RequestInit }> = [];

beforeEach(() => {
  calls.length = 0;
  localStorage.clear();
  (globalThis as { fetch: unknown }).fetch = jest.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = handler(url, init);
    return { ok: r.status < 300, status: r.status, json: async () => r.body };
  });
});

const shell = () => render(<I18nProvider><ConsoleApp /></I18nProvider>);

test('signed out: any console URL shows the login page and remembers where to go; signing in goes there', async () => {
  window.history.replaceState(null, '', '/console/nowhere');
  let signedIn = false;
  handler = (url, init) => {
    if (url === '/api/v1/auth/me') return signedIn ? { status: 200, body: ME([{ role: 'admin', orgUnitId: null }]) } : { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '', details: null } } };
    if (url === '/api/v1/auth/login') {
      const body = JSON.parse(String(init.body)) as { password: string };
      if (body.password !== 'right-password') return { status: 401, body: { error: { code: 'LOGIN_FAILED', message: '', details: null } } };
      signedIn = true;
      return { status: 200, body: ME([{ role: 'admin', orgUnitId: null }]) };
    }
    return { status: 404, body: null };
  };
  shell();
  await screen.findByTestId('console-login');
  expect(window.location.pathname).toBe('/console/login');
  expect(new URLSearchParams(window.location.search).get('next')).toBe('/console/nowhere');

  fireEvent.change(screen.getByTestId('login-username'), { target: { value: 'li' } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByTestId('login-submit'));
  expect((await screen.findByTestId('login-error')).textContent).toBe('用户名或密码不正确');

  fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'right-password' } });
  fireEvent.click(screen.getByTestId('login-submit'));
  await screen.findByTestId('console');
  expect(window.location.pathname).toBe('/console/nowhere');
  expect(screen.getByTestId('console-not-found')).toBeTruthy();
});

test('the navigation shows the routes of the user\'s roles; a 401 from a page sends them to login (expired)', async () => {
  window.history.replaceState(null, '', '/console');
  handler = (url) => (url === '/api/v1/auth/me' ? { status: 200, body: ME([{ role: 'reviewer', orgUnitId: 't1' }]) } : { status: 404, body: null });
  shell();
  await screen.findByTestId('console-home');
  expect(screen.getByTestId('console-user').textContent).toContain('李四');
  expect(screen.queryByTestId('nav-review')).toBeTruthy();
  expect(screen.queryByTestId('nav-users')).toBeNull();
  expect(screen.queryByTestId('nav-audit')).toBeNull();
  expect(screen.queryByTestId('nav-devices')).toBeNull();

  // language switch relabels the navigation
  fireEvent.click(screen.getByTestId('lang-switch'));
  expect(screen.getByTestId('nav-review').textContent).toBe('Review');
  fireEvent.click(screen.getByTestId('lang-switch'));

  handler = () => ({ status: 401, body: { error: { code: 'SESSION_EXPIRED', message: '', details: null } } });
  await act(async () => {
    await staffFetch('/submissions').catch(() => undefined);
  });
  await screen.findByTestId('console-login');
  await waitFor(() => expect(window.location.pathname).toBe('/console/login'));
  expect(screen.getByTestId('login-expired').textContent).toBe('登录已过期,请重新登录');
});

test('logout posts with the CSRF header and returns to the login page', async () => {
  window.history.replaceState(null, '', '/console');
  handler = (url) => {
    if (url === '/api/v1/auth/me') return { status: 200, body: ME([{ role: 'admin', orgUnitId: null }]) };
    if (url === '/api/v1/auth/logout') return { status: 204, body: null };
    return { status: 404, body: null };
  };
  shell();
  await screen.findByTestId('console-home');
  fireEvent.click(screen.getByTestId('logout'));
  await screen.findByTestId('console-login');
  const logout = calls.find((c) => c.url === '/api/v1/auth/logout');
  expect(logout?.init.method).toBe('POST');
  expect((logout?.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-1');
  expect(window.location.pathname).toBe('/console/login');
});
