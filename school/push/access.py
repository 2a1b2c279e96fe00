"""Who may hear about whom: a pupil about themselves, a parent about each child.
Checked when topics are chosen and again when a message is queued, so a parent
whose link to a child ends hears nothing more."""

from django.db.models import QuerySet

from school.models import Guardianship, Role, User


def followable_pupils(user: User) -> QuerySet[User]:
    ids = list(
        Guardianship.objects.filter(parent=user).values_list("pupil_id", flat=True)
    )
    if user.has_role(Role.PUPIL):
        ids.append(user.pk)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name")


def may_follow(user: User, pupil: User) -> bool:
    return followable_pupils(user).filter(pk=pupil.pk).exists()


def followers_of(pupil_id: int) -> set[int]:
    """The people who may hear about this pupil now: the pupil and the parents."""
    parents = Guardianship.objects.filter(pupil_id=pupil_id).values_list(
        "parent_id", flat=True
    )
    return {pupil_id, *parents}
