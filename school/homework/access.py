"""Who may set, see, answer and mark homework; built on school.access primitives.

The `get_*` loaders raise Http404 for a person who may not see the row, so a
wrong person cannot even learn that it exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from school import access
from school.models import (
    Homework,
    HomeworkAttachment,
    Lesson,
    Role,
    Submission,
    SubmissionFile,
    User,
)

_LESSON = ("lesson__class_group__school", "lesson__subject")


def can_assign(user: User, lesson: Lesson) -> bool:
    """The teacher who gives the lesson: the substitute if there is one."""
    return (
        access.is_signed_in(user)
        and user.has_role(Role.TEACHER)
        and (lesson.substitute_id or lesson.teacher_id) == user.pk
    )


def can_review(user: User, homework: Homework) -> bool:
    """The teacher who keeps the gradebook of the class and subject."""
    lesson = homework.lesson
    return access.can_edit_gradebook(user, lesson.class_group, lesson.subject)


def can_follow_submissions(user: User, homework: Homework) -> bool:
    """The lesson's teacher, the subject's teacher and the school's admins."""
    return (
        can_assign(user, homework.lesson)
        or can_review(user, homework)
        or access.can_manage_school(user, homework.lesson.class_group.school)
    )


def can_view_homework(user: User, homework: Homework) -> bool:
    """Its teachers and admins, the pupils of the class and their parents."""
    class_group = homework.lesson.class_group
    return (
        access.is_pupil_of_class(user, class_group)
        or access.is_guardian_in_class(user, class_group)
        or can_follow_submissions(user, homework)
    )


def can_view_submission(user: User, submission: Submission) -> bool:
    """The pupil, their parents, the homework's teachers and the school's admins."""
    return (
        (access.is_signed_in(user) and user.pk == submission.pupil_id)
        or access.is_guardian(user, submission.pupil)
        or can_follow_submissions(user, submission.homework)
    )


def get_lesson_for_assigning(user: User, lesson_id: int) -> Lesson:
    lesson = (
        Lesson.objects.select_related("class_group__school", "subject", "slot")
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not can_assign(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def _homework(homework_id: int) -> Homework | None:
    return Homework.objects.select_related(*_LESSON).filter(pk=homework_id).first()


def get_homework_for_pupil(user: User, homework_id: int) -> Homework:
    homework = _homework(homework_id)
    if homework is None or not access.is_pupil_of_class(
        user, homework.lesson.class_group
    ):
        raise Http404("No such homework.")
    return homework


def get_homework_for_teacher(user: User, homework_id: int) -> Homework:
    homework = _homework(homework_id)
    if homework is None or not can_follow_submissions(user, homework):
        raise Http404("No such homework.")
    return homework


def get_submission_for_review(user: User, submission_id: int) -> Submission:
    """404 for strangers; 403 for an admin who may look but not mark."""
    submission = (
        Submission.objects.select_related("pupil", "mark", *_prefixed("homework__"))
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not can_follow_submissions(user, submission.homework):
        raise Http404("No such submission.")
    if not can_review(user, submission.homework):
        raise PermissionDenied
    return submission


def get_child_for_parent(user: User, pupil_id: int) -> User:
    pupil = User.objects.filter(pk=pupil_id, is_active=True).first()
    if pupil is None or not access.is_guardian(user, pupil):
        raise Http404("No such pupil.")
    return pupil


def get_attachment_for_user(user: User, attachment_id: int) -> HomeworkAttachment:
    attachment = (
        HomeworkAttachment.objects.select_related(*_prefixed("homework__"))
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or not can_view_homework(user, attachment.homework):
        raise Http404("No such file.")
    return attachment


def get_submission_file_for_user(user: User, file_id: int) -> SubmissionFile:
    upload = (
        SubmissionFile.objects.select_related(
            "submission__pupil", *_prefixed("submission__homework__")
        )
        .filter(pk=file_id)
        .first()
    )
    if upload is None or not can_view_submission(user, upload.submission):
        raise Http404("No such file.")
    return upload


def _prefixed(prefix: str) -> list[str]:
    return [prefix + path for path in _LESSON]
