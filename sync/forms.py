from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sync.models import ApiTokenScope

EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    ("never", _("Never")),
]


class ApiTokenForm(forms.Form):
    """A new API token: its name, what it may do and when it stops working."""

    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What uses it, for example “CRM sync” or “BI nightly export”."))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiTokenScope.choices, initial=ApiTokenScope.READ_ONLY,
                              widget=forms.RadioSelect,
                              help_text=_("Either way it can never do more than you can."))
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def expires_at(self):
        days = self.cleaned_data["expires"]
        return None if days == "never" else timezone.now() + timedelta(days=int(days))
