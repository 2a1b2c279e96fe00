"""Pictures for the demo library, drawn with Pillow in memory (nothing is committed).

Each function returns PNG bytes. Labels use DejaVu Sans when the machine has it
(Pillow ships no Cyrillic font); without it, Cyrillic labels are left out and the
pictures keep their shapes and figures.
"""

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 800, 450
INK = (33, 37, 41)
FILL = (66, 133, 244)
EMPTY = (232, 240, 254)
PAPER = (255, 255, 255)
COLUMN_COLOURS = ((66, 133, 244), (219, 68, 55), (15, 157, 88), (244, 160, 0))
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)


@cache
def _font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """A font and whether it has Cyrillic letters."""
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size), False


def _label(draw: ImageDraw.ImageDraw, xy, text: str, size: int = 32) -> None:
    font, cyrillic = _font(size)
    if text.isascii() or cyrillic:
        draw.text(xy, text, fill=INK, font=font, anchor="mm")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    return image, ImageDraw.Draw(image)


def _pie(draw, box, numerator: int, denominator: int) -> None:
    step = 360 / denominator
    for part in range(denominator):
        colour = FILL if part < numerator else EMPTY
        start = -90 + part * step
        draw.pieslice(box, start, start + step, fill=colour, outline=INK, width=3)


def fraction_pie(numerator: int, denominator: int) -> bytes:
    """A circle cut into equal parts with some shaded, and the fraction beside it."""
    image, draw = _canvas()
    _pie(draw, (80, 45, 440, 405), numerator, denominator)
    _fraction_label(draw, (600, 225), numerator, denominator, size=72)
    return _png(image)


def _fraction_label(draw, centre, numerator: int, denominator: int, size: int):
    x, y = centre
    _label(draw, (x, y - size * 0.6), str(numerator), size)
    draw.line((x - size * 0.6, y, x + size * 0.6, y), fill=INK, width=4)
    _label(draw, (x, y + size * 0.6), str(denominator), size)


def fraction_bars(fractions: list[tuple[int, int]], sign: str = "") -> bytes:
    """Strips of the same length, one per fraction, each cut into equal parts."""
    image, draw = _canvas()
    left, right = 60, 600
    row = HEIGHT // (len(fractions) + 1)
    for index, (numerator, denominator) in enumerate(fractions, start=1):
        top = row * index - 30
        width = (right - left) / denominator
        for part in range(denominator):
            colour = FILL if part < numerator else EMPTY
            x = left + part * width
            draw.rectangle((x, top, x + width, top + 60), fill=colour, outline=INK)
        _fraction_label(draw, (700, top + 30), numerator, denominator, size=30)
    if sign:
        _label(draw, (30, row + row // 2), sign, 40)
    return _png(image)


def mixed_number(whole: int, numerator: int, denominator: int) -> bytes:
    """Whole circles and a part of one more: a mixed number."""
    image, draw = _canvas()
    size = 200
    for index in range(whole + 1):
        left = 40 + index * (size + 30)
        shaded = denominator if index < whole else numerator
        _pie(draw, (left, 60, left + size, 60 + size), shaded, denominator)
    _label(draw, (WIDTH // 2 - 40, 360), str(whole), 72)
    _fraction_label(draw, (WIDTH // 2 + 40, 360), numerator, denominator, size=36)
    return _png(image)


def word_columns(columns: list[tuple[str, list[str]]]) -> bytes:
    """A table of coloured columns: a heading and a few words under it."""
    image, draw = _canvas()
    width = WIDTH // len(columns)
    for index, (heading, words) in enumerate(columns):
        left = index * width
        colour = COLUMN_COLOURS[index % len(COLUMN_COLOURS)]
        draw.rectangle((left + 10, 10, left + width - 10, 90), fill=colour)
        draw.rectangle((left + 10, 10, left + width - 10, HEIGHT - 10), outline=INK)
        _label(draw, (left + width // 2, 50), heading, 30)
        for line, word in enumerate(words):
            _label(draw, (left + width // 2, 140 + line * 60), word, 28)
    return _png(image)


def water_states() -> bytes:
    """Ice, water and steam: a cube, a drop and a cloud."""
    image, draw = _canvas()
    draw.rectangle((70, 160, 230, 320), fill=(200, 230, 255), outline=INK, width=3)
    draw.line((70, 160, 110, 120, 270, 120, 230, 160), fill=INK, width=3)
    draw.line((270, 120, 270, 280, 230, 320), fill=INK, width=3)
    draw.ellipse((340, 200, 460, 320), fill=FILL, outline=INK, width=3)
    draw.polygon(((350, 240), (400, 110), (450, 240)), fill=FILL)
    for x, y, r in ((580, 230, 50), (640, 200, 60), (700, 235, 45), (640, 255, 45)):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(236, 239, 241))
    _label(draw, (170, 380), "Лёд")
    _label(draw, (400, 380), "Вода")
    _label(draw, (640, 380), "Пар")
    return _png(image)


def water_glass() -> bytes:
    """A glass of water with a spoon: water is clear and takes the vessel's shape."""
    image, draw = _canvas()
    draw.polygon(((300, 200), (500, 200), (480, 410), (320, 410)), fill=EMPTY)
    draw.line((290, 60, 310, 410, 490, 410, 510, 60), fill=INK, width=5)
    draw.line((300, 200, 500, 200), fill=FILL, width=4)
    draw.line((430, 30, 380, 390), fill=(120, 120, 120), width=10)
    draw.ellipse((360, 370, 400, 400), fill=(120, 120, 120))
    _label(draw, (150, 225), "Прозрачная")
    _label(draw, (660, 225), "Без запаха")
    return _png(image)


def water_cycle() -> bytes:
    """Sun, sea, cloud and rain joined by arrows."""
    image, draw = _canvas()
    draw.rectangle((0, 340, WIDTH, HEIGHT), fill=FILL)
    draw.ellipse((60, 40, 160, 140), fill=(251, 188, 5))
    for angle in range(0, 360, 45):
        rad = math.radians(angle)
        draw.line(
            (110 + 60 * math.cos(rad), 90 + 60 * math.sin(rad))
            + (110 + 85 * math.cos(rad), 90 + 85 * math.sin(rad)),
            fill=(251, 188, 5),
            width=5,
        )
    for x, y, r in ((520, 100, 50), (580, 80, 60), (640, 105, 45)):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(176, 190, 197))
    for x in range(540, 660, 25):
        draw.line((x, 170, x - 15, 230), fill=FILL, width=4)
    _arrow(draw, (300, 320), (480, 150))
    _arrow(draw, (620, 250), (620, 320))
    _label(draw, (330, 390), "Испарение")
    _label(draw, (600, 390), "Осадки")
    return _png(image)


def _arrow(draw, start, end) -> None:
    draw.line(start + end, fill=INK, width=5)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    wings = [
        (end[0] - 20 * math.cos(angle + turn), end[1] - 20 * math.sin(angle + turn))
        for turn in (0.5, -0.5)
    ]
    draw.polygon((end, *wings), fill=INK)


def grid_background() -> bytes:
    """An exercise-book grid for a whiteboard page."""
    image = Image.new("RGB", (1600, 900), PAPER)
    draw = ImageDraw.Draw(image)
    for x in range(0, 1600, 40):
        draw.line((x, 0, x, 900), fill=(200, 215, 235), width=1)
    for y in range(0, 900, 40):
        draw.line((0, y, 1600, y), fill=(200, 215, 235), width=1)
    draw.line((1480, 0, 1480, 900), fill=(230, 120, 120), width=2)  # the margin
    return _png(image)
