"""Badge art: drawn with Pillow from the badge's name, colour and shape, or an
uploaded picture re-encoded to the same 512×512 PNG (metadata dropped)."""

import io
import math
import warnings
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import (
    Image,
    ImageColor,
    ImageDraw,
    ImageFont,
    ImageOps,
    UnidentifiedImageError,
)

SIZE = 512
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An upload larger than this many pixels is refused before decoding (a
# decompression bomb would otherwise take the worker's memory).
MAX_UPLOAD_PIXELS = 40_000_000
UPLOAD_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(FONT), size)
    except OSError:
        return ImageFont.load_default(size)


def _outline(shape: str) -> list[tuple[float, float]] | None:
    centre, radius = SIZE / 2, SIZE / 2 - 16
    if shape == "hexagon":
        angles = [math.pi / 6 + k * math.pi / 3 for k in range(6)]
        return [
            (centre + radius * math.cos(a), centre + radius * math.sin(a))
            for a in angles
        ]
    if shape == "star":
        points = []
        for k in range(10):
            r = radius if k % 2 == 0 else radius * 0.55
            a = -math.pi / 2 + k * math.pi / 5
            points.append((centre + r * math.cos(a), centre + r * math.sin(a)))
        return points
    if shape == "shield":
        top, bottom, left, right = 24, SIZE - 16, 56, SIZE - 56
        return [
            (left, top),
            (right, top),
            (right, SIZE * 0.55),
            (centre, bottom),
            (left, SIZE * 0.55),
        ]
    return None


def _initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "★"


def art_draw(*, name: str, colour: str, shape: str) -> bytes:
    """A 512×512 PNG: the shape in `colour`, a light rim, the name's initials."""
    try:
        fill = ImageColor.getrgb(colour)
    except ValueError:
        fill = (46, 125, 50)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    outline = _outline(shape)
    rim = (255, 255, 255, 230)
    if outline is None:
        draw.ellipse((16, 16, SIZE - 16, SIZE - 16), fill=fill, outline=rim, width=14)
    else:
        draw.polygon(outline, fill=fill, outline=rim, width=14)
    # Dark text on light colours, white on dark ones.
    light = sum(fill[:3]) / 3 > 160
    text = (30, 30, 30) if light else (255, 255, 255)
    draw.text(
        (SIZE / 2, SIZE / 2), _initials(name), font=_font(170), fill=text, anchor="mm"
    )
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # A fresh image carries no text chunks, EXIF or ICC: nothing from the upload.
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _refused() -> ValidationError:
    return ValidationError(
        _("The file is not a picture we can read. Upload a PNG, JPEG, WebP or GIF.")
    )


def art_from_upload(upload) -> bytes:
    """The uploaded picture cropped to a square, scaled to 512×512 and encoded as
    a new PNG; ValidationError when it is too large or not a readable image."""
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The picture is larger than 5 MB."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            source = Image.open(io.BytesIO(data), formats=UPLOAD_FORMATS)
            if source.width * source.height > MAX_UPLOAD_PIXELS:
                raise _refused()
            source = ImageOps.exif_transpose(source).convert("RGBA")
            square = ImageOps.fit(source, (SIZE, SIZE), Image.Resampling.LANCZOS)
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            ValueError,
            SyntaxError,
        ) as error:
            raise _refused() from error
    clean = Image.new("RGBA", (SIZE, SIZE))
    clean.paste(square)
    return _png(clean)
