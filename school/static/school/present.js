// Presentation: an element (the board, the quiz host screen) fills the whole
// screen for a projector or an interactive panel, in the browser's full screen
// when it allows it. Escape, the button again or leaving full screen ends it.
// Adds the class "presenting" to the element.

export function presentationToggle(element, onChange) {
  const exit = () => {
    element.classList.remove("presenting");
    document.removeEventListener("fullscreenchange", leftFullscreen);
    document.removeEventListener("keydown", onKey);
    onChange(false);
    if (document.fullscreenElement === element) document.exitFullscreen().catch(() => {});
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
    if (element.classList.contains("presenting")) {
      exit();
      return;
    }
    element.classList.add("presenting");
    onChange(true);
    document.addEventListener("keydown", onKey);
    element
      .requestFullscreen?.()
      .then(() => document.addEventListener("fullscreenchange", leftFullscreen))
      .catch(() => {}); // Refused (no gesture, an iframe): the page-sized view stays.
    window.dispatchEvent(new Event("resize"));
  };
}
