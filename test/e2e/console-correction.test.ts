/**
 * A census correction from the console (issue 3), in real Chromium: a township reviewer opens a
 * household from the review queue (filtered by the server, filter in the URL), reveals it
 * (audited), corrects a member's birth date in the SurveyJS form with a reason; the history shows
 * revision 1 with its diff, while the submission as received (revision 0) is unchanged.
 */
import { randomUUID } from 'node:crypto';
import { idCardCheckDigit } from '../../common/forms/survey-functions';
import { loadTemplate } from '../../form-definitions';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(120_000);

const e2e = useE2e({ seed: true, browser: true });

const ID17 = '11010519491231002';
const NATIONAL_ID = `${ID17}${idCardCheckDigit(ID17)}`;
const REVIEWER = { username: 'jiao.zheng', name: '审核员小王', password: 'reviewer-pass-2' };
const ORIGINAL = {
  household_code: '110105001001000001', address: '一组1号', head_name: '张国庆', registration_type: 'agricultural', phone: '13912345678',
  members: [
    { name: '张国庆', relationship: 'head', sex: 'male', birth_date: '1949-12-31', national_id: NATIONAL_ID, marital_status: 'married', population_type: 'registered' },
    { name: '张小明', relationship: 'grandchild', sex: 'male', birth_date: '2010-06-15', marital_status: 'single', population_type: 'registered' },
  ],
};

let censusId: string;
let otherId: string;

interface View { revision: number; reviewState: string; answers: { members: Array<Record<string, unknown>> } }
interface Revision { revision: number; comment: string; byName: string; diff: Array<{ path: string; before: unknown; after: unknown }> }

beforeAll(async () => {
  const { server, seeded } = e2e;
  const units = await server.api<Array<{ id: string; code: string }>>('GET', '/api/v1/org-units');
  const townshipId = units.body.find((u) => u.code === 'T1')!.id;
  const tpl = loadTemplate('household-census')!;
  const form = await server.api<{ id: string }>('POST', '/api/v1/forms', { slug: 'household', kind: 'census', title: tpl.title, definition: tpl.definition });
  expect((await server.api('POST', `/api/v1/forms/${form.body.id}/publish`, {})).status).toBe(201);
  censusId = randomUUID();
  otherId = randomUUID();
  const other = { ...ORIGINAL, household_code: '110105001001000002', members: [ORIGINAL.members[1]] };
  const r = await server.api<{ results: Array<{ status: string }> }>('POST', '/api/v1/submissions', {
    submissions: [
      { id: censusId, formId: form.body.id, formVersion: 1, orgUnit: seeded.villageId, answers: ORIGINAL, startedAt: '2026-03-01T01:00:00Z', completedAt: '2026-03-01T01:30:00Z' },
      { id: otherId, formId: form.body.id, formVersion: 1, orgUnit: seeded.villageId, answers: other, startedAt: '2026-03-01T02:00:00Z', completedAt: '2026-03-01T02:30:00Z' },
    ],
  });
  expect(r.body.results.map((x) => x.status)).toEqual(['stored', 'stored']);
  // the other household is already approved: the queue's server filter must leave it out
  expect((await server.api('POST', `/api/v1/submissions/${otherId}/review`, { state: 'approved' })).status).toBe(201);
  const u = await server.api('POST', '/api/v1/users', {
    username: REVIEWER.username, displayName: REVIEWER.name, password: REVIEWER.password, roles: [{ role: 'reviewer', orgUnitId: townshipId }],
  });
  expect(u.status).toBe(201);
});

