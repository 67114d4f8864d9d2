"""Forms of the organisation pages: the organisation, invitations, teams and roles."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from tenancy.models import AdminAction, Department, Role

User = get_user_model()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


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


class InvitationSignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name")


class AdminLogFilterForm(forms.Form):
    """The admin log's filters (GET): an action, a person, a date range."""

    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *AdminAction.choices])
    actor = forms.ModelChoiceField(label=_("Person"), required=False, queryset=None, empty_label=_("Everyone"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(memberships__organisation=organisation).order_by("username")

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
