"""Settings for the test suite: the same as the demo, with fast password hashing."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite (and the browser tests' servers) load the demo city.
DEMO_SEED_ALLOWED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The push tests run a push service on loopback (tests/school/push/receiver.py).
WEBPUSH_ENDPOINT_HOSTS = [*WEBPUSH_ENDPOINT_HOSTS, "127.0.0.1"]  # noqa: F405
WEBPUSH_HTTP_ENDPOINTS_ALLOWED = True