test('a reviewer corrects a member\'s birth date; the history shows the diff and the original is unchanged', async () => {
  const { server } = e2e;
  const { page } = e2e.browser;
  const stored = await server.running.storage.submissions.get(censusId);
  expect(stored).not.toBeNull();

  await e2e.signIn(page, REVIEWER);
  await page.getByTestId('console-home').waitFor();

  // the queue: state filter from the URL, applied by the server
  await page.goto(new URL('/console/review?state=received,has_issues', server.url).toString());
  await page.getByTestId('review-table').waitFor();
  await waitFor(async () => (await page.getByTestId('review-row').count()) === 1, 'one open household');
  expect(await page.getByTestId('review-row').getAttribute('data-id')).toBe(censusId);
  expect(await page.getByTestId('review-filter-state').inputValue()).toBe('received,has_issues');
  await page.getByTestId('review-filter-state').selectOption('approved');
  await waitFor(async () => (await page.getByTestId('review-row').getAttribute('data-id')) === otherId, 'the approved household');
  expect(await page.getByTestId('review-row').count()).toBe(1);
  expect(new URL(page.url()).searchParams.get('state')).toBe('approved');
  await page.getByTestId('review-filter-state').selectOption('received');
  await waitFor(async () => (await page.getByTestId('review-row').getAttribute('data-id')) === censusId, 'back to the received one');
  await page.getByTestId('review-open').click();

  // masked: no correction until the reviewer reveals (audited)
  await page.getByTestId('review-masked').waitFor();
  await page.getByTestId('correction-needs-reveal').waitFor();
  expect(await page.getByTestId('correction-open').count()).toBe(0);
  await page.getByTestId('review-reveal').click();
  await page.getByTestId('review-revealed').waitFor();
  await page.getByTestId('correction-open').click();

  // the real SurveyJS form, pre-filled with the current (revealed) answers
  const editor = page.getByTestId('answer-editor');
  await editor.waitFor();
  const births = editor.locator('[data-name="birth_date"] input');
  await waitFor(async () => (await births.count()) === 2, 'both members open in the editor');
  expect(await births.nth(1).inputValue()).toBe('2010-06-15');
  expect(await editor.locator('[data-name="household_code"] input').inputValue()).toBe(ORIGINAL.household_code);
  expect(await editor.locator('[data-name="name"] input').first().inputValue()).toBe('张国庆'); // revealed, not 张**
  expect(await editor.locator('[data-name="national_id"] input').first().inputValue()).toBe(NATIONAL_ID);

  // the form's own checks run before anything is sent: a required birth date cannot be emptied
  await births.nth(1).fill('');
  await page.getByTestId('correction-reason').fill('试一下');
  await page.getByTestId('correction-save').click();
  await page.getByTestId('correction-message').filter({ hasText: '有答案不符合问卷要求' }).waitFor();
  await page.getByTestId('correction-reason').fill('');
  await births.nth(1).fill('2011-06-15');
  // the reason is required
  await page.getByTestId('correction-save').click();
  await page.getByTestId('correction-message').filter({ hasText: '请填写更正原因' }).waitFor();
  await page.getByTestId('correction-reason').fill('户口簿核对:出生年份录错');
  await page.getByTestId('correction-save').click();
  await page.getByTestId('correction-saved').filter({ hasText: '已保存为第 1 版' }).waitFor();
  await waitFor(async () => (await page.getByTestId('review-revision-no').textContent()) === '1', 'the new revision shown');

  // the history: revision 1 with exactly the one change
  const rev = page.locator('[data-testid="revision-item"][data-revision="1"]');
  await rev.waitFor();
  expect(await rev.getByTestId('revision-comment').textContent()).toContain('户口簿核对:出生年份录错');
  expect(await rev.textContent()).toContain(REVIEWER.name);
  const diff = rev.getByTestId('revision-diff');
  expect(await diff.count()).toBe(1);
  expect(await diff.getAttribute('data-path')).toBe('members[1].birth_date');
  expect(await diff.getByTestId('revision-before').textContent()).toBe('2010-06-15');
  expect(await diff.getByTestId('revision-after').textContent()).toBe('2011-06-15');
  expect(await diff.textContent()).toContain('家庭成员 第 2 项 · 出生日期');
  expect(await page.getByTestId('answer-members').textContent()).toContain('2011-06-15');

  // via the API: the current answers are revision 1, the correction is on record with its diff …
  const view = await server.api<View>('GET', `/api/v1/submissions/${censusId}`);
  expect(view.body.revision).toBe(1);
  expect(view.body.answers.members[1]?.birth_date).toBe('2011-06-15');
  expect(view.body.answers.members[0]?.birth_date).toBe('1949-12-31');
  const revs = await server.api<Revision[]>('GET', `/api/v1/submissions/${censusId}/revisions`);
  expect(revs.body).toHaveLength(1);
  expect(revs.body[0]).toMatchObject({ revision: 1, comment: '户口簿核对:出生年份录错', byName: REVIEWER.name, diff: [{ path: 'members[1].birth_date', before: '2010-06-15', after: '2011-06-15' }] });
  // … and the submission as received (revision 0) is exactly what it was
  expect(await server.running.storage.submissions.get(censusId)).toEqual(stored);
  expect(stored!.answers.members).toEqual(expect.arrayContaining([expect.objectContaining({ birth_date: '2010-06-15' })]));

  // the reveal and the correction are audited under the reviewer's user name
  const audit = await server.api<{ items: Array<{ type: string; actorName: string | null; targetId: string | null }> }>('GET', '/api/v1/audit?limit=500');
  const mine = audit.body.items.filter((e) => e.actorName === REVIEWER.username && e.targetId === censusId).map((e) => e.type);
  expect(mine).toEqual(expect.arrayContaining(['census.revealed', 'submission.revised']));
  expect(e2e.browser.cspViolations).toEqual([]);
});
