"""Writes for homework: setting it, pupils' answers, the teacher's review.

Uploads are all-or-nothing: every file is checked before anything is written, and
files already written are deleted again if the transaction fails, so a bad file
among good ones leaves neither rows nor files behind.
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from school import access
from school.gradebook.services import mark_delete, mark_set
from school.homework import access as homework_access
from school.homework.uploads import CheckedFile, uploads_check
from school.models import (
    Enrolment,
    Homework,
    HomeworkAttachment,
    Lesson,
    LessonStatus,
    Mark,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    User,
    WorkType,
)
from school.services import family_event_send

HOMEWORK_WORK_TYPE = "homework"
COMMENT_MAX_LENGTH = 500


@contextmanager
def _written_files_removed_on_failure() -> Iterator[list[FieldFile]]:
    written: list[FieldFile] = []
    try:
        yield written
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise


def _store(field_file: FieldFile, content, written: list[FieldFile]) -> None:
    field_file.save(content.name, content, save=False)
    written.append(field_file)


def _delete_after_commit(field_files: Iterable[FieldFile]) -> None:
    pairs = [(f.storage, f.name) for f in field_files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in pairs])


@transaction.atomic
def homework_assign(
    *,
    teacher: User,
    lesson: Lesson,
    due_date: datetime.date,
    text: str,
    files: Iterable = (),
) -> Homework:
    """Sets homework at a lesson, with attachments; tells the families after commit.

    Only the teacher who gives the lesson (the substitute if any) may. The due date
    lies between the lesson's day and the end of the school year. Raises
    PermissionDenied or ValidationError and writes nothing on bad input.
    """
    if not homework_access.can_assign(teacher, lesson):
        raise PermissionDenied(_("Only the teacher of this lesson can set homework."))
    text = (text or "").strip()
    _assignment_check(lesson=lesson, due_date=due_date, text=text)
    checked = uploads_check(files)
    with _written_files_removed_on_failure() as written:
        homework = Homework.objects.create(
            lesson=lesson, due_date=due_date, text=text, created_by=teacher
        )
        for item in checked:
            attachment = HomeworkAttachment(homework=homework, **_described(item))
            _store(attachment.file, item.content, written)
            attachment.save()
    _families_tell(homework, event="assigned", pupil_ids=_class_pupil_ids(lesson))
    return homework


def _assignment_check(*, lesson: Lesson, due_date, text: str) -> None:
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(_("The lesson is cancelled; set homework at another."))
    if not text:
        raise ValidationError(_("Write what the pupils have to do."))
    year = lesson.term.academic_year
    if due_date is None or not lesson.date <= due_date <= year.ends_on:
        raise ValidationError(
            _("The due date must be from %(first)s to %(last)s.")
            % {"first": lesson.date.isoformat(), "last": year.ends_on.isoformat()}
        )


def _described(item: CheckedFile) -> dict:
    return {
        "original_name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
    }


def _class_pupil_ids(lesson: Lesson) -> list[int]:
    enrolments = Enrolment.objects.current().filter(
        class_group_id=lesson.class_group_id
    )
    return list(enrolments.values_list("pupil_id", flat=True).distinct())


def _families_tell(homework: Homework, *, event: str, pupil_ids, **extra) -> None:
    lesson = homework.lesson
    data = {
        "event": event,
        "homework_id": homework.pk,
        "lesson_id": lesson.pk,
        "subject": lesson.subject.name,
        "due_date": homework.due_date.isoformat(),
        **extra,
    }
    for pupil_id in pupil_ids:
        family_event_send(pupil_id=pupil_id, kind="homework", data=data)


def _pupil_check(pupil: User, homework: Homework) -> None:
    if not access.is_pupil_of_class(pupil, homework.lesson.class_group):
        raise PermissionDenied(_("Only a pupil of the class can answer this homework."))


def _submitted_hooks_run(submission: Submission) -> None:
    # Other apps react to a hand-in (gamification's points for homework on time)
    # through dotted paths in settings: school never imports them. In this
    # transaction, so a failed hook leaves no submission and no half-award.
    for path in getattr(settings, "SCHOOL_HOMEWORK_SUBMITTED_HOOKS", ()):
        import_string(path)(submission=submission)


def _submission_locked(pupil: User, homework: Homework) -> Submission:
    submission = (
        Submission.objects.select_for_update()
        .filter(homework=homework, pupil=pupil)
        .first()
    )
    if submission is None:
        return Submission(homework=homework, pupil=pupil)
    if submission.status == SubmissionStatus.REVIEWED:
        raise ValidationError(
            _("The teacher has already reviewed this homework; it cannot be changed.")
        )
    return submission


@transaction.atomic
def submission_submit(
    *, pupil: User, homework: Homework, text: str, files: Iterable = ()
) -> Submission:
    """Stores a pupil's answer: text and files, photos re-encoded without EXIF.

    Sending again before the review replaces the text and, when new files come,
    the earlier files (deleted from storage after commit). Raises PermissionDenied
    or ValidationError and writes nothing on bad input.
    """
    _pupil_check(pupil, homework)
    text = (text or "").strip()
    checked = uploads_check(files)
    submission = _submission_locked(pupil, homework)
    keeps_files = submission.pk is not None and submission.files.exists()
    if not (text or checked or keeps_files):
        raise ValidationError(
            _("Write an answer or attach a file, or mark the homework as done.")
        )
    submission.text, submission.status = text, SubmissionStatus.SUBMITTED
    with _written_files_removed_on_failure() as written:
        submission.save()
        if checked:
            _files_replace(submission, checked, written)
        _submitted_hooks_run(submission)
    _families_tell(homework, event="submitted", pupil_ids=[pupil.pk])
    return submission


def _files_replace(
    submission: Submission, checked: list[CheckedFile], written: list[FieldFile]
) -> None:
    old = list(submission.files.all())
    SubmissionFile.objects.filter(pk__in=[f.pk for f in old]).delete()
    _delete_after_commit([f.file for f in old] + [f.thumbnail for f in old])
    for item in checked:
        upload = SubmissionFile(submission=submission, **_described(item))
        _store(upload.file, item.content, written)
        if item.thumbnail is not None:
            _store(upload.thumbnail, item.thumbnail, written)
        upload.save()


@transaction.atomic
def submission_mark_done(*, pupil: User, homework: Homework) -> Submission:
    """Records "done" without an upload (work handed in on paper, exercises)."""
    _pupil_check(pupil, homework)
    submission = _submission_locked(pupil, homework)
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("You have already sent an answer; the teacher will review it.")
        )
    submission.status = SubmissionStatus.DONE
    submission.save()
    _submitted_hooks_run(submission)
    _families_tell(homework, event="done", pupil_ids=[pupil.pk])
    return submission


@transaction.atomic
def submission_review(
    *,
    teacher: User,
    submission: Submission,
    value,
    work_type: WorkType | None = None,
    comment: str = "",
) -> Submission:
    """Marks a submission; the mark is the gradebook's, at the homework's lesson.

    A second review changes that same mark (mark_set keeps the history). Raises
    PermissionDenied for anyone but the subject's teacher, ValidationError for a
    value outside the scale; writes nothing then.
    """
    homework = submission.homework
    if not homework_access.can_review(teacher, homework):
        raise PermissionDenied(_("You do not teach this subject in this class."))
    # A fixed catalogue row, not a posted key.
    work_type = work_type or WorkType.objects.get(code=HOMEWORK_WORK_TYPE)  # nosemgrep
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment may have at most %(limit)d characters.")
            % {"limit": COMMENT_MAX_LENGTH}
        )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _mark_free_check(submission, work_type)
    previous = submission.mark
    mark = mark_set(
        teacher=teacher,
        lesson=homework.lesson,
        pupil=submission.pupil,
        work_type=work_type,
        value=value,
        comment=comment,
    )
    if previous is not None and previous.pk != mark.pk:
        mark_delete(teacher=teacher, mark=previous)
    submission.mark, submission.teacher_comment = mark, comment
    submission.status = SubmissionStatus.REVIEWED
    submission.save(update_fields=["mark", "teacher_comment", "status", "updated_at"])
    _families_tell(
        homework,
        event="reviewed",
        pupil_ids=[submission.pupil_id],
        value=mark.value,
        comment=comment,
    )
    return submission


def _mark_free_check(submission: Submission, work_type: WorkType) -> None:
    """One gradebook cell holds one mark: another homework's must not be taken."""
    taken = Mark.objects.filter(
        lesson_id=submission.homework.lesson_id,
        pupil_id=submission.pupil_id,
        work_type=work_type,
        submission__isnull=False,
    ).exclude(submission=submission)
    if taken.exists():
        raise ValidationError(
            _(
                "%(pupil)s already has a mark of type “%(work_type)s” at this lesson "
                "for another homework; choose another work type."
            )
            % {"pupil": submission.pupil, "work_type": work_type}
        )
