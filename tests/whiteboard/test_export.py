"""Board pages drawn on the server (whiteboard.export), checked pixel by pixel.

Documents are built with pycrdt in the layout the board's client writes
(whiteboard.documents) and read back through an encoded update, as storage does.
Every test page holds FRAME, an invisible box from (0, 0) to (400, 300): the page
then starts MARGIN pixels above and left of the board's origin at scale 1, so a
board point (x, y) is the pixel (x + MARGIN, y + MARGIN).
"""

import io
import logging
import math

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image, PdfParser
from pycrdt import Array, Doc, Map

from whiteboard import export, export_images, export_text
from whiteboard.documents import doc_assets, doc_pages, page_elements
from whiteboard.export import MARGIN, render_page, render_pdf
from whiteboard.export_paint import PLACEHOLDER_FILL, Budget, colour
from whiteboard.models import BoardImage
from whiteboard.services import board_create

WHITE = (255, 255, 255)
RED = (255, 0, 0)
FRAME = {
    "type": "rectangle",
    "x": 0,
    "y": 0,
    "width": 400,
    "height": 300,
    "strokeColor": "transparent",
    "backgroundColor": "transparent",
    "strokeWidth": 0,
}


def element(kind: str, **fields) -> dict:
    """An Excalidraw 0.17 element with the editor's defaults."""
    return {
        "id": f"{kind}-{fields.get('x', 0)}-{fields.get('y', 0)}",
        "type": kind,
        "x": 0,
        "y": 0,
        "width": 0,
        "height": 0,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "roundness": None,
        "isDeleted": False,
        "groupIds": [],
        "boundElements": None,
        "locked": False,
        **fields,
    }


def stored(pages: dict[str, list[dict]], assets: dict | None = None) -> Doc:
    """A board document with these pages, as read back from storage."""
    doc = Doc()
    doc["pages"] = Array([{"id": page_id, "title": ""} for page_id in pages])
    for page_id, elements in pages.items():
        doc[f"elements:{page_id}"] = Array(
            [Map({"pos": f"a{i:04}", "el": el}) for i, el in enumerate(elements)]
        )
    doc["assets"] = Map(assets or {})
    copy = Doc()
    copy.apply_update(doc.get_update())
    return copy


def no_images(file_id):
    return None


def render(*elements, loader=no_images) -> Image.Image:
    doc = stored({"1": [FRAME, *elements]})
    return render_page(page_elements(doc, "1"), loader)


def at(image: Image.Image, x: float, y: float) -> tuple:
    return image.getpixel((round(x + MARGIN), round(y + MARGIN)))


def dark(pixel) -> bool:
    return max(pixel) < 100


def inked(image: Image.Image, box) -> int:
    """Pixels in the board box (left, top, right, bottom) that are not white."""
    left, top, right, bottom = (round(v + MARGIN) for v in box)
    region = image.crop((left, top, right, bottom)).convert("L")
    return sum(region.histogram()[:250])


# --- What each kind of element looks like


def test_a_red_filled_rectangle_is_red_inside_and_white_outside():
    image = render(
        element(
            "rectangle",
            x=100,
            y=100,
            width=100,
            height=50,
            strokeColor="#ff0000",
            backgroundColor="#ff0000",
        )
    )
    assert image.size == (400 + 2 * MARGIN, 300 + 2 * MARGIN)
    for x, y in [(150, 125), (105, 105), (195, 145)]:
        assert at(image, x, y) == RED
    for x, y in [(50, 50), (150, 90), (210, 125), (150, 160), (-MARGIN, -MARGIN)]:
        assert at(image, x, y) == WHITE


def test_a_freehand_stroke_darkens_pixels_along_its_path():
    points = [[i * 10, 20 * math.sin(i / 3)] for i in range(21)]
    image = render(
        element(
            "freedraw",
            x=100,
            y=150,
            width=200,
            height=40,
            points=points,
            pressures=[],
            simulatePressure=True,
            strokeColor="#000000",
        )
    )
    for px, py in points[1:-1]:
        assert dark(at(image, 100 + px, 150 + py)), (px, py)
    assert at(image, 200, 250) == WHITE
    assert at(image, 200, 100) == WHITE


def arrow(head) -> dict:
    return element(
        "arrow",
        x=50,
        y=100,
        width=200,
        height=0,
        points=[[0, 0], [200, 0]],
        startArrowhead=None,
        endArrowhead=head,
        strokeColor="#000000",
    )


