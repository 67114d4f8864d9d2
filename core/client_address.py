"""The client's address, the same one the API throttles count (sync.api.throttling): REMOTE_ADDR, or the address
NUM_PROXIES hops from the right of X-Forwarded-For when that many proxies append to it. Never the header alone:
anybody can send one. Used by the sign-in lockout (AXES_CLIENT_IP_CALLABLE), the abuse limits (core.ratelimits) and
the organisation's admin log."""

from rest_framework.throttling import BaseThrottle

_ident = BaseThrottle()


def client_address(request) -> str:
    """DRF's own reading of NUM_PROXIES (`BaseThrottle.get_ident`), so pages and the API agree on who is asking."""
    return _ident.get_ident(request) or ""
