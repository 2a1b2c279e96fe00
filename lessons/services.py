"""Writes of the lessons app: lesson plans and self-paced practice."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug

from lessons import access, practice, selectors
from lessons.models import LessonPage, LessonPlan, PracticeAttempt
from lessons.points import practice_attempt_points
from school.homework.services import homework_assign
from school.models import Homework, Lesson, LessonStatus, User


def _plan_check(teacher: User, lesson: Lesson) -> None:
    if not access.can_plan(teacher, lesson):
        raise PermissionDenied(_("Only the teacher of this lesson can plan it."))


@transaction.atomic
def lesson_plan_attach(
    *, teacher: User, lesson: Lesson, page: LessonPage
) -> LessonPlan:
    """Attaches a library lesson to a dated lesson, replacing any attached one:
    a published lesson or one of the teacher's own (see `access.can_attach`).

    Only the teacher who gives the lesson (the substitute if any) may. Raises
    PermissionDenied or ValidationError and writes nothing on bad input.
    """
    _plan_check(teacher, lesson)
    if lesson.status == LessonStatus.CANCELLED:
        raise ValidationError(_("The lesson is cancelled; plan another one."))
    if not access.can_attach(teacher, page):
        raise ValidationError(
            _("Only a published library lesson or one of your own can be attached.")
        )
    plan, _created = LessonPlan.objects.update_or_create(
        lesson=lesson, defaults={"page": page, "attached_by": teacher}
    )
    return plan


@transaction.atomic
def lesson_plan_detach(*, teacher: User, lesson: Lesson) -> None:
    """Removes the library lesson from a dated lesson; pupils' attempts stay."""
    _plan_check(teacher, lesson)
    LessonPlan.objects.filter(lesson=lesson).delete()


def _suggestion_of(page: LessonPage, block_id: str):
    for block in page.body:
        if block.id == block_id and block.block_type == "homework_suggestion":
            return block.value
    raise ValidationError(_("The attached lesson has no such homework suggestion."))


def lesson_plan_homework_assign(
    *, teacher: User, lesson: Lesson, block_id: str
) -> Homework:
    """Sets the attached lesson's homework suggestion `block_id` as homework.

    Due at the class's next lesson of the subject, else `due_in_days` after this
    one (see `selectors.suggested_due_date`);
    the rules and the families' notices are those of `homework_assign`.
    """
    _plan_check(teacher, lesson)
    plan = LessonPlan.objects.select_related("page").filter(lesson=lesson).first()
    if plan is None:
        raise ValidationError(_("Attach a library lesson first."))
    suggestion = _suggestion_of(plan.taught_page, block_id)
    due_date = selectors.suggested_due_date(
        lesson=lesson, due_in_days=suggestion["due_in_days"]
    )
    return homework_assign(
        teacher=teacher, lesson=lesson, due_date=due_date, text=suggestion["text"]
    )


@transaction.atomic
def practice_attempt_submit(
    *, pupil: User, page: LessonPage, block_id: str, answers
) -> tuple[PracticeAttempt, list[bool]]:
    """Scores a pupil's answers to a quiz block on the server and keeps the attempt.

    Returns the stored attempt (score = questions right) and, per question,
    whether it was right. Every attempt is kept. Raises PermissionDenied for
    anyone but a pupil of a class the lesson is attached to, ValidationError for
    an unknown block, a block that is not a quiz or answers of the wrong shape;
    nothing is stored then. A score that beats the pupil's best at this quiz
    earns points in the same transaction (`lessons.points`).
    """
    if not access.can_practise(pupil, page):
        raise PermissionDenied(_("Only pupils of the class can practise this lesson."))
    quiz = practice.quiz_of(page.body, block_id)
    answers = practice.answers_checked(quiz, answers)
    marked = practice.quiz_marked(quiz, answers)
    attempt = PracticeAttempt.objects.create(
        pupil=pupil,
        page=page,
        block_id=block_id,
        answers=answers,
        score=sum(marked),
        max_score=len(marked),
    )
    practice_attempt_points(attempt, title=quiz["title"] or page.title)
    return attempt, marked


@transaction.atomic
def lesson_copy(*, page: LessonPage, teacher: User) -> LessonPage:
    """An unpublished copy of a library lesson in the same unit, owned by
    `teacher`, titled "… (copy)", with `source` pointing at the original.

    The copy starts from the published version: the original's revisions (and
    any unpublished draft in them) are not copied. Raises PermissionDenied for
    someone outside the library; the original is not changed.
    """
    if not access.can_use_library(teacher):
        raise PermissionDenied(_("Only teachers can copy library lessons."))
    parent = page.get_parent()
    title = _("%(title)s (copy)") % {"title": page.title}
    return page.copy(
        to=parent,
        update_attrs={
            "title": title[: LessonPage._meta.get_field("title").max_length],
            "slug": find_available_slug(parent, f"{page.slug[:240]}-copy"),
            "owner": teacher,
            "source": page,
        },
        keep_live=False,
        copy_revisions=False,
        user=teacher,
    )
