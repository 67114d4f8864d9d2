"""Forms of the mention list (its filters) and of the mention edit page (the corrections a person makes)."""

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from assessments.models import Sentiment, Theme
from core.editing import keep_typed
from listening.forms import DATE_FORMATS
from listening.models import Competitor
from planning.models import Channel, Persona, Touchpoint

TAGS_MAX = 20


class MentionFilterForm(forms.Form):
    """Which mentions the list shows: a period, a channel, a theme (a macro theme takes its micro themes), a
    sentiment, a competitor (or our brand alone) and words of the text or the author."""

    OUR_BRAND = "none"

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words of the text or the "
                                                                                         "author")}))
    start = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ModelChoiceField(label=_("Channel"), required=False, queryset=Channel.objects.none(),
                                     empty_label=_("All channels"))
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=Theme.objects.none(),
                                   empty_label=_("All themes"))
    sentiment = forms.ChoiceField(label=_("Sentiment"), required=False,
                                  choices=[("", _("Any sentiment")), *Sentiment.choices])
    competitor = forms.ChoiceField(label=_("Competitor"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(organisation_id=plan.organisation_id)
        self.fields["theme"].queryset = Theme.objects.filter(organisation_id=plan.organisation_id).select_related(
            "parent").order_by("parent__name", "name")
        self.competitors = list(Competitor.objects.filter(plan=plan))
        self.fields["competitor"].choices = [("", _("Any brand")), (self.OUR_BRAND, _("Our brand (no competitor)")),
                                             *((str(c.pk), c.name) for c in self.competitors)]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period starts after it ends."))
        return data

    def filters(self) -> dict:
        """The valid filters, for listening.selectors.mention_search (an invalid form filters nothing)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        competitor = data.get("competitor") or ""
        return {"q": (data.get("q") or "").strip(), "start": data.get("start"), "end": data.get("end"),
                "channel_id": getattr(data.get("channel"), "pk", None),
                "theme_id": getattr(data.get("theme"), "pk", None), "sentiment": data.get("sentiment") or "",
                "competitor": competitor}


class MentionForm(forms.Form):
    """What a person corrects or adds on a mention; the text and what the listening tool said stay as imported."""

    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=[("", _("As computed")), *Sentiment.choices],
        help_text=_("Your choice wins over the computed sentiment; “As computed” gives it back."))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("A theme you tick is kept when the rules run again; one you untick is removed."))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=1000,
                           help_text=_("Separated by commas; a new name becomes one of the organisation's tags."))
    competitor = forms.ModelChoiceField(label=_("Competitor"), required=False, queryset=Competitor.objects.none(),
                                        empty_label=_("None: about our brand"))
    touchpoint = forms.ModelChoiceField(label=_("Touchpoint"), required=False, queryset=Touchpoint.objects.none(),
                                        empty_label=_("None"))
    persona = forms.ModelChoiceField(label=_("Persona"), required=False, queryset=Persona.objects.none(),
                                     empty_label=_("None"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = ("sentiment", "themes", "tags", "competitor", "touchpoint", "persona")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Each macro theme, then its micro themes.
        self.fields["themes"].queryset = Theme.objects.filter(organisation_id=plan.organisation_id).select_related(
            "parent").order_by(Coalesce("parent__name", "name"), F("parent_id").asc(nulls_first=True), "name")
        self.fields["competitor"].queryset = Competitor.objects.filter(plan=plan)
        self.fields["touchpoint"].queryset = (Touchpoint.objects.filter(plan=plan).select_related("journey")
                                              .order_by("journey__name", "name", "id"))
        self.fields["touchpoint"].label_from_instance = lambda tp: f"{tp.journey.name} › {tp.name}"
        self.fields["persona"].queryset = Persona.objects.filter(plan=plan).order_by("name", "id")

    @classmethod
    def initial_for(cls, mention) -> dict:
        return {"sentiment": mention.sentiment if mention.sentiment_corrected else "",
                "themes": [assigned.theme_id for assigned in mention.themes.all()],
                "tags": ", ".join(assigned.tag.name for assigned in mention.tags.all()),
                "competitor": mention.competitor_id, "touchpoint": mention.touchpoint_id,
                "persona": mention.persona_id, "version": mention.version}

    def clean_tags(self) -> list[str]:
        names = []
        for name in (self.cleaned_data.get("tags") or "").split(","):
            name = " ".join(name.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if len(names) > TAGS_MAX:
            raise forms.ValidationError(_("At most %(n)s tags.") % {"n": TAGS_MAX})
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("A tag has at most 60 characters."))
        return names

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def stale(self, current, message) -> list:
        """Their saved values where they differ from what was typed; the form keeps what was typed."""
        saved = self.initial_for(current)
        typed = self.cleaned_data
        shown = {
            "sentiment": current.get_sentiment_display() if current.sentiment_corrected else _("As computed"),
            "themes": ", ".join(str(a.theme) for a in current.themes.all()),
            "tags": saved["tags"], "competitor": current.competitor, "touchpoint": current.touchpoint,
            "persona": current.persona,
        }
        differs = {
            "sentiment": saved["sentiment"] != (typed.get("sentiment") or ""),
            "themes": set(saved["themes"]) != {t.pk for t in typed.get("themes") or []},
            "tags": sorted(saved["tags"].split(", ") if saved["tags"] else []) != sorted(typed.get("tags") or []),
            **{name: saved[name] != getattr(typed.get(name), "pk", None)
               for name in ("competitor", "touchpoint", "persona")},
        }
        keep_typed(self, current, message)
        return [(self[name], shown[name]) for name in self.FIELDS if differs[name]]
