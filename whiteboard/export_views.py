"""A board after (and during) the lesson: each page as a PNG, the board as a PDF,
and the page showing them, which pupils and parents open from the diary.

Drawn on the server from the stored document (whiteboard.export): the page loads
no drawing code, and everyone sees what was left on the board. Who may look is
whiteboard.access.get_board_drawing_for_user's answer; anyone else gets 404.
A stored update that no longer decodes is left out and the page says so.
"""

import hashlib
import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from whiteboard import access, export, export_images, selectors
from whiteboard.documents import doc_assets, doc_pages, page_elements
from whiteboard.models import Board

# Bumped when the drawing changes, so browsers do not keep an older rendering.
RENDERING = "1"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@require_safe
@login_required
def board_view(request, board_id: int):
    board = access.get_board_drawing_for_user(request.user, board_id)
    stored = selectors.board_document(board_id=board.pk)
    pages = doc_pages(stored.doc)
    context = {
        "board": board,
        "lesson": board.lesson,
        "pages": _page_links(board, pages[: export.MAX_PAGES]),
        "pages_left_out": max(0, len(pages) - export.MAX_PAGES),
        "unreadable": stored.unreadable,
    }
    return render(request, "whiteboard/board_view.html", context)


@require_safe
@login_required
def board_page_png(request, board_id: int, page_id: str):
    board = access.get_board_drawing_for_user(request.user, board_id)
    etag = _etag(board, "page", page_id)
    if (unchanged := get_conditional_response(request, etag=etag)) is not None:
        return _private(unchanged, etag)
    stored = selectors.board_document(board_id=board.pk)
    numbers = {
        page["id"]: number
        for number, page in enumerate(doc_pages(stored.doc)[: export.MAX_PAGES], 1)
    }
    if page_id not in numbers:
        raise Http404
    elements = page_elements(stored.doc, page_id)
    image = export.render_page(elements, _loader(board, stored.doc, [elements]))
    response = HttpResponse(export.png_bytes(image), content_type="image/png")
    response["Content-Disposition"] = _disposition(
        "inline", board, "png", page=numbers[page_id]
    )
    return _private(response, etag)


@require_safe
@login_required
def board_pdf(request, board_id: int):
    board = access.get_board_drawing_for_user(request.user, board_id)
    etag = _etag(board, "pdf", "")
    if (unchanged := get_conditional_response(request, etag=etag)) is not None:
        return _private(unchanged, etag)
    stored = selectors.board_document(board_id=board.pk)
    ids = [page["id"] for page in doc_pages(stored.doc)[: export.MAX_PAGES]]
    pages = [page_elements(stored.doc, page_id) for page_id in ids]
    loader = _loader(board, stored.doc, pages)
    pdf = export.render_pdf(pages, loader, title=_file_name(board))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _disposition("attachment", board, "pdf")
    return _private(response, etag)


def _page_links(board: Board, pages: list[dict]) -> list[dict]:
    """Number, title and picture URL of each page. A page id no URL can carry
    (the document is written by browsers) is shown as missing, not as an error."""
    links = []
    for number, page in enumerate(pages, 1):
        try:
            url = reverse("whiteboard:board_page_png", args=[board.pk, page["id"]])
        except NoReverseMatch:
            url = None
        links.append({"number": number, "title": page["title"][:200], "url": url})
    return links


def _loader(board: Board, doc, pages: list[list[dict]]) -> export.ImageLoader:
    return export_images.board_image_loader(
        board_id=board.pk,
        assets=doc_assets(doc),
        file_ids=export.image_file_ids(pages),
    )


def _etag(board: Board, *parts: str) -> str:
    """Changes whenever anything is drawn: `last_seq` counts every stored update
    (pictures are never changed in place: a new one gets a new id)."""
    key = "\n".join([RENDERING, str(board.pk), str(board.last_seq), *parts])
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def _private(response: HttpResponse, etag: str) -> HttpResponse:
    # Private: a picture of a class's lesson. No-cache: a board may still change
    # (during the lesson), so the browser asks each time and usually gets a 304.
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = etag
    return response


def _file_name(board: Board) -> str:
    """ "2026-11-05 5А Математика" for a lesson's board, else its title."""
    lesson = board.lesson
    if lesson is None:
        name = board.title
    else:
        name = f"{lesson.date.isoformat()} {lesson.class_group} {lesson.subject.name}"
    return _UNSAFE.sub(" ", name).strip()[:120] or f"board {board.pk}"


def _disposition(kind: str, board: Board, extension: str, page: int | None = None):
    """The real name (RFC 6266 filename*) and a plain ASCII one for old clients."""
    name, plain = _file_name(board), f"board-{board.pk}"
    if board.lesson is not None:
        plain += f"-{board.lesson.date.isoformat()}"
    if page is not None:
        name, plain = f"{name} {page}", f"{plain}-{page}"
    real = quote(f"{name}.{extension}", safe="")
    return f"{kind}; filename=\"{plain}.{extension}\"; filename*=UTF-8''{real}"
