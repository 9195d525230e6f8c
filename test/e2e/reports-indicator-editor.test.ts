/**
 * The indicator editor in the staff console (issue 5), in headless Chromium against the real
 * server: an admin creates an `n_of_m` indicator on the knowledge quiz from the screen — core
 * items picked from the quiz's scored questions, a zod problem shown first (n > m), the
 * population basis set — and its card appears on the dashboard with the recomputed figures and
 * the basis; then the indicator is deleted from the screen and its card goes away.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadTemplate } from '../../form-definitions';
import { item, quizAnswers } from '../server/reports.helpers';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/browser';
import { createPublished } from './support/seed';
import { ADMIN, startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(120_000);

let server: TestServer;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};
const pageErrors: string[] = [];
const cspViolations: string[] = [];

async function ok<T>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  server = await startTestServer();
  const mk = async (code: string, zh: string, level: string, parentId: string | null) => {
    ids[code] = (await ok(server.api<{ id: string }>('POST', '/api/v1/org-units', { code, name: { zh, en: code }, level, parentId }), `org unit ${code}`)).id;
  };
  await mk('C1', '和平县', 'county', null);
  await mk('T1', '红星乡', 'township', ids.C1!);
  await mk('V1', '东村', 'village', ids.T1!);
  await mk('V2', '西村', 'village', ids.T1!);
  const quizT = loadTemplate('knowledge-quiz')!;
  const quiz = await createPublished(server, 'knowledge-quiz', 'knowledge', quizT.definition);
  const def = quizT.definition as Record<string, unknown>;
  // quizAnswers(def, k) answers the first k scored questions right: 东村 all 16 right, 西村 only the first 2
  const items = [
    ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, ids.V1!, quizAnswers(def, 16))),
    ...Array.from({ length: 10 }, () => item(quiz.formId, quiz.version, ids.V2!, quizAnswers(def, 2))),
  ];
  const r = await ok(server.api<{ counts: Record<string, number> }>('POST', '/api/v1/submissions', { submissions: items }), 'submit');
  expect(r.counts.stored).toBe(20);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(new URL(`/console/reports/targets?unit=${ids.T1}&period=2026`, server.url).toString());
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('targets-page').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('create an n_of_m indicator on the quiz from the screen; its card shows on the dashboard; delete it', async () => {
  await page.getByTestId('ind-new').click();
  const ed = page.getByTestId('indicator-editor');
  await ed.waitFor();
  await ed.getByTestId('ie-id').fill('core-aware');
  await ed.getByTestId('ie-name-zh').fill('核心知识知晓率');
  await ed.getByTestId('ie-rule').selectOption('n_of_m');
  await ed.getByTestId('ie-form-knowledge-quiz').check();
  // the quiz's scored questions, with their titles; the last three are the core items
  await ed.getByTestId('ie-item-q16_newborn_screening').waitFor();
  expect(await ed.getByTestId('ie-items').locator('input[type="checkbox"]').count()).toBe(16);
  for (const q of ['q14_reward_assistance_age', 'q15_migrant_services', 'q16_newborn_screening']) await ed.getByTestId(`ie-item-${q}`).check();
  // n > m: the shared schema's problem is shown and nothing is sent
  await ed.getByTestId('ie-n').fill('4');
  await ed.getByTestId('ie-save').click();
  await expect(ed.getByTestId('ie-problems').textContent()).resolves.toContain('n cannot exceed the number of core items');
  await ed.getByTestId('ie-n').fill('2');
  await ed.getByTestId('ie-basis').selectOption('resident');
  await expect(ed.getByTestId('ie-recompute').textContent()).resolves.toContain('重新计算');
  await ed.getByTestId('ie-save').click();
  await expect(page.getByTestId('ind-created').textContent()).resolves.toContain('核心知识知晓率');
  await page.getByTestId('targets-core-aware').waitFor();

  const stored = await ok(server.api<{ rule: unknown; populationBasis: string }>('GET', '/api/v1/indicators/core-aware'), 'indicator');
  expect(stored.rule).toEqual({ type: 'n_of_m', items: ['q14_reward_assistance_age', 'q15_migrant_services', 'q16_newborn_screening'], n: 2 });
  expect(stored.populationBasis).toBe('resident');

  // the dashboard: 东村 10/10 aware, 西村 0/10 (none of the three core items right) → 10/20 pooled
  await page.getByTestId('tab-dashboard').click();
  const card = page.getByTestId('card-core-aware');
  await card.waitFor();
  await expect(card.locator('h3').textContent()).resolves.toBe('核心知识知晓率');
  await expect(page.getByTestId('card-rate-core-aware').textContent()).resolves.toBe('50.0%');
  await expect(page.getByTestId('card-counts-core-aware').textContent()).resolves.toContain('10 / 20');
  await expect(page.getByTestId('card-basis-core-aware').getAttribute('data-basis')).resolves.toBe('resident');
  await expect(page.getByTestId('card-basis-core-aware').textContent()).resolves.toContain('常住人口');
  // the built-in awareness (score ≥ 80%) is unchanged beside it
  await expect(page.getByTestId('card-rate-awareness').textContent()).resolves.toBe('50.0%');

  // delete it from the screen: the card goes away
  await page.getByTestId('tab-targets').click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('ind-delete-core-aware').click();
  await waitFor(async () => (await page.getByTestId('targets-core-aware').count()) === 0, 'indicator removed from the list');
  expect(await page.getByTestId('ind-delete-awareness').count()).toBe(0); // built-ins cannot be deleted
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('card-awareness').waitFor();
  expect(await page.getByTestId('card-core-aware').count()).toBe(0);
  expect(pageErrors).toEqual([]);
  expect(cspViolations).toEqual([]);
});
