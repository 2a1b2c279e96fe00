// Live diary: listens to the pupil's family group and swaps in the changed day
// (or the whole summary) without a reload. Reconnects with jittered back-off so a
// restarted server is not hit by every family of the city at the same moment.
const live = document.getElementById("diary-live");
const toasts = document.getElementById("toasts");
let delay = 1000;
let everConnected = false;
const NOT_DIARY_KINDS = new Set(["points"]);

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

function toastText(kind, data) {
  const texts = live.dataset;
  if (kind === "mark") {
    let value = data.value;
    if (data.scale === "pass_fail") value = value ? texts.textPass : texts.textFail;
    return format(texts.textMark, { ...data, value });
  }
  if (kind === "mark_removed") return texts.textMarkRemoved;
  if (kind === "attendance") return texts.textAttendance;
  if (kind === "homework") return texts.textHomework;
  return texts.textOther;
}

function toast(text) {
  if (!toasts) return;
  const item = document.createElement("div");
  item.className = "toast";
  item.textContent = text;
  toasts.append(item);
  setTimeout(() => item.remove(), 8000);
}

// The days an event touches: its dates, and the day holding the lesson it names.
function affectedDays(data) {
  const days = new Set();
  for (const key of ["date", "due_date", "old_date"]) {
    if (typeof data[key] === "string") days.add(data[key]);
  }
  if (data.lesson_id != null) {
    const lesson = document.querySelector(`[data-lesson="${Number(data.lesson_id)}"]`);
    const day = lesson && lesson.closest("[data-day]");
    if (day) days.add(day.dataset.day);
  }
  return [...days].filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day));
}

async function fetchHtml(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

async function refreshDay(day) {
  const section = document.querySelector(`[data-day="${day}"]`);
  if (!section) return; // another week: nothing shown to update
  const html = await fetchHtml(`${live.dataset.dayUrl}${day}/`);
  const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-day]");
  if (!fresh) return;
  fresh.classList.add("updated");
  section.replaceWith(fresh);
}

async function refreshSummary() {
  const html = await fetchHtml(location.href);
  const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("diary-summary");
  const current = document.getElementById("diary-summary");
  if (fresh && current) current.replaceWith(fresh);
}

// After a reconnect the page may have missed events: bring everything shown up to date.
async function resync() {
  if (live.dataset.refresh === "summary") return refreshSummary();
  const days = [...document.querySelectorAll("[data-day]")].map((day) => day.dataset.day);
  return Promise.all(days.map(refreshDay));
}

async function handle(message) {
  if (message.type !== "diary.event") return;
  // Other apps' modules on the page listen too (the points feed); their kinds
  // are not diary changes, so nothing is refreshed or announced here.
  document.dispatchEvent(new CustomEvent("diary-event", { detail: message }));
  if (NOT_DIARY_KINDS.has(message.kind)) return;
  const data = message.data || {};
  try {
    if (live.dataset.refresh === "summary") await refreshSummary();
    else await Promise.all(affectedDays(data).map(refreshDay));
  } finally {
    toast(toastText(message.kind, data));
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/diary/${live.dataset.pupil}/`);
  socket.addEventListener("open", () => {
    delay = 1000;
    if (everConnected) resync().catch(() => {});
    everConnected = true;
    live.dataset.live = "connected";
  });
  socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
  socket.addEventListener("close", () => {
    live.dataset.live = "disconnected";
    const wait = delay / 2 + Math.random() * delay;
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

if (live) connect();
