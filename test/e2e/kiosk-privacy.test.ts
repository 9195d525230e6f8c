/**
 * Respondent privacy on a shared tablet (issue 4, test 3): after respondent A submits or times
 * out, respondent B's screen, the back button, the DOM and the browser's storage hold nothing of A.
 */
import type { Page } from 'playwright-core';
import { answerQuiz, dumpIndexedDb, heapContains, openStaff, outboxRecords } from './support/kiosk';
import { listSubmissions } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ seed: true, browser: true });

beforeAll(async () => {
  await e2e.enrol(e2e.browser.page, [e2e.seeded.quiz.formId]);
});

/** Every place in the page a trace of `secret` could hide, except the outbox (checked apart). */
async function traces(page: Page, secret: string): Promise<string[]> {
  const found = await page.evaluate((s) => {
    const where: string[] = [];
    if (document.documentElement.outerHTML.includes(s)) where.push('DOM');
    for (const el of Array.from(document.querySelectorAll('input, textarea'))) {
      if ((el as HTMLInputElement).value.includes(s)) where.push('an input value');
    }
    if (location.href.includes(s)) where.push('URL');
    if (JSON.stringify(history.state ?? null).includes(s)) where.push('history.state');
    if (window.name.includes(s)) where.push('window.name');
    for (const store of [sessionStorage, localStorage]) {
      for (let i = 0; i < store.length; i += 1) {
        const k = store.key(i) ?? '';
        if (k.includes(s) || (store.getItem(k) ?? '').includes(s)) where.push(store === sessionStorage ? 'sessionStorage' : 'localStorage');
      }
    }
    return where;
  }, secret);
  const cacheHit = await page.evaluate(async (s) => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) if (req.url.includes(s)) return true;
    }
    return false;
  }, secret);
  if (cacheHit) found.push('Cache Storage');
  return found;
}

async function expectFreshForm(page: Page): Promise<void> {
  await page.getByTestId(`tile-${e2e.seeded.quiz.slug}`).click();
  await page.getByTestId('respondent').waitFor();
  expect(await page.locator('[data-name="note"] textarea').inputValue()).toBe('');
  expect(await page.locator('input[type="radio"]:checked').count()).toBe(0);
}

test('after A submits, B sees a fresh form and nothing of A is in the DOM, history or storage', async () => {
  const { server, seeded } = e2e;
  const { page } = e2e.browser;
  const historyBefore = await page.evaluate(() => history.length);
  const secret = 'A的秘密-submit-7731';
  await answerQuiz(page, seeded.quiz.slug, { q1: '18', q2: '错', note: secret }, { finish: false });
  expect(await heapContains(page, 'submit-7731')).toBe(true); // the heap probe does see A while A is there
  await page.locator('.sd-navigation__complete-btn').click();
  await page.getByTestId('quiz-done').click();
  await page.getByTestId('thanks-back').click();
  await page.getByTestId('home').waitFor();
  // A's respondent steps were never history entries
  expect(await page.evaluate(() => history.length)).toBe(historyBefore);
  // online: A's answers reach the server and leave the device
  await waitFor(async () => (await listSubmissions(server, seeded.quiz.formId)).some((s) => s.answers.note === secret), "A's submission on the server");
  await waitFor(async () => (await outboxRecords(page)).length === 0, 'an empty outbox');
  expect(await traces(page, secret)).toEqual([]);
  expect(await dumpIndexedDb(page)).not.toContain(secret);
  expect(await heapContains(page, 'submit-7731')).toBe(false); // disposed, sent and confirmed: nothing of A reachable

  // The back button leaves the kiosk (nothing of A to go back to); coming forward again is a fresh start.
  await page.goBack();
  expect(await page.content()).not.toContain(secret);
  await page.goForward({ waitUntil: 'commit' });
  await page.getByTestId('home').waitFor();
  expect(await traces(page, secret)).toEqual([]);

  await expectFreshForm(page);
  expect(await traces(page, secret)).toEqual([]);
  await page.getByTestId('respondent-cancel').click();
  await page.getByTestId('home').waitFor();
});

test('after A walks away mid-form, "还在吗?" then a wipe: B finds nothing of A, not even in IndexedDB', async () => {
  const { server, seeded } = e2e;
  const { page } = e2e.browser;
  await openStaff(page);
  await page.getByTestId('setting-idle').fill('1');
  await page.getByTestId('setting-prompt').fill('1');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('staff-leave').click();
  await page.getByTestId('home').waitFor();

  const secret = 'A的秘密-timeout-5519';
  await answerQuiz(page, seeded.quiz.slug, { q1: '22', q2: '对', note: secret }, { finish: false });
  expect(await traces(page, secret)).toContain('an input value'); // the probe does see A while A is there
  await page.getByTestId('idle-prompt').waitFor();
  await expect(page.getByTestId('idle-prompt').textContent()).resolves.toContain('还在吗');
  await page.getByTestId('home').waitFor();

  expect(await traces(page, secret)).toEqual([]);
  expect(await dumpIndexedDb(page)).not.toContain(secret);
  expect(await heapContains(page, 'timeout-5519')).toBe(false); // the disposed model kept nothing reachable
  expect((await listSubmissions(server, seeded.quiz.formId)).some((s) => s.answers.note === secret)).toBe(false);
  await page.goBack();
  expect(await page.content()).not.toContain(secret);
  await page.goForward({ waitUntil: 'commit' });
  await page.getByTestId('home').waitFor();
  await expectFreshForm(page);
  expect(await traces(page, secret)).toEqual([]);
});
