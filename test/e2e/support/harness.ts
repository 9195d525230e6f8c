/**
 * The shared set-up of a browser test file: `useE2e()` registers the Jest hooks that start the
 * real server before the file's tests (signed in as the e2e admin, optionally seeded, optionally
 * with one Chromium already running) and, after them, kill every Chromium it launched, stop the
 * server and remove the browser profiles and temporary directories. Call it at the top of the file, before the file's own
 * hooks: Jest runs `beforeAll` hooks in the order they are declared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchKiosk, newProfileDir, type Kiosk } from './browser';
import { consoleLogin } from './console';
import { enrolKiosk } from './kiosk';
import { enrolmentCode, seed, type Seeded } from './seed';
import { ADMIN, startTestServer, type TestServer } from './server';

export interface E2eOptions {
  /** create the seed() org units and forms (default false) */
  seed?: boolean;
  /** launch one Chromium on a fresh profile before the tests: `e2e.browser` (default false) */
  browser?: boolean;
  /** passed to startTestServer (read when the server starts) */
  clientDist?: () => string;
}

export interface E2e {
  readonly server: TestServer;
  /** the seed() result; only with `{ seed: true }` */
  readonly seeded: Seeded;
  /** the Chromium launched before the tests; only with `{ browser: true }` */
  readonly browser: Kiosk;
  /** a fresh browser profile directory, removed after the file's tests */
  profile(): string;
  /** a fresh temporary directory (`prefix` + random), removed after the file's tests */
  tempDir(prefix: string): string;
  /** Chromium on `profile` (a fresh one by default), killed after the file's tests (or by killBrowsers) */
  launch(profile?: string, opts?: { offline?: boolean }): Promise<Kiosk>;
  /** kills every Chromium launched so far (e.g. after each test) */
  killBrowsers(): Promise<void>;
  /** enrols the kiosk on `page` for these forms, on the seeded village unless `orgUnitId` is given */
  enrol(page: Page, formIds: string[], orgUnitId?: string): Promise<void>;
  /** signs in on the console's login page, as the e2e admin unless another user is given */
  signIn(page: Page, user?: { username: string; password: string }): Promise<void>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`e2e harness: ${what} is not there (not started yet, or not asked for in useE2e())`);
  return value;
}

export function useE2e(opts: E2eOptions = {}): E2e {
  let server: TestServer | undefined;
  let seeded: Seeded | undefined;
  let browser: Kiosk | undefined;
  const launched: Kiosk[] = [];
  const dirs: string[] = [];

  const e2e: E2e = {
    get server() { return required(server, 'the server'); },
    get seeded() { return required(seeded, 'the seed'); },
    get browser() { return required(browser, 'the browser'); },
    profile() {
      const dir = newProfileDir();
      dirs.push(dir);
      return dir;
    },
    tempDir(prefix) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async launch(profile, launchOpts) {
      const kiosk = await launchKiosk(profile ?? e2e.profile(), launchOpts);
      launched.push(kiosk);
      return kiosk;
    },
    async killBrowsers() {
      for (const k of launched.splice(0)) await k.kill();
    },
    async enrol(page, formIds, orgUnitId) {
      const s = e2e.server;
      await enrolKiosk(page, s.url, await enrolmentCode(s, orgUnitId ?? e2e.seeded.villageId, formIds));
    },
    signIn(page, user = ADMIN) {
      return consoleLogin(page, e2e.server.url, user.username, user.password);
    },
  };

  beforeAll(async () => {
    const clientDist = opts.clientDist?.();
    server = await startTestServer(clientDist === undefined ? {} : { clientDist });
    if (opts.seed) seeded = await seed(server);
    if (opts.browser) browser = await e2e.launch();
  });

  afterAll(async () => {
    await e2e.killBrowsers();
    await server?.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  return e2e;
}
