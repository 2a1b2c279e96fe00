// The first-day tour of the home page (driver.js): each step points at a menu
// entry, or at the Menu button while the menu is folded on a phone. Ending it,
// at the last step or by closing, tells the server not to show it again.
const settings = document.getElementById("tour").dataset;
const steps = JSON.parse(document.getElementById("tour-steps").textContent);
const { driver } = window.driver.js;

function target(href) {
  const link = document.querySelector(`.site-nav a[href="${href}"]`);
  if (link && link.offsetParent !== null) return link;
  return document.getElementById("menu-toggle");
}

function finished() {
  fetch(settings.doneUrl, { method: "POST", headers: { "X-CSRFToken": settings.csrf } });
}

const tour = driver({
  showProgress: true,
  nextBtnText: settings.next,
  prevBtnText: settings.prev,
  doneBtnText: settings.done,
  progressText: settings.progress,
  onDestroyed: finished,
  steps: steps.map((step) => ({
    element: () => target(step.href),
    popover: { title: step.title, description: step.text },
  })),
});
tour.drive();
