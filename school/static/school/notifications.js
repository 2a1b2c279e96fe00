// Live notifications: one websocket per page, reconnecting with jittered back-off
// so that a restarted server is not hit by every pupil of the city at once.
const toasts = document.getElementById("toasts");
const list = document.getElementById("notification-list");
let delay = 1000;

function show(text) {
  const toast = document.createElement("div");
  toast.className = "toast";
  toast.textContent = text;
  toasts.append(toast);
  setTimeout(() => toast.remove(), 8000);
  if (list) {
    const item = document.createElement("li");
    item.className = "unread";
    item.textContent = text;
    list.prepend(item);
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/notifications/`);
  socket.addEventListener("open", () => {
    delay = 1000;
    document.body.dataset.live = "connected";
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "notification") show(message.text);
    // Other apps' modules on the page (points toasts) read their messages from
    // this one socket instead of opening another per page.
    document.dispatchEvent(new CustomEvent("live-message", { detail: message }));
  });
  socket.addEventListener("close", (event) => {
    document.body.dataset.live = "disconnected";
    if (event.code === 4401) return; // signed out: nothing to reconnect to
    const wait = delay / 2 + Math.random() * delay;
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

connect();
