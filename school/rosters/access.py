"""Who may import and export rosters, and which rows each may touch.

Built on school.access: a platform administrator may import anything; a school
administrator only rows of the schools they administer, and only people linked
to those schools (or to none yet). Everyone else gets 404.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from school.access import administered_schools, is_platform_admin
from school.models import Enrolment, Guardianship, User


@dataclass(frozen=True)
class RosterScope:
    """The schools an import may write to; None means every school."""

    school_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.school_ids is None

    def covers(self, school_id: int) -> bool:
        return self.school_ids is None or school_id in self.school_ids


PLATFORM_SCOPE = RosterScope(school_ids=None)


def roster_scope_for(user: User) -> RosterScope:
    """The scope of a signed-in person; raises Http404 for anyone without one."""
    if is_platform_admin(user):
        return PLATFORM_SCOPE
    school_ids = frozenset(administered_schools(user).values_list("pk", flat=True))
    if not school_ids:
        raise Http404("No rosters here.")
    return RosterScope(school_ids=school_ids)


def people_out_of_scope(scope: RosterScope, user_ids: set[int]) -> set[int]:
    """Ids among `user_ids` that an import in this scope may not change.

    A person is in scope when linked to one of its schools — as a member, a
    pupil enrolled there now, or a guardian of such a pupil — or linked to no
    school at all (newly created elsewhere). Platform administrators never are.
    """
    if scope.everything or not user_ids:
        return set()
    schools = scope.school_ids or frozenset()
    current = Enrolment.objects.current()
    pupils_here = current.filter(class_group__school__in=schools).values("pupil_id")
    in_scope = set(
        User.objects.filter(pk__in=user_ids, is_superuser=False)
        .filter(
            Q(schools__in=schools)
            | Q(pk__in=pupils_here)
            | Q(guardianships__pupil_id__in=pupils_here)
        )
        .values_list("pk", flat=True)
    )
    linked = set(
        User.objects.filter(pk__in=user_ids - in_scope)
        .filter(
            Q(is_superuser=True)
            | Q(schools__isnull=False)
            | Q(pk__in=current.values("pupil_id"))
            | Q(pk__in=Guardianship.objects.values("parent_id"))
        )
        .values_list("pk", flat=True)
    )
    return linked


def school_id_in_scope(scope: RosterScope, value: str) -> int:
    """A school id from a request, if in scope; raises Http404 otherwise."""
    if not value.isdigit() or not scope.covers(int(value)):
        raise Http404("No such school.")
    return int(value)
