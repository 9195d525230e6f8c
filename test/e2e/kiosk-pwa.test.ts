/**
 * The installable PWA: manifest and icons, a service worker whose versioned cache makes the kiosk
 * open offline, and an update that replaces the cache and deletes the old ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setNetwork, waitForServiceWorker } from './support/kiosk';
import { useE2e } from './support/harness';
import { CLIENT_DIST, waitFor } from './support/server';

jest.setTimeout(60_000);

let dist: string;
const e2e = useE2e({
  browser: true,
  // a copy of the build, so this test can publish a "new release" of sw.js
  clientDist: () => {
    dist = e2e.tempDir('cunwen-dist-');
    fs.cpSync(CLIENT_DIST, dist, { recursive: true });
    return dist;
  },
});

test('manifest with PNG icons; the shell is precached and opens offline; an update deletes old caches', async () => {
  const { server } = e2e;
  const { page, context } = e2e.browser;
  const manifest = (await (await fetch(new URL('/manifest.webmanifest', server.url))).json()) as { start_url: string; icons: Array<{ src: string; sizes: string; type: string }> };
  expect(manifest.start_url).toBe('/');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
    expect(icon).toBeDefined();
    const res = await fetch(new URL(icon!.src, server.url));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  }

  await page.goto(server.url);
  await page.getByTestId('enrol').waitFor();
  await waitForServiceWorker(page);
  const first = await page.evaluate(() => caches.keys());
  expect(first).toHaveLength(1);
  const precached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname), first[0]!);
  expect(precached).toEqual(expect.arrayContaining(['/index.html', '/manifest.webmanifest', '/icons/icon-192.png']));
  expect(precached.some((p) => /^\/assets\/index-.*\.js$/.test(p))).toBe(true);
  expect(precached.some((p) => /^\/assets\/StaffScreen-.*\.js$/.test(p))).toBe(true); // lazy chunks work offline too

  await setNetwork(context, server, false);
  await page.reload();
  await page.getByTestId('enrol').waitFor();
  await setNetwork(context, server, true);

  // a new release: sw.js changes (new cache name); the old cache must go
  const swPath = path.join(dist, 'sw.js');
  fs.writeFileSync(swPath, fs.readFileSync(swPath, 'utf8').replace(/const CACHE = 'cunwen-shell-[^']+'/, "const CACHE = 'cunwen-shell-e2e-next'"));
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await waitFor(async () => {
    const keys = await page.evaluate(() => caches.keys());
    return keys.length === 1 && keys[0] === 'cunwen-shell-e2e-next';
  }, 'only the new cache left');
  expect(e2e.browser.cspViolations).toEqual([]);
});
