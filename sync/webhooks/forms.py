from django import forms
from django.utils.translation import gettext_lazy as _

from sync.webhooks.events import OTHER_EVENTS, event_groups

VERB_LABELS = {"created": _("created"), "updated": _("updated"), "deleted": _("deleted")}


def _choices():
    """One group a resource, each choice labelled by its verb (the page shows them as a grid); other events by
    their description."""
    return [(group, [(name, OTHER_EVENTS.get(name) or VERB_LABELS.get(name.rsplit(".", 1)[-1], name))
                     for name in names]) for group, names in event_groups()]


class WebhookForm(forms.Form):
    """Subscribe a URL to events (and, when editing, switch the webhook on or off)."""

    url = forms.URLField(label=_("Payload URL"), max_length=500, assume_scheme="https",
                         help_text=_("A public https:// address of the receiving system; it gets a signed POST."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=_choices, widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Switched off, it receives nothing and pending deliveries stop."))

    def event_rows(self) -> list[tuple[str, list[dict]]]:
        """The events as rows of checkboxes for the page: [(resource, [{value, label, checked, id}])]."""
        bound = self["event_types"]
        selected = {str(value) for value in bound.value() or ()}
        rows, position = [], 0
        for group, choices in self.fields["event_types"].choices:
            cells = []
            for value, label in choices:
                cells.append({"value": value, "label": label, "checked": value in selected,
                              "id": f"{bound.auto_id}_{position}"})
                position += 1
            rows.append((group, cells))
        return rows

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
