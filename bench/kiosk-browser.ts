/**
 * Kiosk benchmarks in headless Debian Chromium against the real server (issue 4):
 *  1. tap a form tile → first question interactive, CPU throttled 4× (quiz; census new household;
 *     census roster page of a household with 15 members);
 *  2. JS heap after GC across 200 consecutive respondents on one page load;
 *  3. sync of 1,000 queued submissions: time and requests.
 *
 *   npx tsx bench/kiosk-browser.ts [--respondents 200] [--queued 1000] [--runs 5]
 * Needs client/dist (npm run build:client). Prints markdown.
 */
import fs from 'node:fs';
import { launchKiosk, newProfileDir } from '../test/e2e/support/browser';
import { PIN, answerQuiz, enrolKiosk, outboxRecords, waitForServiceWorker } from '../test/e2e/support/kiosk';
import { createPublished, enrolmentCode, listSubmissions, seed } from '../test/e2e/support/seed';
import { startTestServer, waitFor } from '../test/e2e/support/server';
import type { Page } from 'playwright-core';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A census like the template: a household page and a roster page (8 questions per member). */
const CENSUS_BENCH = {
  locale: 'zh-cn',
  pages: [
    { name: 'household', elements: [
      { type: 'text', name: 'household_code', title: '户编码' },
      { type: 'text', name: 'head_name', title: '户主姓名' },
      { type: 'radiogroup', name: 'registration_type', title: '户籍类型', choices: ['农业户口', '非农业户口', '居民户口'] },
    ] },
    { name: 'roster', elements: [{
      type: 'paneldynamic', name: 'members', title: '家庭成员', panelCount: 1, maxPanelCount: 30,
      templateElements: [
        { type: 'text', name: 'member_name', title: '姓名' },
        { type: 'radiogroup', name: 'relation', title: '与户主关系', choices: ['户主', '配偶', '子女', '父母', '其他'] },
        { type: 'radiogroup', name: 'gender', title: '性别', choices: ['男', '女'] },
        { type: 'text', name: 'birth', title: '出生日期', inputType: 'date' },
        { type: 'radiogroup', name: 'education', title: '文化程度', choices: ['未上学', '小学', '初中', '高中', '大专及以上'] },
        { type: 'radiogroup', name: 'marital', title: '婚姻状况', choices: ['未婚', '已婚', '离婚', '丧偶'] },
        { type: 'checkbox', name: 'insurance', title: '参保情况', choices: ['医保', '养老保险', '无'] },
        { type: 'comment', name: 'remark', title: '备注' },
      ],
    }] },
  ],
};

