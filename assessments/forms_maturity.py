"""Forms of the digital-maturity pages: a new dated assessment, a participant's vote, the agreed position."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.charts import CHANNEL_SHORT, ENGAGEMENT_SHORT, ROMAN
from assessments.models import CHANNEL_AXIS, ENGAGEMENT_AXIS, MaturityAssessment
from planning.forms_catalogue import VersionedForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _described(axis) -> list[tuple[int, str]]:
    # format_lazy keeps the labels lazy, so they are translated per request, not once at import.
    return [(level, format_lazy("{} · {}", ROMAN[level], text)) for level, text in axis.items()]


def _short(axis) -> list[tuple[object, str]]:
    return [("", "—"), *_described(axis)]


class MaturityAssessmentCreateForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of the workshop"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class MaturityVoteForm(forms.Form):
    """Where one participant places the organisation, each axis on its own."""

    channel_level = forms.TypedChoiceField(label=_("Channels"), coerce=int, choices=_described(CHANNEL_AXIS),
                                           widget=forms.RadioSelect)
    engagement_level = forms.TypedChoiceField(label=_("Engagement"), coerce=int, choices=_described(ENGAGEMENT_AXIS),
                                              widget=forms.RadioSelect)


class MaturityPositionForm(VersionedForm):
    """What the workshop agreed: the position now and the target, both optional until decided."""

    class Meta:
        model = MaturityAssessment
        fields = ("assessed_on", "channel_level", "engagement_level", "target_channel_level",
                  "target_engagement_level", "notes")
        widgets = {"assessed_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": _("Why the workshop placed the organisation there; what would move it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("channel_level", "target_channel_level"):
            self.fields[name].choices = _short(CHANNEL_SHORT)
        for name in ("engagement_level", "target_engagement_level"):
            self.fields[name].choices = _short(ENGAGEMENT_SHORT)
