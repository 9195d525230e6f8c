/**
 * Reports in the staff console (issue 5), in headless Chromium against the real server:
 * an admin signs in, submissions seeded through the API put one village clearly above target
 * (160/160 ≥ 98%: proven), one inconclusive (12/12: met by the point estimate, not provable)
 * and one below (10/20); the dashboard shows the cards, both statuses and the child table,
 * sorts, updates live without a reload, drills down and back up; the work report prints to an
 * A4 PDF whose text (read through the embedded fonts' ToUnicode maps; the Chinese needs a CJK
 * font, fonts-wqy-microhei in .ci/run) holds the Chinese narrative and the figures, and under
 * print media only the document is shown.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadTemplate } from '../../form-definitions';
import { item, quizAnswers, satisfactionAnswers } from '../server/reports.helpers';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/browser';
import { createPublished } from './support/seed';
import { compactText, readPdf } from './support/pdf-text';
import { ADMIN, startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(120_000);

let server: TestServer;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};
const cspViolations: string[] = [];
const pageErrors: string[] = [];

async function ok<T>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function submit(items: unknown[]) {
  for (let i = 0; i < items.length; i += 50) {
    const r = await ok(server.api<{ counts: Record<string, number> }>('POST', '/api/v1/submissions', { submissions: items.slice(i, i + 50) }), 'submit');
    expect(r.counts.stored).toBe(Math.min(50, items.length - i));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const mk = async (code: string, zh: string, level: string, parentId: string | null) => {
    const u = await ok(server.api<{ id: string }>('POST', '/api/v1/org-units', { code, name: { zh, en: code }, level, parentId }), `org unit ${code}`);
    ids[code] = u.id;
    return u.id;
  };
  await mk('C1', '和平县', 'county', null);
  await mk('T1', '红星乡', 'township', ids.C1!);
  await mk('V1', '东村', 'village', ids.T1!);
  await mk('V2', '西村', 'village', ids.T1!);
  await mk('V3', '南村', 'village', ids.T1!);
  await mk('G1', '东村一组', 'group', ids.V1!);
  const quizT = loadTemplate('knowledge-quiz')!;
  const satT = loadTemplate('satisfaction-survey')!;
  const quiz = await createPublished(server, 'knowledge-quiz', 'knowledge', quizT.definition);
  const sat = await createPublished(server, 'satisfaction-survey', 'satisfaction', satT.definition);
  const def = quizT.definition as Record<string, unknown>;
  const q = (unit: string, correct: number) => item(quiz.formId, quiz.version, unit, quizAnswers(def, correct));
  await submit([
    ...Array.from({ length: 160 }, () => q(ids.G1!, 16)), // 东村: 160/160, proven ≥ 98%
    ...Array.from({ length: 12 }, () => q(ids.V2!, 16)), // 西村: 12/12, inconclusive
    ...Array.from({ length: 20 }, (_, i) => q(ids.V3!, i < 10 ? 16 : 4)), // 南村: 10/20, not met
    ...Array.from({ length: 8 }, (_, i) => item(sat.formId, sat.version, ids.V1!, satisfactionAnswers(i < 6 ? 5 : 2, i === 0 ? '希望多开展健康讲座' : undefined))),
  ]);
  await ok(server.api('PUT', '/api/v1/work-plan', { orgUnitId: ids.T1, period: '2026', key: 'visits', name: { zh: '入户走访' }, value: 45, denominator: 50, target: { op: '>=', value: 0.9 } }), 'work plan');

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // sign in through the console's login page, which sends us on to the reports
  await page.goto(new URL(`/console/reports?unit=${ids.T1}&period=2026`, server.url).toString());
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (code: string) => page.getByTestId(`child-${code}`);

test('dashboard cards and statuses, sorting, live update, drill down and back', async () => {
  expect(new URL(page.url()).pathname).toBe('/console/reports');
  expect(new URL(page.url()).searchParams.get('unit')).toBe(ids.T1);
  await expect(page.getByTestId('dashboard-title').textContent()).resolves.toContain('红星乡');

  // the township card: 182/192 pooled (no census populations), below 98% by the point estimate
  const card = page.getByTestId('card-awareness');
  await expect(card.getByTestId('card-rate-awareness').textContent()).resolves.toBe('94.8%');
  await expect(card.getByTestId('card-target-awareness').textContent()).resolves.toContain('≥98%');
  await expect(card.getByTestId('card-official-awareness').getAttribute('data-status')).resolves.toBe('not_met');
  await expect(card.getByTestId('card-official-awareness').textContent()).resolves.toContain('未达标');
  await expect(card.getByTestId('card-counts-awareness').textContent()).resolves.toContain('182 / 192');
  await expect(card.getByTestId('card-method-awareness').getAttribute('data-method')).resolves.toBe('pooled');
  await expect(card.getByTestId('card-ci-awareness').textContent()).resolves.toMatch(/95%置信区间 \[\d+\.\d%, \d+\.\d%\]/);

  // the child table: colour class AND icon AND text per status
  const status = async (code: string) => [await row(code).getAttribute('data-status'), (await page.getByTestId(`child-status-${code}`).textContent())?.trim()];
  expect(await status('V1')).toEqual(['met', '✔达标']);
  expect(await status('V2')).toEqual(['inconclusive', '?无法判定·样本不足']);
  expect(await status('V3')).toEqual(['not_met', '✘未达标']);
  await expect(row('V2').locator('td').nth(4).textContent()).resolves.toContain('达标'); // official: met at 12/12
  await expect(row('V2').locator('td').nth(4).locator('[data-status]').getAttribute('data-status')).resolves.toBe('met');
  await expect(page.getByTestId('child-rate-V3').textContent()).resolves.toBe('50.0%');

  const order = async () => page.$$eval('[data-testid="children-table"] tbody tr', (rs) => rs.map((r) => r.getAttribute('data-testid')));
  expect(await order()).toEqual(['child-V1', 'child-V2', 'child-V3']); // by rate, descending
  await page.getByTestId('sort-lower').click(); // lower bound, descending
  expect(await order()).toEqual(['child-V1', 'child-V2', 'child-V3']);
  await page.getByTestId('sort-lower').click(); // ascending
  expect(await order()).toEqual(['child-V3', 'child-V2', 'child-V1']);

  // live: new submissions show up without a reload
  await page.evaluate(() => { (window as unknown as { __noReload: number }).__noReload = 42; });
  await waitFor(async () => ['live', 'polling'].includes((await page.getByTestId('live-state').getAttribute('data-state')) ?? ''), 'live connection');
  const quiz = loadTemplate('knowledge-quiz')!;
  const forms = await ok(server.api<{ id: string; slug: string; latestVersion: number }[]>('GET', '/api/v1/forms'), 'forms');
  const qf = forms.find((f) => f.slug === 'knowledge-quiz')!;
  await submit(Array.from({ length: 5 }, () => item(qf.id, qf.latestVersion, ids.V3!, quizAnswers(quiz.definition as Record<string, unknown>, 16))));
  await waitFor(async () => (await page.getByTestId('child-rate-V3').textContent()) === '60.0%', 'live update of 南村 to 15/25', 15_000);
  expect(await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload)).toBe(42);

  // drill down: township → village → group, and back up by the breadcrumb
  await row('V1').click();
  await waitFor(async () => (await page.getByTestId('dashboard').getAttribute('data-unit')) === ids.V1, 'village dashboard');
  await expect(page.getByTestId('breadcrumb').textContent()).resolves.toMatch(/和平县.*红星乡.*东村/);
  await expect(page.getByTestId('card-statistical-awareness').getAttribute('data-status')).resolves.toBe('met');
  await row('G1').waitFor();
  await row('G1').click();
  await waitFor(async () => (await page.getByTestId('dashboard').getAttribute('data-unit')) === ids.G1, 'group dashboard');
  await page.getByTestId('crumb-T1').click();
  await waitFor(async () => (await page.getByTestId('dashboard').getAttribute('data-unit')) === ids.T1, 'back to the township');
  await page.goBack(); // the browser's back button goes down again
  await waitFor(async () => (await page.getByTestId('dashboard').getAttribute('data-unit')) === ids.G1, 'back button');
  expect(pageErrors).toEqual([]);
});

test('per-question view and satisfaction view', async () => {
  await page.goto(new URL(`/console/reports/items?unit=${ids.T1}&period=2026`, server.url).toString());
  await page.getByTestId('items-table').waitFor();
  expect(await page.$$eval('[data-testid="items-table"] tbody tr', (r) => r.length)).toBe(16);
  await page.getByTestId('items-chart').locator('svg').waitFor();
  await page.getByTestId('tab-satisfaction').click();
  await page.getByTestId('satisfaction-table').waitFor();
  await expect(page.getByTestId('dim-overall').textContent()).resolves.toContain('75.0%');
  await expect(page.getByTestId('suggestions').textContent()).resolves.toContain('希望多开展健康讲座');
  await page.getByTestId('satisfaction-chart').locator('svg').waitFor();
});

test('the work report prints to a clean A4 PDF with the figures', async () => {
  await page.goto(new URL(`/console/reports/work-report?unit=${ids.T1}&period=2026`, server.url).toString());
  await page.getByTestId('work-report').waitFor();
  await page.getByTestId('wr-trend-awareness').locator('svg').waitFor();
  // the figures as the API gives them now (the live test above may have added submissions)
  const d = await ok(server.api<{ indicators: { id: string; cell: { text: string; responses: number }; children: { orgUnit: { code: string }; cell: { text: string } }[] }[] }>('GET', `/api/v1/reports/dashboard?orgUnit=${ids.T1}&period=2026`), 'dashboard');
  const aw = d.indicators.find((c) => c.id === 'awareness')!;
  const v3 = aw.children.find((c) => c.orgUnit.code === 'V3')!.cell.text;
  const narrative = (await page.getByTestId('wr-narrative').textContent()) ?? '';
  expect(narrative).toContain('本年度(2026年)红星乡共调查');
  expect(narrative).toContain(`人口计生知识知晓率:共调查 ${aw.cell.responses} 人`);
  expect(narrative).toContain(`人口计生知识知晓率为 ${aw.cell.text}`);
  expect(narrative).toContain('按各村样本合并计算(未加权)');
  expect(narrative).toContain('按点估计未达标');
  await expect(page.getByTestId('wr-title').textContent()).resolves.toBe('红星乡2026年人口计生工作报告');
  await expect(page.getByTestId('wr-children-awareness').getByTestId('wr-child-V2').textContent()).resolves.toContain('无法判定·样本不足');

  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.cwc-nav').isVisible()).toBe(false);
  expect(await page.locator('.cwc-header').isVisible()).toBe(false);
  expect(await page.getByTestId('wr-print').isVisible()).toBe(false);
  expect(await page.getByTestId('tab-dashboard').isVisible()).toBe(false);
  expect(await page.getByTestId('work-report').isVisible()).toBe(true);
  const breaks = await page.$$eval('.rp-pagebreak', (els) => els.map((e) => getComputedStyle(e).breakBefore));
  expect(breaks).toEqual(['page']);

  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = readPdf(pdf);
  expect(pages.length).toBeGreaterThanOrEqual(2);
  for (const p of pages) {
    // A4 is 595.28 × 841.89 pt
    expect(p.mediaBox[2]! - p.mediaBox[0]!).toBeCloseTo(595.3, 0);
    expect(p.mediaBox[3]! - p.mediaBox[1]!).toBeCloseTo(841.9, 0);
  }
  const text = pages.map((p) => p.text).join('\n');
  // figures of the narrative and the tables
  expect(text).toContain('2026');
  expect(text).toContain(aw.cell.text);
  expect(text).toContain(String(aw.cell.responses));
  expect(text).toContain(v3);
  expect(text).toContain('45/50');
  // the Chinese itself, as printed (Chromium splits lines into runs per font and wraps anywhere:
  // compare without whitespace)
  const printed = compactText(text);
  expect(printed).toContain('红星乡2026年人口计生工作报告');
  expect(printed).toContain('本年度(2026年)红星乡共调查');
  expect(printed).toContain(compactText(`人口计生知识知晓率为 ${aw.cell.text}(95%置信区间`));
  expect(printed).toContain('知晓率');
  expect(printed).toContain(compactText('目标 ≥98%'));
  expect(printed).toContain('按各村样本合并计算(未加权)');
  expect(printed).toContain('按点估计未达标');
  // 西村 (12/12): met by the point estimate, statistically inconclusive, and worded so
  expect(printed).toContain('需补充调查后才能判定的有:西村');
  expect(printed).toMatch(/西村[^村]*无法判定·样本不足/);
  expect(printed).not.toContain('□');
  // every paragraph of the narrative, word for word, in the PDF
  const paragraphs = await page.$$eval('[data-testid="wr-narrative"] p, .rp-pagebreak > p', (ps) => ps.map((p) => p.textContent ?? ''));
  expect(paragraphs.length).toBeGreaterThanOrEqual(3);
  for (const para of paragraphs) expect(printed).toContain(compactText(para));
  expect(cspViolations).toEqual([]);
  await page.emulateMedia({ media: 'screen' });
});

test('exports: the links download CSV and XLSX with the session cookie', async () => {
  await page.goto(new URL(`/console/reports/exports?unit=${ids.T1}&period=2026`, server.url).toString());
  await page.getByTestId('exports').waitFor();
  const get = async (testId: string) => {
    const href = await page.getByTestId(testId).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/exports\//);
    return page.evaluate(async (h) => {
      const r = await fetch(h!, { credentials: 'same-origin' });
      const buf = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type') ?? '', head: new TextDecoder().decode(buf.slice(0, 400)) };
    }, href);
  };
  const ind = await get('export-indicators-csv');
  expect(ind.status).toBe(200);
  expect(ind.type).toContain('text/csv');
  expect(ind.head).toContain('人口计生知识知晓率,红星乡,2026');
  const xlsx = await get('export-indicators-xlsx');
  expect(xlsx.status).toBe(200);
  expect(xlsx.head.startsWith('PK')).toBe(true);
  await page.getByTestId('export-form').selectOption('knowledge-quiz');
  const subs = await get('export-submissions-csv');
  expect(subs.status).toBe(200);
  expect(subs.type).toContain('text/csv');
});

test('targets: a year target set on the screen changes the statuses, not the counts', async () => {
  await page.goto(new URL(`/console/reports/targets?unit=${ids.T1}&period=2026`, server.url).toString());
  const box = page.getByTestId('target-form-awareness');
  await box.waitFor();
  await box.getByTestId('target-period-type').selectOption('year');
  await box.getByTestId('target-value').fill('90');
  await box.getByTestId('target-save').click();
  await expect(box.getByTestId('target-message').textContent()).resolves.toBe('已保存');
  await waitFor(async () => (await page.getByTestId('targets-table-awareness').textContent())?.includes('≥90%'), 'the new target in the list');
  const before = await ok(server.api<{ indicators: { id: string; cell: { numerator: number; denominator: number } }[] }>('GET', `/api/v1/reports/dashboard?orgUnit=${ids.T1}&period=2026`), 'dashboard');

  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('dashboard').waitFor();
  await expect(page.getByTestId('card-target-awareness').textContent()).resolves.toContain('≥90%');
  await expect(page.getByTestId('card-official-awareness').getAttribute('data-status')).resolves.toBe('met');
  const aw = before.indicators.find((c) => c.id === 'awareness')!;
  await expect(page.getByTestId('card-counts-awareness').textContent()).resolves.toContain(`${aw.cell.numerator} / ${aw.cell.denominator}`);
  // the month view keeps the default 98% (the new target is for years only)
  await page.getByTestId('period-type').selectOption('month');
  await waitFor(async () => (await page.getByTestId('period-label').textContent()) === '2026年1月', 'month period');
  await page.getByTestId('period-which').selectOption('2026-03');
  await waitFor(async () => (await page.getByTestId('card-target-awareness').textContent())?.includes('≥98%'), 'month target');

  // the awareness threshold θ: 80% → 20%; the server recomputes the rollups and 南村's
  // respondents with 4 of 16 right now count as aware
  await page.getByTestId('tab-targets').click();
  const form = page.getByTestId('indicator-form-awareness');
  await form.getByTestId('ind-theta').fill('20');
  await form.getByTestId('ind-save').click();
  await expect(page.getByTestId('indicator-form-awareness').getByTestId('ind-message').textContent()).resolves.toBe('已保存');
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('dashboard').waitFor();
  await waitFor(async () => (await page.getByTestId('child-rate-V3').textContent()) === '100.0%', '南村 after the threshold change');
  expect(pageErrors).toEqual([]);
});
