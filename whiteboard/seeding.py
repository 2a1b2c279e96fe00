"""A new lesson board's first pages, from the lesson plan's whiteboard starter.

The starter (lessons.blocks.WhiteboardStarterBlock) lists pages, each with a title
and maybe a background picture from the library. The board gets them as one Yjs
update in the layout of whiteboard.documents. A background is copied into the
board's own pictures (whiteboard.images), so it is served by the board's access
policy like any picture placed on it, and lies on its page as a locked Excalidraw
image element.
"""

import logging
import secrets
import time

from django.db import transaction
from django.urls import reverse
from pycrdt import Array, Doc, Map

from lessons.selectors import plan_of
from school.models import Lesson
from whiteboard import images
from whiteboard.documents import ASSETS, PAGES, page_elements_name
from whiteboard.models import Board, BoardImage
from whiteboard.services import board_updates_append

logger = logging.getLogger("whiteboard.seeding")

STARTER_BLOCK = "whiteboard_starter"
# A background spans this width of its page from the top left corner (the board's
# working area); its height keeps the picture's proportions.
BACKGROUND_WIDTH = 1280
# y-excalidraw's position (fractional index) of the first element on a page.
FIRST_POSITION = "a0"
# Excalidraw's randomInteger() range, for an element's seed and versionNonce.
_RANDOM_LIMIT = 2**31


@transaction.atomic
def board_seed_from_lesson(*, board: Board, lesson: Lesson) -> None:
    """Writes the lesson plan's whiteboard starter into a board that holds nothing.

    One update in the board's log: the "pages" list (ids "1", "2", … with the
    starter's titles) and, for each page with a background, the picture stored as
    the board's BoardImage, its "assets" entry and a locked image element on the
    page. Nothing is written without a starter or when the board ever had
    content. A background that cannot be copied (file gone, picture refused) is
    left out with a warning; its page stays. Locks the board row.
    """
    starter = _starter_pages(lesson)
    if not starter:
        return
    last_seq = (
        Board.objects.select_for_update()
        .values_list("last_seq", flat=True)
        .get(pk=board.pk)
    )
    if last_seq != 0:
        return
    pages = [
        (page["title"], _background_copy(board, page["background"])) for page in starter
    ]
    board_updates_append(board_id=board.pk, updates=[starter_update(pages)])


def _starter_pages(lesson: Lesson) -> list:
    plan = plan_of(lesson)
    if plan is None:
        return []
    for block in plan.taught_page.body:
        if block.block_type == STARTER_BLOCK:
            return list(block.value["pages"])
    return []


def _background_copy(board: Board, picture) -> BoardImage | None:
    """The library picture as one of the board's pictures, or None."""
    if picture is None:
        return None
    try:
        with picture.open_file() as handle:
            return images.board_image_upload(
                board=board, user=board.created_by, upload=handle
            )
    except (images.ImageRefused, OSError) as error:
        logger.warning(
            "Board %s: the background %s is left out: %s", board.pk, picture.pk, error
        )
        return None


def starter_update(pages: list[tuple[str, BoardImage | None]]) -> bytes:
    """One Yjs update creating the pages, and each background's asset and element."""
    doc = Doc()
    page_list = doc.get(PAGES, type=Array)
    assets = doc.get(ASSETS, type=Map)
    now = int(time.time() * 1000)
    for number, (title, picture) in enumerate(pages, start=1):
        page_id = str(number)
        page_list.append({"id": page_id, "title": title})
        if picture is None:
            continue
        # The stored bytes' digest: one asset for a picture on several pages.
        file_id = picture.sha256
        assets[file_id] = background_asset(picture, file_id, now)
        elements = doc.get(page_elements_name(page_id), type=Array)
        element = background_element(picture, file_id, now)
        elements.append(Map({"pos": FIRST_POSITION, "el": element}))
    return doc.get_update()


def background_asset(picture: BoardImage, file_id: str, now: int) -> dict:
    """Excalidraw's BinaryFileData, with the picture's URL for bytes."""
    return {
        "id": file_id,
        "mimeType": picture.mime_type,
        "dataURL": reverse(
            "whiteboard:board_image", args=[picture.board_id, picture.pk]
        ),
        "created": now,
    }


def background_element(picture: BoardImage, file_id: str, now: int) -> dict:
    """An Excalidraw 0.17 image element (newImageElement's fields and defaults),
    locked, at the page's top left corner."""
    return {
        "id": secrets.token_urlsafe(15),
        "type": "image",
        "x": 0,
        "y": 0,
        "width": BACKGROUND_WIDTH,
        "height": round(BACKGROUND_WIDTH * picture.height / picture.width, 2),
        "angle": 0,
        "strokeColor": "transparent",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": None,
        "roundness": None,
        "seed": secrets.randbelow(_RANDOM_LIMIT),
        "version": 1,
        "versionNonce": secrets.randbelow(_RANDOM_LIMIT),
        "isDeleted": False,
        "boundElements": None,
        "updated": now,
        "link": None,
        "locked": True,
        "status": "saved",
        "fileId": file_id,
        "scale": [1, 1],
    }
