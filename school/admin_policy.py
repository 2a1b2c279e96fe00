"""The access policy, as the Wagtail admin asks for it.

Wagtail asks a permission policy "may this person do X to this model / this row?"
and lists rows through the views registered in wagtail_hooks; both answers come
from school.access, so the admin shows a school administrator exactly the rows
of their own schools.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.base import BasePermissionPolicy

from school import access
from school.models import ClassGroup, Role, School, Subject, User

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})
# What a school administrator may do per model; platform administrators may do all.
SCHOOL_ADMIN_ACTIONS = {
    School: frozenset({"change", "view"}),
    Subject: frozenset({"view"}),
}


class SchoolStructurePermissionPolicy(BasePermissionPolicy):
    def _allowed_actions(self, user: User) -> frozenset[str]:
        if access.is_platform_admin(user):
            return ALL_ACTIONS
        if not (user.is_active and user.has_role(Role.SCHOOL_ADMIN)):
            return frozenset()
        return SCHOOL_ADMIN_ACTIONS.get(self.model, ALL_ACTIONS)

    def user_has_permission(self, user, action):
        return user.is_authenticated and action in self._allowed_actions(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and access.can_manage_in_admin(
            user, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        if self.model is Subject:
            return Subject.objects.all()
        return access.admin_queryset_for(user, self.model)

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True) | Q(role_grants__role=Role.SCHOOL_ADMIN),
            is_active=True,
        ).distinct()


class ScopedViewMixin:
    """Lists and loads only the rows the access policy lets this person manage."""

    def get_base_queryset(self):
        policy = SchoolStructurePermissionPolicy(self.model)
        return policy.instances_user_has_any_permission_for(self.request.user, ["view"])

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        readable = self.model is Subject or access.can_manage_in_admin(
            self.request.user, obj
        )
        if not readable:
            raise Http404("No such row.")
        return obj


def _people_of(schools: QuerySet[School]) -> QuerySet:
    """Ids of the members of these schools and of the pupils enrolled in them."""
    return User.objects.filter(
        Q(schools__in=schools) | Q(enrolments__class_group__school__in=schools)
    ).values("pk")


class SchoolScopedForm(WagtailAdminModelForm):
    """Offers only the schools, classes and people the editor administers.

    A choice outside those fails validation, so a crafted POST cannot attach a
    row to another school.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or access.is_platform_admin(for_user):
            return
        schools = access.administered_schools(for_user)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if queryset.model is User:
                field.queryset = queryset.filter(pk__in=_people_of(schools))
            elif queryset.model is School:
                field.queryset = schools
            elif queryset.model is ClassGroup:
                field.queryset = queryset.filter(school__in=schools)
            elif queryset.model is not Subject:
                field.queryset = access.admin_queryset_for(for_user, queryset.model)
