from django import forms
from django.contrib.auth import get_user_model


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ("first_name", "last_name", "email", "preferred_language")


class ConfirmDeleteForm(forms.Form):
    """The delete confirmation: it carries the version the person looked at when they decided."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
