/**
 * A server rejection reaches the staff screen with its reason (issue 4, test 5): answers filled
 * offline for a form that is archived before the tablet syncs are kept, shown and exportable.
 */
import { answerQuiz, openStaff, outboxRecords, setNetwork, staffCount } from './support/kiosk';
import { listSubmissions } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ seed: true });

test('a submission for an archived form shows on the staff screen as rejected, with the reason', async () => {
  const { server, seeded } = e2e;
  const kiosk = await e2e.launch();
  const { page } = kiosk;
  await e2e.enrol(page, [seeded.quiz.formId]);
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
