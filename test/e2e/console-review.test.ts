/**
 * A review decision from the console (issue 3): the queue lists the received submission with its
 * answers (question titles and choice texts from the form), the reviewer approves it with a
 * comment; the decision shows in the submission's history, the queue's "approved" filter and the
 * audit log.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { useE2e } from './support/harness';
import { ADMIN, waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ seed: true, browser: true });

const ids = [randomUUID(), randomUUID()];

beforeAll(async () => {
  const { server, seeded } = e2e;
  const at = new Date().toISOString();
  const r = await server.api<{ counts: Record<string, number> }>('POST', '/api/v1/submissions', {
    submissions: ids.map((id, i) => ({
      id, formId: seeded.quiz.formId, formVersion: seeded.quiz.version, orgUnit: seeded.villageId,
      answers: { q1: i === 0 ? '20' : '18', q2: 'yes' }, startedAt: at, completedAt: at,
    })),
  });
  expect(r.body.counts.stored).toBe(2);
});

test('approve one submission with a comment; it shows in the history and the audit log', async () => {
  const { page } = e2e.browser;
  await e2e.signIn(page);
  await page.getByTestId('nav-review').click();
  await page.getByTestId('review-table').waitFor();
  expect(await page.getByTestId('review-row').count()).toBe(2);

  await page.locator(`[data-testid="review-row"][data-id="${ids[0]}"]`).getByTestId('review-open').click();
  await page.getByTestId('review-detail').waitFor();
  expect(new URL(page.url()).pathname).toBe(`/console/review/${ids[0]}`);
  await waitFor(async () => (await page.getByTestId('answer-q2').textContent())?.includes('叶酸可以预防出生缺陷'), 'question titles from the form');
  expect(await page.getByTestId('answer-q2').textContent()).toContain('对'); // the choice's text, not its value
  expect(await page.getByTestId('review-state').first().textContent()).toBe('待审核');

  await page.getByTestId('review-comment').fill('答案完整,核对无误');
  await page.getByTestId('review-approve').click();
  await page.getByTestId('review-message').filter({ hasText: '已记录:已通过' }).waitFor();
  const item = page.getByTestId('review-history-item');
  await item.waitFor();
  expect(await item.count()).toBe(1);
  expect(await item.getByTestId('review-history-comment').textContent()).toBe('答案完整,核对无误');
  expect(await item.textContent()).toContain(ADMIN.username);
  await waitFor(async () => (await page.getByTestId('review-state').first().textContent()) === '已通过', 'the state badge updated');

  // back in the queue: "received" now holds only the other one; "approved" holds this one
  await page.getByTestId('review-back').click();
  await page.getByTestId('review-table').waitFor();
  await waitFor(async () => (await page.getByTestId('review-row').count()) === 1, 'one left to review');
  expect(await page.getByTestId('review-row').getAttribute('data-id')).toBe(ids[1]);
  await page.getByTestId('review-filter-state').selectOption('approved');
  await waitFor(async () => (await page.getByTestId('review-row').getAttribute('data-id')) === ids[0], 'the approved filter');
  expect(new URL(page.url()).searchParams.get('state')).toBe('approved');

  // the audit log has the decision (filtered by type)
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('audit-table').waitFor();
  await page.getByTestId('audit-filter-type').selectOption('submission.reviewed');
  await waitFor(async () => {
    const rows = page.getByTestId('audit-row');
    return (await rows.count()) === 1 && (await rows.getAttribute('data-type')) === 'submission.reviewed';
  }, 'the filtered audit log');
  const row = page.getByTestId('audit-row');
  expect(await row.textContent()).toContain('审核答卷');
  expect(await row.textContent()).toContain(ids[0]);

  // the CSV export of the same filter downloads with the session cookie
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-csv').click()]);
  const csv = fs.readFileSync((await download.path()) ?? '', 'utf8');
  expect(csv).toContain('submission.reviewed');
  expect(csv).toContain(ids[0]);
  expect(e2e.browser.cspViolations).toEqual([]);
});
