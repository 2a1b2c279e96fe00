"""Settings shared by every environment; every value comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_optional_url, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdef")
# The badges' own secret: encrypts the schools' signing keys and derives the
# pupils' pseudonyms in credentials, so rotating SECRET_KEY breaks no badge.
BADGE_KEYS_SECRET = env_str(
    "BADGE_KEYS_SECRET", "dev-only-badge-keys-secret-change-me-0123456789abcdef"
)
BADGE_KEYS_SECRET_FALLBACKS = env_list("BADGE_KEYS_SECRET_FALLBACKS", [])
# Web Push (VAPID): the platform signs every push with this P-256 key (PEM).
# Unset, a key is made once under VAR_DIR for the demo and the tests; production
# without one sends no pushes (the settings page says so).
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_VAPID_SUBJECT = env_str(
    "WEBPUSH_VAPID_SUBJECT", "mailto:support@school.example"
)
WEBPUSH_KEY_FILE_ALLOWED = True
# The server posts to a subscription's endpoint: only the browsers' push services
# (FCM for Chrome, Mozilla's, Apple's, Microsoft's), over https.
WEBPUSH_ENDPOINT_HOSTS = env_list(
    "WEBPUSH_ENDPOINT_HOSTS",
    [
        "fcm.googleapis.com",
        "push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)
WEBPUSH_HTTP_ENDPOINTS_ALLOWED = False
DEBUG = env_bool("DEBUG", False)
# `seed_demo` makes accounts with published passwords: only on a demo.
DEMO_SEED_ALLOWED = DEBUG
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "school",
    "gamification",
    "lessons",
    "whiteboard",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "mozilla_django_oidc",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.csp.PlatformCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "school.context_processors.platform",
            ],
        },
    },
]

# --- Database: a SQLite file by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
# Websocket consumers run their database calls in a thread pool; without kept
# connections each call opens a new PostgreSQL connection (the live-quiz
# benchmark's biggest cost). Health checks drop a connection the server closed.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo's websocket workers read while a request writes.
    # IMMEDIATE takes the write lock when a transaction begins, so two requests
    # writing at once wait for each other (busy_timeout) instead of one failing
    # with "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
        transaction_mode="IMMEDIATE",
    )
else:
    # Wagtail's database search backend uses PostgreSQL's full-text fields there,
    # and they refuse to load (postgres.E005) without this app.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer: in-memory by default; Redis pub/sub (several hosts shard) when set.
# The core RedisChannelLayer silently drops group messages past its capacity.
REDIS_URL = env_optional_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [url.strip() for url in REDIS_URL.split(",")],
                # Redis pub/sub ignores database numbers: deployments sharing a
                # Redis must use different prefixes.
                "prefix": env_str("CHANNEL_PREFIX", "school"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL.split(",")[0].strip(),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication
AUTH_USER_MODEL = "school.User"
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "school.oidc.CityAccountBackend",
    "school.backends.LocalPasswordBackend",
    "school.backends.RolePermissionsBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed local logins are throttled per account: a whole school shares one NAT address,
# so throttling by IP would lock out every pupil behind it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "school/login_locked.html"
AXES_VERBOSE = False
# axes.W006 asks to lock by IP too; that would lock out a whole school behind its NAT.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- City SSO (OpenID Connect, authorization code flow with PKCE).
OIDC_OP_ISSUER = env_url(
    "OIDC_OP_ISSUER", "http://127.0.0.1:9000", schemes=("http", "https")
)
_issuer = OIDC_OP_ISSUER.rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", f"{_issuer}/auth", schemes=("http", "https")
)
OIDC_OP_TOKEN_ENDPOINT = env_url(
    "OIDC_OP_TOKEN_ENDPOINT", f"{_issuer}/token", schemes=("http", "https")
)
OIDC_OP_USER_ENDPOINT = env_url(
    "OIDC_OP_USER_ENDPOINT", f"{_issuer}/me", schemes=("http", "https")
)
OIDC_OP_JWKS_ENDPOINT = env_url(
    "OIDC_OP_JWKS_ENDPOINT", f"{_issuer}/jwks", schemes=("http", "https")
)
OIDC_OP_END_SESSION_ENDPOINT = env_url(
    "OIDC_OP_END_SESSION_ENDPOINT", f"{_issuer}/session/end", schemes=("http", "https")
)
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "city-school-platform")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "dev-only-city-sso-secret")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid profile email city"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "school.oidc.provider_logout_url"
OIDC_CALLBACK_CLASS = "school.oidc.CityCallbackView"
OIDC_REDIRECT_REQUIRE_HTTPS = False
OIDC_CLOCK_LEEWAY_SECONDS = env_int("OIDC_CLOCK_LEEWAY_SECONDS", 30)
# Names of the claims the city identity provider sends.
OIDC_CLAIM_ROLES = env_str("OIDC_CLAIM_ROLES", "roles")
OIDC_CLAIM_SCHOOLS = env_str("OIDC_CLAIM_SCHOOLS", "school_ids")
OIDC_CLAIM_CHILDREN = env_str("OIDC_CLAIM_CHILDREN", "children")
OIDC_CLAIM_PATRONYMIC = env_str("OIDC_CLAIM_PATRONYMIC", "middle_name")
# The demo city identity provider's accounts; `manage.py seed_demo` writes it.
IDP_ACCOUNTS_FILE = Path(
    env_str("IDP_ACCOUNTS_FILE", str(VAR_DIR / "idp" / "accounts.json"))
)

# --- Internationalisation: Russian by default, English switchable.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The live lesson's board (frontend/src bundled with Excalidraw's assets by
# `make frontend`), served as static/board/.
STATICFILES_DIRS = [
    ("board", BASE_DIR / "frontend" / "build" / "board"),
    ("vendor", BASE_DIR / "frontend" / "build" / "vendor"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The H5P player (npm h5p-standalone's dist/), copied there by `make frontend`;
# lessons.h5p.files serves it beside the packages (see that module).
H5P_PLAYER_ROOT = Path(
    env_str("H5P_PLAYER_ROOT", str(BASE_DIR / "frontend" / "build" / "h5p-standalone"))
)

WAGTAIL_SITE_NAME = "Город. Школа"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Written into every Open Badges credential as the issuer's and the badge's address:
# in production the public https address, and it must never change.
BADGES_BASE_URL = env_str("BADGES_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAIL_I18N_ENABLED = False
# No third-party requests from the admin (Gravatar would leak e-mail hashes).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Library moderation: the reviewers' approval is the permission to publish.
# Uploaded images: the dimensions are read from the header before any decoding,
# so a "bomb" (a small file claiming a huge picture) is refused with a message.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "lessons.images.LibraryImageForm"
# Documents: an allow-list checked by the bytes (lessons.documents.content), and
# always downloaded through the view that asks who may see them, as attachments.
# The same list as lessons.documents.content.KINDS (a test keeps them equal).
WAGTAILDOCS_EXTENSIONS = (
    "csv doc docx jpeg jpg mp3 mp4 odp ods odt pdf png ppt pptx txt webm webp xls xlsx"
).split()
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lessons.documents.forms.LibraryDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAIL_FINISH_WORKFLOW_ACTION = "lessons.workflow_publish.workflow_state_publish"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's full-text search stems Russian, so "дроби" finds "Дробь".
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "russian"

# Called with `submission=` in the transaction that saves a pupil's homework
# (school never imports the apps that react): points for homework on time.
SCHOOL_HOMEWORK_SUBMITTED_HOOKS = ["gamification.wiring.homework_submitted"]

# --- Content Security Policy (Django 6 built-in); config.csp loosens it for the admin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF, OIDC_OP_ISSUER],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
CSP_ADMIN_PATHS = ("/cms/",)
WAGTAILADMIN_LOGIN_URL = "login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
