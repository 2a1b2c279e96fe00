// The board's pages in its Y.Doc (layout: whiteboard/documents.py).
//
// "pages" is a Y.Array of plain {id, title} objects; each page's elements live in
// their own Y.Array "elements:<id>". An empty "pages" means the one DEFAULT_PAGE.
import { yjsToExcalidraw } from "y-excalidraw";

export const DEFAULT_PAGE = Object.freeze({ id: "1", title: "" });
// The origin of a page clear: the binding takes it as a remote change and empties
// its scene, like every other screen's.
export const CLEAR_ORIGIN = "page.clear";

export function elementsOf(doc, pageId) {
  return doc.getArray(`elements:${pageId}`);
}

export function sceneOf(doc, pageId) {
  return yjsToExcalidraw(elementsOf(doc, pageId));
}

/** The pages in order, each id once (two screens may list the default page at
 * the same moment, as documents.doc_pages expects). */
export function readPages(yPages) {
  const seen = new Set();
  const pages = [];
  for (const page of yPages.toArray()) {
    if (page && typeof page.id === "string" && !seen.has(page.id)) {
      seen.add(page.id);
      pages.push({ id: page.id, title: typeof page.title === "string" ? page.title : "" });
    }
  }
  return pages.length ? pages : [DEFAULT_PAGE];
}

/** "Page 3" in the page's language: the template's label with {n} in it. */
export function pageTitle(page, index, label) {
  return page.title || label.replace("{n}", String(index + 1));
}

function newPageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (byte) => (byte % 36).toString(36)).join("");
}

/** Appends a page titled `title` and returns it. */
export function addPage(doc, title) {
  const yPages = doc.getArray("pages");
  const page = { id: newPageId(), title };
  doc.transact(() => {
    // The implicit default page is listed first, or it would vanish from the list.
    if (yPages.length === 0) yPages.push([{ ...DEFAULT_PAGE }]);
    yPages.push([page]);
  }, "pages");
  return page;
}

/** Deletes every element of the page in one transaction. */
export function clearPage(doc, pageId) {
  const elements = elementsOf(doc, pageId);
  doc.transact(() => elements.delete(0, elements.length), CLEAR_ORIGIN);
}
