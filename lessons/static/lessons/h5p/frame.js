// Runs h5p-standalone inside the sandboxed frame (opaque origin: no cookies, no
// storage, no readable platform responses) and talks to the host page only by
// postMessage: "h5p:ready" out, "h5p:init" {state} in, then "h5p:xapi",
// "h5p:state" and "h5p:resize" out.
(function () {
  "use strict";

  var root = document.getElementById("h5p-player");
  var paths = root.dataset;
  // location.origin is the URL's origin (the platform's), unlike self.origin,
  // which is "null" here: messages go to the platform's pages and nowhere else.
  var platform = window.location.origin;
  var STATE_EVERY_MS = 15000;
  var started = false;
  var lastState = null;

  // With an opaque origin, merely reading window.localStorage throws, and the
  // H5P core reads it unguarded while starting (its offline request queue).
  // A memory-only stand-in keeps it running and persists nothing.
  function memoryStorage() {
    var items = new Map();
    return {
      get length() { return items.size; },
      key: function (index) { return Array.from(items.keys())[index] || null; },
      getItem: function (key) { return items.has(String(key)) ? items.get(String(key)) : null; },
      setItem: function (key, value) { items.set(String(key), String(value)); },
      removeItem: function (key) { items.delete(String(key)); },
      clear: function () { items.clear(); },
    };
  }

  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      void window[name];
    } catch (error) {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  });

  function post(message) {
    window.parent.postMessage(message, platform);
  }

  function plain(value) {
    // Statements hold H5P objects and functions; send what JSON keeps.
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
  }

  function instance() {
    return window.H5P && window.H5P.instances ? window.H5P.instances[0] : undefined;
  }

  function postState() {
    var game = instance();
    if (!game || typeof game.getCurrentState !== "function") return;
    var state;
    try {
      state = JSON.stringify(game.getCurrentState());
    } catch (error) {
      return;
    }
    if (state === undefined || state === lastState) return;
    lastState = state;
    post({ type: "h5p:state", state: state });
  }

  function report() {
    var game = instance();
    if (!game || typeof game.getXAPIData !== "function") return null;
    try {
      return plain(game.getXAPIData());
    } catch (error) {
      return null;
    }
  }

  // Top-level statements only (children of a set carry a parent, and the
  // report has their responses); and only scored ones: "attempted",
  // "interacted" and "progressed" tell the server nothing it records.
  function forwardable(statement) {
    var parent = statement.context && statement.context.contextActivities &&
      statement.context.contextActivities.parent;
    var scored = statement.result && statement.result.score;
    return !(parent && parent.length) && !!scored;
  }

  function onXAPI(event) {
    var statement = event && event.data && event.data.statement;
    if (!statement || !forwardable(statement)) return;
    post({ type: "h5p:xapi", statement: plain(statement), report: report() });
    postState();
  }

  var lastHeight = 0;

  // The body's height, not the document's: that one never drops below the
  // frame's own height, so the frame could grow but never shrink.
  function resized() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    post({ type: "h5p:resize", height: height });
  }

  function start(state) {
    var options = {
      h5pJsonPath: paths.content,
      contentJsonPath: paths.content + "/content",
      librariesPath: paths.libraries,
      frameJs: paths.frameJs,
      frameCss: paths.frameCss,
      // "div" runs the content in this document; "iframe" would need an inline
      // script (H5PIntegration = window.parent...), which this CSP forbids.
      embedType: "div",
      // The core hands previousState to the content only when saveFreq is set;
      // without a user it keeps the state in memory and never sends it anywhere.
      saveFreq: STATE_EVERY_MS / 1000,
    };
    if (state) {
      options.contentUserData = [{ state: state }];
      lastState = state;
    }
    new window.H5PStandalone.H5P(root, options).then(
      function () {
        window.H5P.externalDispatcher.on("xAPI", onXAPI);
        window.setInterval(postState, STATE_EVERY_MS);
        document.addEventListener("visibilitychange", function () {
          if (document.visibilityState === "hidden") postState();
        });
        root.dataset.loaded = "true";
        resized();
      },
      function (error) {
        console.error("The H5P player failed to start:", error);
        root.dataset.loaded = "error";
        post({ type: "h5p:error", message: String(error && error.message || error) });
      }
    );
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== platform) return;
    var data = event.data || {};
    if (data.type !== "h5p:init" || started) return;
    started = true;
    start(typeof data.state === "string" ? data.state : null);
  });

  if (window.ResizeObserver) {
    new ResizeObserver(resized).observe(document.body);
  }
  post({ type: "h5p:ready" });
})();
