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
