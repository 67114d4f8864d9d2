"""Production: every secret comes from the environment; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, env

DEBUG = False
# Without Redis, tasks run inside the web process, rates are counted per process and live workshops reach only the
# same process: refuse to start unless that is accepted on purpose (`check --deploy` then warns: core.W001).
ALLOW_IN_PROCESS_TASKS = env.bool("ALLOW_IN_PROCESS_TASKS", default=False)
if not REDIS_URL and not ALLOW_IN_PROCESS_TASKS:
    raise ImproperlyConfigured(
        "REDIS_URL is required in production (Celery broker, cache, live workshops). Set it, or set "
        "ALLOW_IN_PROCESS_TASKS=true to run tasks inside the web process on purpose.")
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