def test_an_arrow_has_its_head():
    # Excalidraw's "arrow" head: two 30 px wings at 20° back from the tip (250, 100).
    wing = (
        250 - 15 * math.cos(math.radians(20)),
        100 - 15 * math.sin(math.radians(20)),
    )
    assert dark(at(render(arrow("arrow")), *wing))
    assert at(render(arrow(None)), *wing) == WHITE
    # "triangle": filled, 15 px long, 25° either side.
    inside = (242, 97)
    assert dark(at(render(arrow("triangle")), *inside))
    assert at(render(arrow(None)), *inside) == WHITE
    # The line itself, in both.
    assert dark(at(render(arrow(None)), 150, 100))


def test_a_dot_and_a_bar_at_the_start_of_an_arrow():
    dot = render({**arrow(None), "startArrowhead": "dot"})
    bar = render({**arrow(None), "startArrowhead": "bar"})
    assert dark(at(dot, 50, 104))
    assert dark(at(bar, 50, 112))
    assert at(render(arrow(None)), 50, 112) == WHITE


def test_text_in_cyrillic_is_drawn_in_its_box():
    assert export_text.font(export_text.SANS, 20).getname()[0] == "DejaVu Sans"
    text = element(
        "text",
        x=50,
        y=50,
        width=150,
        height=50,
        text="Привет,\nмир",
        fontSize=20,
        fontFamily=1,
        textAlign="left",
        verticalAlign="top",
        lineHeight=1.25,
    )
    image = render(text)
    assert inked(image, (50, 50, 200, 100)) > 100
    assert inked(image, (250, 150, 400, 300)) == 0
    # Real glyphs, not one missing-glyph box for every letter.
    one, other = render({**text, "text": "Ж"}), render({**text, "text": "Ш"})
    assert one.tobytes() != other.tobytes()


def test_text_keeps_its_alignment_and_colour():
    text = element(
        "text",
        x=0,
        y=50,
        width=400,
        height=25,
        text="Ж",
        fontSize=20,
        lineHeight=1.25,
        strokeColor="#1971c2",
    )
    left = render({**text, "textAlign": "left"})
    right = render({**text, "textAlign": "right"})
    assert inked(left, (0, 50, 50, 75)) > 0 and inked(left, (350, 50, 400, 75)) == 0
    assert inked(right, (350, 50, 400, 75)) > 0 and inked(right, (0, 50, 50, 75)) == 0
    colours = [rgb for _count, rgb in right.getcolors(1 << 20)]
    assert any(b > r + 60 for r, _g, b in colours)


def test_an_ellipse_leaves_the_corners_of_its_box_empty():
    box = {"x": 100, "y": 100, "width": 200, "height": 100}
    fill = {"backgroundColor": "#ff0000", "strokeColor": "#ff0000"}
    rectangle = render(element("rectangle", **box, **fill))
    ellipse = render(element("ellipse", **box, **fill))
    assert at(rectangle, 108, 108) == RED
    assert at(ellipse, 108, 108) == WHITE
    assert at(ellipse, 200, 150) == RED


def test_a_diamond_and_a_rounded_rectangle():
    box = {"x": 100, "y": 100, "width": 200, "height": 100}
    fill = {"backgroundColor": "#ff0000", "strokeColor": "#ff0000"}
    diamond = render(element("diamond", **box, **fill))
    assert at(diamond, 200, 150) == RED and at(diamond, 120, 110) == WHITE
    rounded = render(element("rectangle", **box, **fill, roundness={"type": 3}))
    assert at(rounded, 102, 102) == WHITE and at(rounded, 110, 150) == RED


def test_a_turned_rectangle():
    # A 100 × 20 bar centred on (200, 60), turned a quarter: now 20 × 100.
    bar = {
        "x": 150,
        "y": 50,
        "width": 100,
        "height": 20,
        "backgroundColor": "#ff0000",
        "strokeColor": "#ff0000",
    }
    flat = render(element("rectangle", **bar))
    turned = render(element("rectangle", **bar, angle=math.pi / 2))
    assert at(flat, 160, 60) == RED and at(flat, 200, 20) == WHITE
    assert at(turned, 160, 60) == WHITE and at(turned, 200, 20) == RED


def test_turned_text_is_drawn_elsewhere():
    text = element(
        "text", x=100, y=140, width=200, height=25, text="ЖЖЖЖЖЖЖЖЖЖЖЖ", fontSize=20
    )
    flat, turned = render(text), render({**text, "angle": math.pi / 2})
    assert inked(flat, (100, 140, 150, 165)) > 0
    assert inked(turned, (100, 140, 150, 165)) == 0
    assert inked(turned, (185, 60, 215, 100)) > 0


