/**
 * The form designer in real Chromium (issue 6): sign in, build a small quiz from a blank form by
 * clicking — three questions, correct answers, a show-if condition, a reorder by keyboard and by
 * pointer drag — publish it after the diff, assign it to a tablet and answer it in the kiosk.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { consoleLogin } from './support/console';
import { keyboardMoveUp } from './support/designer';
import { enrolKiosk } from './support/kiosk';
import { enrolmentCode, listSubmissions } from './support/seed';
import { ADMIN, startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(120_000);

let server: TestServer;
let staff: Kiosk;
let tablet: Kiosk | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  dirs.push(newProfileDir());
  staff = await launchKiosk(dirs[0] as string);
});

afterAll(async () => {
  await staff?.kill();
  await tablet?.kill();
  await server?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function outlineOrder(page: Page): Promise<string[]> {
  return page.locator('[data-testid="outline-page-0"] li.cwd-q').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

async function addQuestion(page: Page, type: string): Promise<void> {
  await page.getByTestId('add-question-0').click();
  await page.getByTestId(`add-${type}`).click();
}

async function waitSaved(page: Page): Promise<void> {
  await waitFor(async () => (await page.getByTestId('save-state').getAttribute('data-state')) === 'saved', 'the draft autosaved', 20_000);
}

test('build a quiz by clicking, publish it with the diff, answer it on a tablet', async () => {
  const { page } = staff;
  const ou = async (code: string, level: string, parentId: string | null) => {
    const r = await server.api<{ id: string }>('POST', '/api/v1/org-units', { code, name: { zh: `${code}村`, en: code }, level, parentId });
    expect(r.status).toBe(201);
    return r.body.id;
  };
  const village = await ou('V1', 'village', await ou('T1', 'township', await ou('C1', 'county', null)));

  await consoleLogin(page, server.url, ADMIN.username, ADMIN.password);
  await page.getByTestId('console-home').waitFor();
  await page.getByTestId('nav-designer').click();
  await page.getByTestId('designer-list').waitFor();

  // a blank knowledge form
  await page.getByTestId('new-form-button').click();
  await page.getByTestId('start-blank').check();
  await page.getByTestId('new-kind').selectOption('knowledge');
  await page.getByTestId('new-slug').fill('designed-quiz');
  await page.getByTestId('new-title-zh').fill('设计器测验');
  await page.getByTestId('new-title-en').fill('Designed quiz');
  await page.getByTestId('new-create').click();
  await page.getByTestId('designer-editor').waitFor();

  // three questions: single choice, true/false, multiple choice
  await addQuestion(page, 'radiogroup');
  await page.getByTestId('prop-title-zh').fill('女性法定婚龄是多少岁?');
  await page.getByTestId('prop-title-en').fill('Legal marriage age for women?');
  await page.getByTestId('prop-choices-zh-0').fill('二十岁');
  await page.getByTestId('prop-choices-zh-1').fill('十八岁');
  await addQuestion(page, 'boolean');
  await page.getByTestId('prop-title-zh').fill('叶酸可以预防出生缺陷');
  await addQuestion(page, 'checkbox');
  await page.getByTestId('prop-title-zh').fill('哪些是避孕方法?');
  expect(await outlineOrder(page)).toEqual(['q1', 'q2', 'q3']);

  // the live preview renders the real survey
  await waitFor(async () => (await page.getByTestId('designer-preview').textContent())?.includes('女性法定婚龄是多少岁'), 'the preview');
  // a click on a question in the preview selects it; the tablet width re-renders the same survey
  await page.getByTestId('designer-preview').locator('[data-name="q1"]').click();
  await waitFor(async () => (await page.getByTestId('property-panel').locator('h3').textContent())?.includes('q1'), 'q1 selected from the preview');
  await page.getByTestId('preview-tablet').click();
  const previewWidth = () => page.getByTestId('designer-preview').evaluate((el) => el.getBoundingClientRect().width);
  await waitFor(async () => (await previewWidth()) > 450, 'the tablet width');
  await page.getByTestId('preview-phone').click();
  await waitFor(async () => (await previewWidth()) < 400, 'the phone width'); // 375 + the frame's border

  // a knowledge form with scored questions lacking a correct answer is flagged
  await waitFor(async () => (await page.getByTestId('problems').textContent())?.includes('(3)'), 'three missing correct answers');

  // correct answers
  await page.getByTestId('select-q1').click();
  await page.getByTestId('prop-correctAnswer-a').check();
  await page.getByTestId('select-q2').click();
  await page.getByTestId('prop-correctAnswer-true').check();
  await page.getByTestId('select-q3').click();
  await page.getByTestId('prop-correctAnswer-a').check();
  await page.getByTestId('prop-correctAnswer-b').check();
  await waitFor(async () => (await page.getByTestId('problems').count()) === 0, 'no problems left');

  // show q3 only if q1 = 'a' (the builder writes the expression)
  await page.getByTestId('prop-visibleIf-add').click();
  await page.getByTestId('prop-visibleIf-question-0').selectOption('q1');
  await page.getByTestId('prop-visibleIf-operator-0').selectOption('equal');
  await page.getByTestId('prop-visibleIf-value-0').selectOption(JSON.stringify('a'));
  await waitFor(async () => (await page.getByTestId('prop-visibleIf-raw').inputValue()) === "{q1} = 'a'", 'the expression');
  // a typo in the raw expression is reported as you type, and undo brings the good one back
  await page.getByTestId('prop-visibleIf-raw').fill("{q9} = 'a'");
  await page.getByTestId('prop-visibleIf-issues').waitFor();
  expect(await page.getByTestId('prop-visibleIf-issues').textContent()).toContain('q9');
  await page.getByTestId('prop-visibleIf-raw').fill("{q1} = 'a'");
  await waitFor(async () => (await page.getByTestId('prop-visibleIf-issues').count()) === 0, 'the expression valid again');

  // reorder by keyboard: q2 up above q1 (Space picks up, ArrowUp moves, Space drops)
  await keyboardMoveUp(page, 'q2', 'q1');
  await waitFor(async () => (await outlineOrder(page)).join() === 'q2,q1,q3', 'q2 first after the keyboard move');

  // reorder by pointer drag: q3 above q1
  const from = await page.getByTestId('drag-q3').boundingBox();
  const to = await page.getByTestId('outline-q-q1').boundingBox();
  if (!from || !to) throw new Error('outline not laid out');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 5 });
  await page.mouse.move(to.x + 20, to.y + 5, { steps: 15 });
  await page.mouse.up();
  await waitFor(async () => (await outlineOrder(page)).join() === 'q2,q3,q1', 'q3 above q1 after the drag');

  // undo / redo the drag
  await page.getByTestId('undo').click();
  await waitFor(async () => (await outlineOrder(page)).join() === 'q2,q1,q3', 'undo restores the order');
  await page.getByTestId('redo').click();
  await waitFor(async () => (await outlineOrder(page)).join() === 'q2,q3,q1', 'redo');
  await page.getByTestId('undo').click(); // keep q2, q1, q3 for the respondent
  await waitFor(async () => (await outlineOrder(page)).join() === 'q2,q1,q3', 'order for publishing');

  // the JSON view shows the same definition
  await page.getByTestId('tab-json').click();
  // CodeMirror renders only the lines in view: go to the end (q3, the last question, has the condition)
  await page.locator('[data-testid="json-editor"] .cm-content').click();
  await page.keyboard.press('Control+End');
  await waitFor(async () => (await page.getByTestId('json-editor').textContent())?.includes('"visibleIf": "{q1} = \'a\'"'), 'the JSON view in sync');
  await waitFor(async () => (await page.getByTestId('json-error').count()) === 0, 'valid JSON');
  await page.getByTestId('tab-design').click();

  await waitSaved(page);

  // publish: the diff (first version) and no problems, then the version
  await page.getByTestId('tab-publish').click();
  await page.getByTestId('publish-diff').waitFor();
  expect(await page.getByTestId('publish-diff').textContent()).toContain('q3');
  await page.getByTestId('publish-confirm').click();
  await page.getByTestId('published').waitFor();

  const forms = await server.api<Array<{ id: string; slug: string; latestVersion: number | null }>>('GET', '/api/v1/forms');
  const form = forms.body.find((f) => f.slug === 'designed-quiz');
  expect(form?.latestVersion).toBe(1);
  const v1 = await server.api<{ definition: { pages: Array<{ elements: Array<Record<string, unknown>> }> } }>('GET', `/api/v1/forms/${form?.id}/versions/1`);
  const els = v1.body.definition.pages[0]?.elements ?? [];
  expect(els.map((e) => e.name)).toEqual(['q2', 'q1', 'q3']);
  expect(els.map((e) => e.correctAnswer)).toEqual([true, 'a', ['a', 'b']]);
  expect(els[2]?.visibleIf).toBe("{q1} = 'a'");
  const audit = await server.api<{ items: Array<{ type: string; targetId: string | null }> }>('GET', '/api/v1/audit?limit=50');
  expect(audit.body.items.some((i) => i.type === 'form.published' && i.targetId === form?.id)).toBe(true);

  // a tablet of the village gets the form and a villager answers it
  dirs.push(newProfileDir());
  tablet = await launchKiosk(dirs[1] as string);
  const kp = tablet.page;
  await enrolKiosk(kp, server.url, await enrolmentCode(server, village, [form?.id ?? '']));
  await kp.getByTestId('tile-designed-quiz').click();
  await kp.getByTestId('respondent').waitFor();
  await kp.locator('[data-name="q2"]').getByText('对', { exact: true }).click();
  expect(await kp.locator('[data-name="q3"]').count()).toBe(0); // hidden until q1 = 'a'
  await kp.locator('[data-name="q1"]').getByText('二十岁', { exact: true }).click();
  await kp.locator('[data-name="q3"]').getByText('选项一', { exact: true }).click();
  await kp.locator('[data-name="q3"]').getByText('选项二', { exact: true }).click();
  await kp.locator('.sd-navigation__complete-btn').click();
  await kp.getByTestId('quiz-result').waitFor();
  await waitFor(async () => (await listSubmissions(server, form?.id ?? '')).length === 1, 'the submission on the server', 30_000);
  const [sub] = await listSubmissions(server, form?.id ?? '');
  expect(sub?.answers).toMatchObject({ q1: 'a', q2: true, q3: ['a', 'b'] });
  expect(staff.cspViolations).toEqual([]);
});
