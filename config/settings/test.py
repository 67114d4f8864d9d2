"""Test settings: SQLite unless DATABASE_URL is set; tasks run in-process unless a test starts a worker."""

import os
from urllib.parse import urlsplit

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Exports run right after the commit, in the test's thread, so a test sees the finished row; the tests of the
# background path (tests/roadmaps/test_export_progress.py) turn the thread on.
PLAN_EXPORTS_IN_THREAD = False
# Webhook retries wait for the sweep, which the tests run themselves (no timer threads).
WEBHOOKS_SWEEP_IN_THREAD = False
LANGUAGE_CODE = "en"
# Rates high enough never to trip in the suite (the counters outlive a test); throttling tests set their own.
API_THROTTLE_ANON = API_THROTTLE_USER = API_THROTTLE_TOKEN = "100000/min"
# Live events stay in the test process (consumer tests use WebsocketCommunicator); the browser test's daphne
# subprocess keeps its own in-memory layer too, so a shared Redis never mixes two runs' plan groups.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Parallel runs (pytest-xdist, `make test`): each worker gets its own test database (pytest-django adds the _gwN
# suffix) and its own Redis database for the cache, so one worker's throttle counters or cache.clear() never reach
# another. The broker stays on REDIS_URL: every worker test consumes a queue of its own.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and REDIS_URL:  # noqa: F405
    _CACHE_DB = 10 + int(_XDIST_WORKER.removeprefix("gw"))
    CACHES["default"]["LOCATION"] = urlsplit(REDIS_URL)._replace(path=f"/{_CACHE_DB}").geturl()  # noqa: F405

# WebAuthn over http://localhost (the browser tests): allauth.mfa then accepts the insecure origin.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# The export memory budget reads the process's resident size: a test worker's own (thousands of tests, scikit-learn's
# numpy) is not an export's, so the suite has none; the tests of the budget set their own.
EXPORT_MEMORY_BUDGET_MIB = None
