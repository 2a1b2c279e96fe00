// The installed app's service worker ("mobile education"): the app shell from
// the cache, and the last diary week a person opened, so a parent can read it
// without a network. What comes from the cache is marked with the time it was
// saved (data-offline-saved on <html>), and the page says so (menu.js).
// Nothing but GET pages of the diary and the shell is kept; signing out
// empties the caches (menu.js).

const SHELL = "shell-v1";
const PAGES = "diary-pages";
const SHELL_FILES = [
  "/offline/",
  "/static/school/site.css",
  "/static/school/menu.js",
  "/icons/192.png",
];
const DIARY_WEEK = /^\/diary\/\d+\/$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => ![SHELL, PAGES].includes(n)).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

async function markedSaved(response, savedAt) {
  const html = await response.text();
  const marked = html.replace("<html ", `<html data-offline-saved="${savedAt}" `);
  return new Response(marked, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function diaryWeek(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const copy = new Response(await response.clone().blob(), {
        headers: { "Content-Type": "text/html; charset=utf-8", "X-Saved-At": new Date().toISOString() },
      });
      // Only the last week opened is kept: the diary of one child at a time.
      for (const old of await cache.keys()) await cache.delete(old);
      await cache.put(request, copy);
    }
    return response;
  } catch (offline) {
    const saved = await cache.match(request, { ignoreSearch: false });
    if (saved) return markedSaved(saved, saved.headers.get("X-Saved-At") || "");
    return caches.match("/offline/");
  }
}

async function elsewhere(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return (await caches.match("/offline/")) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(DIARY_WEEK.test(url.pathname) ? diaryWeek(request) : elsewhere(request));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// Web Push: what the platform sends (a title, a line, the page to open).
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (notJson) {
    message = { body: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "", {
      body: message.body || "",
      tag: message.tag,
      icon: "/icons/192.png",
      badge: "/icons/192.png",
      data: { url: message.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      const open = windows.find((client) => client.url === url.href);
      return open ? open.focus() : self.clients.openWindow(url.href);
    }),
  );
});
