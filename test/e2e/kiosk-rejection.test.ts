/**
 * A server rejection reaches the staff screen with its reason (issue 4, test 5): answers filled
 * offline for a form that is archived before the tablet syncs are kept, shown and exportable.
 */
import fs from 'node:fs';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { answerQuiz, enrolKiosk, openStaff, outboxRecords, setNetwork, staffCount } from './support/kiosk';
import { enrolmentCode, listSubmissions, seed, type Seeded } from './support/seed';
import { startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(90_000);

let server: TestServer;
let seeded: Seeded;
let kiosk: Kiosk;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  seeded = await seed(server);
  dir = newProfileDir();
});

afterAll(async () => {
  await kiosk?.kill();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a submission for an archived form shows on the staff screen as rejected, with the reason', async () => {
  kiosk = await launchKiosk(dir);
  const { page } = kiosk;
  await enrolKiosk(page, server.url, await enrolmentCode(server, seeded.villageId, [seeded.quiz.formId]));
  await setNetwork(kiosk.context, server, false);
  await answerQuiz(page, seeded.quiz.slug, { q1: '20', q2: '对', note: 'archived-before-sync' });

  const archived = await server.api('POST', `/api/v1/forms/${seeded.quiz.formId}/archive`, {});
  expect(archived.status).toBe(200);
  await setNetwork(kiosk.context, server, true);

  await waitFor(async () => (await outboxRecords(page)).some((r) => r.state === 'rejected'), 'the item marked rejected');
  expect(await listSubmissions(server, seeded.quiz.formId)).toHaveLength(0);

  await openStaff(page);
  await waitFor(async () => (await staffCount(page, 'rejected')) === 1, 'staff screen: 1 rejected');
  expect(await staffCount(page, 'queued')).toBe(0);
  const reason = await page.getByTestId('problem-reason').textContent();
  expect(reason).toContain('问卷已归档');
  await expect(page.getByTestId('problem-item').textContent()).resolves.toContain('FORM_ARCHIVED');

  // English on one tap, the same reason in English
  await page.getByTestId('staff-leave').click();
  await page.getByTestId('lang-switch').click();
  await openStaff(page);
  await expect(page.getByTestId('problem-reason').textContent()).resolves.toContain('archived');

  // the rejected item can be exported (a download of the outbox file)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toMatch(/^cunwen-outbox-.*\.json$/);
});
