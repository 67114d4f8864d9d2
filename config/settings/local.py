"""Local development: `make run` on a bare machine (SQLite, in-process tasks unless REDIS_URL is set)."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
