/*
 * H5P.MultiChoice 1.16 — a re-implementation written for the City school
 * platform's tests and demo (AGPL-3.0-or-later). It reads the content.json of
 * the real library and emits the same xAPI statements (see H5P_SCORING.md §1):
 * choice ids and responses are the answers' ORIGINAL indices, whatever order
 * they are shown in; the response keeps the pupil's click order.
 */
var H5P = window.H5P = window.H5P || {};

H5P.MultiChoice = (function (EventDispatcher) {
  "use strict";

  var SEPARATOR = "[,]";
  var UI_DEFAULTS = {
    checkAnswerButton: "Check",
    tryAgainButton: "Retry",
    scoreBarLabel: "You got :num out of :total points",
    correctAnswer: "Correct answer",
    wrongAnswer: "Wrong answer",
    noInput: "Please answer before viewing the solution"
  };
  var counter = 0;

  function stripTags(html) {
    var box = document.createElement("div");
    box.innerHTML = html || "";
    return (box.textContent || "").trim();
  }

  function shuffled(list) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  function isPermutation(order, size) {
    if (!Array.isArray(order) || order.length !== size) {
      return false;
    }
    return order.slice().sort(function (a, b) { return a - b; })
      .every(function (value, index) { return value === index; });
  }

  /**
   * @param {object} params content.json
   * @param {number} contentId
   * @param {object} [extras] previousState, metadata, subContentId from the core
   */
  function MultiChoice(params, contentId, extras) {
    EventDispatcher.call(this);
    extras = extras || {};
    var behaviour = (params && params.behaviour) || {};
    this.params = params || {};
    this.contentId = contentId;
    this.answers = (this.params.answers || []).filter(function (answer) {
      return answer && typeof answer === "object";
    });
    this.ui = Object.assign({}, UI_DEFAULTS, this.params.UI || {});
    // The real library's JS defaults where a key is missing (they differ from
    // the semantics defaults): singlePoint true, randomAnswers false.
    this.singlePoint = behaviour.singlePoint === undefined ? true : !!behaviour.singlePoint;
    this.randomAnswers = !!behaviour.randomAnswers;
    this.passPercentage = behaviour.passPercentage === undefined ? 100 : Number(behaviour.passPercentage);
    this.enableRetry = behaviour.enableRetry === undefined ? true : !!behaviour.enableRetry;
    this.correctIndices = [];
    for (var i = 0; i < this.answers.length; i++) {
      if (this.answers[i].correct) {
        this.correctIndices.push(i);
      }
    }
    var type = behaviour.type || "auto";
    this.singleAnswer = type === "single" || (type === "auto" && this.correctIndices.length === 1);

    var previous = extras.previousState || {};
    var all = this.answers.map(function (_, index) { return index; });
    if (isPermutation(previous.order, all.length)) {
      this.order = previous.order.slice();
    } else {
      this.order = this.randomAnswers ? shuffled(all) : all;
    }
    this.selected = [];
    var restored = Array.isArray(previous.answers) ? previous.answers : [];
    for (var k = 0; k < restored.length; k++) {
      this.select(restored[k]);
    }
    this.checked = false;
    this.uid = "h5p-mc-" + contentId + "-" + (++counter);
  }

  MultiChoice.prototype = Object.create(EventDispatcher.prototype);
  MultiChoice.prototype.constructor = MultiChoice;

  /** Adds an original index to the selection, in click order. */
  MultiChoice.prototype.select = function (index) {
    if (typeof index !== "number" || index < 0 || index >= this.answers.length) {
      return;
    }
    if (this.selected.indexOf(index) !== -1) {
      return;
    }
    if (this.singleAnswer) {
      this.selected = [];
    }
    this.selected.push(index);
  };

  MultiChoice.prototype.deselect = function (index) {
    this.selected = this.selected.filter(function (value) { return value !== index; });
  };

  MultiChoice.prototype.getMaxScore = function () {
    if (this.singleAnswer || this.singlePoint || this.correctIndices.length === 0) {
      return 1;
    }
    return this.correctIndices.length;
  };

  /** The score of the current selection (whether or not Check was pressed). */
  MultiChoice.prototype.getScore = function () {
    var correct = this.correctIndices;
    var selected = this.selected;
    if (this.singleAnswer) {
      return selected.length === 1 && correct.indexOf(selected[0]) !== -1 ? 1 : 0;
    }
    if (correct.length === 0) {
      return selected.length === 0 ? 1 : 0;
    }
    var right = selected.filter(function (index) { return correct.indexOf(index) !== -1; }).length;
    var raw = Math.max(0, right - (selected.length - right));
    if (this.singlePoint) {
      return (100 * raw) / correct.length >= this.passPercentage ? 1 : 0;
    }
    return raw;
  };

  MultiChoice.prototype.getAnswerGiven = function () {
    return this.selected.length > 0;
  };

  MultiChoice.prototype.passed = function () {
    return (100 * this.getScore()) / this.getMaxScore() >= this.passPercentage;
  };

  MultiChoice.prototype.getTitle = function () {
    return H5P.createTitle ? H5P.createTitle(stripTags(this.params.question)) : stripTags(this.params.question);
  };

  /** An "answered" statement for the current selection (§1 of the reference). */
  MultiChoice.prototype.answeredEvent = function () {
    var event = this.createXAPIEventTemplate("answered");
    var definition = event.getVerifiedStatementValue(["object", "definition"]);
    var self = this;
    definition.description = { "en-US": this.params.question || "" };
    definition.type = "http://adlnet.gov/expapi/activities/cmi.interaction";
    definition.interactionType = "choice";
    definition.choices = this.order.map(function (index) {
      return { id: String(index), description: { "en-US": stripTags(self.answers[index].text) } };
    });
    var pattern = this.order.filter(function (index) { return self.answers[index].correct; });
    definition.correctResponsesPattern = pattern.length ? [pattern.join(SEPARATOR)] : [];
    event.setScoredResult(this.getScore(), this.getMaxScore(), this, true, this.passed());
    event.data.statement.result.response = this.selected.join(SEPARATOR);
    return event;
  };

  MultiChoice.prototype.getXAPIData = function () {
    return { statement: this.answeredEvent().data.statement };
  };

  MultiChoice.prototype.getCurrentState = function () {
    return { answers: this.selected.slice(), order: this.order.slice() };
  };

  MultiChoice.prototype.attach = function ($container) {
    var container = $container && $container.get ? $container.get(0) : $container;
    this.container = container;
    container.classList.add("h5p-mc");
    container.innerHTML = "";
    this.render(container);
    this.setActivityStarted();
    this.trigger("resize");
  };

  MultiChoice.prototype.render = function (container) {
    var self = this;
    var question = document.createElement("div");
    question.className = "h5p-mc-question";
    question.id = this.uid + "-question";
    question.innerHTML = this.params.question || "";
    container.appendChild(question);

    var group = document.createElement("fieldset");
    group.className = "h5p-mc-answers";
    group.setAttribute("aria-labelledby", question.id);
    this.inputs = {};
    this.rows = {};
    this.order.forEach(function (index) {
      var row = document.createElement("label");
      row.className = "h5p-mc-answer";
      var input = document.createElement("input");
      input.type = self.singleAnswer ? "radio" : "checkbox";
      input.name = self.uid;
      input.value = String(index);
      input.checked = self.selected.indexOf(index) !== -1;
      input.addEventListener("change", function () {
        if (input.checked) {
          self.select(index);
        } else {
          self.deselect(index);
        }
      });
      var text = document.createElement("span");
      text.className = "h5p-mc-answer-text";
      text.innerHTML = self.answers[index].text || "";
      row.appendChild(input);
      row.appendChild(text);
      group.appendChild(row);
      self.inputs[index] = input;
      self.rows[index] = row;
    });
    container.appendChild(group);

    var feedback = document.createElement("p");
    feedback.className = "h5p-mc-feedback";
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    container.appendChild(feedback);
    this.feedback = feedback;

    var buttons = document.createElement("div");
    buttons.className = "h5p-mc-buttons";
    this.checkButton = this.button(this.ui.checkAnswerButton, "h5p-mc-check", function () {
      self.check();
    });
    buttons.appendChild(this.checkButton);
    if (this.enableRetry) {
      this.retryButton = this.button(this.ui.tryAgainButton, "h5p-mc-retry", function () {
        self.resetTask();
        self.inputs[self.order[0]] && self.inputs[self.order[0]].focus();
      });
      this.retryButton.hidden = true;
      buttons.appendChild(this.retryButton);
    }
    container.appendChild(buttons);
  };

  MultiChoice.prototype.button = function (label, className, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "h5p-mc-button " + className;
    button.textContent = label;
    button.addEventListener("click", onClick);
    return button;
  };

  /** The Check button: marks the answers, shows the score, sends the statement. */
  MultiChoice.prototype.check = function () {
    if (this.checked) {
      return;
    }
    this.checked = true;
    var self = this;
    this.order.forEach(function (index) {
      var input = self.inputs[index];
      var row = self.rows[index];
      input.disabled = true;
      if (self.selected.indexOf(index) !== -1) {
        var right = !!self.answers[index].correct;
        row.classList.add(right ? "h5p-mc-right" : "h5p-mc-wrong");
        var mark = document.createElement("span");
        mark.className = "h5p-mc-mark";
        mark.textContent = right ? self.ui.correctAnswer : self.ui.wrongAnswer;
        row.appendChild(mark);
      }
    });
    this.feedback.textContent = this.ui.scoreBarLabel
      .replace(":num", String(this.getScore()))
      .replace(":total", String(this.getMaxScore()));
    this.checkButton.hidden = true;
    if (this.retryButton) {
      this.retryButton.hidden = false;
      this.retryButton.focus();
    }
    this.trigger(this.answeredEvent());
    this.trigger("resize");
  };

  MultiChoice.prototype.showSolutions = function () {
    var self = this;
    this.correctIndices.forEach(function (index) {
      if (self.rows && self.rows[index]) {
        self.rows[index].classList.add("h5p-mc-solution");
      }
    });
  };

  MultiChoice.prototype.resetTask = function () {
    this.selected = [];
    this.checked = false;
    this.activityStartTime = undefined;
    if (this.container) {
      this.container.innerHTML = "";
      this.render(this.container);
      this.setActivityStarted();
      this.trigger("resize");
    }
  };

  return MultiChoice;
})(H5P.EventDispatcher);
