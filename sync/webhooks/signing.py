"""Standard Webhooks signatures (https://www.standardwebhooks.com), and the deprecated scheme of our own.

A secret is "whsec_" + base64 of the key bytes. The signed content is "<webhook-id>.<webhook-timestamp>.<body>";
`webhook-signature` is "v1,<base64 HMAC-SHA256>", several of them space-separated while a rotated-out secret is
still in its grace period. The `standardwebhooks` library verifies it (docs/webhooks.md); `verify` here is the
same check, for our own tests.

Deprecated, kept for one release: X-JourneyPlanner-Signature, "sha256=" + hex HMAC-SHA256 over
"<timestamp>.<body>", keyed with the secret string the subscriber was given (not its decoded bytes).
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
KEY_BYTES = 32
LEGACY_SIGNATURE_PREFIX = "sha256="


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def secret_from_key(key: bytes) -> str:
    return SECRET_PREFIX + base64.b64encode(key).decode()


def key_of(secret: str) -> bytes:
    """The key bytes of a "whsec_<base64>" secret (padding optional, as the standardwebhooks library reads it)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error as error:
        raise ValueError("not a base64 webhook secret") from error


def signature(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """One "v1,<base64>" signature of a message."""
    content = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key_of(secret), content, hashlib.sha256).digest()).decode()


def signature_header(secrets_: list[str], msg_id: str, timestamp: str, body: bytes) -> str:
    """The webhook-signature header: one signature per secret (the current one first), space-separated."""
    return " ".join(signature(secret, msg_id, timestamp, body) for secret in secrets_)


def verify(secret: str, body: bytes, headers, tolerance: int = 300) -> bool:
    """True if one of the webhook-signature entries signs (webhook-id, webhook-timestamp, body) with this secret
    and the timestamp is at most `tolerance` seconds away from now."""
    headers = {name.lower(): value for name, value in headers.items()}
    msg_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, msg_id, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in headers.get("webhook-signature", "").split())


def legacy_signature(secret_string: str, timestamp: str, body: bytes) -> str:
    """Deprecated X-JourneyPlanner-Signature (removed in the next release)."""
    digest = hmac.new(secret_string.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return LEGACY_SIGNATURE_PREFIX + digest
