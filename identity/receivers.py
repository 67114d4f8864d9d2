"""allauth.mfa's signals (connected in IdentityConfig.ready): second factors added or removed go to the admin log."""

from allauth.mfa.models import Authenticator

from identity import selectors, services

_LOGGED = {Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN}  # recovery codes come and go with them


def authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in _LOGGED:
        services.mfa_change_record(user=user, kind=authenticator.type, enabled=True)


def authenticator_removed(sender, request, user, authenticator, **kwargs):
    if authenticator.type in _LOGGED:
        services.mfa_change_record(user=user, kind=authenticator.type, enabled=False)


def user_logged_in(sender, request, user, **kwargs):
    """Work out whether a second factor is due now, so the pages that follow find the answer in the cache."""
    selectors.mfa_due(user)
