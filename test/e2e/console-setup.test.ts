/**
 * First start without CUNWEN_ADMIN_* in real Chromium: the one-time link the server prints
 * (`…/console/setup#token=…`, captured from start() here instead of stdout) opens the console's
 * setup page; a forged token is refused; the real one creates the admin and lands signed in on the
 * console home, with the token gone from the address bar; the same link used again says it is used.
 */
import fs from 'node:fs';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(90_000);

let server: TestServer;
let browser: Kiosk;
let dir: string;
let link: string;

const NEW_ADMIN = { username: 'wang.admin', displayName: '王管理员', password: 'first-admin-pw-2026' };

beforeAll(async () => {
  server = await startTestServer({ admin: false });
  link = server.setupLink ?? '';
  dir = newProfileDir();
  browser = await launchKiosk(dir);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  // chromium's helper processes may still be letting go of the profile for a moment
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

async function fillSetup(password = NEW_ADMIN.password, again = password): Promise<void> {
  const { page } = browser;
  await page.getByTestId('setup-username').fill(NEW_ADMIN.username);
  await page.getByTestId('setup-display-name').fill(NEW_ADMIN.displayName);
  await page.getByTestId('setup-password').fill(password);
  await page.getByTestId('setup-again').fill(again);
  await page.getByTestId('setup-submit').click();
}

test('the printed link is the console setup page with the token in the fragment; no user exists yet', async () => {
  expect(link.startsWith(`${server.url}console/setup#token=`)).toBe(true);
  const me = await fetch(new URL('/api/v1/auth/me', server.url));
  expect(me.status).toBe(401);
});

test('a forged token is refused with the invalid-link message; the real link creates the admin and signs in on /console', async () => {
  const { page } = browser;
  await page.goto(`${server.url}console/setup#token=forged-token-0123456789`);
  await page.getByTestId('console-setup').waitFor();
  await waitFor(() => new URL(page.url()).hash === '', 'the fragment removed from the address bar');
  await fillSetup();
  const error = page.getByTestId('setup-error');
  await error.waitFor();
  expect(await error.getAttribute('data-code')).toBe('SETUP_TOKEN_INVALID');
  expect(await error.textContent()).toContain('初始化链接无效或已经用过');

  // the real link (opened afresh), the token leaves the URL before anything is typed
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByTestId('console-setup').waitFor();
  await waitFor(() => new URL(page.url()).hash === '', 'the token removed from the address bar');
  expect(new URL(page.url()).pathname).toBe('/console/setup');
  expect(page.url()).not.toContain('token');
  // no history entry holds it either: back is the blank page, forward the setup page without it
  await page.goBack();
  await waitFor(() => page.url() === 'about:blank', 'back to the blank page');
  await page.goForward({ waitUntil: 'commit' }); // may come back from the back-forward cache (no load event)
  await page.getByTestId('console-setup').waitFor();
  expect(page.url()).toBe(`${server.url}console/setup`);

  // the link pasted again into this tab (only the fragment changes): the token leaves the URL again
  await page.goto(link, { waitUntil: 'commit' }); // a same-document (fragment) navigation fires no load event
  await waitFor(() => new URL(page.url()).hash === '', 'the token removed again');

  // client-side check first: mismatched passwords
  await fillSetup(NEW_ADMIN.password, `${NEW_ADMIN.password}x`);
  await waitFor(async () => (await error.textContent()) === '两次输入的密码不一致', 'the mismatch message');

  await fillSetup();
  await page.getByTestId('console-home').waitFor();
  expect(new URL(page.url()).pathname).toBe('/console');
  expect(await page.getByTestId('console-user').textContent()).toContain(NEW_ADMIN.displayName);
  await page.getByTestId('nav-users').waitFor(); // a system-wide admin
  const me = await page.evaluate(async () => {
    const r = await fetch('/api/v1/auth/me');
    return { status: r.status, body: (await r.json()) as { user: { username: string; roles: Array<{ role: string; orgUnitId: string | null }> } } };
  });
  expect(me.status).toBe(200);
  expect(me.body.user.username).toBe(NEW_ADMIN.username);
  expect(me.body.user.roles).toEqual([{ role: 'admin', orgUnitId: null }]);
  expect(browser.cspViolations).toEqual([]);
});

test('the same link a second time says it has been used; the new admin signs in normally', async () => {
  const { page } = browser;
  await page.getByTestId('logout').click();
  await page.getByTestId('console-login').waitFor();

  await page.goto(link);
  await page.getByTestId('console-setup').waitFor();
  await fillSetup();
  const error = page.getByTestId('setup-error');
  await error.waitFor();
  expect(['SETUP_ALREADY_DONE', 'SETUP_TOKEN_INVALID']).toContain(await error.getAttribute('data-code'));
  expect(await error.textContent()).toContain('已经用过');
  await page.getByTestId('lang-switch').click();
  await waitFor(async () => /already been used/.test((await error.textContent()) ?? ''), 'the English message');
  await page.getByTestId('lang-switch').click();
  expect(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status)).toBe(401);

  await page.getByTestId('setup-to-login').click();
  await page.getByTestId('console-login').waitFor();
  await page.getByTestId('login-username').fill(NEW_ADMIN.username);
  await page.getByTestId('login-password').fill(NEW_ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-home').waitFor();
  expect(browser.cspViolations).toEqual([]);
});
