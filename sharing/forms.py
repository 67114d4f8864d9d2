from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharing.models import ShareScope

EXPIRY_CHOICES = [("1", _("In a day")), ("7", _("In a week")), ("30", _("In 30 days")), ("90", _("In 90 days")),
                  ("365", _("In a year"))]


class ShareLinkForm(forms.Form):
    """A new share link: what it shows, until when, and whether it asks for a password or hides member names."""

    scope = forms.ChoiceField(label=_("What the link shows"), choices=ShareScope.choices, initial=ShareScope.PLAN,
                              widget=forms.RadioSelect)
    journey = forms.ModelChoiceField(label=_("Journey"), queryset=None, required=False,
                                     help_text=_("For a link to one journey."))
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="30")
    password = forms.CharField(label=_("Password (optional)"), required=False, max_length=128,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text=_("Visitors type it before they see anything. Send it separately."))
    hide_member_names = forms.BooleanField(label=_("Hide member names"), required=False,
                                           help_text=_("Roadmap owners are not shown."))
    allow_comments = forms.BooleanField(label=_("Allow comments"), required=False,
                                        help_text=_("Visitors give a name; an editor approves each comment before "
                                                    "anyone else sees it."))

    def __init__(self, *args, journeys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].queryset = journeys

    def clean(self):
        data = super().clean()
        if data.get("scope") == ShareScope.JOURNEY and not data.get("journey"):
            self.add_error("journey", _("Choose the journey the link shows."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"scope": data["scope"], "journey": data["journey"] if data["scope"] == ShareScope.JOURNEY else None,
                "expires_at": timezone.now() + timedelta(days=int(data["expires"])), "password": data["password"],
                "hide_member_names": data["hide_member_names"], "allow_comments": data["allow_comments"]}


class SharePasswordForm(forms.Form):
    password = forms.CharField(label=_("Password"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
