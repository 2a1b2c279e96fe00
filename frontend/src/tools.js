// Tools Excalidraw 0.17 lacks, made of the ones it has.
//
// Highlighter: its freehand pen with a wide, translucent yellow stroke (the pen's
// own style is kept and restored by "pen"). Sticky note: a yellow rectangle whose
// bound text the person starts typing at once.
import { convertToExcalidrawElements } from "@excalidraw/excalidraw";

const HIGHLIGHTER = {
  currentItemStrokeColor: "#fab005",
  currentItemStrokeWidth: 6,
  currentItemOpacity: 40,
};
const STYLE_KEYS = Object.keys(HIGHLIGHTER);
const NOTE = { width: 220, height: 160, backgroundColor: "#ffec99", strokeColor: "#f08c00" };

export function highlighter(api, saved) {
  const state = api.getAppState();
  if (state.currentItemOpacity !== HIGHLIGHTER.currentItemOpacity) {
    saved.current = Object.fromEntries(STYLE_KEYS.map((key) => [key, state[key]]));
  }
  api.updateScene({ appState: HIGHLIGHTER });
  api.setActiveTool({ type: "freedraw" });
}

export function pen(api, saved) {
  if (saved.current) api.updateScene({ appState: saved.current });
  saved.current = null;
  api.setActiveTool({ type: "freedraw" });
}

export function laser(api) {
  api.setActiveTool({ type: "laser" });
}

/** A note in the middle of the view, selected, with the text cursor in it. */
export function stickyNote(api, container) {
  const { scrollX, scrollY, zoom, width, height } = api.getAppState();
  const [note] = convertToExcalidrawElements([
    {
      type: "rectangle",
      x: width / 2 / zoom.value - scrollX - NOTE.width / 2,
      y: height / 2 / zoom.value - scrollY - NOTE.height / 2,
      width: NOTE.width,
      height: NOTE.height,
      backgroundColor: NOTE.backgroundColor,
      strokeColor: NOTE.strokeColor,
      fillStyle: "solid",
      roughness: 0,
      roundness: { type: 3 },
    },
  ]);
  api.setActiveTool({ type: "selection" });
  api.updateScene({
    elements: [...api.getSceneElements(), note],
    appState: { selectedElementIds: { [note.id]: true } },
  });
  // Enter on a selected shape starts typing its text, as in Excalidraw itself.
  requestAnimationFrame(() => {
    const surface = container.querySelector(".excalidraw");
    if (!surface) return;
    surface.focus();
    surface.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  });
  return note;
}
