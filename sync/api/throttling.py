"""Request rates: per API token, per user (whatever the authentication) and per client address for anonymous calls.

Rates come from settings read at each request (API_THROTTLE_ANON / _USER / _TOKEN, "<n>/<second|minute|hour|day>",
empty to switch one off), so tests and deployments can change them. Counters live in the default cache: with
REDIS_URL they are shared by every process, without it each process counts for itself.

The client address is REMOTE_ADDR unless NUM_PROXIES (DRF's setting) says how many proxies in front of the
server append to X-Forwarded-For; then the address that many hops from the right is used. Never trust the
header without that setting: anybody can send one.

When the shared cache (Redis) cannot be reached, a throttle does not fail the request: it logs a warning and counts
in this process's own memory until the cache answers again (a local limiter: per process, but still a limit).
"""

import logging
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework import throttling

from sync.api.permissions import request_token

logger = logging.getLogger(__name__)

LOCAL_COUNTERS = LocMemCache("api-throttles-fallback", {})
SHARED_CACHE_PAUSE = 5.0  # seconds the shared cache is left alone after it failed, so requests do not wait on it
_shared_cache_failed_at = 0.0


class SettingsRateMixin:
    """Reads the rate from `settings.API_THROTTLE_<SCOPE>` at request time; falls back to local counters when the
    shared cache fails (see the module docstring)."""

    def get_rate(self):
        return getattr(settings, f"API_THROTTLE_{self.scope.upper()}", None) or None

    def allow_request(self, request, view):
        global _shared_cache_failed_at
        if time.monotonic() - _shared_cache_failed_at < SHARED_CACHE_PAUSE:
            self.cache = LOCAL_COUNTERS
            return super().allow_request(request, view)
        try:
            return super().allow_request(request, view)
        except Exception as error:  # noqa: BLE001  (whatever the cache backend raises: never fail the request)
            _shared_cache_failed_at = time.monotonic()
            logger.warning("API throttle %s: the cache is unreachable (%s); counting in this process meanwhile",
                           self.scope, error)
            self.cache = LOCAL_COUNTERS
            return super().allow_request(request, view)


class AnonRateThrottle(SettingsRateMixin, throttling.AnonRateThrottle):
    """Anonymous requests, per client address."""

    scope = "anon"


class UserRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Every authenticated request of a person (session, script token or any of their API tokens)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ApiTokenRateThrottle(SettingsRateMixin, throttling.SimpleRateThrottle):
    """Requests made with one API token, so one busy integration cannot use up its creator's whole rate."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = request_token(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
