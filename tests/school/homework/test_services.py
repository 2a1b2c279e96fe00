"""Homework services: who may write what; a failure writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from school.homework import services
from school.models import (
    Homework,
    HomeworkAttachment,
    Lesson,
    LessonStatus,
    Mark,
    MarkChange,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    WorkType,
)
from tests import factories
from tests.school.homework.conftest import (
    exe_as_pdf,
    family_events,
    jpeg_with_gps,
    pdf,
    png,
    stored_files,
    text_file,
)

pytestmark = pytest.mark.django_db


def assign(teacher, lesson, *, due=None, files=(), text="Упр. 12"):
    return services.homework_assign(
        teacher=teacher,
        lesson=lesson,
        due_date=due or lesson.date + datetime.timedelta(days=2),
        text=text,
        files=list(files),
    )


# --- Setting homework


def test_the_lessons_teacher_sets_homework_with_attachments(city, lesson):
    homework = assign(city.teacher, lesson, files=[pdf("task.pdf"), png("plan.png")])
    names = sorted(homework.attachments.values_list("original_name", flat=True))
    assert names == ["plan.png", "task.pdf"]
    assert homework.created_by == city.teacher


def test_a_substitute_sets_homework_and_the_regular_teacher_then_cannot(city, lesson):
    substitute = factories.make_teacher(city.class_in, factories.SubjectFactory())
    Lesson.objects.filter(pk=lesson.pk).update(substitute=substitute)
    lesson.refresh_from_db()
    assert assign(substitute, lesson).created_by == substitute
    with pytest.raises(PermissionDenied):
        assign(city.teacher, lesson)


@pytest.mark.parametrize("who", ["other_teacher", "pupil_in", "parent", "admin_one"])
def test_nobody_else_sets_homework(city, lesson, who):
    with pytest.raises(PermissionDenied):
        assign(getattr(city, who), lesson)
    assert not Homework.objects.exists()


def test_the_due_date_lies_between_the_lesson_and_the_end_of_the_year(city, lesson):
    year_end = city.class_in.academic_year.ends_on
    with pytest.raises(ValidationError):
        assign(city.teacher, lesson, due=lesson.date - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        assign(city.teacher, lesson, due=year_end + datetime.timedelta(days=1))
    assert assign(city.teacher, lesson, due=year_end).due_date == year_end
    assert assign(city.teacher, lesson, due=lesson.date).due_date == lesson.date


def test_no_homework_at_a_cancelled_lesson_or_without_a_task(city, lesson):
    with pytest.raises(ValidationError):
        assign(city.teacher, lesson, text="   ")
    Lesson.objects.filter(pk=lesson.pk).update(status=LessonStatus.CANCELLED)
    lesson.refresh_from_db()
    with pytest.raises(ValidationError):
        assign(city.teacher, lesson)
    assert not Homework.objects.exists()


def test_one_bad_attachment_refuses_the_homework_and_leaves_no_file(
    city, lesson, media
):
    with pytest.raises(ValidationError):
        assign(city.teacher, lesson, files=[pdf(), png(), exe_as_pdf("virus.pdf")])
    assert not Homework.objects.exists()
    assert not HomeworkAttachment.objects.exists()
    assert stored_files(media) == []


def test_the_families_of_the_class_hear_about_new_homework(
    city, lesson, django_capture_on_commit_callbacks
):
    def action():
        with django_capture_on_commit_callbacks(execute=True):
            assign(city.teacher, lesson)

    events = family_events(city.pupil_in.pk, action)
    assert [(e["kind"], e["data"]["event"]) for e in events] == [
        ("homework", "assigned")
    ]
    assert events[0]["data"]["subject"] == city.maths.name


def test_another_class_hears_nothing(city, lesson, django_capture_on_commit_callbacks):
    def action():
        with django_capture_on_commit_callbacks(execute=True):
            assign(city.teacher, lesson)

    assert family_events(city.pupil_out.pk, action) == []


# --- Answers


def test_a_pupil_sends_text_and_files(city, homework):
    submission = services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="Ответ", files=[pdf()]
    )
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.files.get().original_name == "answer.pdf"


@pytest.mark.parametrize("who", ["pupil_out", "teacher", "parent", "admin_one"])
def test_only_a_pupil_of_the_class_answers(city, homework, who):
    with pytest.raises(PermissionDenied):
        services.submission_submit(
            pupil=getattr(city, who), homework=homework, text="x", files=[]
        )
    with pytest.raises(PermissionDenied):
        services.submission_mark_done(pupil=getattr(city, who), homework=homework)
    assert not Submission.objects.exists()


def test_an_empty_answer_is_refused(city, homework):
    with pytest.raises(ValidationError):
        services.submission_submit(
            pupil=city.pupil_in, homework=homework, text="  ", files=[]
        )
    assert not Submission.objects.exists()


def test_sending_again_replaces_the_files_and_deletes_the_old_ones_after_commit(
    city, homework, media, django_capture_on_commit_callbacks
):
    first = services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="v1", files=[jpeg_with_gps()]
    )
    old_files = stored_files(media)
    assert len(old_files) == 2  # the photo and its thumbnail
    with django_capture_on_commit_callbacks(execute=True):
        again = services.submission_submit(
            pupil=city.pupil_in, homework=homework, text="v2", files=[text_file()]
        )
    assert again.pk == first.pk and again.text == "v2"
    assert [f.original_name for f in again.files.all()] == ["notes.txt"]
    assert not set(old_files) & set(stored_files(media))
    assert len(stored_files(media)) == 1


def test_sending_text_again_keeps_the_earlier_files(city, homework):
    services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="v1", files=[pdf()]
    )
    again = services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="v2", files=[]
    )
    assert again.files.count() == 1 and again.text == "v2"


def test_a_bad_file_in_a_second_answer_keeps_the_first_answer_whole(
    city, homework, media
):
    services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="v1", files=[pdf()]
    )
    before = stored_files(media)
    with pytest.raises(ValidationError):
        services.submission_submit(
            pupil=city.pupil_in,
            homework=homework,
            text="v2",
            files=[png(), exe_as_pdf("x.pdf")],
        )
    submission = Submission.objects.get()
    assert submission.text == "v1"
    assert [f.original_name for f in submission.files.all()] == ["answer.pdf"]
    assert stored_files(media) == before


def test_files_written_before_a_database_failure_are_deleted(
    city, homework, media, monkeypatch
):
    # A database error halfway through cannot be provoked with real input on
    # SQLite, so the second row's INSERT is made to fail.
    real_save = SubmissionFile.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise IntegrityError("simulated failure")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(SubmissionFile, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.submission_submit(
            pupil=city.pupil_in,
            homework=homework,
            text="x",
            files=[jpeg_with_gps(), pdf()],
        )
    assert stored_files(media) == []
    assert not Submission.objects.exists()


def test_mark_as_done_without_an_upload(city, homework):
    submission = services.submission_mark_done(pupil=city.pupil_in, homework=homework)
    assert (submission.status, submission.files.count()) == (SubmissionStatus.DONE, 0)


def test_done_after_sending_an_answer_is_refused(city, homework):
    services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="Ответ", files=[]
    )
    with pytest.raises(ValidationError):
        services.submission_mark_done(pupil=city.pupil_in, homework=homework)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


# --- Review


@pytest.fixture
def submission(city, homework):
    return services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="Ответ", files=[pdf()]
    )


def review(teacher, submission, value, **kwargs):
    return services.submission_review(
        teacher=teacher, submission=submission, value=value, **kwargs
    )


def test_the_review_mark_lands_in_the_gradebook_as_homework(city, submission, lesson):
    reviewed = review(city.teacher, submission, 5, comment="Молодец")
    mark = Mark.objects.get()
    assert (mark.lesson, mark.pupil, mark.work_type.code, mark.value) == (
        lesson,
        city.pupil_in,
        "homework",
        5,
    )
    assert mark.comment == "Молодец"
    assert reviewed.mark == mark and reviewed.status == SubmissionStatus.REVIEWED
    assert reviewed.teacher_comment == "Молодец"


def test_a_second_review_changes_the_same_mark_and_keeps_the_history(city, submission):
    review(city.teacher, submission, 3)
    review(city.teacher, submission, 4, comment="Исправлено")
    assert Mark.objects.get().value == 4
    history = MarkChange.objects.order_by("pk").values_list("old_value", "new_value")
    assert list(history) == [(None, 3), (3, 4)]


def test_changing_the_work_type_moves_the_mark(city, submission):
    review(city.teacher, submission, 3)
    test_type = WorkType.objects.get(code="test")
    review(city.teacher, submission, 4, work_type=test_type)
    assert list(Mark.objects.values_list("work_type__code", "value")) == [("test", 4)]
    assert Submission.objects.get().mark.work_type == test_type


def test_two_homeworks_of_one_lesson_cannot_share_a_gradebook_cell(
    city, lesson, submission
):
    review(city.teacher, submission, 5)
    second = assign(city.teacher, lesson, text="Ещё")
    other = services.submission_submit(
        pupil=city.pupil_in, homework=second, text="Ответ", files=[]
    )
    with pytest.raises(ValidationError):
        review(city.teacher, other, 2)
    assert Mark.objects.get().value == 5
    test_type = WorkType.objects.get(code="test")
    review(city.teacher, other, 2, work_type=test_type)
    assert Mark.objects.count() == 2


@pytest.mark.parametrize("who", ["other_teacher", "pupil_in", "parent", "admin_one"])
def test_nobody_else_reviews(city, submission, who):
    with pytest.raises(PermissionDenied):
        review(getattr(city, who), submission, 5)
    assert not Mark.objects.exists()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("value", [0, 6, "пять", None])
def test_a_mark_outside_the_scale_writes_nothing(city, submission, value):
    with pytest.raises(ValidationError):
        review(city.teacher, submission, value)
    assert not Mark.objects.exists()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_a_reviewed_answer_can_no_longer_be_changed(city, homework, submission):
    review(city.teacher, submission, 4)
    with pytest.raises(ValidationError):
        services.submission_submit(
            pupil=city.pupil_in, homework=homework, text="v2", files=[]
        )
    with pytest.raises(ValidationError):
        services.submission_mark_done(pupil=city.pupil_in, homework=homework)
    assert Submission.objects.get().text == "Ответ"


def test_the_family_hears_about_the_review(
    city, submission, django_capture_on_commit_callbacks
):
    def action():
        with django_capture_on_commit_callbacks(execute=True):
            review(city.teacher, submission, 5, comment="Отлично")

    events = family_events(city.pupil_in.pk, action)
    homework_events = [e["data"] for e in events if e["kind"] == "homework"]
    assert [(d["event"], d["value"], d["comment"]) for d in homework_events] == [
        ("reviewed", 5, "Отлично")
    ]
    assert "mark" in [e["kind"] for e in events]