def test_opacity_and_colours():
    half = render(
        element(
            "rectangle",
            x=100,
            y=100,
            width=100,
            height=50,
            backgroundColor="#ff0000",
            strokeColor="#ff0000",
            opacity=50,
        )
    )
    r, g, b = at(half, 150, 125)
    assert r == 255 and 120 <= g <= 135 and 120 <= b <= 135
    assert colour("#1e1e1e") == (30, 30, 30, 255)
    assert colour("#ff000080") == (255, 0, 0, 128)
    assert colour("transparent") is None
    assert colour("no such colour") is None
    assert colour(None) is None


def test_a_closed_line_is_filled():
    triangle = element(
        "line",
        x=100,
        y=100,
        width=100,
        height=100,
        points=[[0, 0], [100, 0], [50, 100], [0, 0]],
        backgroundColor="#ff0000",
    )
    assert at(render(triangle), 150, 130) == RED


def test_a_deleted_element_is_not_drawn():
    red = {"backgroundColor": "#ff0000", "strokeColor": "#ff0000"}
    deleted = element("rectangle", x=100, y=100, width=100, height=50, **red)
    deleted["isDeleted"] = True
    assert at(render(deleted), 150, 125) == WHITE
    # Also when handed to the renderer directly, not through page_elements.
    alone = render_page([deleted], no_images)
    assert alone.size == export.EMPTY_PAGE
    assert alone.getextrema() == ((255, 255), (255, 255), (255, 255))


def test_an_empty_page_and_unknown_types():
    assert render_page([], no_images).size == export.EMPTY_PAGE
    odd = [element("embeddable", width=50, height=50), element("frame"), "text", 7]
    assert render_page(odd, no_images).size == export.EMPTY_PAGE


def test_a_large_drawing_is_scaled_down_to_the_longest_side():
    wide = element("rectangle", x=0, y=0, width=20_000, height=1_000)
    image = render_page([wide], no_images)
    assert max(image.size) == export.MAX_SIDE
    assert render_page([wide], no_images, max_side=1000).size[0] == 1000


