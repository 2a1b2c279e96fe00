"""Yjs documents from stored updates, without the database (pure functions)."""

from pycrdt import Doc, get_state, get_update, merge_updates

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
