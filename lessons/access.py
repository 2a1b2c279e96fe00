"""Who may plan, open and practise library lessons; built on school.access.

The `get_*` loaders raise Http404 for a person who may not see the row, so a
wrong person cannot even learn that it exists.
"""

from django.http import Http404

from lessons.models import LessonPage, LessonPlan
from school import access
from school.models import Enrolment, Lesson, Role, User
from school.timetable.access import gives_lesson

_LESSON = ("class_group__school", "subject", "slot", "term", "teacher", "substitute")


def can_plan(user: User, lesson: Lesson) -> bool:
    """The teacher who gives the lesson (the substitute if there is one)."""
    return gives_lesson(user, lesson)


def teaches_lesson_class(user: User, lesson: Lesson) -> bool:
    """A teacher of the lesson's class, or the one who gives this lesson."""
    return access.teaches_class(user, lesson.class_group) or gives_lesson(user, lesson)


def can_open_plan(user: User, lesson: Lesson) -> bool:
    """Pupils of the class, their parents and the class's teachers."""
    class_group = lesson.class_group
    return (
        access.is_pupil_of_class(user, class_group)
        or access.is_guardian_in_class(user, class_group)
        or teaches_lesson_class(user, lesson)
    )


def can_see_results(user: User, lesson: Lesson) -> bool:
    """The class's teachers and its school's administrators."""
    return teaches_lesson_class(user, lesson) or access.can_manage_school(
        user, lesson.class_group.school
    )


def can_attach(user: User, page: LessonPage) -> bool:
    """A published library lesson, or one of the teacher's own (a copy being
    adapted need not pass the citywide moderation to be taught in their class)."""
    return page.live or page.owner_id == user.pk


def can_practise(user: User, page: LessonPage) -> bool:
    """A pupil enrolled today in a class that has this lesson attached."""
    if not access.is_signed_in(user) or not user.has_role(Role.PUPIL):
        return False
    classes = Enrolment.objects.current().filter(pupil=user).values("class_group_id")
    return (
        LessonPlan.objects.usable()
        .filter(page=page, lesson__class_group_id__in=classes)
        .exists()
    )


def _lesson(lesson_id: int) -> Lesson | None:
    return Lesson.objects.select_related(*_LESSON).filter(pk=lesson_id).first()


def get_lesson_to_plan(user: User, lesson_id: int) -> Lesson:
    """A dated lesson this teacher gives, with its plan loaded; Http404 otherwise."""
    lesson = _lesson(lesson_id)
    if lesson is None or not can_plan(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def get_lesson_results_for_user(user: User, lesson_id: int) -> Lesson:
    lesson = _lesson(lesson_id)
    if lesson is None or not can_see_results(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def get_plan_for_user(user: User, page_id: int, lesson_id: int) -> LessonPlan:
    """The lesson attached to this dated lesson, for a person of the class;
    Http404 when it is not attached there, no longer usable (see
    `LessonPlanQuerySet.usable`), or not theirs."""
    plan = (
        LessonPlan.objects.usable()
        .select_related("page", *(f"lesson__{p}" for p in _LESSON))
        .filter(lesson_id=lesson_id, page_id=page_id)
        .first()
    )
    if plan is None or not can_open_plan(user, plan.lesson):
        raise Http404("No such lesson.")
    return plan


# --- The library: teachers and methodologists browse, preview and copy lessons.
LIBRARY_ROLES = (Role.TEACHER, Role.METHODOLOGIST)


def can_use_library(user: User) -> bool:
    """Teachers and methodologists (pupils and parents open lessons from their
    timetable, never from the library)."""
    if not access.is_signed_in(user):
        return False
    return access.is_platform_admin(user) or any(map(user.has_role, LIBRARY_ROLES))


def sees_all_usage(user: User) -> bool:
    """Methodologists see how often every lesson was copied and taught."""
    return access.is_platform_admin(user) or user.has_role(Role.METHODOLOGIST)


def can_see_usage(user: User, page: LessonPage) -> bool:
    """A lesson's author and methodologists."""
    return page.owner_id == user.pk or sees_all_usage(user)


def get_library_lesson_for_user(user: User, page_id: int) -> LessonPage:
    """A published library lesson with its subject; Http404 for anyone outside the
    library and for drafts, so neither can be told apart from a missing page."""
    if not can_use_library(user):
        raise Http404("No such lesson.")
    page = (
        LessonPage.objects.live()
        .public()
        .select_related("subject", "owner")
        .filter(pk=page_id)
        .first()
    )
    if page is None:
        raise Http404("No such lesson.")
    return page
