"""Pictures placed on a board: checked, re-encoded, stored outside the document.

The board's Yjs document holds only a picture's URL (its "assets" entry); the
bytes live here, served through the board's access policy (image_views). Nothing
a file says about itself is trusted: Pillow must recognise it as PNG, JPEG, GIF
or WebP (never SVG, which can carry scripts), its claimed size is checked before
any pixel is decoded (a few KB can claim billions), and it is decoded and saved
again, which turns a photo upright and drops EXIF (GPS position, camera serial),
XMP and text chunks.
"""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from school.models import User
from whiteboard import conf
from whiteboard.models import Board, BoardImage

FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
JPEG_QUALITY = 85
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg"}
# What a broken or hostile file makes Pillow raise while it is read.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombWarning,
)


class ImageRefused(Exception):
    """An upload that was not stored: `code` for programs, `message` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    mime_type: str
    width: int
    height: int


def board_image_upload(*, board: Board, user: User | None, upload) -> BoardImage:
    """Stores a picture for the board and returns its row.

    `upload` is any binary file object (an uploaded file, a Wagtail image's file).
    The same picture uploaded again returns the row already stored (nothing is
    written). Raises ImageRefused (code: too_large, not_an_image, unsupported_format,
    too_many_pixels, unreadable, too_many_images); then no file and no row remain.
    Locks the board row while it counts and inserts.
    """
    encoded = board_image_encode(_read_limited(upload))
    return _store(board=board, user=user, encoded=encoded)


def board_image_find(*, board_id: int, image_id: int) -> BoardImage | None:
    """The picture if it belongs to this board (an id of another board finds none)."""
    return BoardImage.objects.filter(pk=image_id, board_id=board_id).first()


def _read_limited(upload) -> bytes:
    limit = conf.get("WHITEBOARD_IMAGE_MAX_BYTES")
    # The declared size spares reading a huge file; the read checks it anyway.
    declared = getattr(upload, "size", None) or 0
    data = upload.read(limit + 1) if declared <= limit else b""
    if declared > limit or len(data) > limit:
        raise ImageRefused(
            "too_large",
            _("The picture is bigger than %(limit)s, the most a board takes.")
            % {"limit": filesizeformat(limit)},
        )
    return data


def board_image_encode(data: bytes) -> EncodedImage:
    """The picture decoded, upright, downscaled and encoded again (PNG when it has
    transparency, else JPEG); raises ImageRefused."""
    with warnings.catch_warnings():
        # Locally: a test runner or another library may reset the process filters.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data)
        try:
            source_mode, icc_profile = image.mode, image.info.get("icc_profile")
            image = _flattened(ImageOps.exif_transpose(image))
            side = conf.get("WHITEBOARD_IMAGE_MAX_SIDE")
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            # A profile fits only pixels of its own colour space (not CMYK's
            # profile on the RGB it became, nor a grey one on colour).
            if _colour_space(source_mode) != _colour_space(image.mode):
                icc_profile = None
            return _encode(image, icc_profile)
        except _DECODE_ERRORS as error:
            raise _unreadable() from error


def _colour_space(mode: str) -> str:
    if mode in ("RGB", "RGBA", "P", "PA"):
        return "RGB"
    return "L" if mode == "L" else mode


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except _DECODE_ERRORS as error:
        if b"<svg" in data[:4096].lower():
            raise ImageRefused(
                "unsupported_format",
                _(
                    "SVG drawings cannot be placed on the board. Save the drawing "
                    "as PNG and try again."
                ),
            ) from error
        raise ImageRefused(
            "not_an_image",
            _(
                "This file is not a picture the board can show. Use a PNG, JPEG, "
                "GIF or WebP picture."
            ),
        ) from error
    # Pillow itself only warns up to twice its limit; ours is a hard one.
    if image.width * image.height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise _too_many_pixels()
    if image.format == "JPEG":
        # Decode a big photo at a reduced scale straight away: less memory.
        side = conf.get("WHITEBOARD_IMAGE_MAX_SIDE")
        image.draft("RGB", (side, side))
    return image


def _too_many_pixels() -> ImageRefused:
    return ImageRefused(
        "too_many_pixels",
        _("The picture has too many pixels: at most %(limit)d megapixels.")
        % {"limit": settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // 1_000_000},
    )


def _unreadable() -> ImageRefused:
    return ImageRefused(
        "unreadable",
        _("The picture cannot be read: the file may be damaged or cut short."),
    )


def _flattened(image: Image.Image) -> Image.Image:
    """L, RGB or RGBA (only when some pixel is see-through), without metadata."""
    image.load()  # a GIF's or WebP animation's first frame
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] == 255:
            image = image.convert("RGB")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    else:
        image = image.copy()
    image.info = {}
    return image


def _encode(image: Image.Image, icc_profile: bytes | None) -> EncodedImage:
    buffer = io.BytesIO()
    # The colour profile stays (colours would shift without it); it says nothing
    # about the person or the place.
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image.mode == "RGBA":
        image.save(buffer, "PNG", **options)
        mime_type = "image/png"
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, **options)
        mime_type = "image/jpeg"
    return EncodedImage(buffer.getvalue(), mime_type, image.width, image.height)


@transaction.atomic
def _store(*, board: Board, user: User | None, encoded: EncodedImage) -> BoardImage:
    # The board row serialises uploads to one board: the duplicate check, the
    # count and the insert are one step, so neither the unique constraint nor the
    # cap can be overrun by two uploads at once.
    Board.objects.select_for_update().only("pk").get(pk=board.pk)
    digest = hashlib.sha256(encoded.data).hexdigest()
    existing = BoardImage.objects.filter(board_id=board.pk, sha256=digest).first()
    if existing is not None:
        return existing
    limit = conf.get("WHITEBOARD_IMAGES_PER_BOARD")
    if BoardImage.objects.filter(board_id=board.pk).count() >= limit:
        raise ImageRefused(
            "too_many_images",
            _(
                "This board already holds %(limit)d pictures, the most one board "
                "may have."
            )
            % {"limit": limit},
        )
    image = BoardImage(
        board_id=board.pk,
        mime_type=encoded.mime_type,
        width=encoded.width,
        height=encoded.height,
        size=len(encoded.data),
        sha256=digest,
        uploaded_by=user,
    )
    name = f"{uuid.uuid4().hex}{_EXTENSIONS[encoded.mime_type]}"
    image.file.save(name, ContentFile(encoded.data), save=False)
    try:
        image.save()
    except BaseException:
        image.file.delete(save=False)
        raise
    return image
