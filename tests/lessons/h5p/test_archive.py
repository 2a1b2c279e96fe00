"""The zip reader and the SVG cleaner on their own: what is kept, what is
left out, what is refused and why."""

import io
import struct
import zipfile

import pytest

from lessons.h5p import archive
from lessons.h5p.archive import PackageRefused
from lessons.h5p.svg import svg_sanitise
from tests.lessons.h5p import zips


def opened(data: bytes) -> zipfile.ZipFile:
    return archive.upload_open(io.BytesIO(data))


def test_junk_and_folder_entries_are_left_out():
    buffer = io.BytesIO(zips.zip_bytes({"content/a.json": b"{}"}))
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("content/", b"")
        z.writestr("__MACOSX/content/._a.json", b"x")
        z.writestr("content/.DS_Store", b"x")

    entries = archive.entries_check(opened(buffer.getvalue()))

    assert [str(e.path) for e in entries] == ["content/a.json"]


def test_entry_comes_out_exactly_as_stored():
    data = bytes(range(256)) * 1_000
    zipped = opened(zips.zip_bytes({"content/a.bin": data}))
    (entry,) = archive.entries_check(zipped)

    assert b"".join(archive.entry_chunks(zipped, entry)) == data


def test_damaged_entry_is_refused():
    data = bytearray(zips.zip_bytes({"content/a.txt": b"hello " * 100}))
    record = zips.central_record(data, "content/a.txt")
    local = struct.unpack_from("<I", data, record + 42)[0]
    for offset in (record + 16, local + 14):  # the CRC-32 in both headers
        struct.pack_into("<I", data, offset, 12345)
    zipped = opened(bytes(data))
    (entry,) = archive.entries_check(zipped)

    with pytest.raises(PackageRefused) as refused:
        b"".join(archive.entry_chunks(zipped, entry))

    assert refused.value.code == "corrupt_entry"


def test_limits_can_be_set_in_settings(settings):
    settings.H5P_PACKAGE_LIMITS = {"entries": 3}

    # Counted from the end record, before zipfile reads the directory.
    with pytest.raises(PackageRefused) as refused:
        opened(zips.zip_bytes({f"content/{n}.txt": b"" for n in range(4)}))

    assert refused.value.code == "too_many_entries"
    assert refused.value.params == {"limit": 3}


def test_small_entries_may_compress_very_well():
    """Under 1 MiB a high ratio is harmless: a page of zeros is not a bomb."""
    zipped = opened(zips.zip_bytes({"content/blank.txt": bytes(900 * 1024)}, level=9))

    assert len(archive.entries_check(zipped)) == 1


def test_office_documents_may_be_zip_containers():
    docx = zips.zip_bytes({"word/document.xml": b"<w:document/>"})
    zipped = opened(zips.zip_bytes({"content/worksheet.docx": docx}))
    (entry,) = archive.entries_check(zipped)

    archive.archive_magic_check(entry, docx[:512])


def test_svg_cleaner_removes_active_content_and_keeps_the_drawing():
    drawing = (
        b'<svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="https://evil.example/"><rect width="5" height="5"/></a>'
        b'<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" '
        b'src="https://evil.example/"/></foreignObject>'
        b'<image href="data:image/png;base64,iVBORw0KGgo="/>'
        b'<image href="https://evil.example/track.png"/></svg>'
    )

    cleaned = svg_sanitise(drawing, name="x.svg")

    assert b"<rect" in cleaned
    assert b"foreignObject" not in cleaned
    assert b"iframe" not in cleaned
    assert b"evil.example" not in cleaned
    assert b"data:image/png;base64,iVBORw0KGgo=" in cleaned


@pytest.mark.parametrize(
    "drawing",
    [
        b"<svg><rect",
        b"\xff\xfe not xml",
        # Nested entities: how a "billion laughs" expansion starts.
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">'
        b"&b;</svg>",
    ],
    ids=["truncated", "not-xml", "entities"],
)
def test_unreadable_svg_is_refused(drawing):
    with pytest.raises(PackageRefused) as refused:
        svg_sanitise(drawing, name="x.svg")

    assert refused.value.code == "invalid_svg"
