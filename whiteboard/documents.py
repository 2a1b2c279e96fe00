"""Yjs documents from stored updates, without the database (pure functions)."""

from pycrdt import Array, Doc, Map, get_state, get_update, merge_updates

EMPTY_UPDATE = b"\x00\x00"


def doc_from_updates(updates: list[bytes]) -> Doc:
    """A document with every update applied, in order.

    Updates whose dependencies come later stay pending inside the document and
    integrate when those arrive, so the order only has to be the persisted one.
    """
    doc = Doc()
    for update in updates:
        doc.apply_update(update)
    return doc


def merged_state(updates: list[bytes]) -> bytes:
    """One update equivalent to all of `updates`, with deleted content dropped.

    The document's own encoding garbage-collects deleted content but leaves out
    updates still pending (their dependencies are missing); what the raw log holds
    beyond that encoding (those structs, and the delete set, which is only ranges)
    is merged back in, so nothing is lost.
    """
    if not updates:
        return EMPTY_UPDATE
    integrated = doc_from_updates(updates).get_update()
    beyond = get_update(merge_updates(*updates), get_state(integrated))
    return merge_updates(integrated, beyond)


# --- What the board's client keeps in the document (frontend/src/board.jsx)
#
# "pages":            Array of {"id": str, "title": str}, in order. Empty on a board
#                     nobody has paged yet: it then has the one page DEFAULT_PAGE.
# "elements:<page>":  Array of Map {"pos": fractional index, "el": Excalidraw element
#                     (JSON)}, the y-excalidraw layout, one array per page.
# "assets":           Map file id -> {"id", "mimeType", "dataURL", "created"}, shared by
#                     all pages. "dataURL" is the URL of an image uploaded to the
#                     server (whiteboard.image_views), never inline bytes.

PAGES = "pages"
ASSETS = "assets"
DEFAULT_PAGE = {"id": "1", "title": ""}


def page_elements_name(page_id: str) -> str:
    return f"elements:{page_id}"


def doc_pages(doc: Doc) -> list[dict]:
    """The board's pages in order, each id once (two clients may add the same
    default page concurrently); [DEFAULT_PAGE] when none is listed."""
    seen, pages = set(), []
    for page in doc.get(PAGES, type=Array).to_py() or []:
        if isinstance(page, dict) and isinstance(page.get("id"), str):
            if page["id"] not in seen:
                seen.add(page["id"])
                pages.append({"id": page["id"], "title": str(page.get("title", ""))})
    return pages or [dict(DEFAULT_PAGE)]


def page_elements(doc: Doc, page_id: str) -> list[dict]:
    """The page's live (not deleted) Excalidraw elements, bottom to top."""
    items = []
    for item in doc.get(page_elements_name(page_id), type=Array):
        if not isinstance(item, Map):
            continue
        element = item.get("el")
        if isinstance(element, dict) and not element.get("isDeleted"):
            items.append((str(item.get("pos") or ""), element))
    items.sort(key=lambda pair: pair[0])
    return [element for _pos, element in items]


def doc_assets(doc: Doc) -> dict[str, dict]:
    """File id -> asset record, for image elements."""
    return {
        key: value
        for key, value in doc.get(ASSETS, type=Map).to_py().items()
        if isinstance(value, dict)
    }
