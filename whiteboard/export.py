"""Board pages drawn on the server: Excalidraw elements to an image, pages to a PDF.

Pure: a page's elements (whiteboard.documents.page_elements) and an image loader
(file id -> PIL image or None) in, pixels out; nothing here reads the database, a
file path or the network. Drawn plainly, without Excalidraw's hand-drawn wobble:
this is the record of a lesson, not a copy of the screen.

A document is written by its users' browsers, so it may be hostile: every number
is clamped (export_shapes.number), lines are thinned to MAX_POINTS, the canvas is
at most MAX_SIDE pixels a side, and each export has a work budget (export_paint):
the elements past it are left out, and logged, rather than letting one request
keep a worker busy for minutes or allocate gigabytes.
"""

import io
import itertools
import logging
import math
from collections.abc import Iterable

from PIL import Image

from whiteboard import export_shapes as shapes
from whiteboard.export_paint import (
    ELEMENT_WORK,
    MAX_IMAGES,
    POINT_WORK,
    Budget,
    ImageCache,
    ImageLoader,
    Painter,
)

logger = logging.getLogger(__name__)

MARGIN = 40  # board pixels around the drawing
MAX_SIDE = 4096
EMPTY_PAGE = (1280, 720)
MAX_ELEMENTS = 20_000
MAX_PAGES = 50
# About three seconds of drawing on one core here: a page of 200,000 freehand
# points (a board covered in handwriting) fits.
WORK_PER_PAGE = 10_000_000_000
WORK_PER_PDF = 2 * WORK_PER_PAGE
PDF_MAX_SIDE = 1754  # the long side of A4 at PDF_RESOLUTION
PDF_RESOLUTION = 150
DRAWN = shapes.SHAPES | shapes.LINEAR | {"freedraw", "text", "image"}

__all__ = [
    "Budget",
    "ImageCache",
    "ImageLoader",
    "image_file_ids",
    "png_bytes",
    "render_page",
    "render_pdf",
]


def render_page(
    elements: Iterable[dict],
    load_image: ImageLoader,
    *,
    max_side: int = MAX_SIDE,
    budget: Budget | None = None,
) -> Image.Image:
    """One page as an RGB image: the drawing's bounds plus MARGIN on white, scaled
    down so that the longer side is at most `max_side`; EMPTY_PAGE when nothing is
    drawn. Elements are painted bottom to top, unknown types ignored."""
    budget = budget or Budget(WORK_PER_PAGE)
    drawn = []
    for element in itertools.islice(filter(_is_drawn, elements), MAX_ELEMENTS):
        if not budget.spend(_framing_work(element)):
            break
        if (outline := shapes.element_outline(element)) is not None:
            drawn.append((element, outline))
    if not drawn:
        return Image.new("RGB", EMPTY_PAGE, "white")
    lefts, tops, rights, bottoms = zip(*(o.bounds for _e, o in drawn), strict=True)
    left, top = min(lefts) - MARGIN, min(tops) - MARGIN
    width, height = max(rights) + MARGIN - left, max(bottoms) + MARGIN - top
    scale = min(1.0, max_side / max(width, height))
    size = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
    images = (
        load_image if isinstance(load_image, ImageCache) else ImageCache(load_image)
    )
    canvas = Image.new("RGBA", size, "white")
    painter = Painter(canvas, (left, top, scale), images, budget)
    for index, (element, outline) in enumerate(drawn):
        if not painter.paint(element, outline):
            logger.warning(
                "Board export stopped at element %d of %d.", index, len(drawn)
            )
            break
    return canvas.convert("RGB")


def render_pdf(
    pages: Iterable[Iterable[dict]], load_image: ImageLoader, *, title: str = ""
) -> bytes:
    """A PDF with one page per board page, in order (at most MAX_PAGES).

    Each page is appended to the file as soon as it is drawn (Pillow's PDF writer
    in append mode), so one page at a time is in memory; `save_all` with
    `append_images` would hold every page's pixels until the end.
    """
    budget, images, out = Budget(WORK_PER_PDF), ImageCache(load_image), io.BytesIO()
    for index, elements in enumerate(itertools.islice(pages, MAX_PAGES)):
        image = render_page(elements, images, max_side=PDF_MAX_SIDE, budget=budget)
        extra = {"append": True} if index else {"title": title}
        image.save(out, "PDF", resolution=PDF_RESOLUTION, **extra)
    if not out.tell():  # no pages at all: still a valid PDF, with one blank page
        Image.new("RGB", EMPTY_PAGE, "white").save(out, "PDF", title=title)
    return out.getvalue()


def image_file_ids(pages: Iterable[Iterable[dict]]) -> list[str]:
    """The file ids of the image elements an export may draw, each once, in the
    order drawn: what the loader should find in advance (at most MAX_IMAGES)."""
    ids: dict[str, None] = {}
    for elements in itertools.islice(pages, MAX_PAGES):
        for element in itertools.islice(filter(_is_drawn, elements), MAX_ELEMENTS):
            file_id = element.get("fileId")
            if element["type"] == "image" and isinstance(file_id, str) and file_id:
                ids[file_id] = None
                if len(ids) >= MAX_IMAGES:
                    return list(ids)
    return list(ids)


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _is_drawn(element) -> bool:
    return (
        isinstance(element, dict)
        and element.get("type") in DRAWN
        and not element.get("isDeleted")
    )


def _framing_work(element: dict) -> float:
    """Reading the element's points to find the page's bounds."""
    points = element.get("points")
    count = min(len(points), shapes.MAX_POINTS) if isinstance(points, list) else 4
    return ELEMENT_WORK + count * POINT_WORK
