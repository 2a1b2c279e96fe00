"""Library documents: only safe kinds get in, checked by their bytes; they come
out only through the view that asks who may see them, as attachments that
cannot run as a page of the platform.

Personas: tests/conftest.py `city`; the lesson from tests/lessons/school_day.
"""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.documents import get_document_model

from config.urls import public_media_serve
from lessons.documents.content import KINDS
from lessons.models import LessonPlan, LibraryIndexPage
from lessons.moderation_setup import library_moderation_setup
from tests.lessons.school_day.conftest import client_for, library_lesson

pytestmark = pytest.mark.django_db
Document = get_document_model()

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
PAYLOAD = b"<script>fetch('/cms/')</script>"


def png_with_payload() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue() + PAYLOAD


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped(
    {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    }
)
# A zip named .docx that is not a Word document (a packed web page).
FAKE_DOCX = zipped({"index.html": HTML})


@pytest.fixture
def teacher_client(city):
    library_lesson(city.maths)
    library_moderation_setup(library=LibraryIndexPage.objects.get())
    return client_for(city.teacher)


def upload(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": "1",
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_the_allow_list_in_settings_is_the_one_checked():
    assert sorted(settings.WAGTAILDOCS_EXTENSIONS) == sorted(KINDS)


@pytest.mark.parametrize(
    ("name", "content"),
    [("lesson.pdf", PDF), ("notes.txt", "Задачи на дом".encode()), ("plan.docx", DOCX)],
)
def test_teacher_uploads_an_ordinary_document(teacher_client, name, content):
    response = upload(teacher_client, name, content)

    assert response.status_code == 302
    document = Document.objects.get(title=name)
    with document.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("picture.svg", SVG),
        ("code.js", b"alert(1)"),
        ("page.pdf", HTML),
        ("picture.png", SVG),
        ("plan.docx", FAKE_DOCX),
        ("notes.txt", b"\x00\x01binary\x00"),
    ],
)
def test_a_file_that_could_run_in_a_browser_is_refused(teacher_client, name, content):
    response = upload(teacher_client, name, content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_a_picture_is_stored_re_encoded_without_what_was_hidden_in_it(teacher_client):
    response = upload(teacher_client, "scheme.png", png_with_payload())

    assert response.status_code == 302
    with Document.objects.get().file.open("rb") as stored:
        data = stored.read()
    assert PAYLOAD not in data
    assert PillowImage.open(io.BytesIO(data)).size == (4, 4)


def test_documents_are_not_served_by_the_media_route():
    request = RequestFactory().get("/media/documents/page.html")
    for path in ("documents/page.html", "x/../documents/page.html", "DOCUMENTS/a"):
        with pytest.raises(Http404):
            public_media_serve(request, path)


@pytest.fixture
def lesson_document(city, lesson):
    """A text document (which a browser would happily render) used by a lesson
    attached to 5А's mathematics lesson."""
    document = Document.objects.create(
        title="Карточка", file=ContentFile(HTML, name="card.txt")
    )
    page = library_lesson(
        city.maths, body=[{"type": "document", "id": "d", "value": document.pk}]
    )
    LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)
    return document


def download(user, document):
    return client_for(user).get(document.url)


def test_anonymous_is_sent_to_sign_in(lesson_document):
    response = download(None, lesson_document)

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["teacher", "other_teacher", "pupil_in", "parent", "admin_one"]
)
def test_people_of_the_lesson_get_the_document_as_an_attachment(
    city, lesson_document, persona
):
    response = download(getattr(city, persona), lesson_document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == HTML
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("persona", ["pupil_out", "other_parent", "admin_two"])
def test_people_outside_the_lesson_do_not_get_it(city, lesson_document, persona):
    assert download(getattr(city, persona), lesson_document).status_code == 404


def test_a_document_no_lesson_uses_is_for_authors_only(city):
    document = Document.objects.create(
        title="Черновик", file=ContentFile(PDF, name="draft.pdf")
    )
    assert download(city.pupil_in, document).status_code == 404
    assert download(city.teacher, document).status_code == 200


def test_a_wrong_file_name_is_not_found(city, lesson_document):
    url = lesson_document.url.replace(lesson_document.filename, "other.txt")
    assert client_for(city.teacher).get(url).status_code == 404
