// The host side of the H5P player: relays between the sandboxed frame and the
// platform. The frame cannot call the platform itself (opaque origin, no
// cookies); this page can, so it loads the saved state, records statements and
// saves the state, and believes only messages from its own frame.
// Loaded in <head> (not deferred) so it listens before the frame can speak.
(function () {
  "use strict";

  var STATE_RETRY_MS = 5000;
  var host = null;
  var frame = null;
  var status = null;
  var initialised = false;
  var pendingState = null;
  var savingState = false;

  function attach() {
    if (host) return true;
    host = document.getElementById("h5p-host");
    if (!host) return false;
    frame = document.getElementById("h5p-frame");
    status = document.getElementById("h5p-status");
    return true;
  }

  function label(name, values) {
    var text = host.dataset[name] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", String(values[key]));
    });
    return text;
  }

  function say(text, kind) {
    status.textContent = text;
    status.dataset.kind = kind || "info";
  }

  function records() {
    return host.dataset.record === "true";
  }

  function request(url, options) {
    var headers = { "Content-Type": "application/json", "X-CSRFToken": host.dataset.csrf };
    return fetch(url, Object.assign({ credentials: "same-origin", headers: headers }, options));
  }

  // Writes go one at a time, in the order the game sent them: a statement is
  // recorded before the state that follows it, and one pupil never has two
  // writes racing on the server.
  var writes = Promise.resolve();

  function write(url, options) {
    var done = writes.then(function () {
      return request(url, Object.assign({ method: "POST" }, options));
    });
    writes = done.catch(function () {});
    return done;
  }

  function send(message) {
    frame.contentWindow.postMessage(message, "*");
  }

  function loadState() {
    if (!records()) return Promise.resolve(null);
    return request(host.dataset.stateUrl, { method: "GET" })
      .then(function (response) {
        if (!response.ok) return null;
        return response.json().then(function (data) {
          return data && typeof data.state === "string" ? data.state : null;
        });
      })
      .catch(function () {
        return null;
      });
  }

  function onReady() {
    if (initialised) return;
    initialised = true;
    loadState().then(function (state) {
      send({ type: "h5p:init", state: state });
    });
  }

  function showSaved(data) {
    var verified = data.verification === "verified";
    var text = label("labelSaved", { raw: data.raw, max: data.max });
    var note = label(verified ? "labelVerified" : "labelUnverified");
    say(text + " " + note, verified ? "verified" : "saved");
    host.dataset.lastAttempt = String(data.attempt);
    host.dataset.lastVerification = String(data.verification);
  }

  function onStatement(message) {
    if (!records()) return;
    say(label("labelSaving"), "info");
    write(host.dataset.statementUrl, {
      body: JSON.stringify({ statement: message.statement, report: message.report || null }),
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || label("labelFailed"));
          showSaved(data);
        });
      })
      .catch(function (error) {
        // The game keeps running; the pupil may answer again to try once more.
        say(error.message || label("labelFailed"), "error");
      });
  }

  // Retried only when a later try may work (no network, a server error), a
  // few times; a refusal (4xx) stays refused. The game goes on either way.
  var stateFailures = 0;
  var STATE_TRIES = 3;

  function stateFailed(state, retry) {
    if (pendingState === null) pendingState = state;
    stateFailures += 1;
    if (retry && stateFailures < STATE_TRIES) {
      window.setTimeout(saveState, STATE_RETRY_MS * stateFailures);
    } else {
      pendingState = null;
    }
  }

  function saveState() {
    if (savingState || pendingState === null) return;
    var state = pendingState;
    pendingState = null;
    savingState = true;
    write(host.dataset.stateUrl, {
      body: JSON.stringify({ state: state }),
      // Lets the last save finish while the pupil leaves the page.
      keepalive: state.length < 60000,
    })
      .then(function (response) {
        if (response.ok) {
          stateFailures = 0;
        } else if (response.status === 413) {
          host.dataset.stateNote = "too-big";
          document.getElementById("h5p-state-note").textContent = label("labelStateTooBig");
        } else {
          stateFailed(state, response.status >= 500);
        }
      })
      .catch(function () {
        stateFailed(state, true);
      })
      .then(function () {
        savingState = false;
        if (pendingState !== null && stateFailures === 0) saveState();
      });
  }

  function onState(message) {
    if (!records() || typeof message.state !== "string") return;
    pendingState = message.state;
    saveState();
  }

  function onResize(message) {
    var height = Number(message.height);
    if (height > 0 && height < 20000) frame.style.height = Math.ceil(height) + "px";
  }

  window.addEventListener("message", function (event) {
    if (!attach() || !frame || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || typeof message !== "object") return;
    switch (message.type) {
      case "h5p:ready":
        onReady();
        break;
      case "h5p:xapi":
        onStatement(message);
        break;
      case "h5p:state":
        onState(message);
        break;
      case "h5p:resize":
        onResize(message);
        break;
      case "h5p:error":
        say(label("labelLoadFailed"), "error");
        break;
    }
  });
})();
