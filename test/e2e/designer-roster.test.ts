/**
 * The designer in real Chromium: a roster (dynamic panel) member question reordered by keyboard
 * inside its roster (dnd-kit, Space / ArrowUp / Space), moved out with "move to…", autosaved; then
 * a second person saves the same draft and this designer's next autosave meets the conflict banner.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { consoleLogin } from './support/console';
import { keyboardMoveUp } from './support/designer';
import { ADMIN, startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(120_000);

let server: TestServer;
let staff: Kiosk;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  dirs.push(newProfileDir());
  staff = await launchKiosk(dirs[0] as string);
});

afterAll(async () => {
  await staff?.kill();
  await server?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function members(page: Page): Promise<string[]> {
  return page.locator('[data-testid="children-household"] > li.cwd-q').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

type Draft = { draft: { pages: Array<{ elements: Array<{ name: string; templateElements?: Array<{ name: string }> }> }> }; draftUpdatedAt: string };

test('reorder a roster member by keyboard, move one out, then meet a draft conflict', async () => {
  const { page } = staff;
  const created = await server.api<{ id: string }>('POST', '/api/v1/forms', {
    slug: 'roster-form', kind: 'census', title: { zh: '户籍' },
    definition: { pages: [{ name: 'p1', elements: [
      { type: 'text', name: 'head', title: '户主' },
      { type: 'paneldynamic', name: 'household', title: '家庭成员', templateElements: [
        { type: 'text', name: 'm_name', title: '姓名' }, { type: 'text', name: 'm_age', inputType: 'number', title: '年龄' }, { type: 'text', name: 'm_job', title: '职业' },
      ] },
    ] }] },
  });
  expect(created.status).toBe(201);
  const formId = created.body.id;

  await consoleLogin(page, server.url, ADMIN.username, ADMIN.password);
  await page.getByTestId('console-home').waitFor();
  await page.goto(new URL(`/console/designer/${formId}`, server.url).toString());
  await page.getByTestId('designer-editor').waitFor();
  expect(await members(page)).toEqual(['m_name', 'm_age', 'm_job']);

  // keyboard: m_job up above m_age, inside the roster
  await keyboardMoveUp(page, 'm_job', 'm_age');
  await waitFor(async () => (await members(page)).join() === 'm_name,m_job,m_age', 'm_job above m_age after the keyboard move');
  // the page-level order is untouched
  expect(await page.locator('[data-testid="outline-page-0"] > ul > li.cwd-q').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['head', 'household']);

  // undo / redo the keyboard move
  await page.getByTestId('undo').click();
  await waitFor(async () => (await members(page)).join() === 'm_name,m_age,m_job', 'undo');
  await page.getByTestId('redo').click();
  await waitFor(async () => (await members(page)).join() === 'm_name,m_job,m_age', 'redo');

  // "move to…": m_age out of the roster onto the page
  await page.getByTestId('select-m_age').click();
  await page.getByTestId('moveto-m_age').selectOption('p1');
  await waitFor(async () => (await members(page)).join() === 'm_name,m_job', 'm_age left the roster');

  await waitFor(async () => (await page.getByTestId('save-state').getAttribute('data-state')) === 'saved', 'autosaved', 20_000);
  const saved = await server.api<Draft>('GET', `/api/v1/forms/${formId}`);
  const els = saved.body.draft.pages[0]?.elements ?? [];
  expect(els.map((e) => e.name)).toEqual(['head', 'household', 'm_age']);
  expect(els[1]?.templateElements?.map((e) => e.name)).toEqual(['m_name', 'm_job']);

  // someone else saves the draft; this designer's next autosave is refused and the banner shows
  const other = await server.api<Draft>('PATCH', `/api/v1/forms/${formId}`, {
    definition: { ...saved.body.draft, title: '别人改的' }, expectedDraftUpdatedAt: saved.body.draftUpdatedAt,
  });
  expect(other.status).toBe(200);
  await page.getByTestId('select-head').click();
  await page.getByTestId('prop-title-zh').fill('户主姓名');
  await page.getByTestId('draft-conflict').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('save-state').getAttribute('data-state')).toBe('conflict');
  expect((await server.api<Draft>('GET', `/api/v1/forms/${formId}`)).body.draftUpdatedAt).toBe(other.body.draftUpdatedAt); // nothing written
  // reload the server's draft: the other person's edit is there, ours is gone, autosave resumes
  await page.getByTestId('conflict-reload').click();
  await waitFor(async () => (await page.getByTestId('draft-conflict').count()) === 0, 'the banner closes');
  await page.getByTestId('select-survey').click();
  expect(await page.getByTestId('prop-title-zh').inputValue()).toBe('别人改的');
});
