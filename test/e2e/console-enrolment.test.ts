/**
 * Tablet enrolment from the console (issue 3): staff pick a village and forms, the console shows
 * the one-time code as large text and as a QR code (canvas, under the strict CSP) that decodes to
 * that code; typing the code into a fresh kiosk profile enrols it; the tablet shows in the list
 * and can be renamed and revoked there.
 */
import jsQR from 'jsqr';
import { enrolKiosk } from './support/kiosk';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(120_000);

const e2e = useE2e({ seed: true, browser: true });


test('the console issues a code with a QR image; the code enrols a fresh kiosk', async () => {
  const { server, seeded } = e2e;
  const { page } = e2e.browser;
  await e2e.signIn(page);
  await page.getByTestId('nav-devices').click();
  await page.getByTestId('enrol-section').waitFor();

  // nothing chosen: a clear error, no code
  await page.getByTestId('enrol-create').click();
  expect(await page.getByTestId('enrol-create-error').textContent()).toContain('请选择组织机构');

  await page.getByTestId('enrol-orgunit').selectOption(seeded.villageId);
  await page.getByTestId('enrol-forms').getByLabel('quiz 问卷').check();
  await page.getByTestId('enrol-label').fill('村委会平板');
  await page.getByTestId('enrol-create').click();
  const codeEl = page.getByTestId('enrolment-code');
  await codeEl.waitFor();
  const code = await codeEl.getAttribute('data-code');
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
  expect((await codeEl.textContent())?.replace('-', '')).toBe(code);

  // the QR code is drawn (not a blank canvas) and decodes to the code
  const qr = page.getByTestId('enrolment-qr');
  const pixels = await waitFor(() => qr.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height);
    if (!d || !d.data.some((v, i) => i % 4 === 0 && v < 128)) return null;
    return { w: d.width, h: d.height, data: Array.from(d.data) };
  }), 'the QR code drawn');
  const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.w, pixels.h);
  expect(decoded?.data).toBe(code);
  expect(e2e.browser.cspViolations).toEqual([]);

  // a fresh kiosk context (its own profile) enrols with the code shown (typed with the dash, as read)
  const tablet = await e2e.launch();
  await enrolKiosk(tablet.page, server.url, (await codeEl.textContent()) ?? '');
  await tablet.page.getByTestId('home').waitFor();

  // the tablet is in the list (reload), rename it, then revoke it
  await page.reload();
  const row = page.getByTestId('device-row').filter({ hasText: '村委会平板' });
  await row.waitFor();
  await row.getByTestId('device-edit-open').click();
  await page.getByTestId('device-label').fill('一号平板');
  await page.getByTestId('device-rename').click();
  await page.getByTestId('device-row').filter({ hasText: '一号平板' }).waitFor();
  await page.getByTestId('device-revoke').click(); // window.confirm is accepted by the test browser
  // a revoked tablet leaves the list (unless "show revoked" is ticked, where it says so)
  await page.getByTestId('device-row').filter({ hasText: '一号平板' }).waitFor({ state: 'detached' });
  await page.getByLabel('显示已停用的平板').check();
  await page.getByTestId('device-row').filter({ hasText: '已停用' }).waitFor();
  const devices = await server.api<Array<{ label: string; revokedAt: string | null }>>('GET', '/api/v1/devices');
  expect(devices.body).toEqual([expect.objectContaining({ label: '一号平板', revokedAt: expect.any(String) })]);
});
