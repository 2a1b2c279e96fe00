// The host's screen: lobby, question with timer, results, podium; the commands.
import { presentationToggle } from "../../school/present.js";
import { connect, renderPodium, renderQuestion, renderResults, showPanel, stopTimer } from "./quiz.js";

const root = document.getElementById("quiz-host");
let choices = [];

function addPlayer(name) {
  const item = document.createElement("li");
  item.textContent = name;
  document.getElementById("quiz-lobby").append(item);
}

let current = -1;
let answersShown = 0;

function showAnswers(count) {
  answersShown = count;
  document.getElementById("quiz-answer-count").textContent = count;
  document.getElementById("quiz-answer-total").textContent =
    document.getElementById("quiz-player-count").textContent;
}

function question(frame, answered = 0) {
  choices = frame.choices;
  current = frame.index;
  showAnswers(answered);
  renderQuestion(root, frame, (text, index, shape) => {
    const span = document.createElement("span");
    span.textContent = `${shape} ${text}`;
    return span;
  });
  showPanel(root, "question");
}

const handlers = {
  state(frame) {
    document.getElementById("quiz-lobby").replaceChildren();
    frame.lobby.forEach(addPlayer);
    document.getElementById("quiz-player-count").textContent = frame.lobby.length;
    if (frame.question) question(frame.question, frame.answered);
    else if (frame.results) handlers.results(frame.results);
    else if (frame.podium) handlers.podium(frame.podium);
    else showPanel(root, frame.status);
  },
  joined(frame) {
    addPlayer(frame.name);
    document.getElementById("quiz-player-count").textContent = frame.players;
  },
  question: (frame) => question(frame),
  answered(frame) {
    // Two answers' events may arrive out of order: the count only grows.
    if (frame.index === current && frame.answered > answersShown) showAnswers(frame.answered);
  },
  results(frame) {
    stopTimer();
    renderResults(root, frame, choices);
    showPanel(root, "reveal");
  },
  podium(frame) {
    stopTimer();
    renderPodium(root, frame);
    showPanel(root, "finished");
  },
  error(frame) {
    const box = document.getElementById("quiz-error");
    box.textContent = frame.messages.join(" ");
    box.hidden = !frame.messages.length;
  },
};

const game = connect(root, (frame) => handlers[frame.type]?.(frame));
root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-command]");
  if (button) game.send({ type: button.dataset.command });
});

// The projector: the host screen alone, big enough to read across the classroom.
const projector = document.getElementById("quiz-projector");
const labelStart = projector.textContent;
projector.addEventListener(
  "click",
  presentationToggle(root, (on) => {
    projector.setAttribute("aria-pressed", String(on));
    projector.textContent = on ? projector.dataset.labelEnd : labelStart;
  }),
);
