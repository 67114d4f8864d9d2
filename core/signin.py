"""Checks that may refuse a password sign-in whose password was right (the apps above register them).

The sign-in form (identity.forms.LoginForm) and the token endpoint (sync.api.auth_token) ask each registered
check, after the password was verified, whether this account may sign in with a password; a check answers None
(yes) or the message to show. The sso app registers "this address belongs to an organisation that requires single
sign-on" in its AppConfig.ready(). Asking only after the
password was verified tells nothing about accounts to someone who does not know the password.
"""

from collections.abc import Callable

_password_checks: list[Callable] = []


def register_password_check(check: Callable) -> Callable:
    """`check(user) -> str | None`: None lets the password sign-in through, a message refuses it."""
    if check not in _password_checks:
        _password_checks.append(check)
    return check


def password_sign_in_refusal(user) -> str | None:
    """The first registered check's refusal message for this user's password sign-in, or None."""
    for check in _password_checks:
        message = check(user)
        if message:
            return message
    return None
