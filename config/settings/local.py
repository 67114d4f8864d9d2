"""Local development: `make run` on a bare machine (SQLite, in-process tasks unless REDIS_URL is set)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
