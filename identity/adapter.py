"""How allauth behaves here (ACCOUNT_ADAPTER): no self sign-up, passwords counted by django-axes."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made through invitations (tenancy), never by signing up; wrong passwords are counted and locked
    out by django-axes (config/settings/base.py, sign-in protection), so allauth's own count of them is skipped."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("Too many wrong codes. Wait a few minutes, then try again."),
    }

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        return None  # django-axes counts failed passwords (AXES_* settings), per account and per address
