"""Pictures on a board: uploaded by whoever may draw right now, checked and
re-encoded, stored outside the document, shown to whoever may open the board; and
the board's socket refusing a picture sent inline instead.

Personas (tests/conftest.py `city`): Алиса teaches the lesson's class 5А, Петя is
in it; Вася (7Б), Борис (7Б's teacher), Ольга (Петя's parent) and Игорь (Вася's
parent) are outside.
"""

import io
import struct
import zlib

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin
from pycrdt import Array, Map

from tests.whiteboard.conftest import joined
from whiteboard import images, live
from whiteboard.documents import ASSETS, doc_assets, doc_from_updates
from whiteboard.models import BoardImage
from whiteboard.selectors import board_content
from whiteboard.services import board_create

pytestmark = pytest.mark.django_db

OUTSIDERS = ["pupil_out", "other_teacher", "parent", "other_parent"]
MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def png(width: int = 64, height: int = 48, colour="orange", **options) -> bytes:
    return encoded(Image.new("RGB", (width, height), colour), "PNG", **options)


def png_claiming(width: int, height: int) -> bytes:
    """A real 8×8 PNG whose header (with a valid checksum) claims width×height."""
    data = bytearray(png(8, 8))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def photo_with_exif(width: int, height: int, orientation: int) -> bytes:
    """A JPEG as a phone writes it: sideways pixels, an orientation tag, GPS."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}
    picture = Image.new("RGB", (width, height), "white")
    picture.paste((200, 0, 0), (0, 0, width // 2, height))  # left half red
    return encoded(picture, "JPEG", exif=exif, comment=b"secret comment")


def upload_url(board_id: int) -> str:
    return reverse("whiteboard:board_image_upload", args=[board_id])


def post(client, board_id: int, data: bytes, name="picture.png", kind="image/png"):
    upload = SimpleUploadedFile(name, data, content_type=kind)
    return client.post(upload_url(board_id), {"file": upload})


def opened(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def session(city, lesson_board):
    return live.live_session_start(teacher=city.teacher, lesson=lesson_board.lesson)


# --- Uploading and showing


def test_the_teacher_adds_a_picture_and_the_class_sees_it(city, lesson_board, media):
    response = post(client_for(city.teacher), lesson_board.pk, png(64, 48))
    assert response.status_code == 201
    body = response.json()
    image = BoardImage.objects.get(board=lesson_board)
    assert body == {
        "id": image.pk,
        "url": f"/live/boards/{lesson_board.pk}/images/{image.pk}/",
        "mimeType": "image/jpeg",  # no transparency: JPEG
        "width": 64,
        "height": 48,
    }
    assert image.file.name.startswith(f"boards/{lesson_board.pk}/")
    assert image.uploaded_by == city.teacher

    for viewer in (city.teacher, city.pupil_in):
        shown = client_for(viewer).get(body["url"])
        assert shown.status_code == 200
        assert shown["Content-Type"] == "image/jpeg"
        assert shown["X-Content-Type-Options"] == "nosniff"
        assert shown["Content-Disposition"].startswith("inline")
        assert shown["Content-Security-Policy"] == "default-src 'none'; sandbox"
        cache = shown["Cache-Control"]
        assert "private" in cache and "max-age=31536000" in cache
        picture = opened(shown)
        assert (picture.format, picture.size) == ("JPEG", (64, 48))


def test_a_transparent_picture_stays_png(city, lesson_board):
    see_through = encoded(Image.new("RGBA", (30, 20), (0, 0, 255, 100)), "PNG")
    response = post(client_for(city.teacher), lesson_board.pk, see_through)
    assert response.status_code == 201
    assert response.json()["mimeType"] == "image/png"
    shown = client_for(city.teacher).get(response.json()["url"])
    picture = opened(shown)
    assert picture.mode == "RGBA"
    assert picture.getpixel((0, 0)) == (0, 0, 255, 100)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("GIF", encoded(Image.new("P", (40, 30)), "GIF")),
        ("WEBP", encoded(Image.new("RGB", (40, 30), "green"), "WEBP")),
        ("JPEG", encoded(Image.new("RGB", (40, 30), "green"), "JPEG")),
    ],
)
def test_gif_webp_and_jpeg_are_taken(city, lesson_board, kind, data):
    response = post(client_for(city.teacher), lesson_board.pk, data, name="x")
    assert response.status_code == 201, kind
    assert (response.json()["width"], response.json()["height"]) == (40, 30)


def test_a_big_picture_is_scaled_down_to_2560_on_its_longest_side(city, lesson_board):
    response = post(client_for(city.teacher), lesson_board.pk, png(3000, 1500))
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (2560, 1280)


def test_the_same_picture_twice_is_stored_once(city, lesson_board, media):
    teacher = client_for(city.teacher)
    first = post(teacher, lesson_board.pk, png())
    second = post(teacher, lesson_board.pk, png())
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert BoardImage.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_a_photo_comes_out_upright_and_without_its_metadata(city, lesson_board):
    # Orientation 6: the camera held upright, the pixels stored turned left.
    response = post(
        client_for(city.teacher),
        lesson_board.pk,
        photo_with_exif(80, 40, orientation=6),
        name="photo.jpg",
        kind="image/jpeg",
    )
    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (40, 80)
    picture = opened(client_for(city.teacher).get(response.json()["url"]))
    assert picture.size == (40, 80)
    red, green, _blue = picture.getpixel((20, 5))  # the red half is now on top
    assert red > 150 and green < 80
    assert not picture.getexif()
    assert "exif" not in picture.info and "comment" not in picture.info
    raw = BoardImage.objects.get().file.read()
    assert b"PhoneMaker" not in raw and b"secret comment" not in raw


def test_a_png_loses_its_text_chunks(city, lesson_board):
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Petya Ivanov, 5A")
    see_through = encoded(
        Image.new("RGBA", (30, 20), (1, 2, 3, 4)), "PNG", pnginfo=text
    )
    response = post(client_for(city.teacher), lesson_board.pk, see_through)
    assert response.status_code == 201
    assert b"Petya" not in BoardImage.objects.get().file.read()


# --- Who may add a picture


def test_a_pupil_without_the_pen_may_not_add_one(city, lesson_board, session, media):
    response = post(client_for(city.pupil_in), lesson_board.pk, png())
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert not BoardImage.objects.exists()
    assert stored_files(media) == []


def test_the_pen_lets_a_pupil_add_one_and_taking_it_back_stops_that(
    city, lesson_board, session
):
    live.live_pen_give(teacher=city.teacher, session=session, pupil=city.pupil_in)
    pupil = client_for(city.pupil_in)
    assert post(pupil, lesson_board.pk, png(colour="red")).status_code == 201
    assert BoardImage.objects.get().uploaded_by == city.pupil_in

    live.live_pen_take(teacher=city.teacher, session=session)
    assert post(pupil, lesson_board.pk, png(colour="blue")).status_code == 403


def test_the_pen_for_everyone_reaches_the_pupil(city, lesson_board, session):
    live.live_pen_give(teacher=city.teacher, session=session, everyone=True)
    assert post(client_for(city.pupil_in), lesson_board.pk, png()).status_code == 201


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_can_neither_add_nor_see_pictures(
    city, lesson_board, session, persona
):
    live.live_pen_give(teacher=city.teacher, session=session, everyone=True)
    url = post(client_for(city.teacher), lesson_board.pk, png()).json()["url"]
    outsider = client_for(getattr(city, persona))
    response = post(outsider, lesson_board.pk, png(colour="red"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert outsider.get(url).status_code == 404
    assert BoardImage.objects.count() == 1


def test_signed_out_people_are_sent_to_log_in(city, lesson_board):
    url = post(client_for(city.teacher), lesson_board.pk, png()).json()["url"]
    anonymous = Client()
    response = post(anonymous, lesson_board.pk, png(colour="red"))
    assert response.status_code == 302
    assert anonymous.get(url).status_code == 302
    assert BoardImage.objects.count() == 1


def test_a_picture_is_shown_only_under_its_own_board(city, lesson_board):
    url = post(client_for(city.teacher), lesson_board.pk, png()).json()["url"]
    image = BoardImage.objects.get()
    own_board = board_create(created_by=city.teacher, title="Черновик")
    teacher = client_for(city.teacher)
    elsewhere = reverse("whiteboard:board_image", args=[own_board.pk, image.pk])
    assert teacher.get(elsewhere).status_code == 404
    missing = reverse("whiteboard:board_image", args=[lesson_board.pk, image.pk + 1])
    assert teacher.get(missing).status_code == 404
    assert teacher.get(url).status_code == 200


def test_a_picture_whose_file_is_gone_is_404(city, lesson_board):
    url = post(client_for(city.teacher), lesson_board.pk, png()).json()["url"]
    image = BoardImage.objects.get()
    image.file.storage.delete(image.file.name)
    assert client_for(city.teacher).get(url).status_code == 404


def test_the_upload_needs_the_csrf_token(city, lesson_board):
    teacher = client_for(city.teacher, enforce_csrf_checks=True)
    assert post(teacher, lesson_board.pk, png()).status_code == 403
    token = "a" * 32
    teacher.cookies["csrftoken"] = token
    upload = SimpleUploadedFile("p.png", png(), content_type="image/png")
    response = teacher.post(
        upload_url(lesson_board.pk), {"file": upload}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_reading_is_not_allowed_by_post_nor_writing_by_get(city, lesson_board):
    teacher = client_for(city.teacher)
    assert teacher.get(upload_url(lesson_board.pk)).status_code == 405
    url = post(teacher, lesson_board.pk, png()).json()["url"]
    assert teacher.post(url).status_code == 405


# --- Refusals: a clear code, nothing stored


def refused(client, board_id, data, name="picture.png", kind="image/png"):
    response = post(client, board_id, data, name=name, kind=kind)
    assert not BoardImage.objects.exists()
    return response.status_code, response.json()["error"], response.json()["message"]


def test_a_file_over_10_mib_is_413_and_nothing_is_stored(city, lesson_board, media):
    too_big = png() + b"\0" * (10 * MiB)
    status, code, message = refused(client_for(city.teacher), lesson_board.pk, too_big)
    assert (status, code) == (413, "too_large")
    assert message
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (png_claiming(50_000, 50_000), "bomb.png", "too_many_pixels"),
        # Between Pillow's warning and its error (1–2 × the limit): still refused.
        (png_claiming(7_000, 7_000), "big.png", "too_many_pixels"),
        (png(200, 200)[:300], "cut.png", "unreadable"),
        (b"Just some words, not a picture.\n", "notes.txt", "not_an_image"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(1)</script></svg>",
            "drawing.svg",
            "unsupported_format",
        ),
        (encoded(Image.new("RGB", (8, 8)), "BMP"), "old.bmp", "not_an_image"),
        (b"", "empty.png", "not_an_image"),
    ],
)
def test_what_is_not_a_usable_picture_is_400_with_a_code(
    city, lesson_board, media, data, name, code
):
    result = refused(client_for(city.teacher), lesson_board.pk, data, name=name)
    assert result[:2] == (400, code)
    assert result[2]
    assert stored_files(media) == []


def test_a_request_without_a_file_is_400(city, lesson_board):
    response = client_for(city.teacher).post(upload_url(lesson_board.pk), {})
    assert (response.status_code, response.json()["error"]) == (400, "no_file")


def test_a_full_board_takes_no_more_pictures(city, lesson_board, media, settings):
    settings.WHITEBOARD_IMAGES_PER_BOARD = 2
    teacher = client_for(city.teacher)
    for colour in ("red", "green"):
        assert post(teacher, lesson_board.pk, png(colour=colour)).status_code == 201
    response = post(teacher, lesson_board.pk, png(colour="blue"))
    assert (response.status_code, response.json()["error"]) == (400, "too_many_images")
    # A picture it already holds is still found.
    assert post(teacher, lesson_board.pk, png(colour="red")).status_code == 201
    assert BoardImage.objects.count() == 2
    assert len(stored_files(media)) == 2


def test_a_failed_insert_leaves_no_file(city, lesson_board, media, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(BoardImage, "save", broken_save)
    with pytest.raises(RuntimeError):
        images.board_image_upload(
            board=lesson_board, user=city.teacher, upload=io.BytesIO(png())
        )
    assert stored_files(media) == []


# --- The board's socket refuses pictures sent inline


def asset(file_id: str, url: str) -> dict:
    return {"id": file_id, "mimeType": "image/png", "dataURL": url, "created": 1}


INLINE_URLS = [
    "DATA:image/png;base64,iVBORw0KGgoAAAANSUhEUg==",
    # Browsers drop tabs and newlines inside a URL, spaces and controls around it.
    "da\nta:image/png;base64,iVBORw0KGgo=",
    " \x01data:\timage/svg+xml,<svg onload=alert(1)>",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:,hello",
]


@pytest.mark.parametrize("url", INLINE_URLS)
@pytest.mark.django_db(transaction=True)
async def test_an_update_with_inline_image_bytes_is_dropped(
    city, lesson_board, registry, url
):
    board = lesson_board.pk
    watcher = await joined(city.teacher, board)
    inline = await joined(city.teacher, board)
    inline.doc.get(ASSETS, type=Map)["inline"] = asset("inline", url)
    await inline.push()
    await inline.round_trip()
    room = registry.rooms[board]
    assert "inline" not in doc_assets(room.doc)

    # A fresh client: Yjs would hold back the refused one's later edits.
    uploaded = await joined(city.teacher, board)
    uploaded.doc.get(ASSETS, type=Map)["uploaded"] = asset(
        "uploaded", f"/live/boards/{board}/images/1/"
    )
    await uploaded.push()
    await uploaded.round_trip()
    assert set(doc_assets(room.doc)) == {"uploaded"}
    await watcher.round_trip()  # the first frame it gets is the uploaded asset
    assert set(doc_assets(watcher.doc)) == {"uploaded"}

    await room.flush()
    content = await database_sync_to_async(board_content)(board_id=board)
    assert set(doc_assets(doc_from_updates(content.updates))) == {"uploaded"}


@pytest.mark.django_db(transaction=True)
async def test_a_note_that_mentions_data_is_kept(city, lesson_board, registry):
    alice = await joined(city.teacher, lesson_board.pk)
    alice.strokes.append("Data: 5 apples, metadata: none")
    await alice.push()
    await alice.round_trip()
    room = registry.rooms[lesson_board.pk]
    assert "Data: 5 apples" in str(room.doc.get("strokes", type=Array).to_py())
