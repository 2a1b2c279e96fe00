"""Homework fixtures: a private MEDIA_ROOT per test and real files built here."""

import asyncio
import io
import struct
import zipfile
import zlib

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from school.homework import services
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    """Every file under MEDIA_ROOT, relative: what a failed upload must not leave."""
    if not media.exists():
        return []
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


@pytest.fixture
def homework(city, lesson):
    return services.homework_assign(
        teacher=city.teacher,
        lesson=lesson,
        due_date=lesson.date,
        text="Задачи 1–5 на с. 42",
        files=[],
    )


def jpeg_with_gps(
    name="photo.jpg", size=(400, 200), orientation=6
) -> SimpleUploadedFile:
    """A phone photo: EXIF with GPS position and a 'rotate 90°' orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 4, size[1]))  # a blue left edge
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 45.0, 21.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (37.0, 37.0, 4.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def png(name="drawing.png", size=(300, 300), mode="RGBA") -> SimpleUploadedFile:
    image = Image.new(mode, size, (10, 120, 10, 128) if mode == "RGBA" else "green")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def huge_png(name="bomb.png", side=50_000) -> SimpleUploadedFile:
    """A few hundred bytes claiming side × side pixels: a decompression bomb."""
    data = bytearray(png(name, size=(8, 8), mode="RGB").read())
    # The IHDR chunk starts at byte 8: length, type, width, height, …, CRC.
    data[16:24] = struct.pack(">II", side, side)
    crc = zlib.crc32(bytes(data[12:29]))
    data[29:33] = struct.pack(">I", crc)
    return SimpleUploadedFile(name, bytes(data), "image/png")


def pdf(name="answer.pdf") -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, "application/pdf")


def exe_as_pdf(name="answer.pdf") -> SimpleUploadedFile:
    """A Windows program's header (MZ … PE) under a .pdf name."""
    header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    body = header + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, body, "application/pdf")


def docx(name="essay.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/msword")


def text_file(name="notes.txt", text="Ответ: 42\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), "text/plain")


def family_events(pupil_id: int, action) -> list[dict]:
    """Runs `action` (committing its on_commit callbacks) and returns what the
    family's group received, through the real channel layer."""
    layer = get_channel_layer()

    async def listen():
        channel = await layer.new_channel()
        await layer.group_add(f"family.{pupil_id}", channel)
        await sync_to_async(action)()
        received = []
        while True:
            try:
                # A guard against waiting forever, not a timing assertion.
                received.append(await asyncio.wait_for(layer.receive(channel), 1))
            except TimeoutError:
                return received

    return async_to_sync(listen)()
