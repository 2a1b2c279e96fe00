// Excalidraw's own buttons that a screen reader cannot name (the main menu) or
// that are named in English (its "More tools") or by words other than the ones
// shown (the zoom level): named from the page's translations, again whenever
// Excalidraw renders them anew. Only attributes are set, never children, so
// React's own updates are untouched.

function nameAs(element, name) {
  if (!element || !name) return;
  if (element.getAttribute("aria-label") !== name) element.setAttribute("aria-label", name);
  if (element.getAttribute("title") !== name) element.setAttribute("title", name);
}

export function nameExcalidrawControls(root, labels) {
  const name = () => {
    nameAs(root.querySelector(".main-menu-trigger"), labels.boardMenu);
    nameAs(root.querySelector(".App-toolbar__extra-tools-trigger"), labels.extraTools);
    const reset = root.querySelector(".reset-zoom-button");
    if (reset && labels.resetZoom) {
      // The name starts with what the button shows ("100%"), as speech
      // control users say it.
      const shown = reset.textContent.trim();
      const wanted = shown ? `${shown} ${labels.resetZoom}` : labels.resetZoom;
      if (reset.getAttribute("aria-label") !== wanted) reset.setAttribute("aria-label", wanted);
    }
  };
  name();
  // Attributes are not watched: setting them cannot call this again.
  const observer = new MutationObserver(name);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return () => observer.disconnect();
}
