from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from core.signin import password_sign_in_refusal


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form (ACCOUNT_FORMS["login"]); the page links to the password reset itself. A right
    password is still refused when a registered check says so (core.signin: an organisation that requires single
    sign-on for the account's e-mail domain); the check runs only once the password was verified."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        refusal = password_sign_in_refusal(user) if user is not None else None
        if refusal:
            raise forms.ValidationError(refusal, code="password_sign_in_refused")
        return cleaned


class MfaPolicyForm(forms.Form):
    required = forms.BooleanField(
        label=_("Require two-factor authentication for every member"), required=False,
        help_text=_("Members without an authenticator app or security key are asked to add one before they reach "
                    "the organisation. API tokens are not affected."))
