/**
 * Last resort (field lessons 3 and 5): a tablet that cannot reach the server exports its outbox to
 * a file; another enrolled machine (the township office) imports it and submits it through the
 * same API — once, even if the file is imported twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { answerQuiz, openStaff, outboxRecords, setNetwork } from './support/kiosk';
import { listSubmissions } from './support/seed';
import { useE2e } from './support/harness';
import { waitFor } from './support/server';

jest.setTimeout(90_000);

const e2e = useE2e({ seed: true });

test('export on the village tablet, import at the township office: submitted exactly once', async () => {
  const { server, seeded } = e2e;
  const fileDir = e2e.tempDir('cunwen-export-');

  const tablet = await e2e.launch();
  await e2e.enrol(tablet.page, [seeded.quiz.formId]);
  await setNetwork(tablet.context, server, false);
  for (let i = 0; i < 3; i += 1) await answerQuiz(tablet.page, seeded.quiz.slug, { q1: '20', q2: '对', note: `usb-${i}` });
  const queued = await outboxRecords(tablet.page);
  expect(queued).toHaveLength(3);

  await openStaff(tablet.page);
  const [download] = await Promise.all([tablet.page.waitForEvent('download'), tablet.page.getByTestId('export').click()]);
  const file = path.join(fileDir, download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; items: Array<{ id: string }> };
  expect(exported.format).toBe('cunwen-outbox');
  expect(exported.items.map((i) => i.id).sort()).toEqual(queued.map((r) => r.id).sort());
  await tablet.kill();

  // the township office machine: enrolled online, imports the file twice
  server.setReachable(true); // the tablet is gone; the office machine is online
  const office = await e2e.launch();
  await e2e.enrol(office.page, [seeded.quiz.formId]);
  await openStaff(office.page);
  await office.page.getByTestId('import').setInputFiles(file);
  await waitFor(async () => /导入 3 份.*上传 3/.test((await office.page.getByTestId('staff-message').textContent()) ?? ''), 'import report and sync result');
  await waitFor(async () => (await listSubmissions(server, seeded.quiz.formId)).length === 3, '3 submissions on the server');
  await waitFor(async () => (await outboxRecords(office.page)).length === 0, "the office's outbox empty");

  await office.page.getByTestId('import').setInputFiles(file); // a second import: re-sent, answered `duplicate`
  await waitFor(async () => /导入 3 份.*重复 3/.test((await office.page.getByTestId('staff-message').textContent()) ?? ''), 'the re-import answered duplicate');
  await waitFor(async () => (await outboxRecords(office.page)).length === 0, "the office's outbox empty again");
  const stored = await listSubmissions(server, seeded.quiz.formId);
  expect(stored.map((s) => s.id).sort()).toEqual(queued.map((r) => r.id).sort());
});
