"""The pictures a board export draws, found from the document's assets.

An asset's "dataURL" is only ever parsed, never fetched, and no path in the
document is ever opened: the URL must be this board's picture route
(whiteboard:board_image), and the picture is read from that BoardImage row's
file. Anything else, a picture of another board, a data: URL or a damaged file,
draws as a placeholder.
"""

import warnings
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from PIL import Image

from whiteboard import selectors
from whiteboard.export import MAX_SIDE, ImageLoader
from whiteboard.models import BoardImage

MAX_URL = 2048
# What a damaged or hostile file makes Pillow raise while it is read.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombWarning,
    Image.DecompressionBombError,
)


def board_image_loader(
    *, board_id: int, assets: dict[str, dict], file_ids: list[str]
) -> ImageLoader:
    """A loader for export.render_page/render_pdf: file id -> RGBA image or None.

    `file_ids` are those the export will ask for (export.image_file_ids); their
    rows are read in one query now, each file when first drawn.
    """
    wanted = {}
    for file_id in file_ids:
        image_id = board_image_id(assets.get(file_id), board_id=board_id)
        if image_id is not None:
            wanted[file_id] = image_id
    rows = (
        selectors.board_images_by_id(board_id=board_id, image_ids=set(wanted.values()))
        if wanted
        else {}
    )

    def load(file_id: str) -> Image.Image | None:
        row = rows.get(wanted.get(file_id))
        return None if row is None else _decoded(row)

    return load


def board_image_id(asset, *, board_id: int) -> int | None:
    """The id of the BoardImage an asset's URL names, if it is this board's route."""
    url = asset.get("dataURL") if isinstance(asset, dict) else None
    if not isinstance(url, str) or not url.startswith(("/", "http")):
        return None
    if len(url) > MAX_URL:
        return None
    try:
        match = resolve(urlsplit(url).path)
    except (Resolver404, ValueError):
        return None
    if match.view_name != "whiteboard:board_image":
        return None
    if match.kwargs.get("board_id") != board_id:
        return None
    return match.kwargs.get("image_id")


def _decoded(row: BoardImage) -> Image.Image | None:
    """The stored picture as RGBA, at most MAX_SIDE a side; None if unreadable.

    Stored pictures were checked and re-encoded on upload; they are checked
    again here all the same, since files outlive the code that wrote them.
    """
    try:
        with row.file.open("rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle, formats=("PNG", "JPEG", "GIF", "WEBP"))
            if image.width * image.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                return None
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return image.convert("RGBA")
    except _DECODE_ERRORS:
        return None
