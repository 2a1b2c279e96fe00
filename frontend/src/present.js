// Presentation: the board fills the whole screen (a projector, an interactive
// panel), in the browser's full screen when it allows it. Escape, the button or
// leaving full screen ends it.

export function presentationToggle(board, onChange) {
  const exit = () => {
    board.classList.remove("presenting");
    document.removeEventListener("fullscreenchange", leftFullscreen);
    document.removeEventListener("keydown", onKey);
    onChange(false);
    if (document.fullscreenElement === board) document.exitFullscreen().catch(() => {});
    // Excalidraw measures its canvas on resize.
    window.dispatchEvent(new Event("resize"));
  };
  function leftFullscreen() {
    if (!document.fullscreenElement) exit();
  }
  function onKey(event) {
    if (event.key === "Escape") exit();
  }
  return () => {
    if (board.classList.contains("presenting")) {
      exit();
      return;
    }
    board.classList.add("presenting");
    onChange(true);
    document.addEventListener("keydown", onKey);
    board
      .requestFullscreen?.()
      .then(() => document.addEventListener("fullscreenchange", leftFullscreen))
      .catch(() => {}); // Refused (no gesture, an iframe): the page-sized view stays.
    window.dispatchEvent(new Event("resize"));
  };
}
