// The live lesson's drawing surface: Excalidraw bound to the board's Y.Doc.
//
// Mounted in the element `[data-board]` of the teacher's console and the pupil's
// room. The scene travels over `ws/board/<id>` (y-websocket); who may draw comes
// from the live control socket `ws/live/<session>/` (pen and follow-me).
import { Excalidraw } from "@excalidraw/excalidraw";
import React, { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { ExcalidrawBinding, yjsToExcalidraw } from "y-excalidraw";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

const FOLLOW_PAGE = "board";
const FOLLOW_INTERVAL_MS = 200;

function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

function mayDraw(config, state) {
  if (config.role === "teacher") return true;
  if (state.pen === "all") return true;
  return state.pen === "one" && state.pen_holder === config.user;
}

// One connection to the board: a fresh doc each time, so a pupil who loses the
// pen drops the strokes the server refused and takes the server's state again.
function Board({ config, canDraw, follow, onApi, onViewport }) {
  const [api, setApi] = useState(null);
  const [connection] = useState(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(
      socketUrl(config.boardSocket),
      String(config.board),
      doc,
    );
    provider.awareness.setLocalStateField("user", {
      name: config.userName,
      color: config.role === "teacher" ? "#c92a2a" : "#1971c2",
    });
    return {
      doc,
      provider,
      elements: doc.getArray("elements"),
      assets: doc.getMap("assets"),
    };
  });
  useEffect(() => {
    return () => {
      connection.provider.destroy();
      connection.doc.destroy();
    };
  }, [connection]);

  useEffect(() => {
    if (!api) return undefined;
    const binding = new ExcalidrawBinding(
      connection.elements,
      connection.assets,
      api,
      connection.provider.awareness,
      // No shared undo: the plugin finds Excalidraw's undo button by its English
      // label, which a Russian page and view mode do not have.
    );
    onApi(api, connection);
    return () => binding.destroy();
  }, [api, connection, onApi]);

  useEffect(() => {
    if (!api || !follow || config.role === "teacher") return;
    const { x, y, zoom } = follow.viewport;
    api.updateScene({ appState: { scrollX: x, scrollY: y, zoom: { value: zoom } } });
  }, [api, follow, config.role]);

  return (
    <div className="board-canvas" style={{ height: "100%" }}>
      <Excalidraw
        excalidrawAPI={setApi}
        initialData={{ elements: yjsToExcalidraw(connection.elements) }}
        viewModeEnabled={!canDraw}
        langCode={config.lang}
        onScrollChange={onViewport}
        UIOptions={{ canvasActions: { loadScene: false, saveToActiveFile: false, export: false } }}
      />
    </div>
  );
}

function LiveBoard({ config }) {
  const [live, setLive] = useState({ pen: "none", pen_holder: null, follow: null });
  const [generation, setGeneration] = useState(0);
  const [following, setFollowing] = useState(false);
  const socket = useRef(null);
  const pending = useRef(null);
  const timer = useRef(null);
  const currentApi = useRef(null);
  const canDraw = mayDraw(config, live);
  const drew = useRef(canDraw);

  useEffect(() => {
    let closed = false;
    let retry = null;
    const connect = () => {
      const ws = new WebSocket(socketUrl(config.liveSocket));
      socket.current = ws;
      ws.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === "state") {
          setLive({ pen: message.pen, pen_holder: message.pen_holder, follow: message.follow });
          setFollowing(message.follow !== null);
        } else if (message.type === "pen") {
          setLive((old) => ({ ...old, pen: message.pen, pen_holder: message.pen_holder }));
        } else if (message.type === "follow") {
          setLive((old) => ({ ...old, follow: message.follow }));
        } else if (message.type === "ended") {
          closed = true;
          setLive((old) => ({ ...old, pen: "none", pen_holder: null }));
        }
      };
      // A dropped control socket is opened again; the server answers with the state.
      ws.onclose = (event) => {
        if (!closed && event.code < 4000) retry = setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      socket.current?.close();
    };
  }, [config.liveSocket]);

  useEffect(() => {
    if (drew.current && !canDraw) setGeneration((value) => value + 1);
    drew.current = canDraw;
    config.element.dataset.canDraw = String(canDraw);
  }, [canDraw, config.element]);

  const onApi = React.useCallback(
    (api, connection) => {
      currentApi.current = api;
      window.__board = {
        api,
        elements: () => api.getSceneElements(),
        shared: () => connection.elements.length,
        canDraw: () => config.element.dataset.canDraw === "true",
        synced: () => connection.provider.synced,
      };
      config.element.dataset.ready = "true";
    },
    [config.element],
  );

  // At most one viewport per interval, and always the last one: pupils end up
  // where the teacher stopped.
  const onViewport = React.useCallback(
    (x, y) => {
      if (config.role !== "teacher" || !following) return;
      // Excalidraw 0.17 reports the scroll only; zooming moves it too.
      pending.current = { x, y, zoom: currentApi.current.getAppState().zoom.value };
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        send(socket.current, { type: "follow", page: FOLLOW_PAGE, viewport: pending.current });
      }, FOLLOW_INTERVAL_MS);
    },
    [config.role, following],
  );

  const toggleFollow = (event) => {
    setFollowing(event.target.checked);
    if (!event.target.checked) {
      send(socket.current, { type: "follow.stop" });
      return;
    }
    const { scrollX, scrollY, zoom } = currentApi.current.getAppState();
    send(socket.current, {
      type: "follow",
      page: FOLLOW_PAGE,
      viewport: { x: scrollX, y: scrollY, zoom: zoom.value },
    });
  };

  return (
    <>
      {config.role === "teacher" && config.followLabel && (
        <label className="board-follow">
          <input type="checkbox" id="board-follow" checked={following} onChange={toggleFollow} />{" "}
          {config.followLabel}
        </label>
      )}
      <div className="board-surface" style={{ height: "70vh", minHeight: "360px" }}>
        <Board
          key={generation}
          config={config}
          canDraw={canDraw}
          follow={live.follow}
          onApi={onApi}
          onViewport={onViewport}
        />
      </div>
    </>
  );
}

function send(ws, message) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

const element = document.querySelector("[data-board-socket]");
if (element) {
  const config = {
    element,
    board: Number(element.dataset.board),
    boardSocket: element.dataset.boardSocket,
    liveSocket: element.dataset.liveSocket,
    role: element.dataset.role,
    user: Number(element.dataset.user),
    userName: element.dataset.userName || "",
    followLabel: element.dataset.followLabel || "",
    lang: document.documentElement.lang === "ru" ? "ru-RU" : "en",
  };
  createRoot(element.querySelector(".board-mount") || element).render(<LiveBoard config={config} />);
}
