"""Who may upload H5P games, bring library code, play and see results.

Built on school.access and lessons.access; the `get_*` loaders raise Http404 for
a person who may not see the row.
"""

from django.http import Http404

from lessons import access as lessons_access
from lessons.models import LessonPlan
from school import access
from school.models import Lesson, Role, User


def can_upload_package(user: User) -> bool:
    """Teachers, methodologists and administrators add games to the library."""
    if not access.is_signed_in(user):
        return False
    return access.is_platform_admin(user) or any(
        map(user.has_role, (Role.TEACHER, Role.METHODOLOGIST))
    )


def can_install_libraries(user: User) -> bool:
    """Library code runs in every pupil's browser: platform administrators only."""
    return access.is_signed_in(user) and access.is_platform_admin(user)


def can_change_package(user: User, package) -> bool:
    """The uploader (while still a teacher or methodologist) and administrators."""
    if not can_upload_package(user):
        return False
    return access.is_platform_admin(user) or package.uploaded_by_id == user.pk


def can_list_games(user: User) -> bool:
    """Pupils have a games page (their classes' activities)."""
    return access.is_signed_in(user) and user.has_role(Role.PUPIL)


def can_play(user: User, plan: LessonPlan) -> bool:
    """Pupils enrolled today in the class of the plan's lesson record attempts."""
    return access.is_signed_in(user) and access.is_pupil_of_class(
        user, plan.lesson.class_group
    )


def can_see_results(user: User, lesson: Lesson) -> bool:
    """The class's teachers and its school's administrators."""
    return lessons_access.can_see_results(user, lesson)


def can_choose_counted_attempt(user: User, lesson: Lesson) -> bool:
    """The teachers of the class (the grading choice is theirs)."""
    return lessons_access.teaches_lesson_class(user, lesson)


def get_h5p_block(plan: LessonPlan, block_id: str):
    """The H5P block `block_id` of the plan's taught page; Http404 otherwise."""
    for block in plan.taught_page.body:
        if block.id == block_id and block.block_type == "h5p":
            return block
    raise Http404("No such game in this lesson.")
