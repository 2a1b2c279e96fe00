// The progress page of a pupil (their own, or a parent's view of their child)
// follows the pupil's family socket: an award re-reads the page and swaps in the
// totals, badges and recent points. Reconnects with jittered back-off, and after a
// reconnect re-reads once in case an award came while it was away.
const page = document.getElementById("progress-live");
const SECTIONS = ["progress", "badges", "entries"];
let delay = 1000;
let everConnected = false;

async function refresh() {
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of SECTIONS) {
    const current = document.getElementById(id);
    const replacement = fresh.getElementById(id);
    if (current && replacement) current.replaceWith(replacement);
  }
  page.dataset.refreshed = String(Number(page.dataset.refreshed || 0) + 1);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/diary/${page.dataset.pupil}/`);
  socket.addEventListener("open", () => {
    delay = 1000;
    if (everConnected) refresh().catch(() => {});
    everConnected = true;
    page.dataset.live = "connected";
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "diary.event" && message.kind === "points") refresh().catch(() => {});
  });
  socket.addEventListener("close", () => {
    page.dataset.live = "disconnected";
    const wait = delay / 2 + Math.random() * delay;
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

if (page) connect();
