"""The embedded demo: `make run` on a fresh machine, nothing else needed."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
DEMO_SEED_ALLOWED = DEBUG
