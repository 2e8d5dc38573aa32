/**
 * The check-in page's service worker: keeps the page shell (HTML, script, stylesheet, manifest,
 * icon) so the page opens with no network. Network first with a short timeout, since hotel Wi-Fi
 * fails by hanging more often than by refusing; the cached copy answers when the network does not.
 * API data is not cached here: the page keeps its door package and its scan queue in IndexedDB.
 */
declare const self: ServiceWorkerGlobalScope;

const CACHE = 'cumbre-checkin-shell-v1';
const SHELL = ['/checkin', '/checkin/app.js', '/checkin/app.css', '/checkin/manifest.webmanifest', '/checkin/icon.svg'];
const NETWORK_TIMEOUT_MS = 3000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('cumbre-checkin-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const shellKey = (url: URL) => (url.pathname === '/checkin' || url.pathname === '/checkin/' ? '/checkin' : url.pathname);

const fromNetwork = async (request: Request, key: string): Promise<Response> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NETWORK_TIMEOUT_MS);
  try {
    const response = await fetch(request, { signal: controller.signal });
    if (response.ok) {
      const copy = response.clone();
      void caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  } finally {
    clearTimeout(timer);
  }
};

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/checkin') || url.pathname === '/checkin/sw.js') return;
  const key = shellKey(url);
  event.respondWith(
    fromNetwork(event.request, key).catch(async () => {
      const cached = await caches.match(key, { ignoreSearch: true });
      return cached ?? Response.error();
    }),
  );
});
