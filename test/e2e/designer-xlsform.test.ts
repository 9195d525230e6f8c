/**
 * The designer in real Chromium (issue 6), other ways in: an XLSForm upload lists what could not
 * be carried over by row, creates the form; the JSON view edits flow back to the design view;
 * republishing a changed correct answer shows the comparability warning before publishing.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { consoleLogin } from './support/console';
import { ADMIN, startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(120_000);

let server: TestServer;
let browser: Kiosk;
const dir = newProfileDir();

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchKiosk(dir);
});

afterAll(async () => {
  await browser?.kill();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const add = (name: string, rows: ExcelJS.CellValue[][]) => { const ws = wb.addWorksheet(name); rows.forEach((r, i) => { ws.getRow(i + 1).values = r; }); };
  add('survey', [
    ['type', 'name', 'label::Chinese (zh)', 'label::English (en)', 'required', 'relevant'],
    ['select_one yn', 'heard', '听说过免费孕检吗', 'Heard of free check-ups?', 'yes'],
    ['integer', 'times', '去过几次', 'How many times', '', "${heard} = 'yes'"],
    ['geopoint', 'gps', '位置', 'Location'],
  ]);
  add('choices', [['list_name', 'name', 'label::Chinese (zh)', 'label::English (en)'], ['yn', 'yes', '是', 'Yes'], ['yn', 'no', '否', 'No']]);
  add('settings', [['form_title', 'form_id'], ['孕检知晓', 'checkup']]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function outline(page: Page): Promise<string[]> {
  return page.locator('li.cwd-q').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
}

test('XLSForm upload → form; JSON edits → design view; a changed correct answer warns before republishing', async () => {
  const { page } = browser;
  await consoleLogin(page, server.url, ADMIN.username, ADMIN.password);
  await page.getByTestId('console-home').waitFor();
  await page.goto(new URL('/console/designer', server.url).toString());
  await page.getByTestId('new-form-button').click();
  await page.getByTestId('start-xlsform').check();
  await page.getByTestId('new-kind').selectOption('general');
  await page.getByTestId('xlsform-file').setInputFiles({ name: 'checkup.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await xlsx() });
  const problems = page.getByTestId('xlsform-problems');
  await problems.waitFor();
  expect(await problems.textContent()).toMatch(/survey 表第 4 行 \(gps\)/); // the geopoint row, never silently dropped
  expect(await page.getByTestId('new-title-zh').inputValue()).toBe('孕检知晓');
  expect(await page.getByTestId('new-slug').inputValue()).toBe('checkup');
  await page.getByTestId('new-create').click();
  await page.getByTestId('designer-editor').waitFor();
  expect(await outline(page)).toEqual(['heard', 'times']);
  await page.getByTestId('select-times').click();
  expect(await page.getByTestId('prop-visibleIf-raw').inputValue()).toBe("{heard} = 'yes'");

  // the JSON view: replace the definition by typing; the design view follows
  await page.getByTestId('tab-json').click();
  await page.locator('[data-testid="json-editor"] .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  const edited = {
    locale: 'zh-cn',
    pages: [{ name: 'p1', elements: [
      { type: 'radiogroup', name: 'heard', title: { 'zh-cn': '听说过吗', default: 'Heard?' }, choices: ['yes', 'no'], isRequired: true },
      { type: 'comment', name: 'why', title: '为什么' },
    ] }],
  };
  await page.keyboard.insertText(JSON.stringify(edited));
  // a broken edit is reported and not applied
  await page.keyboard.press('Backspace');
  await page.getByTestId('json-error').waitFor();
  await page.keyboard.insertText('}');
  await waitFor(async () => (await page.getByTestId('json-error').count()) === 0, 'valid JSON again');
  await page.getByTestId('tab-design').click();
  await waitFor(async () => (await outline(page)).join() === 'heard,why', 'the design view shows the JSON edit');
  // untranslated strings: the comment title has no English
  await page.getByTestId('tab-translations').click();
  expect(await page.getByTestId('untranslated').textContent()).toContain('为什么');
  await page.getByTestId('undo').click();
  await page.getByTestId('tab-design').click();
  await waitFor(async () => (await outline(page)).join() === 'heard,times', 'undo of the JSON edit');
  await page.getByTestId('redo').click();
  await waitFor(async () => (await outline(page)).join() === 'heard,why', 'redo of the JSON edit');

  await waitFor(async () => (await page.getByTestId('save-state').getAttribute('data-state')) === 'saved', 'autosaved', 20_000);
  await page.getByTestId('tab-publish').click();
  await page.getByTestId('publish-diff').waitFor();
  await page.getByTestId('publish-confirm').click();
  await page.getByTestId('published').waitFor();

  // a knowledge quiz published once, then its correct answer changed in the designer
  const created = await server.api<{ id: string }>('POST', '/api/v1/forms', {
    slug: 'quiz-two', kind: 'knowledge', title: { zh: '测验二' },
    definition: { pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'k1', title: '婚龄', choices: ['18', '20'], correctAnswer: '20' }] }] },
  });
  expect((await server.api('POST', `/api/v1/forms/${created.body.id}/publish`, {})).status).toBe(201);
  await page.goto(new URL(`/console/designer/${created.body.id}`, server.url).toString());
  await page.getByTestId('designer-editor').waitFor();
  await page.getByTestId('select-k1').click();
  await page.getByTestId('prop-correctAnswer-18').check();
  await waitFor(async () => (await page.getByTestId('save-state').getAttribute('data-state')) === 'saved', 'autosaved', 20_000);
  await page.getByTestId('tab-publish').click();
  const warnings = page.getByTestId('publish-warnings');
  await warnings.waitFor();
  expect(await warnings.textContent()).toContain('k1 的正确答案改变了');
  await page.getByTestId('publish-confirm').click();
  await page.getByTestId('published').waitFor();
  const v2 = await server.api<{ definition: { pages: Array<{ elements: Array<{ correctAnswer?: unknown }> }> } }>('GET', `/api/v1/forms/${created.body.id}/versions/2`);
  expect(v2.body.definition.pages[0]?.elements[0]?.correctAnswer).toBe('18');

  // from a template, and a copy of an existing form
  const start = async (how: 'template' | 'copy', slug: string, pick: (p: Page) => Promise<void>) => {
    await page.goto(new URL('/console/designer', server.url).toString());
    await page.getByTestId('new-form-button').click();
    await page.getByTestId(`start-${how}`).check();
    await pick(page);
    await page.getByTestId('new-slug').fill(slug);
    if (!(await page.getByTestId('new-title-zh').inputValue())) await page.getByTestId('new-title-zh').fill(slug);
    await page.getByTestId('new-create').click();
    await page.getByTestId('designer-editor').waitFor();
  };
  await start('template', 'sat-from-template', async (p) => { await p.getByTestId('start-template-select').selectOption('satisfaction-survey'); });
  expect((await outline(page)).length).toBeGreaterThan(3);
  await start('copy', 'quiz-two-copy', async (p) => { await p.getByTestId('start-copy-select').selectOption({ label: '测验二 (quiz-two)' }); });
  expect(await outline(page)).toEqual(['k1']);
  const copies = await server.api<Array<{ slug: string; kind: string }>>('GET', '/api/v1/forms');
  expect(copies.body.find((f) => f.slug === 'quiz-two-copy')?.kind).toBe('knowledge');
  expect(copies.body.find((f) => f.slug === 'sat-from-template')?.kind).toBe('satisfaction');
  expect(browser.cspViolations).toEqual([]);
});
