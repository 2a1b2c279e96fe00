/*
 * H5P.TrueFalse 1.8 — a re-implementation written for the City school
 * platform's tests and demo (AGPL-3.0-or-later). It reads the real library's
 * content.json ("correct" is the STRING "true" or "false") and emits the same
 * xAPI statements (see H5P_SCORING.md §3).
 */
var H5P = window.H5P = window.H5P || {};

H5P.TrueFalse = (function (EventDispatcher) {
  "use strict";

  var L10N = {
    trueText: "True",
    falseText: "False",
    checkAnswer: "Check",
    tryAgain: "Retry",
    score: "You got @score of @total points"
  };
  var counter = 0;

  function stripTags(html) {
    var box = document.createElement("div");
    box.innerHTML = html || "";
    return (box.textContent || "").trim();
  }

  function TrueFalse(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.correct = this.params.correct === "false" ? "false" : "true";
    this.l10n = Object.assign({}, L10N, this.params.l10n || {});
    var behaviour = this.params.behaviour || {};
    this.enableRetry = behaviour.enableRetry === undefined ? true : !!behaviour.enableRetry;
    var previous = (extras && extras.previousState) || {};
    this.answer = previous.answer === "true" || previous.answer === "false" ? previous.answer : null;
    this.checked = false;
    this.uid = "h5p-tf-" + contentId + "-" + (++counter);
  }

  TrueFalse.prototype = Object.create(EventDispatcher.prototype);
  TrueFalse.prototype.constructor = TrueFalse;

  TrueFalse.prototype.getMaxScore = function () {
    return 1;
  };

  TrueFalse.prototype.getScore = function () {
    return this.answer === this.correct ? 1 : 0;
  };

  TrueFalse.prototype.getAnswerGiven = function () {
    return this.answer !== null;
  };

  TrueFalse.prototype.getTitle = function () {
    return stripTags(this.params.question);
  };

  TrueFalse.prototype.getCurrentState = function () {
    return { answer: this.answer };
  };

  /**
   * @param {boolean} live the statement sent on Check: an unanswered question
   *   reports the wrong value there, and "" in getXAPIData (as the real one).
   */
  TrueFalse.prototype.answeredEvent = function (live) {
    var event = this.createXAPIEventTemplate("answered");
    var definition = event.getVerifiedStatementValue(["object", "definition"]);
    definition.description = { "en-US": stripTags(this.params.question) };
    definition.type = "http://adlnet.gov/expapi/activities/cmi.interaction";
    definition.interactionType = "true-false";
    definition.correctResponsesPattern = [this.correct];
    var right = this.answer === this.correct;
    event.setScoredResult(this.getScore(), 1, this, true, right);
    var other = this.correct === "true" ? "false" : "true";
    var response = right ? this.correct : other;
    if (!live && this.answer === null) {
      response = "";
    }
    event.data.statement.result.response = response;
    return event;
  };

  TrueFalse.prototype.getXAPIData = function () {
    return { statement: this.answeredEvent(false).data.statement };
  };

  TrueFalse.prototype.attach = function ($container) {
    var container = $container && $container.get ? $container.get(0) : $container;
    this.container = container;
    container.classList.add("h5p-tf");
    this.render();
    this.setActivityStarted();
    this.trigger("resize");
  };

  TrueFalse.prototype.render = function () {
    var self = this;
    var container = this.container;
    container.innerHTML = "";
    var question = document.createElement("div");
    question.className = "h5p-tf-question";
    question.id = this.uid + "-question";
    question.innerHTML = this.params.question || "";
    container.appendChild(question);

    var group = document.createElement("fieldset");
    group.className = "h5p-tf-answers";
    group.setAttribute("aria-labelledby", question.id);
    this.rows = {};
    this.inputs = {};
    [["true", this.l10n.trueText], ["false", this.l10n.falseText]].forEach(function (pair) {
      var row = document.createElement("label");
      row.className = "h5p-tf-answer";
      row.dataset.value = pair[0];
      var input = document.createElement("input");
      input.type = "radio";
      input.name = self.uid;
      input.value = pair[0];
      input.checked = self.answer === pair[0];
      input.addEventListener("change", function () {
        if (input.checked) self.answer = pair[0];
      });
      var text = document.createElement("span");
      text.textContent = pair[1];
      row.appendChild(input);
      row.appendChild(text);
      group.appendChild(row);
      self.rows[pair[0]] = row;
      self.inputs[pair[0]] = input;
    });
    container.appendChild(group);

    this.feedback = document.createElement("p");
    this.feedback.className = "h5p-tf-feedback";
    this.feedback.setAttribute("role", "status");
    this.feedback.setAttribute("aria-live", "polite");
    container.appendChild(this.feedback);

    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.className = "h5p-tf-button h5p-tf-check";
    this.button.textContent = this.l10n.checkAnswer;
    this.button.addEventListener("click", function () {
      if (self.checked) {
        self.resetTask();
        self.inputs["true"].focus();
      } else {
        self.check();
      }
    });
    container.appendChild(this.button);
  };

  TrueFalse.prototype.check = function () {
    this.checked = true;
    var right = this.answer === this.correct;
    Object.keys(this.inputs).forEach(function (key) {
      this.inputs[key].disabled = true;
    }, this);
    if (this.answer !== null) {
      this.rows[this.answer].classList.add(right ? "h5p-tf-right" : "h5p-tf-wrong");
    }
    this.feedback.textContent = this.l10n.score
      .replace("@score", String(this.getScore()))
      .replace("@total", "1");
    if (this.enableRetry) {
      this.button.textContent = this.l10n.tryAgain;
      this.button.classList.replace("h5p-tf-check", "h5p-tf-retry");
    } else {
      this.button.hidden = true;
    }
    this.trigger(this.answeredEvent(true));
    this.trigger("resize");
  };

  TrueFalse.prototype.showSolutions = function () {
    if (this.rows) this.rows[this.correct].classList.add("h5p-tf-right");
  };

  TrueFalse.prototype.resetTask = function () {
    this.answer = null;
    this.checked = false;
    this.activityStartTime = undefined;
    if (this.container) {
      this.render();
      this.setActivityStarted();
      this.trigger("resize");
    }
  };

  return TrueFalse;
})(H5P.EventDispatcher);
