"""The audit item form: a title, one text box per guiding question of its audit and step, linked touchpoints."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import QUESTIONS
from core.editing import keep_typed

ANSWER_PREFIX = "answer_"


def touchpoint_choices(touchpoints) -> list:
    """The plan's touchpoints grouped by journey, as (journey name, [(id, "name · stage · channel"), ...])."""
    groups: dict[str, list] = {}
    for touchpoint in touchpoints:
        label = f"{touchpoint.name} · {touchpoint.stage.name} · {touchpoint.channel.name}"
        groups.setdefault(touchpoint.journey.name, []).append((touchpoint.pk, label))
    return list(groups.items())


class AuditItemForm(forms.Form):
    """Bound without the item (its values come in as `initial`), so a stale save can show both versions."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    touchpoints = forms.TypedMultipleChoiceField(
        label=_("Touchpoints"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Where this data or content is used, or would be."))

    def __init__(self, *args, kind, step, touchpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = QUESTIONS[(kind, step)]
        self._touchpoints = {t.pk: t for t in touchpoints}
        for code, question in self.questions:
            self.fields[ANSWER_PREFIX + code] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 2}))
        # Questions between the title and the touchpoints, in the order of the domain brief.
        self.order_fields(["title", *(ANSWER_PREFIX + code for code, _q in self.questions), "touchpoints"])
        self.fields["touchpoints"].choices = touchpoint_choices(touchpoints)

    @classmethod
    def initial_for(cls, item) -> dict:
        initial = {"version": item.version, "title": item.title,
                   "touchpoints": [t.pk for t in item.touchpoints.all()]}
        initial.update({ANSWER_PREFIX + code: text for code, text in (item.answers or {}).items()})
        return initial

    def answers(self) -> dict:
        return {code: self.cleaned_data[ANSWER_PREFIX + code].strip() for code, _q in self.questions
                if self.cleaned_data.get(ANSWER_PREFIX + code, "").strip()}

    def changes(self) -> dict:
        return {"title": self.cleaned_data["title"].strip(), "answers": self.answers(),
                "touchpoints": [self._touchpoints[pk] for pk in self.cleaned_data["touchpoints"]]}

    def stale(self, current, message) -> list:
        """After StaleVersion: keep what was typed, base the next save on their version, and list their saved
        values where they differ from ours, as (bound field, their value) for partials/conflict.html."""
        theirs = []
        if current.title != self.cleaned_data["title"].strip():
            theirs.append((self["title"], current.title))
        saved, typed = current.answers or {}, self.answers()
        for code, _q in self.questions:
            if saved.get(code, "") != typed.get(code, ""):
                theirs.append((self[ANSWER_PREFIX + code], saved.get(code, "")))
        their_touchpoints = list(current.touchpoints.all())
        if sorted(t.pk for t in their_touchpoints) != sorted(self.cleaned_data["touchpoints"]):
            theirs.append((self["touchpoints"], ", ".join(t.name for t in their_touchpoints)))
        keep_typed(self, current, message)
        return theirs
