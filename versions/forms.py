"""Forms of the versions page: freeze a version, pick two states to compare, duplicate a journey."""

from django import forms
from django.utils.translation import gettext_lazy as _

NOW = "now"


class FreezeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           widget=forms.TextInput(attrs={"placeholder": _("After workshop 2")}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompareForm(forms.Form):
    a = forms.ChoiceField(label=_("From"))
    b = forms.ChoiceField(label=_("To"))

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(v.pk), f"{v.name} · {v.created_at:%Y-%m-%d %H:%M}") for v in versions]
        self.fields["a"].choices = choices + [(NOW, _("Now"))]
        self.fields["b"].choices = [(NOW, _("Now"))] + choices


class JourneyDuplicateForm(forms.Form):
    journey = forms.ModelChoiceField(label=_("Journey"), queryset=None)
    target_plan = forms.ModelChoiceField(label=_("Into the plan"), queryset=None)
    name = forms.CharField(label=_("Name of the copy"), max_length=200, required=False,
                           help_text=_("Leave empty to keep the journey's name."))

    def __init__(self, *args, journeys, plans, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["journey"].queryset = journeys
        self.fields["target_plan"].queryset = plans
        self.fields["target_plan"].initial = plan.pk


class PlanDuplicateForm(forms.Form):
    name = forms.CharField(label=_("Name of the new plan"), max_length=200, required=False)
