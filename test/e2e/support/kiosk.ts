/** Driving the kiosk UI like a person would (clicks and typing), via test ids and visible text. */
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor, type TestServer } from './server';

export const PIN = '2468';

export async function enrolKiosk(page: Page, url: string, code: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('enrol-code').fill(code);
  await page.getByTestId('enrol-pin').fill(PIN);
  await page.getByTestId('enrol-pin2').fill(PIN);
  await page.getByTestId('enrol-submit').click();
  await page.getByTestId('home').waitFor();
}

/** Waits until the service worker controls the page and its precache is complete. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
  await waitFor(() => page.evaluate(async () => (await caches.keys()).some((k) => k.startsWith('cunwen-shell-'))), 'the precache');
}

export interface QuizAnswers {
  q1: '18' | '20' | '22';
  q2: '对' | '错';
  note?: string;
}

/** Opens the quiz tile, answers, submits; leaves the kiosk on the thank-you screen's "back". */
export async function answerQuiz(page: Page, slug: string, a: QuizAnswers, opts: { finish?: boolean; orgUnit?: string } = {}): Promise<void> {
  await page.getByTestId(`tile-${slug}`).click();
  if (opts.orgUnit) await page.getByTestId(`group-${opts.orgUnit}`).click();
  await page.getByTestId('respondent').waitFor();
  await page.locator('[data-name="q1"]').getByText(a.q1, { exact: true }).click();
  await page.locator('[data-name="q2"]').getByText(a.q2, { exact: true }).click();
  if (a.note !== undefined) await page.locator('[data-name="note"] textarea').fill(a.note);
  if (opts.finish === false) return;
  await page.locator('.sd-navigation__complete-btn').click();
  const next = await Promise.race([
    page.getByTestId('quiz-result').waitFor().then(() => 'result' as const),
    page.getByTestId('thanks').waitFor().then(() => 'thanks' as const),
  ]);
  if (next === 'result') await page.getByTestId('quiz-done').click();
  await page.getByTestId('thanks-back').click();
  await page.getByTestId('home').waitFor();
}

export async function openStaff(page: Page): Promise<void> {
  await page.getByTestId('staff-button').click();
  await page.getByTestId('pin-input').fill(PIN);
  await page.getByTestId('pin-ok').click();
  await page.getByTestId('staff').waitFor();
}

export async function staffCount(page: Page, which: 'queued' | 'sent' | 'rejected' | 'conflict'): Promise<number> {
  const text = await page.getByTestId(`count-${which}`).textContent();
  return Number(text);
}

/** Outbox records straight from the kiosk's IndexedDB (what the next person could find on the device). */
export function outboxRecords(page: Page): Promise<Array<{ id: string; state: string; item: { formVersion: number; answers: Record<string, unknown> } }>> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('cunwen');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('outbox')) { db.close(); resolve([]); return; }
      const req = db.transaction('outbox').objectStore('outbox').getAll();
      req.onsuccess = () => { db.close(); resolve(req.result); };
      req.onerror = () => reject(req.error);
    };
  }));
}

/** Everything in every IndexedDB store of the kiosk, as one JSON string (for "contains none of"). */
export function dumpIndexedDb(page: Page): Promise<string> {
  return page.evaluate(() => new Promise<string>((resolve, reject) => {
    const open = indexedDB.open('cunwen');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = Array.from(db.objectStoreNames);
      if (names.length === 0) { db.close(); resolve('{}'); return; }
      const tx = db.transaction(names);
      const out: Record<string, unknown> = {};
      for (const n of names) {
        const r = tx.objectStore(n).getAll();
        r.onsuccess = () => { out[n] = r.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(JSON.stringify(out)); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/**
 * Network off for the kiosk: Chromium's offline emulation (navigator.onLine, online/offline
 * events) AND the server dropping every browser request (a hard guarantee that survives the
 * emulation being lifted, e.g. while the browser shuts down).
 */
export async function setNetwork(context: BrowserContext, server: TestServer, online: boolean): Promise<void> {
  if (online) {
    server.setReachable(true);
    await context.setOffline(false);
  } else {
    await context.setOffline(true);
    server.setReachable(false);
  }
}

/**
 * True when `needle` occurs in the page's JS heap after a full GC (a heap snapshot, searched as
 * text). The snapshot escapes non-ASCII characters, so `needle` must be ASCII.
 */
export async function heapContains(page: Page, needle: string): Promise<boolean> {
  if (!/^[\x20-\x7e]+$/.test(needle)) throw new Error('heapContains: use an ASCII needle');
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false } as Record<string, unknown>);
    const snapshot = chunks.join('');
    return snapshot.includes(needle);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
