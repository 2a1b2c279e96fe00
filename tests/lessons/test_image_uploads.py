"""Images that teachers upload for lessons: a decompression bomb (a small file
whose header claims a huge picture), a file that is not an image and an SVG are
refused with a message, not an error page, and nothing is stored.
Personas: tests/conftest.py `city`."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from lessons.moderation_setup import library_moderation_setup
from tests.lessons.library_pages import library_unit

pytestmark = pytest.mark.django_db
Image = get_image_model()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A real 8×8 PNG whose header (with a valid checksum) claims width×height."""
    data = bytearray(png(8, 8))
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


@pytest.fixture
def teacher_client(client, city):
    library_moderation_setup(
        library=library_unit(city.maths).get_parent().get_parent().get_parent()
    )
    client.force_login(city.teacher)
    return client


def upload(client, name: str, content: bytes, content_type="image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "collection": "1",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_teacher_uploads_an_ordinary_picture(teacher_client):
    response = upload(teacher_client, "pizza.png", png(8, 8))
    assert response.status_code == 302
    assert Image.objects.filter(title="pizza.png").exists()


# 7,000² is over our limit (a warning in Pillow), 50,000² over twice it (an error).
@pytest.mark.parametrize("side", [7_000, 50_000])
def test_image_bomb_is_refused_with_a_message(teacher_client, side):
    bomb = png_claiming(side, side)
    assert struct.unpack(">II", bomb[16:24]) == (side, side)

    response = upload(teacher_client, "bomb.png", bomb)

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("pixels" in str(e) or "пиксел" in str(e) for e in errors), errors
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.png", b"this is not a picture at all", "image/png"),
        ("truncated.png", png_claiming(1_000, 1_000), "image/png"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
    ],
)
def test_not_an_allowed_picture_is_refused(teacher_client, name, content, content_type):
    response = upload(teacher_client, name, content, content_type)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()
