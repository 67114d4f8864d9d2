"""django-axes and allauth's sign-in form: which account a sign-in attempt names (AXES_USERNAME_CALLABLE), and what
a locked-out person is told (the sign-in page, the API token endpoint)."""

from django.conf import settings
from django.utils.translation import ngettext


def attempted_username(request, credentials) -> str:
    """allauth's authenticate() call and the API token view pass `username`; allauth's form posts `login`."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) or {}
    return credentials.get("username") or credentials.get("login") or data.get("login") or data.get("username") or ""


def lockout_message() -> str:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed sign-in attempts for this account or from your network. Wait %(minutes)d minute, then "
        "try again, or reset your password.",
        "Too many failed sign-in attempts for this account or from your network. Wait %(minutes)d minutes, then "
        "try again, or reset your password.", minutes) % {"minutes": minutes}
