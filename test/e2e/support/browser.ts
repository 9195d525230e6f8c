/**
 * Debian Chromium for the kiosk tests, launched by us (not by Playwright) on a user-data-dir we
 * choose, then driven over CDP. Owning the process lets a test SIGKILL the real browser in the
 * middle of a sync and start it again on the same profile (IndexedDB, service worker, caches).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export interface Kiosk {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  process: ChildProcess;
  /** graceful: the browser closes its profile (flushes IndexedDB) */
  close(): Promise<void>;
  /** SIGKILL: the process dies on the spot */
  kill(): Promise<void>;
  /** console messages reporting a Content-Security-Policy violation, in every page of this run */
  cspViolations: string[];
}

export function newProfileDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-kiosk-profile-'));
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

export async function launchKiosk(userDataDir: string, opts: { offline?: boolean } = {}): Promise<Kiosk> {
  const proc = spawn(CHROMIUM, [
    ...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', '--no-first-run', '--no-default-browser-check',
    '--disable-session-crashed-bubble', '--hide-crash-restore-bubble', '--window-size=1024,900', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
      if (m?.[1]) {
        proc.stderr?.off('data', onData);
        proc.stderr?.resume();
        resolve(m[1]);
      }
    };
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`chromium exited (${code}) before DevTools was ready: ${buffer.slice(-2000)}`)));
  });
  const browser = await chromium.connectOverCDP(wsEndpoint);
  const context = browser.contexts()[0] ?? (await browser.newContext());
  if (opts.offline) await context.setOffline(true);
  const cspViolations: string[] = [];
  const watch = (p: Page) => {
    p.on('dialog', (d) => void d.accept());
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  };
  const existing = context.pages()[0];
  context.on('page', watch);
  if (existing) watch(existing);
  const page = existing ?? (await context.newPage());
  return {
    browser, context, page, process: proc, cspViolations,
    async close() {
      // Browser.close over CDP directly: Playwright's own browser.close() on a CDP connection first
      // undoes its emulation (an offline context goes online for a moment and the kiosk syncs).
      try {
        const cdp = await browser.newBrowserCDPSession();
        await cdp.send('Browser.close').catch(() => undefined);
      } catch {
        /* already gone */
      }
      await exited(proc);
      await browser.close().catch(() => undefined);
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited(proc);
      await browser.close().catch(() => undefined);
    },
  };
}
