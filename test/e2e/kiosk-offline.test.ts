/**
 * Kiosk offline durability in real Chromium (issue 4, tests 1 and 2): nothing lost, nothing
 * duplicated, across offline work, reloads, browser restarts and a SIGKILL in the middle of a sync.
 */
import type { Route } from 'playwright-core';
import { answerQuiz, openStaff, outboxRecords, setNetwork, staffCount, waitForServiceWorker } from './support/kiosk';
import { listSubmissions } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(120_000);

const e2e = useE2e({ seed: true });

afterEach(async () => {
  await e2e.killBrowsers();
});

const ANSWERS = [
  { q1: '20', q2: '对' },
  { q1: '18', q2: '错' },
  { q1: '22', q2: '对' },
] as const;

test('20 quiz respondents offline, across a reload and a browser restart, arrive exactly once', async () => {
  const { server, seeded } = e2e;
  const dir = e2e.profile();
  let kiosk = await e2e.launch(dir);
  await e2e.enrol(kiosk.page, [seeded.quiz.formId, seeded.census.formId]);
  await waitForServiceWorker(kiosk.page);

  await setNetwork(kiosk.context, server, false);
  let n = 0;
  const fill = async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      await answerQuiz(kiosk.page, seeded.quiz.slug, { ...ANSWERS[n % ANSWERS.length]!, note: `第${n}位` });
      n += 1;
    }
  };
  await fill(7);
  await kiosk.page.reload(); // offline: the service worker serves the app shell
  await kiosk.page.getByTestId('home').waitFor();
  await fill(7);

  await kiosk.close(); // browser restart on the same profile, still offline
  kiosk = await e2e.launch(dir, { offline: true });
  await kiosk.page.goto(server.url);
  await kiosk.page.getByTestId('offline-badge').waitFor();
  await fill(6);

  expect(await listSubmissions(server, seeded.quiz.formId)).toHaveLength(0);
  const queued = await outboxRecords(kiosk.page);
  expect(queued).toHaveLength(20);
  expect(new Set(queued.map((r) => r.id)).size).toBe(20);

  await setNetwork(kiosk.context, server, true); // the `online` event starts a sync
  await waitFor(async () => (await listSubmissions(server, seeded.quiz.formId)).length === 20, '20 submissions on the server');
  await waitFor(async () => (await outboxRecords(kiosk.page)).length === 0, 'an empty outbox');
  const stored = await listSubmissions(server, seeded.quiz.formId);
  expect(new Set(stored.map((s) => s.id))).toEqual(new Set(queued.map((r) => r.id)));
  expect(stored.map((s) => s.answers.note).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `第${i}位`).sort());

  await openStaff(kiosk.page);
  await waitFor(async () => (await staffCount(kiosk.page, 'queued')) === 0, 'staff screen: 0 queued');
  expect(await staffCount(kiosk.page, 'rejected')).toBe(0);
  expect(kiosk.cspViolations).toEqual([]); // the server's CSP (no inline script, no external host) holds
});

test('killing the browser after the server stored a batch but before the reply: no loss, no duplicate', async () => {
  const { server, seeded } = e2e;
  const quiz = seeded.quiz;
  const before = (await listSubmissions(server, quiz.formId)).length;
  const dir = e2e.profile();
  let kiosk = await e2e.launch(dir);
  await e2e.enrol(kiosk.page, [quiz.formId]);
  await waitForServiceWorker(kiosk.page);

  await setNetwork(kiosk.context, server, false);
  for (let i = 0; i < 5; i += 1) await answerQuiz(kiosk.page, quiz.slug, { q1: '20', q2: '对', note: `kill-${i}` });
  const queued = await outboxRecords(kiosk.page);
  expect(queued).toHaveLength(5);

  // Hold the reply: the request reaches the real server (which stores the batch), the answer never
  // reaches the page. Then SIGKILL the browser while the sync waits for it.
  let stored!: () => void;
  const serverStored = new Promise<void>((resolve) => { stored = resolve; });
  await kiosk.context.route('**/api/v1/submissions', async (route: Route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await route.fetch();
    stored();
    // never fulfilled: the browser dies first
  });
  await setNetwork(kiosk.context, server, true);
  await serverStored;
  expect((await listSubmissions(server, quiz.formId)).length).toBe(before + 5);
  await kiosk.kill();

  kiosk = await e2e.launch(dir);
  await kiosk.page.goto(server.url);
  await kiosk.page.getByTestId('home').waitFor();
  // the same 5 ids are sent again on start; the server answers `duplicate` and they leave the outbox
  await waitFor(async () => (await outboxRecords(kiosk.page)).length === 0, 'an empty outbox after restart');
  await answerQuiz(kiosk.page, quiz.slug, { q1: '22', q2: '错', note: 'after-restart' });
  await waitFor(async () => (await listSubmissions(server, quiz.formId)).length === before + 6, 'the new submission');
  await waitFor(async () => (await outboxRecords(kiosk.page)).length === 0, 'an empty outbox');
  const all = await listSubmissions(server, quiz.formId);
  expect(all).toHaveLength(before + 6);
  expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
  for (const r of queued) expect(all.filter((s) => s.id === r.id)).toHaveLength(1);
});
