from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form (ACCOUNT_FORMS["login"]); the page links to the password reset itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class MfaPolicyForm(forms.Form):
    required = forms.BooleanField(
        label=_("Require two-factor authentication for every member"), required=False,
        help_text=_("Members without an authenticator app or security key are asked to add one before they reach "
                    "the organisation. API tokens are not affected."))
