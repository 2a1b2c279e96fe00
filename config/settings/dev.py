"""The embedded demo: `make run` on a fresh machine, nothing else needed."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
DEMO_SEED_ALLOWED = DEBUG

# A mistyped address shows the site's 404 page, not Django's technical one; it
# sits inside the CSP middleware so the page gets the same policy.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("config.csp.PlatformCSPMiddleware") + 1,
    "school.not_found_page.SiteNotFoundPageMiddleware",
)
