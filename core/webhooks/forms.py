from django import forms
from django.utils.translation import gettext_lazy as _

from .events import OTHER_EVENTS, event_groups


def _choices():
    return [(group, [(name, OTHER_EVENTS.get(name, name)) for name in names]) for group, names in event_groups()]


class WebhookForm(forms.Form):
    """Subscribe a URL to events (and, when editing, switch the webhook on or off)."""

    url = forms.URLField(label=_("Payload URL"), max_length=500, assume_scheme="https",
                         help_text=_("A public https:// address of the receiving system; it gets a signed POST."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=_choices, widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Switched off, it receives nothing and pending deliveries stop."))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
