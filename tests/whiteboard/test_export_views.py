"""The board after the lesson: its page, each page as a PNG, the whole as a PDF.

Personas (tests/conftest.py `city`): Алиса teaches the lesson's class 5А, Петя is
in it and Ольга is his parent; Вася (7Б), Борис (7Б's teacher), Игорь (Вася's
parent) and the other school's administrator are outside.
"""

import io
import re

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from PIL import Image, PdfParser
from pycrdt import Array, Doc, Map

from school.models import Enrolment
from whiteboard.models import BoardImage
from whiteboard.services import board_create, board_updates_append

pytestmark = pytest.mark.django_db

CLASS = ["teacher", "pupil_in", "parent"]
OUTSIDERS = ["pupil_out", "other_teacher", "other_parent", "admin_one"]
VIEWS = ["board_view", "board_pdf", "board_page_png"]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


def url(name: str, board, page: str = "1") -> str:
    args = [board.pk, page] if name == "board_page_png" else [board.pk]
    return reverse(f"whiteboard:{name}", args=args)


def rectangle(colour: str) -> dict:
    return {
        "type": "rectangle",
        "x": 0,
        "y": 0,
        "width": 100,
        "height": 100,
        "angle": 0,
        "strokeColor": colour,
        "backgroundColor": colour,
        "fillStyle": "solid",
        "strokeWidth": 1,
        "opacity": 100,
        "isDeleted": False,
    }


def draw(board, pages: dict[str, list[dict]], titles: dict[str, str] | None = None):
    """Stores a document with these pages on the board, as the room would."""
    doc = Doc()
    titles = titles or {}
    doc["pages"] = Array([{"id": p, "title": titles.get(p, "")} for p in pages])
    for page_id, elements in pages.items():
        doc[f"elements:{page_id}"] = Array(
            [Map({"pos": f"a{i}", "el": el}) for i, el in enumerate(elements)]
        )
    board_updates_append(board_id=board.pk, updates=[doc.get_update()])
    board.refresh_from_db()


@pytest.fixture
def drawn(lesson_board):
    draw(
        lesson_board,
        {"1": [rectangle("#ff0000")], "p2": [rectangle("#0000ff")]},
        {"p2": "Задача"},
    )
    return lesson_board


def page_images(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    return re.findall(
        r'<img class="responsive" src="([^"]+)" loading="lazy" alt="([^"]+)"', html
    )


# --- Who may look


@pytest.mark.parametrize("persona", CLASS)
def test_the_class_and_its_parents_see_the_board(city, drawn, persona):
    client = client_for(getattr(city, persona))
    page = client.get(url("board_view", drawn))
    assert page.status_code == 200
    images = page_images(page)
    assert [src for src, _alt in images] == [
        url("board_page_png", drawn, "1"),
        url("board_page_png", drawn, "p2"),
    ]
    assert all(alt.strip() for _src, alt in images)
    assert "Задача" in images[1][1]
    assert f'href="{url("board_pdf", drawn)}"' in page.content.decode()
    for src, _alt in images:
        assert client.get(src)["Content-Type"] == "image/png"
    assert client.get(url("board_pdf", drawn)).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("view", VIEWS)
def test_anyone_else_gets_404(city, drawn, persona, view):
    assert client_for(getattr(city, persona)).get(url(view, drawn)).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_signed_out_visitors_are_sent_to_sign_in(city, drawn, view):
    response = Client().get(url(view, drawn))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("view", VIEWS)
def test_a_missing_board_looks_like_a_forbidden_one(city, view):
    class Missing:
        pk = 999_999

    assert client_for(city.teacher).get(url(view, Missing)).status_code == 404


def test_a_board_outside_a_lesson_is_its_creators_only(city):
    board = board_create(created_by=city.teacher, title="Черновик")
    draw(board, {"1": [rectangle("#ff0000")]})
    assert client_for(city.teacher).get(url("board_view", board)).status_code == 200
    for persona in ("pupil_in", "parent", "other_teacher"):
        client = client_for(getattr(city, persona))
        assert client.get(url("board_view", board)).status_code == 404


def test_a_parent_whose_child_left_the_class_no_longer_sees_it(city, drawn):
    Enrolment.objects.filter(pupil=city.pupil_in).delete()
    for view in VIEWS:
        assert client_for(city.parent).get(url(view, drawn)).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_the_views_only_read(city, drawn, view):
    assert client_for(city.teacher).post(url(view, drawn)).status_code == 405


# --- The page


def test_the_page_names_the_lesson(city, drawn):
    lesson = drawn.lesson
    page = client_for(city.pupil_in).get(url("board_view", drawn))
    html = page.content.decode()
    assert page.templates[0].name == "whiteboard/board_view.html"
    assert lesson.subject.name in html
    assert lesson.class_group.name in html
    assert f'datetime="{lesson.date.isoformat()}"' in html
    assert f'data-board="{drawn.pk}"' in html
    assert "board-unreadable" not in html


def test_a_board_nobody_drew_on_has_one_empty_page(city, lesson_board):
    client = client_for(city.pupil_in)
    images = page_images(client.get(url("board_view", lesson_board)))
    assert [src for src, _alt in images] == [url("board_page_png", lesson_board)]
    picture = Image.open(io.BytesIO(client.get(images[0][0]).content))
    assert picture.getextrema() == ((255, 255), (255, 255), (255, 255))


def test_the_page_reads_the_board_in_a_fixed_number_of_queries(
    city, drawn, django_assert_num_queries
):
    """Session, user, board with its lesson, the policy (roles, enrolment), then
    the snapshot and the updates: however many pages and elements."""
    client = client_for(city.pupil_in)
    draw(drawn, {str(n): [rectangle("#ff0000")] * 50 for n in range(3, 30)})
    with django_assert_num_queries(7):
        assert client.get(url("board_view", drawn)).status_code == 200


def stored_picture(board, blue: int) -> BoardImage:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, blue)).save(data, "PNG")
    picture = BoardImage(
        board=board, mime_type="image/png", width=8, height=8, size=1, sha256=str(blue)
    )
    picture.file.save("p.png", ContentFile(data.getvalue()), save=True)
    return picture


