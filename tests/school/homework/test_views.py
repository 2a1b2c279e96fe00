"""Homework pages and file downloads as each persona sees them."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.urls import public_media_serve
from school.homework import services
from school.models import Homework, Mark, Submission, SubmissionFile
from tests import factories
from tests.school.homework.conftest import (
    exe_as_pdf,
    jpeg_with_gps,
    pdf,
    stored_files,
)

pytestmark = pytest.mark.django_db

EVERYONE = [
    "teacher",
    "other_teacher",
    "pupil_in",
    "pupil_out",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
]


def allowed_or_not(allowed, *, denied_status=404):
    """(persona, expected status) for every persona of the city fixture."""
    return [(who, 200 if who in allowed else denied_status) for who in EVERYONE]


@pytest.fixture
def with_task_file(city, lesson):
    return services.homework_assign(
        teacher=city.teacher,
        lesson=lesson,
        due_date=lesson.date,
        text="Прочитать параграф",
        files=[pdf("task.pdf")],
    )


@pytest.fixture
def answer(city, with_task_file):
    return services.submission_submit(
        pupil=city.pupil_in,
        homework=with_task_file,
        text="Мой секретный ответ",
        files=[jpeg_with_gps(), pdf("answer.pdf")],
    )


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- Who may open what


def test_anonymous_people_are_sent_to_sign_in(client, answer):
    photo = answer.files.get(content_type="image/jpeg")
    for url in [
        reverse("homework_index"),
        reverse("homework_detail", args=[answer.homework_id]),
        reverse("homework_file", args=[photo.pk]),
    ]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(("who", "status"), allowed_or_not({"teacher"}))
def test_lesson_page(client, city, lesson, who, status):
    response = get_as(
        client, getattr(city, who), reverse("homework_lesson", args=[lesson.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), allowed_or_not({"pupil_in"}))
def test_pupil_homework_page(client, city, answer, who, status):
    url = reverse("homework_detail", args=[answer.homework_id])
    response = get_as(client, getattr(city, who), url)
    assert response.status_code == status
    assert ("Мой секретный ответ" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(("who", "status"), allowed_or_not({"teacher", "admin_one"}))
def test_submissions_page(client, city, answer, who, status):
    url = reverse("homework_submissions", args=[answer.homework_id])
    response = get_as(client, getattr(city, who), url)
    assert response.status_code == status
    assert ("Мой секретный ответ" in response.content.decode()) is (status == 200)


def test_an_admin_reads_the_answers_but_gets_no_review_form(client, city, answer):
    url = reverse("homework_submissions", args=[answer.homework_id])
    page = get_as(client, city.admin_one, url).content.decode()
    assert reverse("homework_review", args=[answer.pk]) not in page
    page = get_as(client, city.teacher, url).content.decode()
    assert reverse("homework_review", args=[answer.pk]) in page


@pytest.mark.parametrize(("who", "status"), allowed_or_not({"parent"}))
def test_childs_homework_page_for_parents(client, city, answer, who, status):
    url = reverse("homework_child", args=[city.pupil_in.pk])
    response = get_as(client, getattr(city, who), url)
    assert response.status_code == status
    assert ("Прочитать параграф" in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(
    ("who", "status"), allowed_or_not({"teacher", "pupil_in", "parent", "admin_one"})
)
def test_task_file_download(client, city, with_task_file, who, status):
    attachment = with_task_file.attachments.get()
    url = reverse("homework_attachment", args=[attachment.pk])
    assert get_as(client, getattr(city, who), url).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), allowed_or_not({"teacher", "pupil_in", "parent", "admin_one"})
)
@pytest.mark.parametrize("route", ["homework_file", "homework_thumbnail"])
def test_answer_file_download(client, city, answer, who, status, route):
    photo = answer.files.get(content_type="image/jpeg")
    url = reverse(route, args=[photo.pk])
    assert get_as(client, getattr(city, who), url).status_code == status


def test_a_classmate_cannot_download_anothers_answer(client, city, answer):
    classmate = factories.make_pupil(city.class_in)
    photo = answer.files.get(content_type="image/jpeg")
    response = get_as(client, classmate, reverse("homework_file", args=[photo.pk]))
    assert response.status_code == 404


def test_the_index_shows_each_person_only_their_own(client, city, answer):
    assert (
        "Прочитать параграф"
        in get_as(client, city.pupil_in, reverse("homework_index")).content.decode()
    )
    assert (
        "Прочитать параграф"
        not in get_as(
            client, city.pupil_out, reverse("homework_index")
        ).content.decode()
    )
    child_link = reverse("homework_child", args=[city.pupil_in.pk])
    assert (
        child_link
        in get_as(client, city.parent, reverse("homework_index")).content.decode()
    )
    assert (
        child_link
        not in get_as(
            client, city.other_parent, reverse("homework_index")
        ).content.decode()
    )


# --- Downloads are private and safe


def test_a_document_downloads_as_an_attachment_and_is_never_sniffed(
    client, city, answer
):
    document = answer.files.get(content_type="application/pdf")
    response = get_as(client, city.parent, reverse("homework_file", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "answer.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_photo_is_shown_inline_without_its_exif(client, city, answer):
    photo = answer.files.get(content_type="image/jpeg")
    response = get_as(client, city.teacher, reverse("homework_file", args=[photo.pk]))
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"Exif" not in b"".join(response.streaming_content)


def test_the_debug_media_route_refuses_homework_files(answer, media, settings):
    settings.DEBUG = True
    stored = answer.files.first().file.name
    request = RequestFactory().get("/media/" + stored)
    for path in [stored, f"tasks/../{stored}", f"/{stored}", stored.upper()]:
        with pytest.raises(Http404):
            public_media_serve(request, path)
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "ok.txt").write_text("public")
    assert public_media_serve(request, "original_images/ok.txt").status_code == 200


def test_no_media_route_reaches_homework_files_in_production(client, city, answer):
    client.force_login(city.pupil_in)
    assert client.get("/media/" + answer.files.first().file.name).status_code == 404


# --- Forms


def test_the_teacher_sets_homework_with_files_from_the_lesson_page(
    client, city, lesson
):
    client.force_login(city.teacher)
    due = lesson.date + datetime.timedelta(days=1)
    response = client.post(
        reverse("homework_lesson", args=[lesson.pk]),
        {"text": "Упр. 5", "due_date": due.isoformat(), "files": [pdf(), pdf("b.pdf")]},
    )
    assert response.status_code == 302
    homework = Homework.objects.get()
    assert (homework.text, homework.due_date, homework.attachments.count()) == (
        "Упр. 5",
        due,
        2,
    )


def test_a_bad_file_on_the_form_is_named_and_nothing_is_kept(
    client, city, with_task_file, media
):
    before = stored_files(media)
    client.force_login(city.pupil_in)
    response = client.post(
        reverse("homework_detail", args=[with_task_file.pk]),
        {"text": "Ответ", "files": [jpeg_with_gps(), exe_as_pdf("answer.pdf")]},
    )
    assert response.status_code == 200
    assert "answer.pdf" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Submission.objects.exists()
    assert stored_files(media) == before


def test_a_phone_offers_its_camera_and_the_photo_goes_with_the_files(
    client, city, with_task_file
):
    client.force_login(city.pupil_in)
    url = reverse("homework_detail", args=[with_task_file.pk])
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    response = client.post(
        url, {"text": "", "photos": [jpeg_with_gps()], "files": [pdf("answer.pdf")]}
    )
    assert response.status_code == 302
    kinds = sorted(SubmissionFile.objects.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/jpeg"]


def test_the_pupil_sends_a_photo_and_marks_another_homework_done(
    client, city, lesson, with_task_file
):
    other = services.homework_assign(
        teacher=city.teacher, lesson=lesson, due_date=lesson.date, text="Устно"
    )
    client.force_login(city.pupil_in)
    response = client.post(
        reverse("homework_detail", args=[with_task_file.pk]),
        {"text": "", "files": [jpeg_with_gps()]},
    )
    assert response.status_code == 302
    assert SubmissionFile.objects.get().content_type == "image/jpeg"
    assert client.post(reverse("homework_done", args=[other.pk])).status_code == 302
    assert Submission.objects.get(homework=other).status == "done"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 302),
        ("admin_one", 403),
        ("other_teacher", 404),
        ("pupil_in", 404),
        ("parent", 404),
        ("other_parent", 404),
        ("pupil_out", 404),
        ("admin_two", 404),
    ],
)
def test_review_form(client, city, answer, who, status):
    client.force_login(getattr(city, who))
    response = client.post(
        reverse("homework_review", args=[answer.pk]), {"value": "5", "comment": "Ок"}
    )
    assert response.status_code == status
    assert Mark.objects.filter(value=5).exists() is (status == 302)


def test_a_review_outside_the_scale_shows_why_and_writes_nothing(client, city, answer):
    client.force_login(city.teacher)
    response = client.post(
        reverse("homework_review", args=[answer.pk]), {"value": "7"}, follow=True
    )
    assert "5" in response.content.decode() and 'class="message error"' in (
        response.content.decode()
    )
    assert not Mark.objects.exists()


@pytest.mark.parametrize("who", ["pupil_out", "teacher", "parent", "other_parent"])
def test_only_the_class_pupil_posts_answers(client, city, with_task_file, who):
    client.force_login(getattr(city, who))
    detail = reverse("homework_detail", args=[with_task_file.pk])
    assert client.post(detail, {"text": "x"}).status_code == 404
    done = reverse("homework_done", args=[with_task_file.pk])
    assert client.post(done).status_code == 404
    assert not Submission.objects.exists()


# --- Query counts stay flat as rows grow


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _more_homework(city, lesson, count):
    for n in range(count):
        homework = services.homework_assign(
            teacher=city.teacher,
            lesson=lesson,
            due_date=lesson.date + datetime.timedelta(days=n),
            text=f"Задание {n}",
            files=[pdf(f"t{n}.pdf")],
        )
        services.submission_submit(
            pupil=city.pupil_in, homework=homework, text="Ответ", files=[pdf()]
        )


@pytest.mark.parametrize(
    ("who", "url_name", "args"),
    [
        ("pupil_in", "homework_index", ()),
        ("teacher", "homework_index", ()),
        ("parent", "homework_child", ("pupil_in",)),
        ("teacher", "homework_lesson", ("lesson",)),
    ],
)
def test_list_pages_make_a_fixed_number_of_queries(
    client, city, lesson, who, url_name, args
):
    lookup = {"pupil_in": city.pupil_in.pk, "lesson": lesson.pk}
    url = reverse(url_name, args=[lookup[a] for a in args])
    client.force_login(getattr(city, who))
    _more_homework(city, lesson, 1)
    few = _queries(client, url)
    _more_homework(city, lesson, 4)
    assert _queries(client, url) == few <= 10


def test_the_submissions_page_makes_a_fixed_number_of_queries(client, city, answer):
    url = reverse("homework_submissions", args=[answer.homework_id])
    client.force_login(city.teacher)
    services.submission_review(teacher=city.teacher, submission=answer, value=4)
    few = _queries(client, url)
    for _n in range(4):
        pupil = factories.make_pupil(city.class_in)
        services.submission_submit(
            pupil=pupil, homework=answer.homework, text="x", files=[jpeg_with_gps()]
        )
    assert _queries(client, url) == few <= 10