# --- Pictures: the document names a URL, the picture comes from this board's row


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(colour, size=(20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def stored_image(board, colour) -> BoardImage:
    data = png(colour)
    image = BoardImage(
        board=board,
        mime_type="image/png",
        width=20,
        height=20,
        size=len(data),
        sha256=str(colour),
    )
    image.file.save("picture.png", ContentFile(data), save=True)
    return image


def asset(url: str) -> dict:
    return {"id": "f", "mimeType": "image/png", "dataURL": url, "created": 1}


def with_picture(board, url: str, **fields) -> Image.Image:
    picture = element("image", x=100, y=100, width=100, height=100, fileId="f")
    doc = stored({"1": [FRAME, {**picture, **fields}]}, {"f": asset(url)})
    elements = page_elements(doc, "1")
    loader = export_images.board_image_loader(
        board_id=board.pk,
        assets=doc_assets(doc),
        file_ids=export.image_file_ids([elements]),
    )
    return render_page(elements, loader)


def image_url(image: BoardImage) -> str:
    return reverse("whiteboard:board_image", args=[image.board_id, image.pk])


@pytest.mark.django_db
def test_an_image_element_draws_the_boards_picture(city, media):
    board = board_create(created_by=city.teacher)
    blue = stored_image(board, (0, 0, 255))
    drawn = with_picture(board, image_url(blue))
    assert at(drawn, 150, 150) == (0, 0, 255)
    assert at(drawn, 90, 150) == WHITE
    # An absolute URL of the same route names the same picture (never fetched).
    absolute = with_picture(board, f"http://elsewhere.example{image_url(blue)}")
    assert at(absolute, 150, 150) == (0, 0, 255)
    turned = with_picture(board, image_url(blue), angle=math.pi / 4)
    assert at(turned, 150, 150) == (0, 0, 255)
    assert at(turned, 102, 102) == WHITE


@pytest.mark.django_db
def test_a_picture_of_another_board_or_a_foreign_url_is_a_placeholder(city, media):
    board = board_create(created_by=city.teacher)
    other = board_create(created_by=city.other_teacher)
    theirs = stored_image(other, (0, 0, 255))
    mine = stored_image(board, (0, 255, 0))
    placeholder = PLACEHOLDER_FILL[:3]
    urls = [
        image_url(theirs),
        # This board's id in the path, the other board's picture id.
        reverse("whiteboard:board_image", args=[board.pk, theirs.pk]),
        reverse("whiteboard:board_view", args=[board.pk]),
        f"data:image/png;base64,{mine.pk}",
        "/etc/passwd",
        str(media / mine.file.name),
        "",
    ]
    for url in urls:
        assert at(with_picture(board, url), 130, 150) == placeholder, url


@pytest.mark.django_db
def test_a_picture_whose_file_is_gone_or_damaged_is_a_placeholder(city, media):
    board = board_create(created_by=city.teacher)
    gone = stored_image(board, (0, 0, 255))
    gone.file.storage.delete(gone.file.name)
    assert at(with_picture(board, image_url(gone)), 130, 150) == PLACEHOLDER_FILL[:3]
    damaged = stored_image(board, (0, 255, 0))
    with damaged.file.storage.open(damaged.file.name, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n not really")
    drawn = with_picture(board, image_url(damaged))
    assert at(drawn, 130, 150) == PLACEHOLDER_FILL[:3]


# --- The PDF


def pdf_pages(pdf: bytes) -> int:
    return len(PdfParser.PdfParser(buf=pdf).pages)


def test_the_pdf_has_one_page_per_board_page():
    red = {"backgroundColor": "#ff0000", "strokeColor": "#ff0000"}
    doc = stored(
        {
            "1": [element("rectangle", width=100, height=100, **red)],
            "2": [],
            "3": [element("text", width=100, height=25, text="Три", fontSize=20)],
        }
    )
    pages = [page_elements(doc, page["id"]) for page in doc_pages(doc)]
    pdf = render_pdf(pages, no_images, title="2026-11-05 5А Математика")
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf) == 3
    assert pdf_pages(render_pdf([], no_images)) == 1


def test_the_pdf_stops_at_max_pages():
    pages = [[element("rectangle", width=10, height=10)] for _ in range(60)]
    assert pdf_pages(render_pdf(pages, no_images)) == export.MAX_PAGES


# --- Hostile documents: bounded pictures, bounded work


def test_absurd_coordinates_give_a_bounded_picture():
    far = element("rectangle", x=1e9, y=-1e9, width=1e9, height=1e9)
    near = element("rectangle", x=0, y=0, width=10, height=10)
    lone = element("line", x=-1e300, points=[[0, 0]])
    image = render_page([far, near, lone], no_images)
    assert max(image.size) <= export.MAX_SIDE


def test_a_stroke_of_100k_points_is_thinned():
    points = [[math.cos(i) * 1000, math.sin(i * 1.1) * 1000] for i in range(100_000)]
    stroke = element("freedraw", points=points, strokeWidth=4)
    image = render_page([stroke] * 20, no_images)
    assert max(image.size) <= export.MAX_SIDE


def test_a_huge_font_size_and_a_long_text():
    text = element(
        "text", width=100, height=20, text=("Ж" * 5_000 + "\n") * 50, fontSize=1e6
    )
    image = render_page([text, {**text, "angle": 1.0, "width": 4000}], no_images)
    assert max(image.size) <= export.MAX_SIDE


def test_junk_values_do_not_break_the_page():
    junk = [
        element("rectangle", x=float("nan"), y="a", width=None, height=[1]),
        element("ellipse", angle=float("inf"), opacity="x", strokeWidth=-5),
        element("rectangle", width=10**400, roundness={"type": 3, "value": "x"}),
        element("arrow", points=[[0, 0], [0, 0]], endArrowhead="arrow"),
        element("arrow", points=[[0, 0], ["x", None], [5]], startArrowhead="bogus"),
        element("freedraw", points=[[1, 2]]),
        element("line", points="abc"),
        element("text", text=None),
        element("text", text="Ж", fontSize=-3, lineHeight="x", textAlign=5),
        element("image", fileId=123, scale="x"),
        element("rectangle", strokeColor="#" + "f" * 10_000, backgroundColor=7),
    ]
    image = render_page(junk, no_images)
    assert max(image.size) <= export.MAX_SIDE


def test_too_much_work_is_cut_short_and_logged(caplog):
    cover = element(
        "rectangle",
        width=4000,
        height=4000,
        angle=0.3,
        opacity=50,
        backgroundColor="#ff0000",
        strokeWidth=200,
    )
    with caplog.at_level(logging.WARNING, logger="whiteboard.export"):
        image = render_page([cover] * export.MAX_ELEMENTS, no_images)
    assert max(image.size) <= export.MAX_SIDE
    assert "stopped" in caplog.text


def test_a_spent_budget_draws_nothing_more():
    red = {"backgroundColor": "#ff0000", "strokeColor": "#ff0000"}
    rectangle = element("rectangle", x=0, y=0, width=100, height=100, **red)
    assert render_page([rectangle], no_images, budget=Budget(0)).size == (
        export.EMPTY_PAGE
    )


def test_a_hostile_pdf_is_bounded():
    cover = element("ellipse", width=4000, height=4000, backgroundColor="#ff0000")
    pdf = render_pdf([[cover] * 5_000] * 200, no_images)
    assert pdf_pages(pdf) == export.MAX_PAGES
