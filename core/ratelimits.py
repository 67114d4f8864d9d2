"""Abuse limits for the ways in that are not a password check: password-reset requests, invitation links (and,
later, one-time codes). Password sign-ins are django-axes' job (AXES_* settings): it counts failed
authentications, and a reset request or a guessed invitation token is not one.

Counts are django-ratelimit's fixed windows in the default cache (Redis when REDIS_URL is set, so every process
shares them); while that cache is unreachable the limits are lifted (logged), never a 500.
A limit is named by its scope and what it counts per, e.g. ("password_reset", "email"); its rate
(`"<n>/<s|m|h|d>"`, empty for none) is read from settings.ABUSE_RATES at each call, so tests and deployments can
change it. A new flow (MFA codes: per user and per address) adds its rates to ABUSE_RATES and calls `attempt()`.
"""

import logging

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from core.client_address import client_address

logger = logging.getLogger(__name__)


def _rate(scope: str, per: str) -> str | None:
    return settings.ABUSE_RATES.get(scope, {}).get(per) or None


def _over(request, scope: str, keys: dict[str, str], *, count: bool) -> bool:
    keys = {"address": client_address(request), **keys}
    over = False
    for per, value in keys.items():
        rate = _rate(scope, per)
        if rate is None or not value:
            continue
        # Every key is counted, even once one is over, so an attacker cannot spare one counter by tripping another.
        try:
            over |= is_ratelimited(request, group=f"{scope}:{per}", key=lambda _group, _request, v=value: v,
                                   rate=rate, method=ALL, increment=count)
        except Exception as error:  # noqa: BLE001  (the cache is down: let the request through, never a 500)
            logger.warning("Abuse limit %s:%s not counted, the cache is unreachable (%s)", scope, per, error)
    return over


def attempt(request, scope: str, **keys: str) -> bool:
    """Count one attempt of `scope` from this client's address and per each given key (`email=...`, `user=...`);
    True when any of them is now over its rate."""
    return _over(request, scope, keys, count=True)


def blocked(request, scope: str, **keys: str) -> bool:
    """True when this client (or a given key) is already over a rate of `scope`, without counting an attempt."""
    return _over(request, scope, keys, count=False)
