"""Every upload is judged by its content: pictures re-encoded, the rest sniffed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image

from school.homework import services, uploads
from school.models import SubmissionFile
from tests.school.homework.conftest import (
    docx,
    exe_as_pdf,
    huge_png,
    jpeg_with_gps,
    pdf,
    png,
    stored_files,
    text_file,
)

pytestmark = pytest.mark.django_db


def submit(city, homework, *files, text=""):
    return services.submission_submit(
        pupil=city.pupil_in, homework=homework, text=text, files=list(files)
    )


def test_a_phone_photo_is_stored_upright_re_encoded_and_without_exif(city, homework):
    original = jpeg_with_gps()
    source = Image.open(io.BytesIO(original.read()))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file has GPS
    original.seek(0)

    submit(city, homework, original)

    stored = SubmissionFile.objects.get()
    with stored.file.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info and b"Exif" not in data
    assert b"PhoneMaker" not in data
    # Orientation 6 means "turn 90° clockwise": 400 × 200 becomes 200 × 400, and
    # the blue left edge of the sensor image ends up at the top.
    assert image.size == (200, 400)
    red, green, blue = image.convert("RGB").getpixel((100, 10))
    assert blue > 150 and red < 100
    assert stored.content_type == "image/jpeg"
    assert stored.original_name == "photo.jpg"
    assert stored.file.name.endswith(".jpg") and "photo" not in stored.file.name


def test_a_photo_gets_a_small_thumbnail(city, homework):
    submit(city, homework, jpeg_with_gps(size=(1000, 500)))
    stored = SubmissionFile.objects.get()
    with stored.thumbnail.open("rb") as handle:
        thumbnail = Image.open(io.BytesIO(handle.read()))
    assert max(thumbnail.size) == uploads.THUMBNAIL_SIDE
    assert not thumbnail.getexif()


def test_a_big_photo_is_scaled_down_to_the_longest_side_limit(city, homework):
    submit(city, homework, jpeg_with_gps(size=(4000, 3000), orientation=1))
    with SubmissionFile.objects.get().file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.size == (uploads.MAX_SIDE, 1920)


def test_a_png_with_transparency_stays_a_png(city, homework):
    submit(city, homework, png())
    stored = SubmissionFile.objects.get()
    with stored.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert (image.format, image.mode, stored.content_type) == (
        "PNG",
        "RGBA",
        "image/png",
    )


@pytest.mark.parametrize("side", [8000, 50_000])
def test_too_many_pixels_are_refused_before_decoding(city, homework, media, side):
    with pytest.raises(ValidationError) as error:
        submit(city, homework, huge_png(side=side))
    assert "bomb.png" in error.value.messages[0]
    assert "50 " in error.value.messages[0]  # the limit, in megapixels
    assert stored_files(media) == []


def test_an_oversized_file_is_refused_naming_the_file_and_the_limit(city, homework):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * uploads.MAX_FILE_SIZE)
    with pytest.raises(ValidationError) as error:
        submit(city, homework, big)
    message = error.value.messages[0]
    assert "big.pdf" in message
    assert filesizeformat(uploads.MAX_FILE_SIZE) in message


def test_an_exe_renamed_to_pdf_is_refused_with_a_clear_message(city, homework):
    with pytest.raises(ValidationError) as error:
        submit(city, homework, exe_as_pdf("homework.pdf"))
    message = error.value.messages[0]
    assert "homework.pdf" in message
    assert SubmissionFile.objects.count() == 0


def test_a_pdf_built_here_is_accepted_as_a_download(city, homework):
    submit(city, homework, pdf())
    stored = SubmissionFile.objects.get()
    assert stored.content_type == "application/pdf"
    assert not stored.thumbnail
    with stored.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (docx(), uploads.KINDS["docx"].content_type),
        (text_file(), "text/plain"),
    ],
)
def test_office_documents_and_text_are_recognised_by_content(
    city, homework, upload, content_type
):
    submit(city, homework, upload)
    assert SubmissionFile.objects.get().content_type == content_type


@pytest.mark.parametrize(
    "upload",
    [
        text_file("notes.pdf"),  # real text, but named as a PDF
        pdf("answer.docx"),  # a real PDF named as Word
        SimpleUploadedFile("archive.zip", b"PK\x03\x04rubbish"),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("program.exe", b"MZ\x00\x00" * 10),
    ],
)
def test_mislabelled_unknown_or_empty_files_are_refused(city, homework, upload):
    with pytest.raises(ValidationError) as error:
        submit(city, homework, upload)
    assert upload.name in error.value.messages[0]


def test_more_than_ten_files_are_refused(city, homework, media):
    files = [text_file(f"part{n}.txt") for n in range(uploads.MAX_FILES + 1)]
    with pytest.raises(ValidationError) as error:
        submit(city, homework, *files)
    assert "10" in error.value.messages[0] and "11" in error.value.messages[0]
    assert stored_files(media) == []


def test_ten_files_are_fine(city, homework):
    files = [text_file(f"part{n}.txt") for n in range(uploads.MAX_FILES)]
    submit(city, homework, *files)
    assert SubmissionFile.objects.count() == uploads.MAX_FILES


def test_every_bad_file_is_named_in_one_answer(city, homework):
    with pytest.raises(ValidationError) as error:
        submit(city, homework, pdf(), exe_as_pdf("a.pdf"), huge_png("b.png"))
    messages = " ".join(error.value.messages)
    assert "a.pdf" in messages and "b.png" in messages and "answer.pdf" not in messages
