// The live lesson's drawing surface: Excalidraw bound to the board's Y.Doc.
//
// Mounted in the element `[data-board]` of the teacher's console and the pupil's
// room. The scene travels over `ws/board/<id>` (y-websocket); who may draw, which
// page and view pupils follow, page clears and the lesson section on show come
// from the live control socket `ws/live/<session>/`.
import React, { useCallback, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";

import { Board } from "./surface.jsx";
import { useLiveSocket } from "./live.js";
import { DEFAULT_PAGE, elementsOf, readPages } from "./pages.js";
import { lessonSections } from "./sections.js";

const FOLLOW_INTERVAL_MS = 200;

function mayDraw(config, state) {
  if (config.role === "teacher") return true;
  if (state.pen === "all") return true;
  return state.pen === "one" && state.pen_holder === config.user;
}

function viewportOf(api) {
  const { scrollX, scrollY, zoom, width, height } = api.getAppState();
  return { x: scrollX, y: scrollY, zoom: zoom.value, width, height };
}

function LiveBoard({ config }) {
  const teacher = config.role === "teacher";
  const [live, setLive] = useState({ pen: "none", pen_holder: null, follow: null });
  const [page, setPage] = useState(DEFAULT_PAGE.id);
  const [following, setFollowing] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [cleared, setCleared] = useState(null);
  const canDraw = mayDraw(config, live);
  const drew = useRef(canDraw);
  const currentApi = useRef(null);
  const pageRef = useRef(page);
  pageRef.current = page;
  const showSection = useRef(() => {});

  const onMessage = (message) => {
    if (message.type === "state") {
      setLive({ pen: message.pen, pen_holder: message.pen_holder, follow: message.follow });
      setFollowing(message.follow !== null);
      if (message.follow) setPage(message.follow.page);
      showSection.current(message.section, { announce: false });
    } else if (message.type === "pen") {
      setLive((old) => ({ ...old, pen: message.pen, pen_holder: message.pen_holder }));
    } else if (message.type === "follow") {
      setLive((old) => ({ ...old, follow: message.follow }));
      if (message.follow && !teacher) setPage(message.follow.page);
    } else if (message.type === "section") {
      showSection.current(message.section, { announce: true });
    } else if (message.type === "clear") {
      setCleared({ page: message.page });
    } else if (message.type === "ended") {
      setLive((old) => ({ ...old, pen: "none", pen_holder: null }));
    }
  };
  const send = useLiveSocket(config.liveSocket, onMessage);

  useEffect(() => {
    showSection.current = lessonSections(document, send);
  }, [send]);

  useEffect(() => {
    if (drew.current && !canDraw) setGeneration((value) => value + 1);
    drew.current = canDraw;
    config.element.dataset.canDraw = String(canDraw);
  }, [canDraw, config.element]);

  // The teacher's page is where pupils who follow go (on a change of page only:
  // turning follow-me on sends its own message).
  useEffect(() => {
    config.element.dataset.page = page;
    if (teacher && following && currentApi.current) {
      send({ type: "follow", page, viewport: viewportOf(currentApi.current) });
    }
  }, [page]);

  const onReady = useCallback(
    (api, connection) => {
      currentApi.current = api;
      const { doc, provider, assets } = connection;
      window.__board = {
        api,
        elements: () => api.getSceneElements(),
        shared: () => elementsOf(doc, pageRef.current).length,
        page: () => pageRef.current,
        pages: () => readPages(doc.getArray("pages")),
        assets: () => doc.getMap("assets").toJSON(),
        localAssets: () => assets.local.toJSON(),
        files: () => api.getFiles(),
        canDraw: () => config.element.dataset.canDraw === "true",
        synced: () => provider.synced,
      };
      config.element.dataset.ready = "true";
    },
    [config.element],
  );

  // At most one viewport per interval, and always the last one: pupils end up
  // where the teacher stopped.
  const pending = useRef(null);
  const timer = useRef(null);
  const onViewport = useCallback(() => {
    if (!teacher || !following || !currentApi.current) return;
    // Excalidraw 0.17 reports the scroll only; zooming moves it too.
    pending.current = viewportOf(currentApi.current);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      send({ type: "follow", page: pageRef.current, viewport: pending.current });
    }, FOLLOW_INTERVAL_MS);
  }, [teacher, following, send]);

  const onFollow = (event) => {
    setFollowing(event.target.checked);
    if (!event.target.checked) send({ type: "follow.stop" });
    else send({ type: "follow", page, viewport: viewportOf(currentApi.current) });
  };

  return (
    <Board
      key={generation}
      config={config}
      page={page}
      onPage={setPage}
      canDraw={canDraw}
      follow={teacher ? null : live.follow}
      leading={!teacher && live.follow !== null}
      following={following}
      onFollow={onFollow}
      cleared={cleared}
      onClearPage={(cleared) => send({ type: "page.clear", page: cleared })}
      onClearSettled={(resync) => {
        setCleared(null);
        if (resync) setGeneration((value) => value + 1);
      }}
      onReady={onReady}
      onViewport={onViewport}
    />
  );
}

function configOf(element) {
  const data = element.dataset;
  return {
    element,
    board: Number(data.board),
    boardSocket: data.boardSocket,
    liveSocket: data.liveSocket,
    uploadUrl: data.uploadUrl,
    csrfToken: data.csrfToken,
    role: data.role,
    user: Number(data.user),
    userName: data.userName || "",
    lang: document.documentElement.lang === "ru" ? "ru-RU" : "en",
    labels: {
      follow: data.followLabel || "",
      page: data.pageLabel || "{n}",
      pages: data.pagesLabel || "",
      addPage: data.addPageLabel || "+",
      tools: data.toolsLabel || "",
      pen: data.penLabel || "",
      highlighter: data.highlighterLabel || "",
      sticky: data.stickyLabel || "",
      laser: data.laserLabel || "",
      clear: data.clearLabel || "",
      clearConfirm: data.clearConfirm || "",
      imageError: data.imageError || "",
      present: data.presentLabel || "",
      presentEnd: data.presentEndLabel || "",
      boardMenu: data.boardMenuLabel || "",
      extraTools: data.extraToolsLabel || "",
      resetZoom: data.resetZoomLabel || "",
    },
  };
}

const element = document.querySelector("[data-board-socket]");
if (element) {
  createRoot(element.querySelector(".board-mount") || element).render(
    <LiveBoard config={configOf(element)} />,
  );
}
