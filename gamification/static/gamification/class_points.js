// A class's awards on its teacher's live-lesson console, over `ws/points/class/<id>/`.
// Reconnects with jittered back-off, so a restarted server is not hit by every
// console at once; a refusal (4401 signed out, 4403 not the class's teacher) is final.
import { awardLine, prependLine } from "./points_text.js";

const panel = document.getElementById("class-points");
const list = document.getElementById("class-points-list");
let delay = 1000;

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${panel.dataset.socket}`);
  socket.addEventListener("open", () => {
    delay = 1000;
    panel.dataset.live = "connected";
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "points.awarded") prependLine(list, awardLine(message, panel));
  });
  socket.addEventListener("close", (event) => {
    panel.dataset.live = "disconnected";
    if (event.code >= 4000) return;
    const wait = delay / 2 + Math.random() * delay;
    delay = Math.min(delay * 2, 30000);
    setTimeout(connect, wait);
  });
}

if (panel && list) connect();
