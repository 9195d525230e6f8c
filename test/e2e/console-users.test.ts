/**
 * Users and the reviewer's reveal, in real Chromium (issue 3): an admin creates a reviewer on a
 * township from the org-unit tree; the reviewer signs in, sees a census submission masked and
 * reveals it (the server audits the reveal, the admin sees it in the audit log); the admin resets
 * the reviewer's password and disables them, after which signing in fails.
 */
import { randomUUID } from 'node:crypto';
import { idCardCheckDigit } from '../../common/forms/survey-functions';
import { loadTemplate } from '../../form-definitions';
import { useE2e } from './support/harness';
import { ADMIN, waitFor } from './support/server';

jest.setTimeout(120_000);

const e2e = useE2e({ seed: true, browser: true });

const ID17 = '11010519491231002';
const NATIONAL_ID = `${ID17}${idCardCheckDigit(ID17)}`;
const REVIEWER = { username: 'shen.he', name: '审核员小李', password: 'reviewer-pass-1' };

let townshipId: string;
let censusId: string;

beforeAll(async () => {
  const { server, seeded } = e2e;
  const units = await server.api<Array<{ id: string; code: string }>>('GET', '/api/v1/org-units');
  townshipId = units.body.find((u) => u.code === 'T1')!.id;
  const tpl = loadTemplate('household-census')!;
  const form = await server.api<{ id: string }>('POST', '/api/v1/forms', { slug: 'household', kind: 'census', title: tpl.title, definition: tpl.definition });
  expect((await server.api('POST', `/api/v1/forms/${form.body.id}/publish`, {})).status).toBe(201);
  censusId = randomUUID();
  const answers = {
    household_code: '110105001001000001', address: '一组1号', head_name: '张国庆', registration_type: 'agricultural', phone: '13912345678',
    members: [{ name: '张国庆', relationship: 'head', sex: 'male', birth_date: '1949-12-31', national_id: NATIONAL_ID, marital_status: 'married', population_type: 'registered' }],
  };
  const r = await server.api<{ results: Array<{ status: string }> }>('POST', '/api/v1/submissions', {
    submissions: [{ id: censusId, formId: form.body.id, formVersion: 1, orgUnit: seeded.villageId, answers, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:30:00Z' }],
  });
  expect(r.body.results[0]?.status).toBe('stored');
});

test('create a reviewer on a township; the reviewer reveals census data (audited); reset and disable', async () => {
  const { server } = e2e;
  const { page } = e2e.browser;
  await e2e.signIn(page);
  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-create').waitFor();

  // missing role: refused before calling the server
  await page.getByTestId('user-new-username').fill(REVIEWER.username);
  await page.getByTestId('user-new-name').fill(REVIEWER.name);
  await page.getByTestId('user-new-password').fill(REVIEWER.password);
  await page.getByTestId('user-create-submit').click();
  expect(await page.getByTestId('user-create-message').textContent()).toBe('至少需要一个角色');

  await page.getByTestId('user-new-roles-role').selectOption('reviewer');
  await page.getByTestId('user-new-roles-unit').selectOption(townshipId);
  await page.getByTestId('user-new-roles-add').click();
  await page.getByTestId('user-create-submit').click();
  await page.getByTestId('user-create-message').filter({ hasText: `已创建用户 ${REVIEWER.name}` }).waitFor();
  const row = page.getByTestId(`user-row-${REVIEWER.username}`);
  await row.waitFor();
  expect(await row.textContent()).toContain('审核员 · T1村');
  const created = (await server.api<Array<{ username: string; roles: unknown }>>('GET', '/api/v1/users')).body.find((u) => u.username === REVIEWER.username);
  expect(created?.roles).toEqual([{ role: 'reviewer', orgUnitId: townshipId }]);

  // the reviewer: the navigation shows only what a reviewer may open; the census record is masked
  await page.getByTestId('logout').click();
  await page.getByTestId('console-login').waitFor();
  await page.getByTestId('login-username').fill(REVIEWER.username);
  await page.getByTestId('login-password').fill(REVIEWER.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-home').waitFor();
  await page.getByTestId('nav-review').waitFor();
  expect(await page.getByTestId('nav-users').count()).toBe(0);
  expect(await page.getByTestId('nav-audit').count()).toBe(0);
  // a page the role may not open, by URL
  await page.goto(new URL('/console/users', server.url).toString());
  await page.getByTestId('console-forbidden').waitFor();

  await page.goto(new URL(`/console/review/${censusId}`, server.url).toString());
  await page.getByTestId('review-masked').waitFor();
  const head = page.getByTestId('answer-head_name');
  expect(await head.textContent()).not.toContain('张国庆');
  expect(await page.getByTestId('answer-members').textContent()).not.toContain(NATIONAL_ID);
  await page.getByTestId('review-reveal').click();
  await page.getByTestId('review-revealed').waitFor();
  await waitFor(async () => (await head.textContent())?.includes('张国庆'), 'the clear name');
  expect(await page.getByTestId('answer-members').textContent()).toContain(NATIONAL_ID);

  // the admin sees the reveal in the audit log, then resets the password and disables the reviewer
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('console-home').waitFor();
  await page.goto(new URL('/console/audit?type=census.revealed', server.url).toString());
  const reveal = page.locator('[data-testid="audit-row"][data-type="census.revealed"]');
  await reveal.waitFor();
  expect(await reveal.count()).toBe(1); // one reveal, one event (no revisions to reveal)
  expect(await reveal.textContent()).toContain(REVIEWER.username);
  expect(await reveal.textContent()).toContain(censusId);

  await page.getByTestId('nav-users').click();
  await page.getByTestId(`user-edit-open-${REVIEWER.username}`).click();
  await page.getByTestId('user-reset-password').fill('a-new-password-2');
  await page.getByTestId('user-reset-submit').click();
  await page.getByTestId('user-edit-message').filter({ hasText: '密码已重置' }).waitFor();
  await page.getByTestId('user-toggle-disabled').click(); // confirm() accepted by the test browser
  await row.filter({ hasText: '已停用' }).waitFor();

  const login = await page.evaluate(async (u) => (await fetch('/api/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'a-new-password-2' }),
  })).status, REVIEWER.username);
  expect(login).toBe(401);
  expect(e2e.browser.cspViolations).toEqual([]);
});
