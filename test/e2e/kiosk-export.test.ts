/**
 * Last resort (field lessons 3 and 5): a tablet that cannot reach the server exports its outbox to
 * a file; another enrolled machine (the township office) imports it and submits it through the
 * same API — once, even if the file is imported twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchKiosk, newProfileDir, type Kiosk } from './support/browser';
import { answerQuiz, enrolKiosk, openStaff, outboxRecords, setNetwork } from './support/kiosk';
import { enrolmentCode, listSubmissions, seed, type Seeded } from './support/seed';
import { startTestServer, waitFor, type TestServer } from './support/server';

jest.setTimeout(90_000);

let server: TestServer;
let seeded: Seeded;
const kiosks: Kiosk[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  seeded = await seed(server);
});

afterAll(async () => {
  for (const k of kiosks) await k.kill();
  await server?.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('export on the village tablet, import at the township office: submitted exactly once', async () => {
  const tabletDir = newProfileDir();
  const officeDir = newProfileDir();
  const fileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-export-'));
  dirs.push(tabletDir, officeDir, fileDir);

  const tablet = await launchKiosk(tabletDir);
  kiosks.push(tablet);
  await enrolKiosk(tablet.page, server.url, await enrolmentCode(server, seeded.villageId, [seeded.quiz.formId]));
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
  kiosks.splice(kiosks.indexOf(tablet), 1);

  // the township office machine: enrolled online, imports the file twice
  server.setReachable(true); // the tablet is gone; the office machine is online
  const office = await launchKiosk(officeDir);
  kiosks.push(office);
  await enrolKiosk(office.page, server.url, await enrolmentCode(server, seeded.villageId, [seeded.quiz.formId]));
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