def place(board, pictures: list[BoardImage]) -> None:
    """Each picture as an asset and an image element on page 1, side by side."""
    doc = Doc()
    doc["assets"] = Map(
        {
            str(p.pk): {
                "dataURL": reverse("whiteboard:board_image", args=[board.pk, p.pk])
            }
            for p in pictures
        }
    )
    placed = [
        {**rectangle("#000000"), "type": "image", "fileId": str(p.pk), "x": 120 * i}
        for i, p in enumerate(pictures)
    ]
    doc["elements:1"] = Array(
        [Map({"pos": f"b{i}", "el": el}) for i, el in enumerate(placed)]
    )
    board_updates_append(board_id=board.pk, updates=[doc.get_update()])


def test_pictures_on_a_page_cost_one_query(
    city, drawn, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    place(drawn, [stored_picture(drawn, blue) for blue in (0, 40, 80, 120, 160)])
    client = client_for(city.pupil_in)
    client.get(url("board_view", drawn))
    with django_assert_num_queries(8):
        response = client.get(url("board_page_png", drawn))
    picture = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert (0, 0, 160) in {rgb for _n, rgb in picture.getcolors(1 << 16)}


# --- The pictures and the PDF


def test_a_page_as_png(city, drawn):
    response = client_for(city.pupil_in).get(url("board_page_png", drawn, "p2"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    date = drawn.lesson.date.isoformat()
    assert f'filename="board-{drawn.pk}-{date}-2.png"' in disposition
    assert "filename*=UTF-8''" in disposition and "%D0%9C" in disposition  # "М"
    assert response["Cache-Control"] == "private, no-cache"
    picture = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert picture.getpixel((picture.width // 2, picture.height // 2)) == (0, 0, 255)


def test_an_unknown_page_is_404(city, drawn):
    client = client_for(city.teacher)
    assert client.get(url("board_page_png", drawn, "nope")).status_code == 404


def test_an_unchanged_page_is_not_sent_again(city, drawn):
    client = client_for(city.pupil_in)
    first = client.get(url("board_page_png", drawn))
    etag = first["ETag"]
    again = client.get(url("board_page_png", drawn), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"
    draw(drawn, {"1": [rectangle("#00ff00")]})
    changed = client.get(url("board_page_png", drawn), headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    other_page = client.get(
        url("board_page_png", drawn, "p2"), headers={"if-none-match": etag}
    )
    assert other_page.status_code == 200


def test_the_board_as_pdf(city, drawn):
    response = client_for(city.parent).get(url("board_pdf", drawn))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    date = drawn.lesson.date.isoformat()
    assert disposition.startswith(f'attachment; filename="board-{drawn.pk}-{date}.pdf"')
    assert "filename*=UTF-8''" in disposition
    assert response["Cache-Control"] == "private, no-cache"
    assert len(PdfParser.PdfParser(buf=response.content).pages) == 2


# --- Damaged or odd documents: a clear note, never a 500


def test_a_damaged_update_is_left_out_and_the_page_says_so(city, drawn):
    board_updates_append(board_id=drawn.pk, updates=[b"\xff\xfe not an update"])
    drawn.refresh_from_db()
    client = client_for(city.pupil_in)
    page = client.get(url("board_view", drawn))
    assert page.status_code == 200
    assert 'data-unreadable="1"' in page.content.decode()
    assert len(page_images(page)) == 2  # what was readable is all there
    png = client.get(url("board_page_png", drawn))
    assert png.status_code == 200
    picture = Image.open(io.BytesIO(png.content)).convert("RGB")
    assert picture.getpixel((picture.width // 2, picture.height // 2)) == (255, 0, 0)
    assert client.get(url("board_pdf", drawn)).status_code == 200


def test_a_board_that_is_all_damage(city, lesson_board):
    board_updates_append(board_id=lesson_board.pk, updates=[b"\x00", b"garbage"])
    client = client_for(city.teacher)
    page = client.get(url("board_view", lesson_board))
    assert page.status_code == 200
    assert 'data-unreadable="2"' in page.content.decode()
    assert client.get(url("board_page_png", lesson_board)).status_code == 200
    assert client.get(url("board_pdf", lesson_board)).status_code == 200


def test_a_page_id_no_url_can_carry_is_shown_as_missing(city, lesson_board):
    draw(lesson_board, {"a/b": [rectangle("#ff0000")], "1": [rectangle("#0000ff")]})
    page = client_for(city.teacher).get(url("board_view", lesson_board))
    assert page.status_code == 200
    html = page.content.decode()
    assert "board-page-missing" in html
    assert len(page_images(page)) == 1
    assert (
        client_for(city.teacher).get(url("board_pdf", lesson_board)).status_code == 200
    )
