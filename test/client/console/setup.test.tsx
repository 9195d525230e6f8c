/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

// styles are not part of what is tested here (jest has no CSS transform)
jest.mock('../../../client/src/ui/styles.css', () => ({}));
jest.mock('../../../client/src/features/console/console.css', () => ({}));

import { I18nProvider } from '../../../client/src/i18n';
import ConsoleApp from '../../../client/src/features/console/ConsoleApp';
import { readSetupToken } from '../../../client/src/features/console/SetupPage';

const TOKEN = 'one-time-setup-token-0123456789';
const ME = {
  user: { id: 'u1', username: 'zhang', displayName: '张三', roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: 'x', updatedAt: 'x' },
  csrfToken: 'csrf-setup', expiresAt: '2030-01-01T00:00:00.000Z',
};
const err = (status: number, code: string) => ({ status, body: { error: { code, message: '', details: null } } });

type Handler = (url: string, init: RequestInit) => { status: number; body: unknown };
let handler: Handler;
const calls: Array<{ url: string; init: RequestInit }> = [];
const setupCalls = () => calls.filter((c) => c.url === '/api/v1/auth/setup');

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

function fill(values: { username?: string; displayName?: string; password?: string; again?: string }) {
  const ids = { username: 'setup-username', displayName: 'setup-display-name', password: 'setup-password', again: 'setup-again' } as const;
  for (const [k, v] of Object.entries(values)) fireEvent.change(screen.getByTestId(ids[k as keyof typeof ids]), { target: { value: v } });
}

test('readSetupToken: the token from the fragment, or null', () => {
  expect(readSetupToken(`#token=${TOKEN}`)).toBe(TOKEN);
  expect(readSetupToken('#token=a%2Bb')).toBe('a+b');
  expect(readSetupToken('')).toBeNull();
  expect(readSetupToken('#token=')).toBeNull();
  expect(readSetupToken('#other=1')).toBeNull();
});

