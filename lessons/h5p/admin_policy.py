"""H5P games as the Wagtail admin asks about them, answered by lessons.h5p.access.

Teachers, methodologists and administrators add, view and choose any game;
they change and delete only their own; platform administrators, every game.
"""

from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from lessons.h5p import access
from school import access as school_access
from school.models import Role, User

ACTIONS = frozenset({"add", "change", "delete", "view", "choose"})
OWN_ONLY = frozenset({"change", "delete"})


class H5PPackagePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        # "change"/"delete" here mean "on some rows" (their own), as Wagtail's
        # ownership policy for images answers it.
        return action in ACTIONS and access.can_upload_package(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in OWN_ONLY:
            return access.can_change_package(user, instance)
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        if set(actions) <= OWN_ONLY and not school_access.is_platform_admin(user):
            return self.model.objects.filter(uploaded_by=user)
        return self.model.objects.all()

    def users_with_any_permission(self, actions):
        if not set(actions) & ACTIONS:
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(role_grants__role__in=[Role.TEACHER, Role.METHODOLOGIST]),
            is_active=True,
        ).distinct()
