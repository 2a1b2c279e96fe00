// One connection to the board: Excalidraw bound to the shown page of the Y.Doc.
//
// A fresh doc each time it mounts, so a pupil who loses the pen drops the strokes
// the server refused and takes the server's state again.
import { Excalidraw } from "@excalidraw/excalidraw";
import React, { useCallback, useEffect, useRef, useState } from "react";
import { ExcalidrawBinding } from "y-excalidraw";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

import { nameExcalidrawControls } from "./a11y.js";
import { syncAssets } from "./assets.js";
import { socketUrl } from "./live.js";
import { fittedView } from "./follow.js";
import { DEFAULT_PAGE, elementsOf, readPages, sceneOf } from "./pages.js";
import { BoardBar } from "./toolbar.jsx";

// How long a "clear" may wait for the deletion itself, which comes the other way
// (over the board's socket, not the live lesson's).
const CLEAR_SETTLE_MS = 1000;
const PROBLEM_SHOWN_MS = 10000;
const UI_OPTIONS = { canvasActions: { loadScene: false, saveToActiveFile: false, export: false } };

function connect(config, onRefused) {
  const doc = new Y.Doc();
  // No BroadcastChannel between tabs: the server decides what is on the board, and
  // a fresh doc must not take strokes it refused from the doc it replaces.
  const provider = new WebsocketProvider(socketUrl(config.boardSocket), String(config.board), doc, {
    disableBc: true,
  });
  provider.awareness.setLocalStateField("user", {
    name: config.userName,
    color: config.role === "teacher" ? "#c92a2a" : "#1971c2",
  });
  const assets = syncAssets({ config, shared: doc.getMap("assets"), onRefused });
  return {
    doc,
    provider,
    assets,
    close() {
      assets.stop();
      provider.destroy();
      doc.destroy();
    },
  };
}

function usePages(doc) {
  const [pages, setPages] = useState([DEFAULT_PAGE]);
  useEffect(() => {
    const yPages = doc.getArray("pages");
    const update = () => setPages(readPages(yPages));
    update();
    yPages.observe(update);
    return () => yPages.unobserve(update);
  }, [doc]);
  return pages;
}

export function Board(props) {
  const { config, page, canDraw, follow, cleared, onReady, onViewport, onClearSettled } = props;
  const [api, setApi] = useState(null);
  const [problem, setProblem] = useState("");
  const [connection] = useState(() => connect(config, setProblem));
  const binding = useRef(null);
  const pages = usePages(connection.doc);
  useEffect(() => () => connection.close(), [connection]);

  // Another page: the binding moves to that page's array, and undo forgets the
  // old page (it would bring its elements back here).
  useEffect(() => {
    if (!api) return undefined;
    api.updateScene({ appState: { selectedElementIds: {}, editingElement: null } });
    const current = new ExcalidrawBinding(
      elementsOf(connection.doc, page),
      connection.assets.local,
      api,
      connection.provider.awareness,
      // No shared undo: the plugin finds Excalidraw's undo button by its English
      // label, which a Russian page and view mode do not have.
    );
    api.history.clear();
    binding.current = current;
    onReady(api, connection);
    return () => {
      binding.current = null;
      current.destroy();
    };
  }, [api, connection, page, onReady]);

  useEffect(() => {
    if (!api || !follow || config.role === "teacher") return;
    api.updateScene({ appState: fittedView(follow.viewport, api.getAppState()) });
  }, [api, follow, config.role]);

  // After a clear the scene is the document's page again, whatever Excalidraw
  // still held; a screen without the pen that still has something there may
  // hold strokes the server refused, and only a fresh copy drops them.
  useEffect(() => {
    if (!api || !cleared) return undefined;
    const reconcile = () => {
      if (cleared.page === page) api.updateScene({ elements: sceneOf(connection.doc, page) });
    };
    reconcile();
    const timer = setTimeout(() => {
      reconcile();
      onClearSettled(!canDraw && elementsOf(connection.doc, cleared.page).length > 0);
    }, CLEAR_SETTLE_MS);
    return () => clearTimeout(timer);
    // Only a new clear runs this again, not a change of page or pen.
  }, [api, cleared]);

  useEffect(() => {
    if (!problem) return undefined;
    const timer = setTimeout(() => setProblem(""), PROBLEM_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [problem]);

  // Excalidraw re-renders on any new prop: this one stays the same function.
  const onPointerUpdate = useCallback((payload) => binding.current?.onPointerUpdate(payload), []);
  const surface = useRef(null);
  useEffect(() => nameExcalidrawControls(surface.current, config.labels), [config.labels]);
  return (
    <>
      <BoardBar {...props} api={api} doc={connection.doc} pages={pages} surface={surface} />
      <p className="board-problem" role="alert">
        {problem}
      </p>
      <div className="board-surface" ref={surface}>
        <Excalidraw
          excalidrawAPI={setApi}
          initialData={{ elements: sceneOf(connection.doc, page) }}
          viewModeEnabled={!canDraw}
          isCollaborating
          langCode={config.lang}
          onScrollChange={onViewport}
          onPointerUpdate={onPointerUpdate}
          UIOptions={UI_OPTIONS}
        />
      </div>
    </>
  );
}
