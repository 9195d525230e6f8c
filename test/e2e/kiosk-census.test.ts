/**
 * Census drafts keep their form version (issue 4, test 4; field lesson 10): a household started
 * offline, the tab closed and reopened, the form republished meanwhile — the household is still
 * finished and submitted under the version it was started in; a new household gets the new one.
 */
import { PIN, outboxRecords, setNetwork, waitForServiceWorker } from './support/kiosk';
import { censusDefinition, listSubmissions, republish } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ seed: true });

test('a draft started offline in v1 is finished after v2 was published, and submitted as v1', async () => {
  const { server, seeded } = e2e;
  const kiosk = await e2e.launch();
  let page = kiosk.page;
  await e2e.enrol(page, [seeded.census.formId]);
  await waitForServiceWorker(page);
  expect(seeded.census.version).toBe(1);

  await setNetwork(kiosk.context, server, false);
  await page.getByTestId(`tile-${seeded.census.slug}`).click();
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-ok').click();
  await page.getByTestId('census-new').click();
  await page.getByTestId('census-fill').waitFor();
  await page.locator('[data-name="household_code"] input').fill('530102001001');
  await page.locator('[data-name="head_name"] input').fill('王大山');
  await page.locator('[data-name="member_name"] input').first().fill('王小溪');
  await page.getByTestId('census-save').click();
  await page.getByTestId('census-note').waitFor();

  // close the tab, reopen the kiosk in a new one (still offline)
  await page.close();
  page = await kiosk.context.newPage();
  await page.goto(server.url);
  await page.getByTestId('home').waitFor();

  // meanwhile the township republishes the census form
  const v2 = await republish(server, seeded.census.formId, censusDefinition(true));
  expect(v2).toBe(2);

  // back online: the kiosk fetches its configuration and caches v2 as the current version
  await setNetwork(kiosk.context, server, true);
  await waitFor(() => page.evaluate(() => new Promise<boolean>((resolve) => {
    const open = indexedDB.open('cunwen');
    open.onsuccess = () => {
      const req = open.result.transaction('formVersions').objectStore('formVersions').getAllKeys();
      req.onsuccess = () => { open.result.close(); resolve((req.result as string[]).some((k) => k.endsWith('@2'))); };
    };
  })), 'v2 cached on the tablet');

  await page.getByTestId(`tile-${seeded.census.slug}`).click();
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-ok').click();
  const draft = page.getByTestId('census-draft');
  await expect(draft.textContent()).resolves.toContain('问卷版本 1');
  await page.getByTestId('census-resume').click();
  await page.getByTestId('census-fill').waitFor();
  expect(await page.locator('[data-name="head_name"] input').inputValue()).toBe('王大山');
  expect(await page.locator('[data-name="phone"]').count()).toBe(0); // v1 has no phone question
  await page.locator('.sd-navigation__complete-btn').click();
  await page.getByTestId('thanks').waitFor();

  const [submitted] = await waitFor(async () => {
    const all = await listSubmissions(server, seeded.census.formId);
    return all.length === 1 ? all : null;
  }, 'the household on the server');
  expect(submitted?.formVersion).toBe(1);
  await waitFor(async () => (await outboxRecords(page)).length === 0, 'an empty outbox');

  // a new household opens in the republished version
  await page.getByTestId('thanks-back').click();
  await page.getByTestId(`tile-${seeded.census.slug}`).click();
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-ok').click();
  await expect(page.getByTestId('census-drafts').textContent()).resolves.not.toContain('王大山');
  await page.getByTestId('census-new').click();
  await page.getByTestId('census-fill').waitFor();
  await expect(page.getByTestId('census-fill').locator('header').textContent()).resolves.toContain('问卷版本 2');
  expect(await page.locator('[data-name="phone"]').count()).toBe(1);
});
