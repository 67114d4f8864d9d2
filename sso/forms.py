"""The SSO configuration form (owners and admins) and the "sign in with your company account" form."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sso.models import JIT_ROLES
from sso.services import mask_secret


def parse_group_mappings(text: str, teams) -> list[dict]:
    """One mapping a line: `group = role`, `group = Team name` or `group = role, Team name` (role: admin, editor or
    viewer, in English or in the page's language)."""
    roles = {}
    for role in JIT_ROLES:
        roles[role.value] = roles[str(role.label).lower()] = role.value
    teams = {team.name.lower(): team for team in teams}
    mappings, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        group, equals, rest = line.rpartition("=")
        if not equals or not group.strip() or not rest.strip():
            problems.append(_("Line %(number)d: write “group = role” or “group = role, team”.") % {"number": number})
            continue
        mapping = {"group": group.strip(), "role": "", "team": None}
        for item in (part.strip() for part in rest.split(",")):
            if not item:
                continue
            if item.lower() in roles and not mapping["role"]:
                mapping["role"] = roles[item.lower()]
            elif item.lower() in teams and mapping["team"] is None:
                mapping["team"] = teams[item.lower()]
            else:
                problems.append(_("Line %(number)d: “%(item)s” is neither a role (admin, editor, viewer) nor a team "
                                  "of the organisation, or is one too many.") % {"number": number, "item": item})
        mappings.append(mapping)
    if problems:
        raise forms.ValidationError(problems)
    return mappings


def mappings_as_text(configuration) -> str:
    lines = []
    for mapping in configuration.group_mappings.all():
        items = [item for item in (mapping.role, mapping.team.name if mapping.team else "") if item]
        lines.append(f"{mapping.group} = {', '.join(items)}")
    return "\n".join(lines)


class SsoConfigurationForm(forms.Form):
    issuer = forms.URLField(label=_("Issuer URL"), max_length=500, assume_scheme="https", help_text=_(
        "The provider's issuer, where /.well-known/openid-configuration is found."))
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    client_secret = forms.CharField(label=_("Client secret"), max_length=191, required=False,
                                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))
    domains = forms.CharField(label=_("E-mail domains your organisation owns"), max_length=2000, help_text=_(
        "Separated by spaces, commas or new lines, for instance: example.com example.fr"),
        widget=forms.Textarea(attrs={"rows": 2}))
    default_role = forms.ChoiceField(label=_("Role of a new member"), choices=[(r.value, r.label) for r in JIT_ROLES],
                                     help_text=_("Who signs in for the first time joins with this role, unless a "
                                                 "group below gives another."))
    groups_claim = forms.CharField(label=_("Groups claim"), max_length=100, required=False,
                                   help_text=_('The claim that lists a person\'s groups, often "groups".'))
    group_mappings = forms.CharField(label=_("Groups to roles and teams"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}), help_text=_(
        "One line per group: “group = role”, “group = team” or “group = role, team”. The highest mapped role "
        "wins; an owner keeps their role."))
    extra_scopes = forms.CharField(label=_("Extra scopes"), max_length=200, required=False, help_text=_(
        'Asked for besides "openid profile email", for instance "groups" on Okta.'))
    sso_required = forms.BooleanField(label=_("SSO required"), required=False, help_text=_(
        "People of these domains can no longer sign in with a password; the organisation's owners still can."))

    def __init__(self, *args, organisation, configuration=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.configuration = organisation, configuration
        if configuration is None:
            self.fields["client_secret"].required = True
        else:
            self.fields["client_secret"].help_text = _(
                "Stored (%(masked)s). Leave blank to keep it; type a new one to replace it.") % {
                "masked": mask_secret(configuration.social_app.secret)}

    def clean_domains(self):
        return [domain for domain in re.split(r"[\s,;]+", self.cleaned_data["domains"]) if domain]

    def clean_group_mappings(self):
        return parse_group_mappings(self.cleaned_data["group_mappings"], self.organisation.teams.all())

    @classmethod
    def initial_for(cls, configuration) -> dict:
        if configuration is None:
            return {"groups_claim": "groups"}
        return {"issuer": configuration.issuer, "client_id": configuration.client_id,
                "domains": " ".join(domain.domain for domain in configuration.domains.all()),
                "default_role": configuration.default_role, "groups_claim": configuration.groups_claim,
                "group_mappings": mappings_as_text(configuration), "extra_scopes": configuration.extra_scopes,
                "sso_required": configuration.sso_required}


class SsoSignInForm(forms.Form):
    email = forms.EmailField(label=_("Your work e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
