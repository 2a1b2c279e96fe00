"""Who takes the register of a lesson, and whose absence a parent may announce.

Built on the primitives of school/access.py.
"""

from django.http import Http404

from school import access
from school.models import Lesson, Role, User


def can_take_register(user: User, lesson: Lesson) -> bool:
    """The lesson's own teacher or its substitute, while they hold the role.

    Both may write: the substitute takes the register, the class's teacher may
    correct it afterwards (a note from the school nurse, a late arrival).
    """
    return (
        access.is_signed_in(user)
        and user.has_role(Role.TEACHER)
        and user.pk in (lesson.teacher_id, lesson.substitute_id)
    )


def get_lesson_for_register(user: User, lesson_id: int) -> Lesson:
    """The lesson with its class, subject, term and bell; Http404 for others."""
    lesson = (
        Lesson.objects.select_related(
            "class_group__school", "subject", "term", "slot", "teacher", "substitute"
        )
        .filter(pk=lesson_id)
        .first()
    )
    if lesson is None or not can_take_register(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def is_parent(user: User) -> bool:
    return access.is_signed_in(user) and user.has_role(Role.PARENT)


def can_announce_absence(user: User, pupil: User) -> bool:
    """Only a parent of this very child."""
    return access.is_guardian(user, pupil)
