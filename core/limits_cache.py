"""The cache the sign-in lockout counts in: the default cache (Redis when REDIS_URL is set), or this process's memory
while that cache cannot be reached, like the API throttles (sync.api.throttling). A Redis outage then neither opens
the door (the counts go on, per process) nor answers 500 on the sign-in page or `POST /api/v1/auth/token/`.

AXES_HANDLER names `AxesCacheHandler` below: django-axes' cache handler counting in `FallbackCache()`.
"""

import logging
import time

from axes.handlers.cache import AxesCacheHandler as _AxesCacheHandler
from axes.helpers import make_cache_key_list
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

LOCAL = LocMemCache("limits-fallback", {})
PAUSE_SECONDS = 5.0  # the shared cache is left alone this long after it failed, so requests do not wait on it
_failed_at = 0.0


class FallbackCache(BaseCache):
    """Delegates every call to the default cache; on an error, to LOCAL (see the module docstring)."""

    def __init__(self):
        super().__init__({})

    def _call(self, name, *args, **kwargs):
        global _failed_at
        if time.monotonic() - _failed_at >= PAUSE_SECONDS:
            try:
                return getattr(caches["default"], name)(*args, **kwargs)
            except Exception as error:  # noqa: BLE001  (whatever the backend raises: never fail the request)
                _failed_at = time.monotonic()
                logger.warning("Limits cache: the shared cache is unreachable (%s); counting in this process", error)
        return getattr(LOCAL, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def clear(self):
        return self._call("clear")


class AxesCacheHandler(_AxesCacheHandler):
    """django-axes' cache handler, counting in FallbackCache (see the module docstring).

    A successful sign-in clears its account's count, not its address's (axes' AXES_RESET_ON_SUCCESS clears both):
    otherwise signing in to one's own account now and then would let an address go on guessing others' passwords.
    """

    def __init__(self):
        self.cache = FallbackCache()

    def user_logged_in(self, sender, request, user, **kwargs):
        self.cache.delete(make_cache_key_list([{"username": user.get_username()}])[0])
