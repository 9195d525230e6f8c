/* CunWen kiosk service worker. Generated at build time by the `cunwen-sw` plugin in
 * client/vite.config.ts, which replaces the two placeholders below. Do not edit dist/sw.js.
 *
 *  - install: precache the app shell and every built asset into a cache named after this build;
 *  - activate: delete every older `cunwen-shell-*` cache, take control of open pages;
 *  - fetch: same-origin GETs outside /api are answered from this build's cache (navigations get
 *    the cached index.html), else from the network. /api is never cached here: answers live in
 *    the IndexedDB outbox and form versions in the formVersions store.
 */
const CACHE = 'cunwen-shell-__CUNWEN_BUILD__';
const PRECACHE = __CUNWEN_PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cunwen-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match('/index.html')).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true })).then((hit) => hit || fetch(request)),
  );
});
