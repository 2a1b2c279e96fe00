"""Who may open a pupil's diary: the rules of `school.access.can_view_pupil`.

That is the pupil themselves, their parents, the teachers of their class and their
school's administrators. Anyone else gets a 404, so a stranger cannot even learn
that the pupil exists.
"""

from django.http import Http404

from school.access import can_view_pupil, is_signed_in
from school.models import Guardianship, Role, User


def children_for_switcher(user: User) -> list[User]:
    """The children a parent may switch between (one query; [] for non-parents)."""
    if not is_signed_in(user) or not user.has_role(Role.PARENT):
        return []
    links = (
        Guardianship.objects.filter(parent=user, pupil__is_active=True)
        .select_related("pupil")
        .order_by("pupil__first_name", "pupil__pk")
    )
    return [link.pupil for link in links]


def get_diary_pupil_for_user(
    user: User, pupil_id: int, *, known: list[User] = ()
) -> User:
    """The pupil whose diary `user` asked for, or Http404.

    `known` are pupils already loaded for the page (a parent's children), which
    saves loading the pupil again; the access rule is asked either way.
    """
    pupil = next((child for child in known if child.pk == pupil_id), None)
    if pupil is None and is_signed_in(user) and user.pk == pupil_id:
        pupil = user
    if pupil is None:
        pupil = User.objects.filter(pk=pupil_id, is_active=True).first()
    if pupil is None or not can_view_pupil(user, pupil):
        raise Http404("No such pupil.")
    return pupil


def own_diary_pupil_id(user: User, children: list[User]) -> int | None:
    """Whose diary `/diary/` opens: the pupil's own, else a parent's first child."""
    if is_signed_in(user) and user.has_role(Role.PUPIL):
        return user.pk
    return children[0].pk if children else None


def can_follow_diary(user: User, pupil_id: int) -> bool:
    """May `user` receive the live events of this pupil's diary (websocket)?"""
    try:
        get_diary_pupil_for_user(user, pupil_id)
    except Http404:
        return False
    return True
