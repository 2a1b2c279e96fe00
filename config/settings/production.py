"""Production: no secret defaults, HTTPS only, local password login off by default."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, env_url
from config.settings.base import *  # noqa: F403


def _secret(name: str) -> str:
    value = env_str(name)
    if len(value) < 50 or value.startswith("dev-only"):
        raise ImproperlyConfigured(
            f"{name} must be a random string of 50 or more characters."
        )
    return value


SECRET_KEY = _secret("SECRET_KEY")
BADGE_KEYS_SECRET = _secret("BADGE_KEYS_SECRET")
if BADGE_KEYS_SECRET == SECRET_KEY:
    raise ImproperlyConfigured("BADGE_KEYS_SECRET must differ from SECRET_KEY.")
DEBUG = False
DEMO_SEED_ALLOWED = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
# The city's identity provider: no development default reaches production.
OIDC_OP_ISSUER = env_url("OIDC_OP_ISSUER", schemes=("https",))
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
if OIDC_RP_CLIENT_SECRET.startswith("dev-only"):
    raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET is the development secret.")
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", False)
OIDC_REDIRECT_REQUIRE_HTTPS = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix pins cookies to this exact host over HTTPS.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}

# A key made on the fly would change with every new server: production uses the
# configured one or sends no pushes.
WEBPUSH_KEY_FILE_ALLOWED = False
