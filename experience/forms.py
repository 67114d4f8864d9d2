"""Forms of the experience lanes: add and edit a lane, a lane card, an emotion score, a pain point, an opportunity."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import FeedbackResponse
from experience.models import TEXT_KINDS, Emotion, Lane, LaneCard, LaneKind, Opportunity, PainPoint
from planning.forms_catalogue import VersionedForm
from planning.models import Touchpoint

VERBATIMS_SHOWN = 100  # the newest verbatims of the journey offered in the list (plus those already linked)


class LaneAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Lane"), choices=LaneKind.choices, initial=LaneKind.THOUGHTS)
    title = forms.CharField(label=_("Title (optional)"), max_length=120, required=False)


class LaneForm(VersionedForm):
    class Meta:
        model = Lane
        fields = ("kind", "title", "hidden")
        help_texts = {"hidden": _("A hidden lane keeps its cards; it is listed under the map to show it again.")}

    def __init__(self, *args, lane: Lane, **kwargs):
        super().__init__(*args, **kwargs)
        if lane.is_text:
            self.fields["kind"].choices = [(k, label) for k, label in LaneKind.choices if k in TEXT_KINDS]
        else:
            del self.fields["kind"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class LaneCardForm(VersionedForm):
    class Meta:
        model = LaneCard
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}


class EmotionForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Emotion"), coerce=int, empty_value=None, required=False,
                                   choices=[("", _("No score"))] + [(v, f"{v:+d} · {label}" if v else f"0 · {label}")
                                                                    for v, label in reversed(Emotion.choices)],
                                   widget=forms.RadioSelect)
    note = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _JourneyObjectForm(VersionedForm):
    """A pain point or opportunity form whose choices are the journey's stages, touchpoints (and verbatims)."""

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = journey.stages.order_by("position", "id")
        self.fields["touchpoints"].queryset = (Touchpoint.objects.filter(journey=journey)
                                               .select_related("stage", "channel")
                                               .order_by("stage__position", "channel_id", "position", "id"))
        self.fields["touchpoints"].label_from_instance = lambda tp: f"{tp.stage.name} · {tp.channel.name} · {tp.name}"


class PainPointForm(_JourneyObjectForm):
    class Meta:
        model = PainPoint
        fields = ("title", "stage", "touchpoints", "severity", "evidence", "description", "verbatims")
        widgets = {"touchpoints": forms.CheckboxSelectMultiple, "verbatims": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"verbatims": _("What customers said that shows this pain (the newest %d of the journey).")
                      % VERBATIMS_SHOWN}

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, journey=journey, **kwargs)
        field = self.fields["verbatims"]
        verbatims = FeedbackResponse.objects.filter(touchpoint__journey=journey).exclude(verbatim="")
        field.queryset = verbatims
        linked = set(self.initial.get("verbatims") or [])
        shown = list(verbatims.select_related("touchpoint").order_by("-responded_on", "-id")[:VERBATIMS_SHOWN])
        shown += [v for v in verbatims.filter(pk__in=linked).select_related("touchpoint")
                  if v.pk not in {s.pk for s in shown}]
        field.widget.choices = [(v.pk, f"“{v.verbatim[:140]}” · {v.touchpoint.name} · {v.responded_on}")
                                for v in shown]


class OpportunityForm(_JourneyObjectForm):
    class Meta:
        model = Opportunity
        fields = ("title", "stage", "touchpoints", "pain_points", "expected_value", "evidence", "description")
        widgets = {"touchpoints": forms.CheckboxSelectMultiple, "pain_points": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, journey, **kwargs):
        super().__init__(*args, journey=journey, **kwargs)
        self.fields["pain_points"].queryset = PainPoint.objects.filter(journey=journey).select_related("stage")
        self.fields["pain_points"].label_from_instance = lambda pain: f"{pain.stage.name} · {pain.title}"