/** Clicks `clickSelector` in the page and returns ms until `readySelector` exists and a frame has painted. */
function tapToReady(page: Page, clickSelector: string, readySelector: string): Promise<number> {
  return page.evaluate(([click, ready]) => new Promise<number>((resolve, reject) => {
    const el = document.querySelector<HTMLElement>(click!);
    if (!el) return reject(new Error(`no ${click}`));
    const t0 = performance.now();
    el.click();
    const check = () => {
      if (document.querySelector(ready!)) requestAnimationFrame(() => resolve(performance.now() - t0));
      else requestAnimationFrame(check);
    };
    check();
  }), [clickSelector, readySelector] as const);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (xs: number[]) => `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function main() {
  const respondents = arg('respondents', 200);
  const queuedN = arg('queued', 1000);
  const runs = arg('runs', 5);
  const server = await startTestServer();
  const seeded = await seed(server);
  const census = await createPublished(server, 'census-bench', 'census', CENSUS_BENCH);
  const profile = newProfileDir();
  const kiosk = await launchKiosk(profile);
  const { page, context } = kiosk;
  const out: string[] = [];
  // tsx (esbuild keepNames) wraps named functions in __name(); give evaluated page code that helper.
  const nameShim = 'globalThis.__name = globalThis.__name || ((f) => f);';
  await context.addInitScript({ content: nameShim });
  await page.evaluate(nameShim);
  try {
    await enrolKiosk(page, server.url, await enrolmentCode(server, seeded.villageId, [seeded.quiz.formId, census.formId]));
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);

    // ── 1. tap → first question, CPU 4× ──────────────────────────────────────────────────────
    await context.setOffline(true);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const quiz: number[] = [];
    const censusNew: number[] = [];
    const roster: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      quiz.push(await tapToReady(page, `[data-testid="tile-${seeded.quiz.slug}"]`, '[data-name="q1"] input'));
      await page.getByTestId('respondent-cancel').click();
      await page.getByTestId('home').waitFor();

      await page.getByTestId(`tile-${census.slug}`).click();
      await page.getByTestId('pin-input').fill(PIN);
      await page.getByTestId('pin-ok').click();
      await page.getByTestId('census-new').waitFor();
      censusNew.push(await tapToReady(page, '[data-testid="census-new"]', '[data-name="household_code"] input'));
      // a household of 15 members, then the roster page
      await page.locator('[data-name="household_code"] input').fill(`bench-${i}`);
      await page.locator('.sd-navigation__next-btn').click();
      await page.locator('[data-name="members"]').waitFor();
      for (let m = 1; m < 15; m += 1) await page.locator('[data-name="members"] .sd-paneldynamic__add-btn').first().click();
      await page.getByTestId('census-save').click();
      await page.getByTestId('census-note').waitFor();
      await page.getByRole('button', { name: '返回' }).click();
      await page.getByTestId('census-list').waitFor();
      // resume: first page, then time the roster page
      await page.getByTestId('census-resume').first().click();
      await page.getByTestId('census-fill').waitFor();
      roster.push(await tapToReady(page, '.sd-navigation__next-btn', '[data-name="members"] [data-name="member_name"] input'));
      await page.getByRole('button', { name: '返回' }).click();
      await page.getByTestId('census-list').waitFor();
      await page.getByRole('button', { name: '返回' }).click();
      await page.getByTestId('home').waitFor();
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    out.push('### Tap → first question interactive (CPU throttled 4×, median of runs)\n');
    out.push('| form | time |', '|---|---|');
    out.push(`| knowledge quiz (3 questions) | ${fmt(quiz)} |`, `| census, new household | ${fmt(censusNew)} |`, `| census roster page, 15 members (carousel) | ${fmt(roster)} |`);

    // ── 2. heap after GC across consecutive respondents ─────────────────────────────────────
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    await page.reload();
    await page.getByTestId('home').waitFor();
    const samples: Array<[number, number]> = [];
    for (let n = 1; n <= respondents; n += 1) {
      await answerQuiz(page, seeded.quiz.slug, { q1: n % 2 ? '20' : '18', q2: '对', note: `heap-${n}` });
      if (n === 10 || n === 50 || n === 100 || n === 150 || n === respondents) samples.push([n, await heap()]);
    }
    out.push('\n### JS heap after GC, consecutive respondents on one page load\n');
    out.push('| respondents | heap used |', '|---|---|', ...samples.map(([n, b]) => `| ${n} | ${(b / 2 ** 20).toFixed(2)} MiB |`));
    const base = samples[0]?.[1] ?? 0;
    const last = samples[samples.length - 1]?.[1] ?? 0;
    out.push(`\nGrowth from respondent 10 to ${respondents}: ${((last - base) / 2 ** 20).toFixed(2)} MiB (${((last - base) / Math.max(1, respondents - 10) / 1024).toFixed(1)} KiB per respondent).`);

    // ── 3. sync of N queued submissions ─────────────────────────────────────────────────────
    const queuedBefore = (await outboxRecords(page)).length;
    await page.evaluate(({ n, formId, version, orgUnit }) => new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('cunwen');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['outbox', 'meta'], 'readwrite');
        const meta = tx.objectStore('meta');
        const seqReq = meta.get('outboxSeq');
        seqReq.onsuccess = () => {
          let seq = (seqReq.result as number | undefined) ?? 0;
          const at = new Date().toISOString();
          for (let i = 0; i < n; i += 1) {
            seq += 1;
            const id = crypto.randomUUID();
            tx.objectStore('outbox').add({
              id, seq, state: 'queued', attempts: 0, lastError: null, createdAt: at, updatedAt: at, lastAttemptAt: null,
              item: { id, formId, formVersion: version, orgUnit, answers: { q1: '20', q2: 'yes', note: `bulk-${i}` }, startedAt: at, completedAt: at },
            });
          }
          meta.put(seq, 'outboxSeq');
        };
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }), { n: queuedN, formId: seeded.quiz.formId, version: seeded.quiz.version, orgUnit: seeded.villageId });
    const total = queuedBefore + queuedN;
    let posts = 0;
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/submissions')) { posts += 1; if (process.env.BENCH_DEBUG) process.stderr.write(`POST ${Date.now() - t0} ms\n`); } });
    page.on('response', (r) => { if (process.env.BENCH_DEBUG && r.url().endsWith('/api/v1/submissions')) process.stderr.write(`reply ${r.status()} ${Date.now() - t0} ms\n`); });
    const serverBefore = (await listSubmissions(server, seeded.quiz.formId)).length;
    let t0 = Date.now();
    // Staff press "sync now" once the tablet is back online (the timing starts at the tap).
    await context.setOffline(false);
    await page.getByTestId('staff-button').click();
    await page.getByTestId('pin-input').fill(PIN);
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('sync-now').waitFor();
    t0 = Date.now();
    await page.getByTestId('sync-now').click();
    await waitFor(async () => (await outboxRecords(page)).length === 0, 'an empty outbox', 600_000, 100);
    const ms = Date.now() - t0;
    const serverAfter = (await listSubmissions(server, seeded.quiz.formId)).length;
    out.push(`\n### Sync of ${total} queued submissions to a local server\n`);
    out.push('| queued | time to empty outbox | POST requests | stored on server |', '|---|---|---|---|');
    out.push(`| ${total} | ${(ms / 1000).toFixed(2)} s | ${posts} | ${serverAfter - serverBefore} |`);
  } finally {
    await kiosk.kill();
    await server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
