import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import caches

from core import limits_cache


@pytest.fixture(autouse=True)
def fresh_limits():
    """allauth's code limits, the used-code markers and the "MFA due" answers live in the shared cache: start empty."""
    caches["default"].clear()
    limits_cache.LOCAL.clear()


@pytest.fixture
def with_totp():
    """Give a user an authenticator app (and recovery codes, as enrolling does); returns the TOTP secret."""

    def give(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
        return secret

    return give


def recovery_codes(user) -> list[str]:
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(codes).get_unused_codes()
