/** @jest-environment jsdom */
import { z } from 'zod';
import {
  ApiError, currentCsrfToken, describeError, getMe, login, onUnauthorized, setCsrfToken, staffFetch, withQuery,
} from '../../../client/src/api/staff';

interface Call { url: string; init: RequestInit }
let calls: Call[];
let replies: Array<{ status: number; body: unknown }>;

beforeEach(() => {
  calls = [];
  replies = [];
  setCsrfToken(null);
  document.cookie = 'cw_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
  (globalThis as { fetch: unknown }).fetch = jest.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = replies.shift() ?? { status: 200, body: {} };
    return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.body };
  });
});

const headers = (c: Call | undefined) => (c?.init.headers ?? {}) as Record<string, string>;
const me = (csrf: string) => ({
  user: { id: 'u1', username: 'admin', displayName: '管理员', roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: 'x', updatedAt: 'x' },
  csrfToken: csrf, expiresAt: '2026-01-01T00:00:00.000Z',
});

test('writes carry X-CSRF-Token (from login), reads do not; cookies go along', async () => {
  replies.push({ status: 200, body: me('tok-1') });
  await login('Admin', 'password-123');
  expect(calls[0]?.url).toBe('/api/v1/auth/login');
  expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ username: 'admin', password: 'password-123' });
  expect(currentCsrfToken()).toBe('tok-1');

  replies.push({ status: 200, body: [] }, { status: 200, body: { ok: true } });
  await staffFetch('/users', { query: { status: 'x', empty: '', none: undefined } });
  await staffFetch('/users/u2/password', { method: 'POST', body: { password: 'p' } });
  expect(calls[1]?.url).toBe('/api/v1/users?status=x');
  expect(headers(calls[1])['X-CSRF-Token']).toBeUndefined();
  expect(calls[1]?.init.credentials).toBe('same-origin');
  expect(headers(calls[2])['X-CSRF-Token']).toBe('tok-1');
  expect(headers(calls[2])['Content-Type']).toBe('application/json');
});

test('without a remembered token the cw_csrf cookie is used', async () => {
  document.cookie = 'cw_csrf=from-cookie; path=/';
  replies.push({ status: 204, body: null });
  await staffFetch('/devices/d1/revoke', { method: 'POST', body: {} });
  expect(headers(calls[0])['X-CSRF-Token']).toBe('from-cookie');
});

test('a 401 calls the unauthorized handler (redirect to login) and throws its code; sign-in and /auth/me do not redirect', async () => {
  const seen: string[] = [];
  const off = onUnauthorized((e) => seen.push(e.code));
  replies.push({ status: 401, body: { error: { code: 'SESSION_EXPIRED', message: 'expired', details: null } } });
  await expect(staffFetch('/users')).rejects.toMatchObject({ code: 'SESSION_EXPIRED', status: 401 });
  expect(seen).toEqual(['SESSION_EXPIRED']);

  replies.push({ status: 401, body: { error: { code: 'LOGIN_FAILED', message: 'no', details: null } } });
  await expect(login('admin', 'wrong-password')).rejects.toBeInstanceOf(ApiError);
  replies.push({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'no', details: null } } });
  expect(await getMe()).toBeNull();
  expect(seen).toEqual(['SESSION_EXPIRED']);

  // a 403 is not a session problem
  replies.push({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'no', details: null } } });
  await expect(staffFetch('/audit')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(seen).toEqual(['SESSION_EXPIRED']);
  off();
  replies.push({ status: 401, body: { error: { code: 'SESSION_EXPIRED', message: 'x', details: null } } });
  await expect(staffFetch('/users')).rejects.toBeInstanceOf(ApiError);
  expect(seen).toHaveLength(1);
});

test('replies are checked with the schema; network failures and unreadable errors get stable codes', async () => {
  replies.push({ status: 200, body: { n: 'not a number' } });
  await expect(staffFetch('/x', { schema: z.object({ n: z.number() }) })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  replies.push({ status: 502, body: null });
  await expect(staffFetch('/x')).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
  (globalThis as { fetch: unknown }).fetch = jest.fn(async () => { throw new TypeError('Failed to fetch'); });
  await expect(staffFetch('/x')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
});

test('error messages in zh and en, lockouts with the wait', () => {
  expect(describeError(new ApiError('LOGIN_FAILED', 'x', 401), 'zh')).toBe('用户名或密码不正确');
  expect(describeError(new ApiError('LOGIN_FAILED', 'x', 401), 'en')).toBe('Wrong username or password');
  expect(describeError(new ApiError('LOGIN_LOCKED', 'x', 429, { retryAfterSeconds: 900 }), 'zh')).toBe('登录失败次数过多,请稍后再试(约 15 分钟)');
  expect(describeError(new ApiError('RATE_LIMITED', 'x', 429, { retryAfterSeconds: 20 }), 'en')).toBe('Too many requests; try again later (20 seconds)');
  expect(describeError(new ApiError('SOMETHING_NEW', 'server text', 400), 'zh')).toBe('server text');
  expect(withQuery('/a?b=1', { c: 2 })).toBe('/a?b=1&c=2');
});
