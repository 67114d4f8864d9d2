from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm

from core.signin import password_sign_in_refusal


class SignInForm(AuthenticationForm):
    """Django's sign-in form; a right password is still refused when a registered check says so (core.signin:
    an organisation that requires single sign-on for the account's e-mail domain)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        refusal = password_sign_in_refusal(user)
        if refusal:
            raise forms.ValidationError(refusal, code="password_sign_in_refused")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("first_name", "last_name", "email", "preferred_language")


class ConfirmDeleteForm(forms.Form):
    """The delete confirmation: it carries the version the person looked at when they decided."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
