"""Request rates: per API token, per user (whatever the authentication) and per client address for anonymous calls.

Rates come from settings read at each request (API_THROTTLE_ANON / _USER / _TOKEN, "<n>/<second|minute|hour|day>",
empty to switch one off), so tests and deployments can change them. Counters live in the default cache: with
REDIS_URL they are shared by every process, without it each process counts for itself.

The client address is REMOTE_ADDR unless NUM_PROXIES (DRF's setting) says how many proxies in front of the
server append to X-Forwarded-For; then the address that many hops from the right is used. Never trust the
header without that setting: anybody can send one.
"""

from django.conf import settings
from rest_framework import throttling

from sync.api.permissions import request_token


class SettingsRateMixin:
    """Reads the rate from `settings.API_THROTTLE_<SCOPE>` at request time."""

    def get_rate(self):
        return getattr(settings, f"API_THROTTLE_{self.scope.upper()}", None) or None


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
