from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .access import Access
from .models import Department, Plan, Role

User = get_user_model()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)
    teams = forms.ModelMultipleChoiceField(label=_("Teams"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = organisation.teams.all()


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    members = forms.ModelMultipleChoiceField(label=_("Members"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(memberships__organisation=organisation).order_by(
            "username"
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


ACCESS_CHOICES = [(Access.VIEW.value, _("Can view")), (Access.EDIT.value, _("Can edit")),
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


class InvitationSignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name")