test('signed out at /console/setup#token=…: the token is read and removed from the address bar; a mismatch is caught before any request; success signs in on /console', async () => {
  window.history.replaceState(null, '', `/console/setup#token=${TOKEN}`);
  const historyLength = window.history.length;
  let signedIn = false;
  handler = (url) => {
    if (url === '/api/v1/auth/me') return signedIn ? { status: 200, body: ME } : err(401, 'UNAUTHENTICATED');
    if (url === '/api/v1/auth/setup') {
      signedIn = true;
      return { status: 201, body: ME };
    }
    return { status: 404, body: null };
  };
  shell();
  await screen.findByTestId('console-setup');
  // not redirected to the login page, and the token is gone from the URL without a new history entry
  await waitFor(() => expect(window.location.hash).toBe(''));
  expect(window.location.pathname).toBe('/console/setup');
  expect(window.location.href).not.toContain(TOKEN);
  expect(window.history.length).toBe(historyLength);
  expect(screen.queryByTestId('console-login')).toBeNull();

  fill({ username: 'zhang', displayName: '张三', password: 'long-enough-pw', again: 'long-enough-pX' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  expect((await screen.findByTestId('setup-error')).textContent).toBe('两次输入的密码不一致');
  expect(setupCalls()).toHaveLength(0);

  fill({ again: 'long-enough-pw' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  await screen.findByTestId('console-home');
  expect(window.location.pathname).toBe('/console');
  expect(screen.getByTestId('console-user').textContent).toContain('张三');
  expect(setupCalls()).toHaveLength(1);
  const call = setupCalls()[0]!;
  expect(call.init.method).toBe('POST');
  expect(JSON.parse(String(call.init.body))).toEqual({ token: TOKEN, username: 'zhang', displayName: '张三', password: 'long-enough-pw' });
});

test('client-side policy: username shape, display name, password length (from PasswordSchema); nothing is sent', async () => {
  window.history.replaceState(null, '', `/console/setup#token=${TOKEN}`);
  handler = (url) => (url === '/api/v1/auth/me' ? err(401, 'UNAUTHENTICATED') : { status: 404, body: null });
  shell();
  await screen.findByTestId('console-setup');
  const error = async () => (await screen.findByTestId('setup-error')).textContent;

  fill({ username: '-bad name', displayName: '张三', password: 'long-enough-pw', again: 'long-enough-pw' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  expect(await error()).toContain('用户名需 2–40 位');

  fill({ username: 'zhang', displayName: '   ' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  await waitFor(async () => expect(await error()).toBe('请输入显示名称'));

  fill({ displayName: '张三', password: 'short', again: 'short' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  await waitFor(async () => expect(await error()).toBe('密码至少 10 位'));

  fireEvent.click(screen.getByTestId('lang-switch'));
  fireEvent.click(screen.getByTestId('setup-submit'));
  await waitFor(async () => expect(await error()).toBe('The password needs at least 10 characters'));
  expect(setupCalls()).toHaveLength(0);
});

test('the server\'s codes: an invalid or used token and an existing admin get their own zh-CN / English messages', async () => {
  window.history.replaceState(null, '', `/console/setup#token=${TOKEN}`);
  let answer = err(403, 'SETUP_TOKEN_INVALID');
  handler = (url) => {
    if (url === '/api/v1/auth/me') return err(401, 'UNAUTHENTICATED');
    if (url === '/api/v1/auth/setup') return answer;
    return { status: 404, body: null };
  };
  shell();
  await screen.findByTestId('console-setup');
  fill({ username: 'zhang', displayName: '张三', password: 'long-enough-pw', again: 'long-enough-pw' });
  fireEvent.click(screen.getByTestId('setup-submit'));
  const error = await screen.findByTestId('setup-error');
  expect(error.getAttribute('data-code')).toBe('SETUP_TOKEN_INVALID');
  expect(error.textContent).toContain('初始化链接无效或已经用过');
  fireEvent.click(screen.getByTestId('lang-switch'));
  expect(screen.getByTestId('setup-error').textContent).toContain('invalid or has already been used');
  fireEvent.click(screen.getByTestId('lang-switch'));

  answer = err(409, 'SETUP_ALREADY_DONE');
  fireEvent.click(screen.getByTestId('setup-submit'));
  await waitFor(() => expect(screen.getByTestId('setup-error').getAttribute('data-code')).toBe('SETUP_ALREADY_DONE'));
  expect(screen.getByTestId('setup-error').textContent).toContain('已经用过:系统已有管理员');
  // still signed out, still on the setup page; the way on is the login page
  expect(window.location.pathname).toBe('/console/setup');
  fireEvent.click(screen.getByTestId('setup-to-login'));
  await screen.findByTestId('console-login');
  expect(window.location.pathname).toBe('/console/login');
});

test('without a token in the link the page says so and sends nothing', async () => {
  window.history.replaceState(null, '', '/console/setup');
  handler = (url) => (url === '/api/v1/auth/me' ? err(401, 'UNAUTHENTICATED') : { status: 404, body: null });
  shell();
  const error = await screen.findByTestId('setup-error');
  expect(error.textContent).toContain('链接中没有初始化令牌');
  expect((screen.getByTestId('setup-submit') as HTMLButtonElement).disabled).toBe(true);
  expect(setupCalls()).toHaveLength(0);

  // the link pasted into the same tab changes only the fragment: its token is taken and removed too
  window.location.hash = `#token=${TOKEN}`;
  await waitFor(() => expect((screen.getByTestId('setup-submit') as HTMLButtonElement).disabled).toBe(false));
  expect(window.location.hash).toBe('');
  expect(screen.queryByTestId('setup-error')).toBeNull();
});

test('already signed in: the setup link goes to the console home and the token leaves the URL', async () => {
  window.history.replaceState(null, '', `/console/setup#token=${TOKEN}`);
  handler = (url) => (url === '/api/v1/auth/me' ? { status: 200, body: ME } : { status: 404, body: null });
  shell();
  await screen.findByTestId('console-home');
  await waitFor(() => expect(window.location.pathname).toBe('/console'));
  expect(window.location.hash).toBe('');
});
