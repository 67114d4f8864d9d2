"""Forms of the plan pages: the plan and who may reach it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tenancy.access import Access
from tenancy.models import Plan

User = get_user_model()


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = ("name", "description", "period_start", "period_end", "status")
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its start."))
        return data


ACCESS_CHOICES = [(Access.VIEW.value, _("Can view")), (Access.COMMENT.value, _("Can comment")),
                  (Access.EDIT.value, _("Can edit")),
                  (Access.MANAGE.value, _("Can manage"))]


class PlanShareForm(forms.Form):
    """Grant a person or a team a level on a plan: the select values are 'user:<id>' or 'team:<id>'."""

    principal = forms.ChoiceField(label=_("Person or team"))
    access = forms.TypedChoiceField(label=_("Access"), choices=ACCESS_CHOICES, coerce=int, initial=Access.EDIT)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__organisation=organisation).order_by("username")
        self.people = {str(u.pk): u for u in members}
        self.teams = {str(t.pk): t for t in organisation.teams.all()}
        self.fields["principal"].choices = [
            (_("Teams"), [(f"team:{pk}", str(t)) for pk, t in self.teams.items()]),
            (_("People"), [(f"user:{pk}", f"{u} ({u.username})") for pk, u in self.people.items()]),
        ]

    def principal_object(self):
        kind, pk = self.cleaned_data["principal"].split(":", 1)
        return ("team", self.teams[pk]) if kind == "team" else ("user", self.people[pk])


