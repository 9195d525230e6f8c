/**
 * Staff console sign-in in real Chromium (issue 3): a wrong password shows the error, the right
 * one lands on the console (its navigation built from the admin's roles), a deep link survives
 * the detour through the login page, logout returns to it and the session is gone.
 */
import { useE2e } from './support/harness';
import { ADMIN, waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ browser: true });


test('wrong password → error; right password → console; logout → login page, session revoked', async () => {
  const { server } = e2e;
  const { page } = e2e.browser;
  await e2e.signIn(page, { ...ADMIN, password: 'not-the-password' });
  const error = page.getByTestId('login-error');
  await error.waitFor();
  expect(await error.textContent()).toContain('用户名或密码不正确');
  expect(new URL(page.url()).pathname).toBe('/console/login');

  // English: the same failure in English
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('login-password').fill('still-wrong-password');
  await page.getByTestId('login-submit').click();
  await waitFor(async () => (await error.textContent())?.includes('Wrong username or password'), 'the English error');
  await page.getByTestId('lang-switch').click();

  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-home').waitFor();
  expect(new URL(page.url()).pathname).toBe('/console');
  expect(await page.getByTestId('console-user').textContent()).toContain(ADMIN.username);
  for (const nav of ['nav-users', 'nav-devices', 'nav-review', 'nav-audit']) await page.getByTestId(nav).waitFor();

  // client-side navigation through the bar, and a reload keeps the page (the server serves index.html)
  await page.getByTestId('nav-users').click();
  await page.getByTestId('users-table').waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/users');
  await page.reload();
  await page.getByTestId(`user-row-${ADMIN.username}`).waitFor();

  await page.getByTestId('logout').click();
  await page.getByTestId('console-login').waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/login');
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
  expect(me).toBe(401);

  // a deep link while signed out: login first, then back where the user wanted to go
  await page.goto(new URL('/console/audit', server.url).toString());
  await page.getByTestId('console-login').waitFor();
  expect(new URL(page.url()).searchParams.get('next')).toBe('/console/audit');
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('audit-table').waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/audit');
  // the failed sign-ins above are in the audit log
  expect(await page.locator('[data-testid="audit-row"][data-type="auth.login_failed"]').count()).toBeGreaterThanOrEqual(2);

  expect(e2e.browser.cspViolations).toEqual([]);
});

test('lockout: after repeated failures the login page says so, with the wait', async () => {
  const { page } = e2e.browser;
  await page.getByTestId('logout').click();
  await page.getByTestId('console-login').waitFor();
  const error = page.getByTestId('login-error');
  for (let i = 0; i < 6; i++) {
    await page.getByTestId('login-username').fill('nobody-here');
    await page.getByTestId('login-password').fill(`wrong-${i}`);
    await page.getByTestId('login-submit').click();
    await waitFor(async () => (await page.getByTestId('login-submit').isEnabled()) && (await error.count()) > 0, `attempt ${i} answered`);
  }
  await waitFor(async () => (await error.textContent())?.includes('登录失败次数过多'), 'the lockout message');
  expect(await error.textContent()).toMatch(/约 \d+ (分钟|秒)/);
});

test('own password change from "my account": the new password signs in, the old one no longer does', async () => {
  const { page } = e2e.browser;
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-user').click();
  await page.getByTestId('account-page').waitFor();
  await page.getByTestId('account-current').fill(ADMIN.password);
  await page.getByTestId('account-new').fill('changed-password-77');
  await page.getByTestId('account-again').fill('changed-password-7');
  await page.getByTestId('account-submit').click();
  expect(await page.getByTestId('account-message').textContent()).toBe('两次输入的新密码不一致');
  await page.getByTestId('account-again').fill('changed-password-77');
  await page.getByTestId('account-submit').click();
  await page.getByTestId('account-message').filter({ hasText: '密码已修改' }).waitFor();
  // still signed in here: the server re-issued this session
  await page.getByTestId('nav-users').click();
  await page.getByTestId('users-table').waitFor();

  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  expect(await page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');
  await page.getByTestId('login-password').fill('changed-password-77');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-home').waitFor();
});
