from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import apply_errors
from core.versioning import StaleVersion
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


@login_required
def team_create(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    form = TeamForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(organisation=organisation, actor=request.user, name=data["name"],
                                        department=data["department"], members=data["members"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team “%s” created.") % team.name)
            return redirect("teams", organisation.pk)
    return render(request, "tenancy/team_form.html", {"organisation": organisation, "membership": membership,
                                                       "form": form})


@login_required
def team_edit(request, pk, team_pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    team = get_object_or_404(selectors.team_list(user=request.user, organisation=organisation), pk=team_pk)
    initial = {"name": team.name, "department": team.department, "members": team.member_list,
               "version": team.version}
    form = TeamForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(team=team, actor=request.user, name=data["name"], department=data["department"],
                                 members=data["members"], version=data.get("version"))
        except StaleVersion as stale:
            form.add_error(None, _("Someone else saved this team meanwhile (now called “%s”). "
                                   "Your changes are still in the form: check them and save again.")
                           % stale.current.name)
            form.data = form.data.copy()
            form.data["version"] = stale.current.version
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team saved."))
            return redirect("teams", organisation.pk)
    return render(request, "tenancy/team_form.html", {"organisation": organisation, "membership": membership,
                                                       "form": form, "team": team})


@login_required
@require_POST
def team_delete(request, pk, team_pk):
    organisation, _membership = organisation_for(request.user, pk, manage=True)
    team = get_object_or_404(organisation.teams, pk=team_pk)
    services.team_delete(team=team, actor=request.user)
    messages.success(request, _("Team “%s” deleted.") % team.name)
    return redirect("teams", organisation.pk)
