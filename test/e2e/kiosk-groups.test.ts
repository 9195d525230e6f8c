/**
 * A village with 村民小组: the respondent picks their group, and the submission counts toward it
 * (the device contract's orgUnitChoices). A tablet of a village without groups asks nothing.
 */
import { answerQuiz } from './support/kiosk';
import { listSubmissions } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(60_000);

const e2e = useE2e({ seed: true });

test('the respondent picks a village group; the submission is filed under it', async () => {
  const { server, seeded } = e2e;
  const group = await server.api<{ id: string }>('POST', '/api/v1/org-units', { code: 'G2', name: { zh: '二组', en: 'Group 2' }, level: 'group', parentId: seeded.villageId });
  expect(group.status).toBe(201);
  const kiosk = await e2e.launch();
  const { page } = kiosk;
  await e2e.enrol(page, [seeded.quiz.formId]);

  await page.getByTestId(`tile-${seeded.quiz.slug}`).click();
  await page.getByTestId('group-screen').waitFor();
  await expect(page.getByTestId(`group-${seeded.villageId}`).textContent()).resolves.toContain('不清楚小组');
  await page.getByTestId(`group-${group.body.id}`).click();
  await page.getByTestId('respondent').waitFor();
  await page.getByTestId('respondent-cancel').click();
  await page.getByTestId('home').waitFor();

  await answerQuiz(page, seeded.quiz.slug, { q1: '20', q2: '对', note: 'group-2' }, { orgUnit: group.body.id });

  const [stored] = await waitFor(async () => {
    const all = await listSubmissions(server, seeded.quiz.formId);
    return all.length === 1 ? all : null;
  }, 'the submission on the server');
  expect(stored?.orgUnitId).toBe(group.body.id);
});
