// The lesson page's sections a teacher shows on every screen (whiteboard/sections.py).
//
// The room's page holds every section, hidden; the pushed one is shown and, when
// the pupil is not busy on the board, brought into view with the focus on it. The
// console marks the section on show and sends pushes from its buttons.

function reducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function roomPanel(panel) {
  const bodies = [...panel.querySelectorAll(":scope > [data-section]")];
  const status = panel.querySelector("[role=status]");
  const heading = panel.querySelector("h2");
  return (sectionId, { announce }) => {
    const body = bodies.find((item) => item.dataset.section === sectionId);
    for (const item of bodies) item.hidden = item !== body;
    panel.hidden = !body;
    if (!body || !announce) return;
    status.textContent = panel.dataset.announce.replace("{title}", body.dataset.title);
    // A pupil drawing keeps the focus and the view; the status still tells them.
    if (document.getElementById("board")?.contains(document.activeElement)) return;
    heading.focus({ preventScroll: true });
    panel.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "start" });
  };
}

function consoleList(list) {
  return (sectionId) => {
    for (const item of list.querySelectorAll("li[data-section]")) {
      if (item.dataset.section === sectionId) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    }
  };
}

/** What the live socket's "state" and "section" messages drive on this page. */
export function lessonSections(root, send) {
  const panel = root.getElementById("live-section");
  const list = root.getElementById("live-section-list");
  for (const button of root.querySelectorAll("button[data-section-push]")) {
    button.addEventListener("click", () =>
      send({ type: "section.push", section: button.dataset.sectionPush }),
    );
  }
  const showInRoom = panel ? roomPanel(panel) : () => {};
  const markInConsole = list ? consoleList(list) : () => {};
  let shown = null;
  return (sectionId, { announce }) => {
    const id = sectionId || "";
    // A reconnecting socket hears the same state again: nothing moves then.
    if (id === shown) return;
    shown = id;
    showInRoom(id, { announce });
    markInConsole(id);
  };
}
