// What the host's and the players' screens share: the socket, the timer, the panels.

const SHAPES = ["▲", "◆", "●", "■", "★", "⬟"];
const FINAL = new Set([4401, 4403]);

/** Opens the game's socket and reopens it after a drop; `onFrame` gets every
 * frame, the first of each connection being the full "state". */
export function connect(root, onFrame) {
  const offline = document.getElementById("quiz-offline");
  let socket;
  let delay = 500;
  const open = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.socket}`);
    socket.addEventListener("open", () => {
      delay = 500;
      if (offline) offline.hidden = true;
      root.dataset.connected = "true";
    });
    socket.addEventListener("message", (event) => onFrame(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      root.dataset.connected = "false";
      if (FINAL.has(event.code)) return;
      if (offline) offline.hidden = false;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 8000);
    });
  };
  open();
  return { send: (message) => socket.send(JSON.stringify(message)) };
}

export function showPanel(root, name) {
  root.dataset.status = name;
  for (const panel of root.querySelectorAll("[data-panel]")) {
    panel.hidden = panel.dataset.panel !== name;
  }
}

let ticking = null;

/** Fills the question block; the countdown runs on the server's clock. */
export function renderQuestion(root, frame, makeChoice) {
  const block = root.querySelector("#quiz-question");
  block.querySelector("[data-field=number]").textContent = frame.index + 1;
  block.querySelector("[data-field=count]").textContent = frame.count;
  block.querySelector("[data-field=text]").textContent = frame.text;
  block.querySelector("[data-field=multiple]").hidden = !frame.multiple;
  const list = block.querySelector("#quiz-choices");
  list.replaceChildren(
    ...frame.choices.map((text, index) => {
      const item = document.createElement("li");
      item.className = `quiz-choice quiz-choice-${index}`;
      item.append(makeChoice(text, index, SHAPES[index]));
      return item;
    }),
  );
  const skew = Date.parse(frame.server_now) - Date.now();
  const closes = Date.parse(frame.closes_at);
  const seconds = document.getElementById("quiz-seconds");
  clearInterval(ticking);
  const tick = () => {
    const left = Math.max(0, Math.ceil((closes - (Date.now() + skew)) / 1000));
    seconds.textContent = left;
    if (!left) clearInterval(ticking);
  };
  tick();
  ticking = setInterval(tick, 250);
}

export function stopTimer() {
  clearInterval(ticking);
}

function entry(person) {
  const item = document.createElement("li");
  item.dataset.rank = person.rank;
  const name = document.createElement("span");
  name.className = "quiz-name";
  name.textContent = person.name;
  const score = document.createElement("strong");
  score.className = "quiz-points";
  score.textContent = person.score;
  item.append(name, " ", score);
  return item;
}

/** The distribution as bars (correct ones marked), and the top five. */
export function renderResults(root, frame, choices) {
  const most = Math.max(1, ...frame.distribution);
  const bars = root.querySelector("#quiz-bars");
  bars.replaceChildren(
    ...frame.distribution.map((count, index) => {
      const item = document.createElement("li");
      item.className = `quiz-bar quiz-choice-${index}`;
      item.dataset.count = count;
      if (frame.correct.includes(index)) item.dataset.correct = "true";
      const label = document.createElement("span");
      label.className = "quiz-bar-label";
      label.textContent = `${SHAPES[index]} ${choices?.[index] ?? ""}`;
      const fill = document.createElement("span");
      fill.className = "quiz-bar-fill";
      fill.style.width = `${(100 * count) / most}%`;
      const number = document.createElement("strong");
      number.textContent = count;
      item.append(label, fill, number);
      return item;
    }),
  );
  root.querySelector("#quiz-top").replaceChildren(...frame.top.map(entry));
}

export function renderPodium(root, frame) {
  root.querySelector("#quiz-podium").replaceChildren(...frame.podium.map(entry));
}
