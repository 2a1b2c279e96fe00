// Toasts for a pupil's awards on every page: the messages come over the page's one
// notifications socket (school/notifications.js re-dispatches them as "live-message").
import { extrasOf, format, reasonOf } from "./points_text.js";

const holder = document.getElementById("points-toasts");
const toasts = document.getElementById("toasts");
const HIDE_AFTER_MS = 8000;

function paragraph(className, text) {
  const line = document.createElement("p");
  line.className = className;
  line.textContent = text;
  return line;
}

function toast(award) {
  const item = document.createElement("div");
  item.className = "toast points-toast";
  item.dataset.entry = String(award.entry);
  const text = format(holder.dataset.textAwarded, {
    amount: award.amount,
    reason: reasonOf(award, holder),
  });
  item.append(paragraph("points-toast-amount", text));
  for (const extra of extrasOf(award, holder)) {
    item.append(paragraph(`points-toast-${extra.kind}`, extra.text));
  }
  const close = document.createElement("button");
  close.type = "button";
  close.className = "points-toast-close";
  close.setAttribute("aria-label", holder.dataset.textDismiss);
  close.textContent = "×";
  close.addEventListener("click", () => item.remove());
  item.append(close);
  item.addEventListener("keydown", (event) => {
    if (event.key === "Escape") item.remove();
  });
  // It goes away by itself, but not while someone is reading it (pointer or focus on it).
  let timer = null;
  const hideLater = () => {
    clearTimeout(timer);
    timer = setTimeout(() => item.remove(), HIDE_AFTER_MS);
  };
  const stay = () => clearTimeout(timer);
  item.addEventListener("mouseenter", stay);
  item.addEventListener("mouseleave", hideLater);
  item.addEventListener("focusin", stay);
  item.addEventListener("focusout", hideLater);
  toasts.append(item);
  hideLater();
}

if (holder && toasts) {
  document.addEventListener("live-message", (event) => {
    if (event.detail?.type === "points.awarded") toast(event.detail);
  });
}
