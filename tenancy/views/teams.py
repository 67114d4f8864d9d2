from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.editing import EditPages, their_fields
from tenancy import selectors, services
from tenancy.access import organisation_for
from tenancy.forms import TeamForm


@login_required
def teams(request, pk):
    organisation, membership = organisation_for(request.user, pk)
    return render(request, "tenancy/teams.html", {
        "organisation": organisation, "membership": membership,
        "teams": selectors.team_list(user=request.user, organisation=organisation),
    })


class TeamPages(EditPages):
    """Create and edit a team (organisation managers only); a stale save shows their values beside yours."""

    name, form_class, template_name = "team", TeamForm, "tenancy/team_form.html"
    writes = (services.team_create, services.team_update, services.team_delete)
    texts = {
        "created": gettext_lazy("Team “%s” created."), "saved": gettext_lazy("Team saved."),
        "conflict": gettext_lazy("Someone else saved this team meanwhile (now called “%s”). "
                      "Your changes are still in the form: check them and save again."),
    }

    def load(self, pk, team_pk=None):
        self.organisation, self.membership = organisation_for(self.request.user, pk, manage=True)
        if team_pk is None:
            return None
        return get_object_or_404(selectors.team_list(user=self.request.user, organisation=self.organisation),
                                 pk=team_pk)

    def form_kwargs(self) -> dict:
        return {"organisation": self.organisation}

    def initial(self, team) -> dict:
        return {"name": team.name, "department": team.department, "members": team.member_list,
                "version": team.version}

    def changes(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in ("name", "department", "members")}

    def create_kwargs(self) -> dict:
        return {"organisation": self.organisation}

    def their_values(self, form, current) -> list:
        return their_fields(form, current, ("name", "department"), self.texts["conflict"] % current.name)

    def label(self, team) -> str:
        return team.name

    def success_url(self, team) -> str:
        return reverse("teams", args=[self.organisation.pk])

    def context(self, **extra) -> dict:
        return {"organisation": self.organisation, "membership": self.membership, **extra}


team_create, team_edit = TeamPages.as_view(action="create"), TeamPages.as_view(action="edit")


@login_required
@require_POST
def team_delete(request, pk, team_pk):
    organisation, _membership = organisation_for(request.user, pk, manage=True)
    team = get_object_or_404(organisation.teams, pk=team_pk)
    services.team_delete(team=team, actor=request.user)
    messages.success(request, _("Team “%s” deleted.") % team.name)
    return redirect("teams", organisation.pk)
