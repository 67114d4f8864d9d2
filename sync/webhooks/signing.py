"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret.

docs/webhooks.md shows the same check for receivers; `verify` here is that snippet, used by the tests.
"""

import hashlib
import hmac
import secrets
import time

SIGNATURE_PREFIX = "sha256="


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(secret: str, body: bytes, timestamp: str, signature_header: str, tolerance: int = 300) -> bool:
    """True if the headers sign this body with this secret and the timestamp is at most `tolerance` s old."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), signature_header)
