"""Text elements of a board drawn on their own layer (whiteboard.export turns and
places it).

DejaVu Sans stands in for Excalidraw's fonts: it covers Cyrillic, which Virgil
(the hand-drawn default) does not, and Debian ships it (fonts-dejavu-core).
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from whiteboard import export_shapes as shapes

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS, MONO = "DejaVuSans.ttf", "DejaVuSansMono.ttf"
CODE_FONT = 3  # Excalidraw's FONT_FAMILY.Cascadia
DEFAULT_FONT_SIZE = 20.0
DEFAULT_LINE_HEIGHT = 1.25
MAX_FONT_PX = 512
MAX_CHARS = 10_000
MAX_LINES = 500
ANCHORS = {"left": "lm", "center": "mm", "right": "rm"}


@lru_cache(maxsize=64)
def font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu at `size` pixels; Pillow's own font when DejaVu is not installed."""
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:
        return ImageFont.load_default(size)


@dataclass(frozen=True)
class TextLayout:
    """Where each line of a text element goes on its layer, before drawing."""

    lines: list[str]
    face: ImageFont.FreeTypeFont | ImageFont.ImageFont
    size: tuple[int, int]  # of the layer, centred on the element's box
    x: float
    anchor: str
    first_y: float
    line_px: float
    work: float  # rough pixel operations to draw it


def text_layout(
    element: dict, scale: float, box: tuple[float, float], limit: int
) -> TextLayout | None:
    """The layout of the element's text for a box of `box` canvas pixels (width,
    height), its layer at most `limit` pixels a side; None when nothing is shown."""
    text = element.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    size = shapes.number(element.get("fontSize"), DEFAULT_FONT_SIZE)
    px = max(
        1, min(MAX_FONT_PX, round((size if size > 0 else DEFAULT_FONT_SIZE) * scale))
    )
    spacing = shapes.number(element.get("lineHeight"), DEFAULT_LINE_HEIGHT, 10)
    line_px = max(0.5, spacing) * px
    lines = text[:MAX_CHARS].replace("\r\n", "\n").split("\n")[:MAX_LINES]
    pad = px  # glyphs may reach past the box Excalidraw measured with its own font
    width = max(1, min(limit, math.ceil(box[0]) + 2 * pad))
    height = max(1, min(limit, math.ceil(max(box[1], line_px * len(lines))) + 2 * pad))
    lines = lines[: math.ceil(height / line_px)]
    face = font(MONO if element.get("fontFamily") == CODE_FONT else SANS, px)
    lines = [_fitted(face, line, width + px) for line in lines]
    align = element.get("textAlign")
    return TextLayout(
        lines=lines,
        face=face,
        size=(width, height),
        x={"center": width / 2, "right": width - pad}.get(align, pad),
        anchor=ANCHORS.get(align, "lm"),
        first_y=pad + line_px / 2,
        line_px=line_px,
        work=sum(map(len, lines)) * ((px + 4) ** 2 * 20 + 20_000),
    )


def draw_text(layout: TextLayout, ink: tuple) -> Image.Image:
    layer = Image.new("RGBA", layout.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for index, line in enumerate(layout.lines):
        y = layout.first_y + index * layout.line_px
        draw.text((layout.x, y), line, font=layout.face, fill=ink, anchor=layout.anchor)
    return layer


def _fitted(face, line: str, width: float) -> str:
    """The line cut to about `width` pixels: Pillow rasterises a whole line at
    once, so a long line at a large size would allocate a huge mask."""
    length = face.getlength(line)
    while len(line) > 1 and length > width:
        line = line[: max(1, int(len(line) * width / length))]
        length = face.getlength(line)
    return line
