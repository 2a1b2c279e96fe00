"""Local password sign-in, kept for the demo and for administrators."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's password backend, switched off by LOCAL_LOGIN_ENABLED=false."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN_ENABLED:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )


# Roles that work in the Wagtail admin; teachers author library lessons there.
ADMIN_ROLES = frozenset({"school_admin", "methodologist", "teacher"})


class RolePermissionsBackend:
    """Derives Django permissions from platform roles, so roles stay the one source."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        if not user.is_active or obj is not None:
            return False
        if perm == "wagtailadmin.access_admin":
            return bool(user.role_set & ADMIN_ROLES)
        return False
