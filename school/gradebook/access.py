"""Who may open a gradebook, and who may write in it.

Built on the primitives of school/access.py: the assigned teacher of the class ×
subject writes (`can_edit_gradebook`); the class's homeroom teacher and the school's
administrators read; everybody else gets a 404 and learns nothing.
"""

from dataclasses import dataclass

from django.http import Http404

from school import access
from school.models import ClassGroup, Gradebook, Role, Subject, Term, User


@dataclass(frozen=True)
class OpenGradebook:
    gradebook: Gradebook
    can_edit: bool


def is_homeroom_teacher(user: User, class_group: ClassGroup) -> bool:
    return (
        access.is_signed_in(user)
        and class_group.homeroom_teacher_id == user.pk
        and user.has_role(Role.TEACHER)
    )


def can_read_gradebook(user: User, class_group: ClassGroup) -> bool:
    """Read-only readers: the homeroom teacher and the school's administrators."""
    return is_homeroom_teacher(user, class_group) or access.can_manage_school(
        user, class_group.school
    )


def _load(class_id: int, subject_id: int, term_id: int) -> Gradebook:
    """The gradebook row, or an unsaved one if nobody has opened it yet."""
    found = (
        Gradebook.objects.select_related(
            "class_group__school", "class_group__academic_year", "subject", "term"
        )
        .filter(class_group_id=class_id, subject_id=subject_id, term_id=term_id)
        .first()
    )
    if found is not None:
        return found
    class_group = (
        ClassGroup.objects.select_related("school", "academic_year")
        .filter(pk=class_id)
        .first()
    )
    subject = Subject.objects.filter(pk=subject_id).first()
    term = (
        Term.objects.filter(pk=term_id, academic_year_id=class_group.academic_year_id)
        .select_related("academic_year")
        .first()
        if class_group
        else None
    )
    if class_group is None or subject is None or term is None:
        raise Http404("No such gradebook.")
    return Gradebook(class_group=class_group, subject=subject, term=term)


def get_gradebook_for_user(
    user: User, class_id: int, subject_id: int, term_id: int
) -> OpenGradebook:
    """The gradebook and whether this person may write in it; Http404 otherwise.

    The assigned teacher's first visit creates the gradebook row (it only holds
    the scale), so every later write has a row to lock and read the scale from.
    """
    gradebook = _load(class_id, subject_id, term_id)
    class_group = gradebook.class_group
    can_edit = access.can_edit_gradebook(user, class_group, gradebook.subject)
    if not can_edit and not can_read_gradebook(user, class_group):
        raise Http404("No such gradebook.")
    if can_edit and gradebook.pk is None:
        gradebook, _created = Gradebook.objects.get_or_create(
            class_group=class_group, subject=gradebook.subject, term=gradebook.term
        )
    return OpenGradebook(gradebook=gradebook, can_edit=can_edit)
