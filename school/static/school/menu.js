// The site menu on narrow screens: one "Menu" button in the header opens every
// section, the language and signing out. Loaded in <head> (not deferred) so the
// page never flashes the open menu; without script the menu simply stays open.
(() => {
  const narrow = window.matchMedia("(max-width: 47.99rem)");
  document.documentElement.classList.add("menu-enhanced");

  function setUp() {
    const header = document.getElementById("site-header");
    const toggle = document.getElementById("menu-toggle");
    if (!header || !toggle) return;
    const setOpen = (open) => {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    const follow = () => {
      toggle.hidden = !narrow.matches;
      if (!narrow.matches) setOpen(false);
    };
    toggle.addEventListener("click", () => setOpen(!header.classList.contains("menu-open")));
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
    narrow.addEventListener("change", follow);
    follow();
  }

  // The installed app: its service worker keeps the shell and the last diary
  // week for reading without a network.
  function offlineCopy() {
    const saved = document.documentElement.dataset.offlineSaved;
    const notice = document.getElementById("offline-notice");
    if (saved === undefined || !notice) return;
    const when = saved ? new Date(saved).toLocaleString(document.documentElement.lang) : "";
    notice.textContent = notice.dataset.text.replace("%(time)s", when);
    notice.hidden = false;
  }

  function signOutForgets() {
    // The saved diary is personal: signing out removes it from this device.
    document.querySelectorAll('form[action$="/oidc/logout/"]').forEach((form) => {
      form.addEventListener("submit", () => {
        if (window.caches) caches.keys().then((names) => names.forEach((n) => caches.delete(n)));
      });
    });
  }

  function start() {
    setUp();
    offlineCopy();
    signOutForgets();
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
