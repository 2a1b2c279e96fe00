"""A zip's central directory is sized up from its end record, before `zipfile`
builds an object per entry; the H5P, homework, document and roster uploads all
ask first."""

import io
import struct
import zipfile
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from lessons.documents.content import document_file_check
from lessons.h5p import archive as h5p_archive
from lib.zipsafe import ZipRefused, central_directory_check
from school.homework import uploads
from school.rosters.archive import ArchiveError, source_read


def zip_of(count: int, prefix: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"{prefix}{number}", b"")
    return buffer.getvalue()


def with_declared(data: bytes, *, entries: int | None = None, size: int | None = None):
    """The zip with its end record claiming other numbers (a hostile header)."""
    at = data.rfind(b"PK\x05\x06")
    record = bytearray(data[at : at + 22])
    if entries is not None:
        struct.pack_into("<HH", record, 8, entries, entries)
    if size is not None:
        struct.pack_into("<I", record, 12, size)
    return data[:at] + bytes(record) + data[at + 22 :]


def test_an_ordinary_zip_passes_with_its_entry_count():
    assert central_directory_check(io.BytesIO(zip_of(12)), max_entries=100) == 12


def test_too_many_entries_are_refused_without_reading_them():
    data = zip_of(6_000)
    with mock.patch.object(zipfile, "ZipFile") as never_opened:
        with pytest.raises(ZipRefused) as refused:
            central_directory_check(io.BytesIO(data), max_entries=5_000)
    assert refused.value.reason == "too_many_entries"
    never_opened.assert_not_called()


def test_a_directory_claimed_larger_than_the_file_is_refused():
    data = with_declared(zip_of(3), size=50 * 1024 * 1024)
    with pytest.raises(ZipRefused) as refused:
        central_directory_check(io.BytesIO(data), max_entries=100)
    assert refused.value.reason == "directory_too_large"


def test_a_zip64_directory_is_read_from_its_own_record():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(70_000):  # past 65,535: only the zip64 record counts
            archive.writestr(str(number), b"")
    with pytest.raises(ZipRefused) as refused:
        central_directory_check(io.BytesIO(buffer.getvalue()), max_entries=5_000)
    assert refused.value.reason == "too_many_entries"


@given(st.binary(max_size=4096))
def test_arbitrary_bytes_give_a_count_or_a_refusal(data):
    try:
        count = central_directory_check(io.BytesIO(data), max_entries=10**9)
    except ZipRefused as refused:
        assert refused.reason in {"not_a_zip", "directory_too_large"}
    else:
        assert count >= 0


# --- The uploads that take zips


def test_an_h5p_package_with_too_many_entries_is_refused_before_it_is_read():
    with pytest.raises(h5p_archive.PackageRefused) as refused:
        h5p_archive.upload_open(io.BytesIO(zip_of(5_001, "content/")))
    assert refused.value.code == "too_many_entries"


def test_a_homework_docx_declaring_many_parts_is_not_taken_for_a_document():
    data = with_declared(zip_of(3, "word/"), entries=60_000)
    upload = SimpleUploadedFile("answer.docx", data)
    with pytest.raises(ValidationError):
        uploads.upload_check(upload)


def test_a_library_document_declaring_many_parts_is_refused():
    data = with_declared(zip_of(3, "word/"), entries=60_000)
    with pytest.raises(ValidationError):
        document_file_check(SimpleUploadedFile("plan.docx", data))


def test_a_roster_zip_declaring_many_files_is_refused():
    with pytest.raises(ArchiveError):
        source_read(io.BytesIO(zip_of(1_000)))
