"""The platform's icon, drawn with Pillow: the browser tab, the phone's home
screen and the installed app all use it.

A white open book on the city's red, drawn at 4× and scaled down so the edges
are smooth. Shapes only, no font: it looks the same on every machine.
"""

import functools
import io

from PIL import Image, ImageDraw

RED = (200, 16, 46)
WHITE = (255, 255, 255)
# Sizes the pages and the app manifest ask for (the favicon, Apple's home
# screen, Android's launcher and splash screen).
SIZES = (32, 180, 192, 512)
OVERSAMPLE = 4


def _draw(size: int, *, maskable: bool) -> Image.Image:
    side = size * OVERSAMPLE
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # The launcher cuts its own shape out of the whole square.
        draw.rectangle((0, 0, side, side), fill=RED)
    else:
        draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=side // 5, fill=RED)
    # The book keeps within the middle 60 %, the safe zone of a maskable icon.
    unit = side / 10
    left_page = [
        (2.2 * unit, 3.2 * unit),
        (4.8 * unit, 3.8 * unit),
        (4.8 * unit, 7.4 * unit),
        (2.2 * unit, 6.8 * unit),
    ]
    right_page = [(side - x, y) for x, y in left_page]
    draw.polygon(left_page, fill=WHITE)
    draw.polygon(right_page, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@functools.cache
def icon_png(size: int, *, maskable: bool = False) -> bytes:
    if size not in SIZES:
        raise ValueError(f"no icon of {size} px")
    data = io.BytesIO()
    _draw(size, maskable=maskable).save(data, "PNG", optimize=True)
    return data.getvalue()


@functools.cache
def favicon_ico() -> bytes:
    data = io.BytesIO()
    _draw(64, maskable=False).save(data, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return data.getvalue()
