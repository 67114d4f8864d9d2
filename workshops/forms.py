"""Forms of the live workshop pages: comments, voting sessions and the timer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import Journey
from workshops.models import VoteTarget
from workshops.models.comments import BODY_MAX_LENGTH
from workshops.models.voting import MAX_VOTES_PER_PARTICIPANT


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=BODY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write a comment; @username "
                                                                                    "notifies a member")}))


class VotingSessionForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200, required=False,
                               help_text=_("For example “Which touchpoints should we fix first?”"))
    target_kind = forms.ChoiceField(label=_("Vote on"), choices=VoteTarget.choices, initial=VoteTarget.TOUCHPOINT)
    journey = forms.ModelChoiceField(label=_("Journey"), queryset=Journey.objects.none(), required=False,
                                     empty_label=_("Every journey"),
                                     help_text=_("For touchpoints: participants vote on this journey's map."))
    votes_per_participant = forms.IntegerField(label=_("Dots per participant"), min_value=1,
                                               max_value=MAX_VOTES_PER_PARTICIPANT, initial=3)

    def __init__(self, *args, journeys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].queryset = journeys


class TimerForm(forms.Form):
    action = forms.ChoiceField(choices=[("start", _("Start")), ("pause", _("Pause")), ("reset", _("Reset"))])
    minutes = forms.FloatField(label=_("Minutes"), required=False, min_value=0.2, max_value=240)


class VoteForm(forms.Form):
    target = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("cast", "cast"), ("withdraw", "withdraw")], required=False)


class ExternalCommentForm(forms.Form):
    """A share link visitor's comment: what it is about (among what the link shows), their name, the text."""

    target = forms.ChoiceField(label=_("About"))
    name = forms.CharField(label=_("Your name"), max_length=80)
    body = forms.CharField(label=_("Comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"touchpoint": _("Touchpoints"), "persona": _("Personas"), "roadmap_item": _("Roadmap")}
        self.fields["target"].choices = [
            (labels.get(kind, kind), [(f"{kind}:{obj.pk}", _target_label(kind, obj)) for obj in objects])
            for kind, objects in targets.items() if objects]

    def chosen_target(self) -> tuple[str, str]:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        return kind, pk


def _target_label(kind: str, obj) -> str:
    if kind == "touchpoint":
        return f"{obj.name} · {obj.stage.name} · {obj.channel.name}"
    return str(obj)
