"""Test settings: SQLite unless DATABASE_URL is set; tasks run in-process unless a test starts a worker."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "en"
