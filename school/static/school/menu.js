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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
