// A player's screen: big coloured answer buttons (keys 1–6 too), own score and place.
import { connect, renderPodium, renderQuestion, renderResults, showPanel, stopTimer } from "./quiz.js";

const root = document.getElementById("quiz-play");
let current = null;
let choices = [];

function feedback(name) {
  for (const line of root.querySelectorAll("[data-feedback]")) {
    line.hidden = line.dataset.feedback !== name;
  }
}

function lock() {
  for (const button of root.querySelectorAll("#quiz-choices button, #quiz-send")) {
    button.disabled = true;
  }
}

function answer(choice) {
  if (current === null) return;
  game.send({ type: "answer", question: current.index, choice });
  lock();
}

function you(own) {
  if (!own) return;
  document.getElementById("quiz-score").textContent = own.score;
  document.getElementById("quiz-rank").textContent = own.rank;
  document.getElementById("quiz-rank-wrap").hidden = false;
}

function question(frame, alreadyAnswered = false) {
  current = frame;
  choices = frame.choices;
  feedback(alreadyAnswered ? "accepted" : null);
  renderQuestion(root, frame, (text, index, shape) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quiz-answer";
    button.dataset.choice = index;
    button.textContent = `${shape} ${text}`;
    if (frame.multiple) button.setAttribute("aria-pressed", "false");
    return button;
  });
  document.getElementById("quiz-send").hidden = !frame.multiple;
  showPanel(root, "question");
  if (alreadyAnswered) lock();
}

const handlers = {
  state(frame) {
    document.getElementById("quiz-score").textContent = frame.score;
    if (frame.question) question(frame.question, frame.answered);
    else if (frame.results) handlers.results(frame.results);
    else if (frame.podium) handlers.podium(frame.podium);
    else showPanel(root, frame.status);
  },
  question: (frame) => question(frame),
  ack(frame) {
    feedback(frame.accepted ? "accepted" : ["late", "already"].includes(frame.reason) ? frame.reason : "refused");
  },
  results(frame) {
    current = null;
    stopTimer();
    you(frame.you);
    const right = Boolean(frame.you?.correct);
    root.querySelector("[data-verdict=right]").hidden = !right;
    root.querySelector("[data-verdict=wrong]").hidden = right;
    document.getElementById("quiz-points").textContent = frame.you?.points ?? 0;
    renderResults(root, frame, choices);
    showPanel(root, "reveal");
  },
  podium(frame) {
    current = null;
    stopTimer();
    you(frame.you);
    renderPodium(root, frame);
    showPanel(root, "finished");
  },
};

const game = connect(root, (frame) => handlers[frame.type]?.(frame));

root.addEventListener("click", (event) => {
  const button = event.target.closest("#quiz-choices button");
  if (button && !button.disabled) {
    if (current?.multiple) {
      const pressed = button.getAttribute("aria-pressed") === "true";
      button.setAttribute("aria-pressed", String(!pressed));
    } else {
      answer(Number(button.dataset.choice));
    }
  }
  if (event.target.closest("#quiz-send") && current) {
    const picked = [...root.querySelectorAll("#quiz-choices [aria-pressed=true]")];
    if (picked.length) answer(picked.map((b) => Number(b.dataset.choice)));
  }
});

document.addEventListener("keydown", (event) => {
  const index = Number(event.key) - 1;
  if (current && !current.multiple && index >= 0 && index < choices.length && !event.target.closest("input, textarea")) {
    const button = root.querySelector(`#quiz-choices button[data-choice="${index}"]`);
    if (button && !button.disabled) answer(index);
  }
});
